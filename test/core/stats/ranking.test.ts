import { AppError } from '../../../src/core/errors'
import {
  BranchRankingRowSchema,
  MemberFiguresSchema,
  MemberRankingRowSchema,
  type MemberFigures
} from '../../../src/core/functions/stats'
import { emptyAggregate, type Aggregate } from '../../../src/core/schemas/aggregate'
import {
  branchRow,
  competitionRanks,
  memberFigures,
  periodShare,
  rankBranches,
  rankMembers,
  type BranchFigures
} from '../../../src/core/stats'
import { expectAccepts } from '../support/expect-schema'

function agg(scope: 'member' | 'branch', scopeId: string, period: string, set: Partial<Aggregate> = {}): Aggregate {
  const branchId = scope === 'branch' ? scopeId : 'b1'
  return { ...emptyAggregate(scope, scopeId, branchId, ['org1', branchId], period, 0), ...set }
}

const Q = '2026-Q3'
const member = (id: string, exempt = false) => ({ _id: id, name: `党员${id}`, exempt })

function figures(id: string, set: Partial<Aggregate>, exempt = false): MemberFigures {
  return memberFigures(member(id, exempt), agg('member', id, Q, { quotaWords: 10000, ...set }), Q)
}

describe('periodShare', () => {
  it('gives a year the whole quota, a quarter a quarter, a month a twelfth', () => {
    expect(periodShare('2026')).toBe(1)
    expect(periodShare('2026-Q3')).toBe(0.25)
    expect(periodShare('2026-07')).toBeCloseTo(1 / 12, 12)
  })

  it('refuses a key that is no period', () => {
    expect(() => periodShare('2026-13')).toThrow(AppError)
  })
})

describe('memberFigures', () => {
  it('reads a missing aggregate as zeros with no rates', () => {
    const f = memberFigures(member('m1'), null, Q)
    expect(f).toEqual({
      memberId: 'm1',
      name: '党员m1',
      attendanceRate: null,
      attended: 0,
      expected: 0,
      leave: 0,
      absent: 0,
      creditedWords: 0,
      quotaRate: null,
      essays: 0,
      points: 0,
      exempt: false
    })
    expectAccepts(MemberFiguresSchema, f)
  })

  it('leaves approved leave out of the attendance denominator', () => {
    expect(figures('m1', { attended: 4, expected: 6, leave: 1 }).attendanceRate).toBeCloseTo(0.8, 12)
    expect(figures('m1', { attended: 5, expected: 6, leave: 1 }).attendanceRate).toBe(1)
    expect(figures('m1', { attended: 0, expected: 3, leave: 0 }).attendanceRate).toBe(0)
  })

  it('has no attendance rate when every expected session was on leave, and caps odd counts at 1', () => {
    expect(figures('m1', { attended: 0, expected: 2, leave: 2 }).attendanceRate).toBeNull()
    expect(figures('m1', { attended: 3, expected: 2, leave: 0 }).attendanceRate).toBe(1)
  })

  it('measures words against the pro-rata quota of the period, capped at 1', () => {
    expect(figures('m1', { creditedWords: 2000 }).quotaRate).toBeCloseTo(0.8, 12)
    expect(figures('m1', { creditedWords: 3000 }).quotaRate).toBe(1)
    const month = memberFigures(member('m1'), agg('member', 'm1', '2026-07', { quotaWords: 12000, creditedWords: 600 }), '2026-07')
    expect(month.quotaRate).toBeCloseTo(0.6, 12)
    const year = memberFigures(member('m1'), agg('member', 'm1', '2026', { quotaWords: 15000, creditedWords: 7500 }), '2026')
    expect(year.quotaRate).toBeCloseTo(0.5, 12)
  })

  it('has no quota rate for an exempt member or one without a quota', () => {
    const exempt = figures('m1', { creditedWords: 2000 }, true)
    expect(exempt.quotaRate).toBeNull()
    expect(exempt.exempt).toBe(true)
    expect(figures('m1', { creditedWords: 2000, quotaWords: 0 }).quotaRate).toBeNull()
  })

  it('copies the counts and keeps negative points', () => {
    const f = figures('m1', { attended: 2, expected: 3, absent: 1, essays: 2, points: -3, creditedWords: 800 })
    expect(f).toMatchObject({ attended: 2, expected: 3, absent: 1, essays: 2, points: -3, creditedWords: 800 })
    expectAccepts(MemberFiguresSchema, f)
  })
})

describe('competitionRanks', () => {
  const item = (id: string, s: number | null) => ({ id, s })
  const ranks = (items: { id: string; s: number | null }[]) =>
    competitionRanks(items, (t) => t.s, (t) => t.id).map((t) => `${t.id}:${t.rank}`)

  it('shares a rank on a tie and skips the next ("1, 2, 2, 4")', () => {
    expect(ranks([item('d', 5), item('b', 8), item('a', 10), item('c', 8)])).toEqual(['a:1', 'b:2', 'c:2', 'd:4'])
  })

  it('puts missing scores last, tied with each other', () => {
    expect(ranks([item('x', null), item('a', 0.5), item('y', null), item('b', 0)])).toEqual(['a:1', 'b:2', 'x:3', 'y:3'])
  })

  it('treats a non-finite score as missing', () => {
    expect(ranks([item('n', Number.NaN), item('a', -1), item('i', Number.POSITIVE_INFINITY)])).toEqual(['a:1', 'i:2', 'n:2'])
  })

  it('never lets float noise break a tie', () => {
    expect(ranks([item('a', 0.1 + 0.2), item('b', 0.3), item('c', 0.29)])).toEqual(['a:1', 'b:1', 'c:3'])
    // 0.3 and 0.3001 differ at 4 decimals, so they do not tie.
    expect(ranks([item('a', 0.3), item('b', 0.3001)])).toEqual(['b:1', 'a:2'])
  })

  it('orders a tie by key whatever the input order', () => {
    const a = ranks([item('z', 1), item('m', 1), item('a', 1)])
    const b = ranks([item('a', 1), item('z', 1), item('m', 1)])
    expect(a).toEqual(['a:1', 'm:1', 'z:1'])
    expect(b).toEqual(a)
  })

  it('ranks nothing as nothing and does not change its input', () => {
    expect(competitionRanks([], () => 1, () => '')).toEqual([])
    const input = [item('b', 1), item('a', 2)]
    competitionRanks(input, (t) => t.s, (t) => t.id)
    expect(input.map((t) => t.id)).toEqual(['b', 'a'])
    expect(input[0]).not.toHaveProperty('rank')
  })
})

describe('rankMembers', () => {
  const current = [
    figures('m1', { points: 10, attended: 3, expected: 4, creditedWords: 2500 }),
    figures('m2', { points: 14, attended: 4, expected: 4, creditedWords: 1000 }),
    figures('m3', { points: 10, attended: 2, expected: 4, creditedWords: 2000 }),
    figures('m4', { points: 30, attended: 4, expected: 4, creditedWords: 9000 }, true),
    figures('m5', { points: 2 })
  ]

  it('ranks by points, leaving exempt members out and counting them', () => {
    const { rows, exemptCount } = rankMembers(current, [], 'points')
    expect(rows.map((r) => [r.memberId, r.rank])).toEqual([['m2', 1], ['m1', 2], ['m3', 2], ['m5', 4]])
    expect(exemptCount).toBe(1)
    expect(rows.every((r) => r.previousRank === null)).toBe(true)
    rows.forEach((r) => expectAccepts(MemberRankingRowSchema, r))
  })

  it('ranks by attendance rate, with no rate last', () => {
    const { rows } = rankMembers(current, [], 'attendance')
    expect(rows.map((r) => [r.memberId, r.rank])).toEqual([['m2', 1], ['m1', 2], ['m3', 3], ['m5', 4]])
    expect(rows[3].attendanceRate).toBeNull()
  })

  it('ranks by quota rate', () => {
    const { rows } = rankMembers(current, [], 'quota')
    expect(rows.map((r) => [r.memberId, r.rank])).toEqual([['m1', 1], ['m3', 2], ['m2', 3], ['m5', 4]])
  })

  it('gives each member their rank of the previous period, ranked the same way', () => {
    const previous = [
      figures('m1', { points: 20, attended: 1, expected: 4 }),
      figures('m2', { points: 5, attended: 4, expected: 4 }),
      // Exempt last period: had no rank then, even with the most points.
      figures('m3', { points: 50 }, true),
      figures('m4', { points: 1 })
    ]
    const byPoints = rankMembers(current, previous, 'points').rows
    expect(byPoints.map((r) => [r.memberId, r.previousRank])).toEqual([['m2', 2], ['m1', 1], ['m3', null], ['m5', null]])
    const byAttendance = rankMembers(current, previous, 'attendance').rows
    expect(byAttendance.find((r) => r.memberId === 'm2')?.previousRank).toBe(1)
    expect(byAttendance.find((r) => r.memberId === 'm1')?.previousRank).toBe(2)
  })
})

describe('branchRow', () => {
  it('gives per-member averages rounded to 2 decimals, never totals', () => {
    const row = branchRow(
      { _id: 'b1', name: '第一支部' },
      agg('branch', 'b1', Q, { members: 3, attended: 20, expected: 27, leave: 2, creditedWords: 10000, essays: 2, points: 100, quotaWords: 30000 }),
      Q
    )
    expect(row).toEqual({
      branchId: 'b1',
      name: '第一支部',
      members: 3,
      attendanceRate: 0.8,
      quotaRate: 1,
      wordsPerMember: 3333.33,
      essaysPerMember: 0.67,
      pointsPerMember: 33.33
    })
  })

  it('keeps negative points per member and a partial quota rate', () => {
    const row = branchRow({ _id: 'b1', name: '一支部' }, agg('branch', 'b1', Q, { members: 4, points: -6, creditedWords: 5000, quotaWords: 40000 }), Q)
    expect(row.pointsPerMember).toBe(-1.5)
    expect(row.quotaRate).toBeCloseTo(0.5, 12)
    expect(row.attendanceRate).toBeNull()
  })

  it('gives zeros and no rates without members or without an aggregate', () => {
    const none = branchRow({ _id: 'b1', name: '一支部' }, null, Q)
    expect(none).toMatchObject({ members: 0, attendanceRate: null, quotaRate: null, wordsPerMember: 0, essaysPerMember: 0, pointsPerMember: 0 })
    const empty = branchRow({ _id: 'b1', name: '一支部' }, agg('branch', 'b1', Q, { members: 0, points: 8, creditedWords: 900 }), Q)
    expect(empty).toMatchObject({ members: 0, wordsPerMember: 0, pointsPerMember: 0, quotaRate: null })
  })
})

describe('rankBranches', () => {
  const row = (id: string, set: Partial<Aggregate>): BranchFigures => branchRow({ _id: id, name: `${id}支部` }, agg('branch', id, Q, set), Q)

  // Five members who all took part, and thirty of whom many did not: the big
  // branch has the bigger totals on every count, the small one the better rates.
  const small = row('small', { members: 5, attended: 19, expected: 20, creditedWords: 10000, essays: 5, points: 60, quotaWords: 50000 })
  const big = row('big', { members: 30, attended: 90, expected: 120, creditedWords: 45000, essays: 12, points: 240, quotaWords: 300000 })

  it('lets a small branch with better rates and averages beat a big one with bigger totals', () => {
    expect(big.members * big.pointsPerMember).toBeGreaterThan(small.members * small.pointsPerMember)
    for (const by of ['points', 'attendance', 'quota'] as const) {
      const rows = rankBranches([big, small], [], by)
      expect(rows.map((r) => [r.branchId, r.rank])).toEqual([['small', 1], ['big', 2]])
    }
    expect(small).toMatchObject({ attendanceRate: 0.95, quotaRate: 0.8, pointsPerMember: 12, wordsPerMember: 2000 })
    expect(big).toMatchObject({ attendanceRate: 0.75, quotaRate: 0.6, pointsPerMember: 8, wordsPerMember: 1500 })
  })

  it('shares ranks on equal averages and puts branches with no rate after those with one', () => {
    const a = row('a', { members: 4, points: 40, attended: 4, expected: 4 })
    const b = row('b', { members: 10, points: 100, attended: 0, expected: 0 })
    const c = row('c', { members: 2, points: 30, attended: 1, expected: 2 })
    expect(rankBranches([a, b, c], [], 'points').map((r) => [r.branchId, r.rank])).toEqual([['c', 1], ['a', 2], ['b', 2]])
    expect(rankBranches([a, b, c], [], 'attendance').map((r) => [r.branchId, r.rank])).toEqual([['a', 1], ['c', 2], ['b', 3]])
  })

  it('ranks branches with no members last, after those with no rate', () => {
    const a = row('a', { members: 3, points: -3 })
    const empty = row('empty', { members: 0 })
    const none = branchRow({ _id: 'none', name: '新支部' }, null, Q)
    const rows = rankBranches([empty, none, a], [], 'points')
    expect(rows.map((r) => [r.branchId, r.rank])).toEqual([['a', 1], ['empty', 2], ['none', 2]])
    const byAttendance = rankBranches([empty, a], [], 'attendance')
    expect(byAttendance.map((r) => [r.branchId, r.rank])).toEqual([['a', 1], ['empty', 2]])
    rows.forEach((r) => expectAccepts(BranchRankingRowSchema, r))
  })

  it('gives the previous rank ranked the same way, and none for a branch that was empty or absent', () => {
    const prevSmall = row('small', { members: 5, points: 10, attended: 10, expected: 20 })
    const prevBig = row('big', { members: 30, points: 300, attended: 120, expected: 120 })
    const prevNew = row('new', { members: 0 })
    const fresh = row('new', { members: 2, points: 2 })
    const byPoints = rankBranches([small, big, fresh], [prevSmall, prevBig, prevNew], 'points')
    expect(byPoints.map((r) => [r.branchId, r.rank, r.previousRank])).toEqual([
      ['small', 1, 2],
      ['big', 2, 1],
      ['new', 3, null]
    ])
    const byAttendance = rankBranches([small, big], [prevSmall, prevBig], 'attendance')
    expect(byAttendance.map((r) => [r.branchId, r.previousRank])).toEqual([['small', 2], ['big', 1]])
  })
})
