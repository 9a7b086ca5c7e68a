import { ReportOutput, type MemberWarning } from '../../../src/core/functions/stats'
import { emptyAggregate, type Aggregate } from '../../../src/core/schemas/aggregate'
import { RED_FLAG_RULE, buildReport, redFlagScore, type BuildReportArgs, type ReportBranchInput } from '../../../src/core/stats'
import { expectAccepts } from '../support/expect-schema'

const Q = '2026-Q3'

function branch(id: string, name: string, set: Partial<Aggregate> | null, period = Q): ReportBranchInput {
  if (set === null) return { branch: { _id: id, name }, agg: null }
  const base = emptyAggregate('branch', id, id, ['org1', id], period, 0)
  return { branch: { _id: id, name }, agg: { ...base, members: 0, ...set } }
}

describe('redFlagScore', () => {
  it('weighs attendance 50, quota 30 and points per member against the best branch 20', () => {
    expect(redFlagScore({ attendanceRate: 1, quotaRate: 1, pointsPerMember: 15 }, 15)).toBe(100)
    expect(redFlagScore({ attendanceRate: 0.9, quotaRate: 0.5, pointsPerMember: 5 }, 10)).toBe(70)
    expect(redFlagScore({ attendanceRate: 0, quotaRate: 0, pointsPerMember: 10 }, 10)).toBe(20)
    expect(redFlagScore({ attendanceRate: 0.95, quotaRate: 0.8, pointsPerMember: 12 }, 15)).toBe(87.5)
  })

  it('rounds to one decimal', () => {
    expect(redFlagScore({ attendanceRate: 0.75, quotaRate: 0.6, pointsPerMember: 8 }, 15)).toBe(66.2)
  })

  it('counts missing rates and negative points as 0, and keeps within 0–100', () => {
    expect(redFlagScore({ attendanceRate: null, quotaRate: null, pointsPerMember: 4 }, 8)).toBe(10)
    expect(redFlagScore({ attendanceRate: 0.5, quotaRate: null, pointsPerMember: -3 }, 8)).toBe(25)
    expect(redFlagScore({ attendanceRate: 1, quotaRate: 1, pointsPerMember: 30 }, 15)).toBe(100)
  })

  it('gives no points share when no branch has positive points', () => {
    expect(redFlagScore({ attendanceRate: 1, quotaRate: 1, pointsPerMember: 0 }, 0)).toBe(80)
    expect(redFlagScore({ attendanceRate: 1, quotaRate: 1, pointsPerMember: -2 }, -1)).toBe(80)
  })

  it('is described on the report in words that match the weights and the candidate rule', () => {
    for (const part of ['参会率占 50 分', '笔记完成率占 30 分', '人均积分占 20 分', '不少于 3 人', '不低于 80%', '前 3 名']) {
      expect(RED_FLAG_RULE).toContain(part)
    }
  })
})

describe('buildReport', () => {
  const branches = [
    branch('b2', '机关二支部', { members: 30, attended: 90, expected: 120, creditedWords: 45000, quotaWords: 300000, points: 240 }),
    branch('b1', '红星支部', { members: 5, attended: 19, expected: 20, creditedWords: 10000, quotaWords: 50000, points: 60 }),
    branch('b6', '新支部', null),
    branch('b3', '小支部', { members: 2, attended: 8, expected: 8, creditedWords: 5000, quotaWords: 20000, points: 30 }),
    branch('b4', '离退休支部', { members: 12, attended: 40, expected: 46, leave: 6, creditedWords: 3000, quotaWords: 0, points: 72 }),
    branch('b5', '三支部', { members: 8, attended: 30, expected: 36, creditedWords: 16000, quotaWords: 80000, points: 96 }),
    branch('b7', '四支部', { members: 4, attended: 13, expected: 16, creditedWords: 0, quotaWords: 40000, points: 8 })
  ]
  const warnings: Record<string, MemberWarning[]> = {
    b1: [
      {
        memberId: 'm11',
        name: '赵六',
        level: 'yellow',
        facts: [{ reason: 'absences', level: 'yellow', text: '本季度无故缺席 2 次：7月5日 支委会、8月2日 主题党日' }],
        alert: null,
        actions: ['谈心谈话，了解困难', '安排补学']
      }
    ],
    b2: [
      {
        memberId: 'm21',
        name: '李四',
        level: null,
        facts: [],
        alert: { months: 4, severity: 'warning', text: '已连续 4 个月未参加组织生活（未请假）。' },
        actions: ['尽快当面联系本人', '谈心谈话，了解困难']
      },
      {
        memberId: 'm22',
        name: '王五',
        level: 'red',
        facts: [{ reason: 'absences', level: 'red', text: '本季度无故缺席 3 次' }],
        alert: { months: 3, severity: 'notice', text: '已连续 3 个月未参加组织生活（未请假）。' },
        actions: ['尽快当面联系本人', '谈心谈话，了解困难', '安排补学']
      }
    ]
  }
  const args: BuildReportArgs = {
    orgName: '某某党委',
    quarter: Q,
    generatedAt: 1790000000000,
    branches,
    previous: [
      branch('b1', '红星支部', { members: 5, attended: 10, expected: 20, points: 10 }, '2026-Q2'),
      branch('b2', '机关二支部', { members: 30, attended: 120, expected: 120, points: 300 }, '2026-Q2'),
      branch('b5', '三支部', { members: 0 }, '2026-Q2')
    ],
    warnings,
    namesVisibleFor: (id) => id === 'b1'
  }
  const report = buildReport(args)

  it('is a valid report with the rule printed on it', () => {
    expectAccepts(ReportOutput, report)
    expect(report).toMatchObject({ period: Q, orgName: '某某党委', generatedAt: 1790000000000, scoreRule: RED_FLAG_RULE })
  })

  it('ranks branches by the composite score, with the branch without members last', () => {
    expect(report.branches.map((b) => [b.branchId, b.rank, b.score])).toEqual([
      ['b3', 1, 100],
      ['b1', 2, 87.5],
      ['b5', 3, 81.7],
      ['b2', 4, 66.2],
      ['b4', 5, 58],
      ['b7', 6, 43.3],
      ['b6', 7, 0]
    ])
  })

  it('gives the rank of the previous quarter by the same score, and none to branches then empty or absent', () => {
    const prev = Object.fromEntries(report.branches.map((b) => [b.branchId, b.previousRank]))
    expect(prev).toEqual({ b1: 2, b2: 1, b3: null, b4: null, b5: null, b6: null, b7: null })
  })

  it('names as candidates only the top 3 of branches with at least 3 members and 80% attendance', () => {
    // 小支部 (2 members) has the best score and 机关二支部 attends 75%: neither is a candidate; 四支部 is 4th.
    expect(report.redFlag).toEqual([
      { branchId: 'b1', name: '红星支部', score: 87.5 },
      { branchId: 'b5', name: '三支部', score: 81.7 },
      { branchId: 'b4', name: '离退休支部', score: 58 }
    ])
  })

  it('keeps a tie at the third place among the candidates', () => {
    const tied = buildReport({
      ...args,
      previous: undefined,
      branches: [
        branch('a', '甲', { members: 3, attended: 10, expected: 10, points: 30 }),
        branch('b', '乙', { members: 3, attended: 9, expected: 10, points: 30 }),
        branch('c', '丙', { members: 3, attended: 8, expected: 10, points: 30 }),
        branch('d', '丁', { members: 6, attended: 8, expected: 10, points: 60 }),
        branch('e', '戊', { members: 3, attended: 7, expected: 10, points: 90 })
      ],
      warnings: {}
    })
    expect(tied.redFlag.map((r) => r.branchId)).toEqual(['a', 'b', 'c', 'd'])
    expect(tied.branches.every((b) => b.previousRank === null)).toBe(true)
  })

  it('counts warnings per branch and in total', () => {
    const count = Object.fromEntries(report.branches.map((b) => [b.branchId, [b.yellow, b.red, b.alerts]]))
    expect(count.b1).toEqual([1, 0, 0])
    expect(count.b2).toEqual([0, 1, 2])
    expect(count.b6).toEqual([0, 0, 0])
    expect(report.totals).toMatchObject({ branches: 7, members: 61, yellow: 1, red: 1, alerts: 2 })
  })

  it('gives the org totals as overall ratios, not averages of branch rates', () => {
    // 200 attended of 246 expected less 6 on leave; 79,000 words of a quarter of 490,000.
    expect(report.totals.attendanceRate).toBeCloseTo(200 / 240, 12)
    expect(report.totals.quotaRate).toBeCloseTo(79000 / 122500, 12)
  })

  it('lists warned members by branch order, red first, naming them only where names may be seen', () => {
    expect(report.warned).toEqual([
      { branchId: 'b1', branchName: '红星支部', name: '赵六', level: 'yellow', facts: ['本季度无故缺席 2 次：7月5日 支委会、8月2日 主题党日'] },
      {
        branchId: 'b2',
        branchName: '机关二支部',
        name: null,
        level: 'red',
        facts: ['本季度无故缺席 3 次', '已连续 3 个月未参加组织生活（未请假）。']
      },
      { branchId: 'b2', branchName: '机关二支部', name: null, level: null, facts: ['已连续 4 个月未参加组织生活（未请假）。'] }
    ])
  })

  it('makes an empty report for an org with no branches', () => {
    const empty = buildReport({ ...args, branches: [], previous: [], warnings: {} })
    expect(empty.branches).toEqual([])
    expect(empty.redFlag).toEqual([])
    expect(empty.totals).toEqual({ branches: 0, members: 0, attendanceRate: null, quotaRate: null, yellow: 0, red: 0, alerts: 0 })
    expectAccepts(ReportOutput, empty)
  })
})
