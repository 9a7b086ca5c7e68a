/**
 * Rankings of members within a branch and of branches within an org.
 *
 * 排序点评 must be fair to small branches, so branches are compared by rates
 * and per-member averages, never by raw totals, and nothing here rewards time
 * spent in the app. Pure: the callers read the aggregates.
 */
import { parsePeriod } from '../period'
import type { Aggregate } from '../schemas/aggregate'
import type { BranchRankingRow, MemberFigures, MemberRankingRow, RankBy } from '../functions/stats'

/** The share of the yearly quota a period carries: 1 for a year, 1/4 for a quarter, 1/12 for a month. */
export function periodShare(period: string): number {
  const kind = parsePeriod(period).kind
  return kind === 'year' ? 1 : kind === 'quarter' ? 1 / 4 : 1 / 12
}

export interface RankableMember {
  _id: string
  name: string
  exempt: boolean
}

export interface RankableBranch {
  _id: string
  name: string
}

/** A branch row before it is ranked. */
export type BranchFigures = Omit<BranchRankingRow, 'rank' | 'previousRank'>

export type Ranked<T> = T & { rank: number }

function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x
}

/**
 * attended / (expected − leave): approved leave is excused, so it leaves the
 * denominator instead of lowering the rate. Null when nothing was expected.
 */
export function attendanceRateOf(attended: number, expected: number, leave: number): number | null {
  const denominator = expected - leave
  if (!(denominator > 0)) return null
  return clamp01(attended / denominator)
}

/** Credited words against the period's pro-rata share of the yearly quota, capped at 1. */
export function quotaRateOf(creditedWords: number, quotaWords: number, period: string): number | null {
  const due = quotaWords * periodShare(period)
  if (!(due > 0)) return null
  return clamp01(creditedWords / due)
}

function round2(x: number): number {
  return Math.round(x * 100) / 100
}

export function memberFigures(member: RankableMember, agg: Aggregate | null, period: string): MemberFigures {
  const a = agg ?? { attended: 0, expected: 0, leave: 0, absent: 0, creditedWords: 0, essays: 0, points: 0, quotaWords: 0 }
  return {
    memberId: member._id,
    name: member.name,
    attendanceRate: attendanceRateOf(a.attended, a.expected, a.leave),
    attended: a.attended,
    expected: a.expected,
    leave: a.leave,
    absent: a.absent,
    creditedWords: a.creditedWords,
    quotaRate: member.exempt ? null : quotaRateOf(a.creditedWords, a.quotaWords, period),
    essays: a.essays,
    points: a.points,
    exempt: member.exempt
  }
}

/** Scores compared at 4 decimals, so 0.1 + 0.2 ties with 0.3; non-finite counts as no score. */
function comparable(score: number | null): number | null {
  if (score === null || !Number.isFinite(score)) return null
  return Math.round(score * 1e4) / 1e4
}

/**
 * Standard competition ranking ("1, 2, 2, 4"), best (highest) first. Items
 * without a score go last and share one rank, so nobody is hidden. Within a
 * tie, `key` orders by code unit, not locale, so every device shows the same list.
 */
export function competitionRanks<T>(
  items: readonly T[],
  score: (t: T) => number | null,
  key: (t: T) => string
): Ranked<T>[] {
  const scored = items.map((item) => ({ item, s: comparable(score(item)), k: key(item) }))
  scored.sort((a, b) => {
    if (a.s !== b.s) {
      if (a.s === null) return 1
      if (b.s === null) return -1
      return b.s - a.s
    }
    return a.k < b.k ? -1 : a.k > b.k ? 1 : 0
  })
  const out: Ranked<T>[] = []
  let rank = 0
  scored.forEach((entry, i) => {
    if (i === 0 || entry.s !== scored[i - 1].s) rank = i + 1
    out.push({ ...entry.item, rank })
  })
  return out
}

function memberScore(by: RankBy): (m: MemberFigures) => number | null {
  if (by === 'attendance') return (m) => m.attendanceRate
  if (by === 'quota') return (m) => m.quotaRate
  return (m) => m.points
}

function rankedMembers(figures: readonly MemberFigures[], by: RankBy): Ranked<MemberFigures>[] {
  return competitionRanks(
    figures.filter((m) => !m.exempt),
    memberScore(by),
    (m) => m.memberId
  )
}

/**
 * Exempt members (长期病休, 行动不便, over the age limit) are left out of the
 * list and only counted, so they are neither shamed nor shown as top.
 */
export function rankMembers(
  current: readonly MemberFigures[],
  previous: readonly MemberFigures[],
  by: RankBy
): { rows: MemberRankingRow[]; exemptCount: number } {
  const before = new Map(rankedMembers(previous, by).map((m) => [m.memberId, m.rank]))
  const rows = rankedMembers(current, by).map((m) => ({ ...m, previousRank: before.get(m.memberId) ?? null }))
  return { rows, exemptCount: current.filter((m) => m.exempt).length }
}

/**
 * A branch's figures as per-member averages and rates, so a 5-member branch
 * and a 30-member branch compare on what each member did.
 */
export function branchRow(branch: RankableBranch, agg: Aggregate | null, period: string): BranchFigures {
  const members = agg?.members ?? 0
  const per = (total: number): number => (members > 0 ? round2(total / members) : 0)
  return {
    branchId: branch._id,
    name: branch.name,
    members,
    attendanceRate: agg ? attendanceRateOf(agg.attended, agg.expected, agg.leave) : null,
    quotaRate: agg ? quotaRateOf(agg.creditedWords, agg.quotaWords, period) : null,
    wordsPerMember: per(agg?.creditedWords ?? 0),
    essaysPerMember: per(agg?.essays ?? 0),
    pointsPerMember: per(agg?.points ?? 0)
  }
}

function branchScore(by: RankBy): (b: BranchFigures) => number | null {
  if (by === 'attendance') return (b) => b.attendanceRate
  if (by === 'quota') return (b) => b.quotaRate
  return (b) => b.pointsPerMember
}

/**
 * Branches with members first, ranked by `score`; branches with no members
 * counted come after them all, sharing the next rank, since they have no
 * average to compare.
 */
export function rankBranchFigures<T extends BranchFigures>(rows: readonly T[], score: (b: T) => number | null): Ranked<T>[] {
  const staffed = rows.filter((b) => b.members > 0)
  const empty = rows.filter((b) => !(b.members > 0))
  const ranked = competitionRanks(staffed, score, (b) => b.branchId)
  const emptyRank = staffed.length + 1
  const tail = [...empty]
    .sort((a, b) => (a.branchId < b.branchId ? -1 : a.branchId > b.branchId ? 1 : 0))
    .map((b) => ({ ...b, rank: emptyRank }))
  return [...ranked, ...tail]
}

export function rankBranches(
  current: readonly BranchFigures[],
  previous: readonly BranchFigures[],
  by: RankBy
): BranchRankingRow[] {
  const score = branchScore(by)
  // A branch with nobody counted last period had no real place, so no arrow.
  const before = new Map(
    rankBranchFigures(previous, score)
      .filter((b) => b.members > 0)
      .map((b) => [b.branchId, b.rank])
  )
  return rankBranchFigures(current, score).map((b) => ({ ...b, previousRank: before.get(b.branchId) ?? null }))
}
