/**
 * Pure helpers behind the 排行, 积分 and secretary stats pages: period names,
 * rank moves, signed points, the 参会率 sentence, the 调整积分 check, and the
 * rows a ranking list shows.
 */
jest.mock('@tarojs/taro', () => ({ __esModule: true, default: {} }))

import type { Me } from '../../src/api/auth'
import { parentOrgId, reportOrgId } from '../../src/api/stats'
import { branchRankRows, memberRankRows } from '../../src/components/RankTable/rows'
import {
  attendanceText,
  checkAdjust,
  isCurrentOrLater,
  memberValue,
  perMemberText,
  periodName,
  periodShortName,
  rankChange,
  signedPoints
} from '../../src/components/statsText'
import type { BranchRankingRow, MemberRankingRow } from '../../src/core/functions/stats'

// 2026-11-22 12:00 Shanghai.
const NOW = Date.UTC(2026, 10, 22, 4, 0)

test('periods in plain words, relative to now in Shanghai', () => {
  expect(periodName('2026-11')).toBe('2026年11月')
  expect(periodName('2026-Q4')).toBe('2026年第4季度')
  expect(periodName('2026')).toBe('2026年')
  expect(periodShortName('2026-11', NOW)).toBe('本月')
  expect(periodShortName('2026-10', NOW)).toBe('上月')
  expect(periodShortName('2026-Q4', NOW)).toBe('本季度')
  expect(periodShortName('2026-Q3', NOW)).toBe('上季度')
  expect(periodShortName('2025', NOW)).toBe('去年')
  expect(periodShortName('2026-Q1', NOW)).toBe('2026年第1季度')
  // 2026-12-31 16:30 UTC is already 2027 in Shanghai.
  expect(periodShortName('2027-01', Date.UTC(2026, 11, 31, 16, 30))).toBe('本月')
  expect(isCurrentOrLater('2026-11', NOW)).toBe(true)
  expect(isCurrentOrLater('2026-10', NOW)).toBe(false)
  expect(isCurrentOrLater('2026-Q4', NOW)).toBe(true)
  expect(isCurrentOrLater('2025', NOW)).toBe(false)
})

test('rank moves: ▲ up, ▼ down, — unchanged or new, always with words', () => {
  expect(rankChange(3, 5)).toEqual({ text: '▲2', words: '比上期上升 2 位', dir: 'up' })
  expect(rankChange(4, 3)).toEqual({ text: '▼1', words: '比上期下降 1 位', dir: 'down' })
  expect(rankChange(2, 2)).toMatchObject({ text: '—', dir: 'same' })
  expect(rankChange(2, null)).toMatchObject({ text: '—', dir: 'new' })
  expect(rankChange(undefined, 2)).toMatchObject({ text: '—', dir: 'new' })
})

test('points with a visible sign, figures as shown', () => {
  expect(signedPoints(2)).toBe('+2')
  expect(signedPoints(-2)).toBe('\u22122')
  expect(signedPoints(0)).toBe('0')
  expect(perMemberText(3.456)).toBe('3.46')
  expect(perMemberText(2)).toBe('2')
  expect(perMemberText(Number.NaN)).toBe('—')
  const m = { points: 7, attendanceRate: 0.755, quotaRate: null }
  expect(memberValue(m, 'points')).toBe('7 分')
  expect(memberValue(m, 'attendance')).toBe('76%')
  expect(memberValue(m, 'quota')).toBe('—')
})

test('出勤率 explains that approved leave is in 应到 and out of the denominator', () => {
  expect(attendanceText({ attended: 4, expected: 6, leave: 1 })).toEqual({
    figures: '应到 6 场 / 实到 4 场',
    explain: '出勤率 = 实到 ÷（应到 − 请假）。已批准请假的 1 场不算缺席。'
  })
  expect(attendanceText({ attended: 0, expected: 0, leave: 0 }).figures).toBe('这段时间没有需要您参加的活动')
  expect(attendanceText({ attended: 3, expected: 3, leave: 0 }).explain).toMatch(/请假不算缺席/)
})

test('调整积分 is checked as the server will', () => {
  expect(checkAdjust(1, ' 2 ', ' 讲授专题党课 ')).toEqual({ delta: 2, reason: '讲授专题党课' })
  expect(checkAdjust(-1, '5', '无故缺席补记')).toEqual({ delta: -5, reason: '无故缺席补记' })
  expect(checkAdjust(1, '', '原因')).toHaveProperty('message')
  expect(checkAdjust(1, '0', '原因')).toHaveProperty('message')
  expect(checkAdjust(1, '21', '原因')).toHaveProperty('message')
  expect(checkAdjust(1, '-2', '原因')).toHaveProperty('message')
  expect(checkAdjust(1, '1.5', '原因')).toHaveProperty('message')
  expect(checkAdjust(1, '2', ' 好 ')).toEqual({ message: '请写明调整原因，党员本人能看到' })
  expect(checkAdjust(1, '2', '字'.repeat(101))).toHaveProperty('message')
})

function memberRow(p: Partial<MemberRankingRow>): MemberRankingRow {
  return {
    memberId: 'm1', name: '王建国', attendanceRate: 0.5, attended: 1, expected: 2, leave: 0, absent: 1,
    creditedWords: 100, quotaRate: 0.25, essays: 0, points: 4, exempt: false, rank: 1, previousRank: null, ...p
  }
}

test('member rows: the ordering figure in front, the others under the name, mine marked', () => {
  const rows = memberRankRows([memberRow({}), memberRow({ memberId: 'm2', name: '李芳', rank: 1, essays: 2 })], 'points', true, 'm2')
  expect(rows.map((r) => [r.id, r.rank, r.value, r.mine])).toEqual([
    ['m1', 1, '4 分', false],
    ['m2', 1, '4 分', true]
  ])
  expect(rows[1].details).toEqual(['参会率 50%', '笔记 25%', '心得 2 篇'])
  // Points hidden from members: neither the figure nor its detail appears.
  const byRate = memberRankRows([memberRow({})], 'attendance', false, null)
  expect(byRate[0].value).toBe('50%')
  expect(byRate[0].details.join()).not.toMatch(/积分/)
})

test('branch rows compare per member', () => {
  const row: BranchRankingRow = {
    rank: 2, previousRank: 1, branchId: 'br_1', name: '第一党支部', members: 5, attendanceRate: 0.9,
    quotaRate: null, wordsPerMember: 10, essaysPerMember: 0, pointsPerMember: 3.333
  }
  const [r] = branchRankRows([row], 'points', 'br_1')
  expect(r).toMatchObject({ id: 'br_1', rank: 2, previousRank: 1, value: '3.33', mine: true })
  expect(r.details).toEqual(['5 人', '参会率 90%', '笔记 —'])
})

test('which organisation a member ranks in and reports on', () => {
  const me = (orgPath: string[], branchId: string, roles: Me['member']['roles'] = []) =>
    ({ member: { orgPath, branchId, roles } }) as unknown as Me
  expect(parentOrgId(me(['org_demo', 'br_1'], 'br_1'))).toBe('org_demo')
  expect(parentOrgId(me(['root', 'zongzhi', 'br_9'], 'br_9'))).toBe('zongzhi')
  expect(parentOrgId(me(['br_solo'], 'br_solo'))).toBe('br_solo')
  expect(reportOrgId(me(['org_demo', 'br_1'], 'br_1', [{ role: 'admin', orgId: 'org_demo' }]))).toBe('org_demo')
  expect(reportOrgId(me(['root', 'zongzhi', 'br_9'], 'br_9', [{ role: 'secretary', orgId: 'br_9' }]))).toBe('zongzhi')
})
