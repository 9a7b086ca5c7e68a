/**
 * What each raw fact contributes to the aggregates and to the points ledger.
 *
 * Every write path and the reconciliation use these same functions: a write
 * computes the contribution before and after its change and applies the
 * difference; reconciliation sums the contributions of all facts. That is
 * why the two agree, and why a bug in one increment heals overnight.
 */
import { SHANGHAI_OFFSET_MS, periodBounds, periodKeysOf } from '../period'
import type { AggregateCounter } from '../schemas/aggregate'
import { makeupDone } from '../checkin/makeup'
import type { Checkin, LeaveRequest, Makeup } from '../schemas/checkin'
import type { Note } from '../schemas/note'
import { essayCounts } from '../notes/essay'
import { groupDigits } from '../notes/pace'
import { pointsKey, type PointsSourceType } from '../schemas/points'
import { SESSION_TYPE_LABELS, type Session } from '../schemas/session'
import { pointsFor, type PointsRule } from '../schemas/settings'
import { lectureLongEnough } from './lecture'

export type Counters = Partial<Record<AggregateCounter, number>>

/** What one points key should be worth now, and the words that explain it. */
export interface PointsClaim {
  key: string
  rule: string
  memberId: string
  points: number
  sourceType: PointsSourceType
  sourceId: string
  /** The fact's date: decides the period the points fall in. */
  at: number
  reason: string
}

/** One fact's share: counters dated `at`, and the points keys it governs. */
export interface Contribution {
  memberId: string
  at: number
  counters: Counters
  /** Every key the fact can ever earn under, with 0 when it earns nothing now, so a change can take points back. */
  claims: PointsClaim[]
}

export interface AttendanceFacts {
  session: Pick<Session, '_id' | 'type' | 'title' | 'startAt' | 'status'> & { talliedAt?: number; lecturerId?: string; endAt?: number }
  memberId: string
  /** In the session's audience (应到). */
  expected: boolean
  /** Exempt from absence deductions (exemptionOf, org/exemption.ts, for the session's year). */
  exempt: boolean
  checkin: Pick<Checkin, '_id' | 'status'> | null
  leave: Pick<LeaveRequest, '_id' | 'status'> | null
  makeup: Pick<Makeup, '_id' | 'status'> | null
}

/** `3月31日` in Shanghai; plain arithmetic, since reconciliation labels every fact of a year. */
function dayLabel(at: number): string {
  const d = new Date(at + SHANGHAI_OFFSET_MS)
  return `${d.getUTCMonth() + 1}月${d.getUTCDate()}日`
}

function sessionLabel(s: AttendanceFacts['session']): string {
  return `${dayLabel(s.startAt)} ${SESSION_TYPE_LABELS[s.type]}「${s.title}」`
}

/**
 * One member at one session. Attendance counters (应到, 实到, 请假, 缺席)
 * count only once the session is tallied, i.e. its check-in window has
 * closed, so a rate never reads 3 of 2 while people are still arriving.
 * Points for checking in are given at once.
 */
export function attendanceContribution(f: AttendanceFacts, rules: readonly PointsRule[], onlyEarning = false): Contribution {
  const s = f.session
  const live = s.status !== 'cancelled'
  const at = s.startAt
  const counters: Counters = {}
  const label = sessionLabel(s)
  const claim = (rule: string, sourceType: PointsSourceType, sourceId: string, earned: boolean, what: string): PointsClaim => ({
    key: pointsKey(rule, s._id, f.memberId),
    rule,
    memberId: f.memberId,
    points: earned && live ? pointsFor(rules, rule, at) : 0,
    sourceType,
    sourceId,
    at,
    reason: `${label} ${what}`
  })
  const checkedIn = f.checkin !== null
  const onLeave = f.leave?.status === 'approved'
  const tallied = live && s.talliedAt !== undefined
  if (tallied && (f.expected || checkedIn)) {
    counters.expected = 1
    if (checkedIn) {
      counters.attended = 1
      if (f.checkin!.status === 'late') counters.late = 1
    } else if (onLeave) {
      counters.leave = 1
    } else {
      counters.absent = 1
    }
  }
  const madeUp = live && !checkedIn && makeupDone(f.makeup)
  if (madeUp) counters.makeups = 1
  const checkinSource = f.checkin?._id ?? s._id
  const specs: [string, PointsSourceType, string, boolean, string][] = [
    ['attend', 'checkin', checkinSource, checkedIn && f.checkin!.status === 'attended', '按时参加'],
    ['attend_late', 'checkin', checkinSource, checkedIn && f.checkin!.status === 'late', '迟到参加'],
    ['absent', 'checkin', s._id, counters.absent === 1 && !f.exempt, '未请假缺席'],
    ['makeup', 'makeup', f.makeup?._id ?? s._id, madeUp, '完成补学'],
    // Given at the tally, like attendance: a 党课 that was cancelled or moved earns nothing, nor one too short to be a lecture.
    ['lecture', 'lecture', s._id, tallied && s.type === 'party_lecture' && s.lecturerId === f.memberId && lectureLongEnough(s), '讲授党课']
  ]
  return {
    memberId: f.memberId,
    at,
    counters,
    // Reconciliation asks only for what is earned (it takes back the rest from the ledger's own keys).
    claims: specs.filter(([, , , earned]) => !onlyEarning || (earned && live)).map((x) => claim(...x))
  }
}

type NoteFacts = Pick<Note, '_id' | 'memberId' | 'kind' | 'title' | 'words' | 'creditedWords' | 'createdAt' | 'review'> & { deleted?: boolean }

/**
 * A note's words and essay count, dated when it was first saved (the year it counts for). An essay
 * counts toward the four and earns its points by one judge (notes/essay.ts): not returned, not
 * mostly copied, long enough. `withinCap` false: it counts, but the quarter's essay points are
 * already earned by earlier ones (essayPointEarners), so its claim is 0.
 */
export function noteContribution(n: NoteFacts, rules: readonly PointsRule[], essayMinWords: number, withinCap = true): Contribution {
  const live = !n.deleted
  const counters: Counters = {}
  if (live && n.creditedWords > 0) counters.creditedWords = n.creditedWords
  const counts = live && essayCounts(n, essayMinWords)
  if (counts) counters.essays = 1
  const earns = counts && withinCap
  return {
    memberId: n.memberId,
    at: n.createdAt,
    counters,
    claims: [
      {
        key: pointsKey('essay', n._id, n.memberId),
        rule: 'essay',
        memberId: n.memberId,
        points: earns ? pointsFor(rules, 'essay', n.createdAt) : 0,
        sourceType: 'note',
        sourceId: n._id,
        at: n.createdAt,
        reason: `${dayLabel(n.createdAt)} 心得体会「${n.title}」`
      }
    ]
  }
}

/**
 * `note_1000` for one member and month: a point per full 1,000 credited
 * words written that month, at most `cap`, valued by the rule in force on the
 * month's first day. Monthly, so steady writing earns what a year-end burst
 * (突击) cannot.
 */
export function monthWordsClaim(
  memberId: string,
  month: string,
  creditedWords: number,
  rules: readonly PointsRule[],
  cap: number,
  sourceId: string
): PointsClaim {
  const start = periodBounds(month).start
  const full = Math.floor(Math.max(0, creditedWords) / 1000)
  const thousands = Math.min(cap, full)
  const [y, m] = month.split('-')
  // The line is written only when the points move, so it names the step they were earned for
  // (满 2,000 字), which stays true while the month's count moves within that step.
  const step = full === 0 ? '不足1,000字' : `满${groupDigits(Math.max(1, thousands) * 1000)}字`
  const capped = full > 0 && thousands >= cap ? (cap > 0 ? `（本月上限${cap}次）` : '（本月不计分）') : ''
  return {
    key: pointsKey('note_1000', month, memberId),
    rule: 'note_1000',
    memberId,
    points: thousands * pointsFor(rules, 'note_1000', start),
    sourceType: 'note',
    sourceId,
    at: start,
    reason: `${y}年${Number(m)}月学习笔记计入${step}，每满1000字计分${capped}`
  }
}

/** after − before, per counter; zeros dropped. */
export function counterDiff(before: Counters, after: Counters): Counters {
  const out: Counters = {}
  for (const k of new Set([...Object.keys(before), ...Object.keys(after)]) as Set<AggregateCounter>) {
    const d = (after[k] ?? 0) - (before[k] ?? 0)
    if (d !== 0) out[k] = d
  }
  return out
}

export function negate(c: Counters): Counters {
  const out: Counters = {}
  for (const [k, v] of Object.entries(c) as [AggregateCounter, number][]) if (v) out[k] = -v
  return out
}

export function isZero(c: Counters): boolean {
  return Object.values(c).every((v) => !v)
}

/**
 * The counter changes a fact's edit makes, per instant: one entry when the
 * date did not change, two (take away, put back) when it moved periods.
 */
export function contributionDelta(before: Contribution | null, after: Contribution | null): { at: number; counters: Counters }[] {
  const out: { at: number; counters: Counters }[] = []
  if (before && after && samePeriods(before.at, after.at)) {
    const d = counterDiff(before.counters, after.counters)
    if (!isZero(d)) out.push({ at: after.at, counters: d })
    return out
  }
  if (before && !isZero(before.counters)) out.push({ at: before.at, counters: negate(before.counters) })
  if (after && !isZero(after.counters)) out.push({ at: after.at, counters: { ...after.counters } })
  return out
}

function samePeriods(a: number, b: number): boolean {
  return periodKeysOf(a).month === periodKeysOf(b).month
}

/** The entry that brings a key from what it has earned so far to what it earns now, or null. */
export function correctionFor(claim: PointsClaim, net: number): number {
  return claim.points - net
}
