import type { CadenceItem } from '../../../src/core/functions/session'
import { ReportOutput, type MemberWarning } from '../../../src/core/functions/stats'
import { periodBounds } from '../../../src/core/period'
import { emptyAggregate, type Aggregate } from '../../../src/core/schemas/aggregate'
import {
  RED_FLAG_CRITERIA,
  RED_FLAG_RULE,
  RED_FLAG_WEIGHTS,
  buildReport,
  candidateLimit,
  redFlagScore,
  summarizeMeetings,
  type BuildReportArgs,
  type ReportBranchInput
} from '../../../src/core/stats'
import { expectAccepts } from '../support/expect-schema'

const Q = '2026-Q3'
const AFTER_Q = periodBounds(Q).end + 86400e3

function item(label: string, period: string, status: CadenceItem['status'], periodEnded = true): CadenceItem {
  return {
    type: 'committee_meeting',
    label,
    period,
    required: 1,
    held: status === 'met' ? 1 : 0,
    scheduled: status === 'scheduled' ? 1 : 0,
    status,
    periodEnded
  }
}

/** The quarter's requirements all held: three monthly 主题党日 and a 党课. */
const ALL_MET: CadenceItem[] = [
  item('主题党日', '2026-07', 'met'),
  item('主题党日', '2026-08', 'met'),
  item('主题党日', '2026-09', 'met'),
  item('党课', Q, 'met')
]

function branch(id: string, name: string, set: Partial<Aggregate> | null, meetings: CadenceItem[] = ALL_MET, period = Q): ReportBranchInput {
  if (set === null) return { branch: { _id: id, name }, agg: null, meetings }
  const base = emptyAggregate('branch', id, id, ['org1', id], period, 0)
  return { branch: { _id: id, name }, agg: { ...base, members: 0, ...set }, meetings }
}

function warning(memberId: string, level: MemberWarning['level'], alertMonths = 0): MemberWarning {
  return {
    memberId,
    name: `党员${memberId}`,
    level,
    facts: level ? [{ reason: 'absences', level, text: `本季度无故缺席 ${level === 'red' ? 3 : 2} 次` }] : [],
    alert: alertMonths ? { months: alertMonths, severity: alertMonths >= 5 ? 'urgent' : alertMonths >= 4 ? 'warning' : 'notice', text: `已连续 ${alertMonths} 个月未参加组织生活（未请假）。` } : null,
    actions: ['谈心谈话，了解困难']
  }
}

const base = (over: Partial<BuildReportArgs>): BuildReportArgs => ({
  orgName: '某某党委',
  quarter: Q,
  generatedAt: AFTER_Q,
  branches: [],
  warnings: {},
  namesVisibleFor: () => true,
  ...over
})

describe('redFlagScore', () => {
  it('weighs meetings 30, attendance 25, notes 20, no warnings 15 and points 10', () => {
    expect(RED_FLAG_WEIGHTS).toEqual({ meetings: 30, attendance: 25, quota: 20, care: 15, points: 10 })
    expect(redFlagScore({ meetings: 1, attendance: 1, quota: 1, care: 1, points: 1 })).toBe(100)
    expect(redFlagScore({ meetings: 0.5, attendance: 0.8, quota: 0.5, care: 1, points: 0.5 })).toBeCloseTo(15 + 20 + 10 + 15 + 5, 10)
  })

  it('is not rounded: a difference of a few hundredths survives', () => {
    const a = redFlagScore({ meetings: 1, attendance: 0.9, quota: 0.5, care: 1, points: 0.333 })
    const b = redFlagScore({ meetings: 1, attendance: 0.9, quota: 0.5, care: 1, points: 0.33 })
    expect(a).toBeGreaterThan(b)
    expect(a - b).toBeLessThan(0.05)
  })

  it('counts missing parts as 0 and keeps within 0–100', () => {
    expect(redFlagScore({ meetings: null, attendance: null, quota: null, care: null, points: null })).toBe(0)
    expect(redFlagScore({ meetings: 2, attendance: -1, quota: Number.NaN, care: 1, points: 1 })).toBe(30 + 15 + 10)
  })
})

describe('candidateLimit', () => {
  it('is a third of the branches compared, at least one, none when nobody is compared', () => {
    expect([0, 1, 2, 3, 5, 6, 7, 9, 10, 200].map(candidateLimit)).toEqual([0, 1, 1, 1, 1, 2, 2, 3, 3, 66])
  })
})

describe('summarizeMeetings', () => {
  it('counts what is due, met, missed and still pending from the cadence check', () => {
    const s = summarizeMeetings([
      item('支委会', '2026-07', 'met'),
      item('支委会', '2026-08', 'missing'),
      item('第一党小组党小组会', '2026-08', 'scheduled', true),
      item('支委会', '2026-09', 'scheduled', false),
      item('党课', Q, 'missing', false)
    ])
    expect(s).toEqual({ due: 3, met: 1, missed: ['8月支委会', '8月第一党小组党小组会'], pending: ['9月支委会', '本季度党课'] })
  })
})

describe('buildReport: 红旗党支部', () => {
  const good = { members: 10, attended: 38, expected: 40, creditedWords: 20000, quotaWords: 100000, points: 100 }

  it('prints its criteria, quoting the speeches they come from', () => {
    const r = buildReport(base({ branches: [branch('a', '甲', good)] }))
    expectAccepts(ReportOutput, r)
    expect(r.criteria).toEqual([...RED_FLAG_CRITERIA])
    expect(r.scoreRule).toBe(RED_FLAG_RULE)
    for (const part of ['落实‘三会一课’制度', '积分争先、双色预警', '全年笔记不少于1万字', '取消评优资格', '组织生活按期召开占 30 分', '参会率占 25 分', '笔记完成率占 20 分', '无预警党员占比占 15 分', '人均积分占 10 分', '不少于 3 人', '不低于 80%', '没有缺项', '三分之一', '不列候选']) {
      expect(RED_FLAG_RULE).toContain(part)
    }
  })

  it('with three good branches names one, not all three', () => {
    const r = buildReport(
      base({
        branches: [
          branch('a', '甲', good),
          branch('b', '乙', { ...good, attended: 36 }),
          branch('c', '丙', { ...good, attended: 34 })
        ]
      })
    )
    expect(r.candidateLimit).toBe(1)
    expect(r.redFlag.map((x) => x.branchId)).toEqual(['a'])
    expect(r.branches.map((b) => [b.branchId, b.redFlag])).toEqual([
      ['a', 'candidate'],
      ['b', 'qualified'],
      ['c', 'qualified']
    ])
  })

  it('never names a branch that missed a required meeting, however good its figures, and says which', () => {
    const missed = [...ALL_MET.slice(0, 1), item('主题党日', '2026-08', 'missing'), ...ALL_MET.slice(2)]
    const r = buildReport(
      base({
        branches: [branch('best', '最好支部', { ...good, attended: 40, creditedWords: 30000 }, missed), branch('next', '次好支部', good), branch('x', '三支部', { ...good, attended: 33 })]
      })
    )
    expect(r.redFlag.map((x) => x.branchId)).toEqual(['next'])
    const best = r.branches.find((b) => b.branchId === 'best')!
    expect(best.redFlag).toBe('not_qualified')
    expect(best.reasons).toEqual(['8月主题党日未按期召开'])
    expect(best.meetings).toMatchObject({ due: 4, met: 3, missed: ['8月主题党日'] })
  })

  it('a meeting not held in a month still running does not disqualify; the report is marked provisional', () => {
    const running = [...ALL_MET.slice(0, 2), item('主题党日', '2026-09', 'scheduled', false), item('党课', Q, 'missing', false)]
    const r = buildReport(base({ generatedAt: Date.parse('2026-09-10T02:00:00Z'), branches: [branch('a', '甲', good, running)] }))
    expect(r.provisional).toBe(true)
    expect(r.redFlag.map((x) => x.branchId)).toEqual(['a'])
    expect(r.branches[0].meetings).toEqual({ due: 2, met: 2, missed: [], pending: ['9月主题党日', '本季度党课'] })
    expect(buildReport(base({ branches: [branch('a', '甲', good)] })).provisional).toBe(false)
  })

  it('never names a branch where a member has gone months without organisational life (党章第九条)', () => {
    const r = buildReport(
      base({
        branches: [branch('a', '甲', good), branch('b', '乙', { ...good, attended: 36 }), branch('c', '丙', { ...good, attended: 34 })],
        warnings: { a: [warning('m1', null, 3)] }
      })
    )
    expect(r.redFlag.map((x) => x.branchId)).toEqual(['b'])
    expect(r.branches.find((b) => b.branchId === 'a')!.reasons).toEqual(['有 1 名党员连续未参加组织生活'])
  })

  it('counts warned members against the score, once each', () => {
    const r = buildReport(
      base({
        branches: [branch('a', '甲', good), branch('b', '乙', good)],
        warnings: { b: [warning('m1', 'yellow'), warning('m2', 'red')] }
      })
    )
    const [a, b] = ['a', 'b'].map((id) => r.branches.find((x) => x.branchId === id)!)
    expect(b.warnedMembers).toBe(2)
    // 2 of 10 members warned: 15 × 0.2 points fewer.
    expect(a.score - b.score).toBeCloseTo(RED_FLAG_WEIGHTS.care * 0.2, 10)
    expect(b.redFlag).toBe('qualified')
  })

  it('ranks on the unrounded score: 0.03 apart is not a tie', () => {
    // Points per member 9.97 vs a best 10: 0.03 of the score apart, equal once rounded to one decimal.
    const g = { ...good, attended: 37 }
    const r = buildReport(base({ branches: [branch('a', '甲', { ...g, points: 997, members: 100 }), branch('b', '乙', { ...g, members: 10, points: 100 })] }))
    const rows = Object.fromEntries(r.branches.map((x) => [x.branchId, x]))
    expect(rows.b.rank).toBe(1)
    expect(rows.a.rank).toBe(2)
    expect(rows.b.score - rows.a.score).toBeCloseTo(0.03, 10)
    expect(rows.a.score.toFixed(1)).toBe(rows.b.score.toFixed(1))
  })

  it('names nobody when no branch qualifies', () => {
    const r = buildReport(
      base({
        branches: [
          branch('small', '小支部', { ...good, members: 2 }),
          branch('low', '低参会', { ...good, attended: 30 }),
          branch('none', '空支部', null)
        ]
      })
    )
    expect(r.redFlag).toEqual([])
    expect(r.branches.map((b) => [b.branchId, b.reasons])).toEqual([
      ['small', ['参加考核的党员不足 3 人']],
      ['low', ['参会率 75%，低于 80%']],
      ['none', ['本季度没有参加考核的党员']]
    ])
  })

  it('floors the attendance it quotes, so 79.96% never reads as 80%', () => {
    const r = buildReport(base({ branches: [branch('a', '甲', { ...good, attended: 1999, expected: 2500 })] }))
    expect(r.branches[0].reasons).toEqual(['参会率 79.9%，低于 80%'])
  })

  it('keeps a tie at the limit whole', () => {
    const r = buildReport(
      base({
        branches: ['a', 'b', 'c', 'd', 'e', 'f'].map((id, i) => branch(id, id, { ...good, attended: i < 3 ? 40 : 33 }))
      })
    )
    expect(r.candidateLimit).toBe(2)
    expect(r.redFlag.map((x) => x.branchId)).toEqual(['a', 'b', 'c'])
  })

  it('gives the previous quarter’s rank by the same judge, its meetings and warnings included', () => {
    const r = buildReport(
      base({
        branches: [branch('a', '甲', good), branch('b', '乙', good)],
        previous: [
          branch('a', '甲', good, [item('党课', '2026-Q2', 'missing')], '2026-Q2'),
          branch('b', '乙', good, [item('党课', '2026-Q2', 'met')], '2026-Q2')
        ],
        previousWarnings: { b: [warning('m9', 'yellow')] }
      })
    )
    const prev = Object.fromEntries(r.branches.map((b) => [b.branchId, b.previousRank]))
    // a lost 30 for the missed 党课, b 1.5 for one warned member: b was first.
    expect(prev).toEqual({ a: 2, b: 1 })
  })
})

describe('buildReport: the table, totals and warned members', () => {
  const branches = [
    branch('b2', '机关二支部', { members: 30, attended: 90, expected: 120, creditedWords: 45000, quotaWords: 300000, points: 240 }),
    branch('b1', '红星支部', { members: 5, attended: 19, expected: 20, creditedWords: 10000, quotaWords: 50000, points: 60 }),
    branch('b6', '新支部', null, []),
    branch('b4', '离退休支部', { members: 12, attended: 40, expected: 46, leave: 6, creditedWords: 3000, quotaWords: 0, points: 72 })
  ]
  const warnings: Record<string, MemberWarning[]> = {
    b1: [{ ...warning('m11', 'yellow'), name: '赵六' }],
    b2: [
      { ...warning('m21', null, 4), name: '李四' },
      { ...warning('m22', 'red', 3), name: '王五' }
    ]
  }
  const report = buildReport(base({ branches, warnings, namesVisibleFor: (id) => id === 'b1' }))

  it('is a valid report, the branch without members last', () => {
    expectAccepts(ReportOutput, report)
    expect(report.branches.map((b) => b.branchId)).toEqual(['b1', 'b2', 'b4', 'b6'])
    expect(report.branches[3].rank).toBe(4)
  })

  it('counts warnings per branch and in total', () => {
    const count = Object.fromEntries(report.branches.map((b) => [b.branchId, [b.yellow, b.red, b.alerts, b.warnedMembers]]))
    expect(count.b1).toEqual([1, 0, 0, 1])
    expect(count.b2).toEqual([0, 1, 2, 2])
    expect(count.b6).toEqual([0, 0, 0, 0])
    expect(report.totals).toMatchObject({ branches: 4, members: 47, yellow: 1, red: 1, alerts: 2 })
  })

  it('gives the org totals as overall ratios, not averages of branch rates', () => {
    expect(report.totals.attendanceRate).toBeCloseTo(149 / 180, 12)
    expect(report.totals.quotaRate).toBeCloseTo(58000 / 87500, 12)
  })

  it('lists warned members by branch order, red first, naming them only where names may be seen', () => {
    expect(report.warned.map((w) => [w.branchId, w.name, w.level])).toEqual([
      ['b1', '赵六', 'yellow'],
      ['b2', null, 'red'],
      ['b2', null, null]
    ])
    expect(report.warned[1].facts).toEqual(['本季度无故缺席 3 次', '已连续 3 个月未参加组织生活（未请假）。'])
  })

  it('makes an empty report for an org with no branches', () => {
    const empty = buildReport(base({ branches: [], previous: [] }))
    expect(empty.branches).toEqual([])
    expect(empty.redFlag).toEqual([])
    expect(empty.candidateLimit).toBe(0)
    expect(empty.totals).toEqual({ branches: 0, members: 0, attendanceRate: null, quotaRate: null, yellow: 0, red: 0, alerts: 0 })
    expectAccepts(ReportOutput, empty)
  })
})
