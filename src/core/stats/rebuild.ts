/**
 * Reconciliation, the pure half: from one branch's raw facts for a year,
 * what every aggregate and every points key should hold. The same
 * contribution functions as the write paths, summed from scratch.
 */
import { expectedAt } from '../audience'
import { essayPointEarners } from '../notes/essay'
import { memberNoteQuota } from '../notes/prorate'
import { exemptionOf, type ExemptionSettings } from '../org/exemption'
import { memberOfBranchDuring, transferredWithin } from '../org/membership'
import { SHANGHAI_OFFSET_MS, periodBounds, periodKeysOf } from '../period'
import { aggregateId, emptyAggregate, type Aggregate, type AggregateCounter } from '../schemas/aggregate'
import type { Checkin, LeaveRequest, Makeup } from '../schemas/checkin'
import type { Member } from '../schemas/member'
import type { Note } from '../schemas/note'
import type { Org } from '../schemas/org'
import type { PointsEntry } from '../schemas/points'
import type { Session } from '../schemas/session'
import type { OrgSettingsValues } from '../schemas/settings'
import { attendanceContribution, isZero, monthWordsClaim, noteContribution, type Counters, type PointsClaim } from './contributions'

export interface BranchYearFacts {
  branch: Pick<Org, '_id' | 'path'>
  year: number
  settings: OrgSettingsValues
  /** Everyone whose branch this is now, active or not. */
  members: Member[]
  sessions: Session[]
  checkins: Checkin[]
  leaves: LeaveRequest[]
  makeups: Makeup[]
  notes: Pick<Note, '_id' | 'memberId' | 'kind' | 'title' | 'words' | 'creditedWords' | 'createdAt' | 'updatedAt' | 'review' | 'deleted'>[]
  /** The branch's ledger entries dated in the year. */
  ledger: Pick<PointsEntry, 'key' | 'memberId' | 'delta' | 'at' | 'rule' | 'sourceType' | 'sourceId' | 'reason'>[]
}

export interface Rebuilt {
  aggregates: Map<string, Aggregate>
  /** What each key should hold; keys the facts no longer support are present at 0. Manual keys are left alone. */
  claims: Map<string, PointsClaim>
  /** Ledger net per key as it stands. */
  nets: Map<string, number>
  /** Members whose year spans two branches: their member aggregates were not rebuilt and must not be zeroed. */
  split: Set<string>
}

const LEVELS = ['year', 'quarter', 'month'] as const

/** Who a branch's figures count: active, confirmed, not exempt that year (the denominator of per-member averages). */
export function countsInBranch(
  m: Pick<Member, 'active' | 'joinStatus' | 'exempt'> & { birthYear?: number | null },
  settings: ExemptionSettings,
  year: number
): boolean {
  return m.active && m.joinStatus !== 'pending' && !exemptionOf(m, settings, year).branchFigures
}

/**
 * A branch's counted members for one period and the sum of their quotas:
 * those who count (countsInBranch) and belonged to the branch at some moment
 * of the period. A newcomer joins the branch's figures from their first
 * period on, never earlier ones; a member transferred out stays in the old
 * branch's periods they were part of and enters the new branch's from the
 * transfer on. So a join or a transfer changes no finished period. The write
 * path (aggregate creation, a confirmed join, a transfer) and the rebuild
 * both count this way.
 */
export function branchBasisOf(
  members: readonly Member[],
  branchId: string,
  settings: OrgSettingsValues,
  year: number,
  period: { start: number; end: number }
): { members: number; quotaWords: number } {
  const basis = { members: 0, quotaWords: 0 }
  for (const m of members) {
    if (!memberOfBranchDuring(m, branchId, period.start, period.end) || !countsInBranch(m, settings, year)) continue
    basis.members++
    basis.quotaWords += memberNoteQuota(m, settings, year)?.words ?? 0
  }
  return basis
}

export function rebuildBranchYear(f: BranchYearFacts, now: number): Rebuilt {
  const aggregates = new Map<string, Aggregate>()
  const byId = new Map(f.members.map((m) => [m._id, m]))
  const quotaOf = (m: Member) => memberNoteQuota(m, f.settings, f.year)?.words ?? 0
  // Every fact rebuilt here is of f.year, so each member's exemption is judged once.
  const exemptions = new Map(f.members.map((m) => [m._id, exemptionOf(m, f.settings, f.year)]))
  const basisByPeriod = new Map<string, { members: number; quotaWords: number }>()
  const branchBasis = (period: string) => {
    let b = basisByPeriod.get(period)
    if (!b) basisByPeriod.set(period, (b = branchBasisOf(f.members, f.branch._id, f.settings, f.year, periodBounds(period))))
    return b
  }
  const { start: yearStart, end: yearEnd } = periodBounds(String(f.year))
  // A member who changed branch this year has one year across two branches: no single branch's
  // rebuild sees all of it, so their member aggregates are left to the write path.
  const split = new Set(f.members.filter((m) => transferredWithin(m, yearStart, yearEnd)).map((m) => m._id))
  const agg = (scope: 'member' | 'branch', scopeId: string, period: string): Aggregate => {
    const id = aggregateId(scope, scopeId, period)
    let a = aggregates.get(id)
    if (!a) {
      if (scope === 'member') {
        const m = byId.get(scopeId)
        a = emptyAggregate('member', scopeId, f.branch._id, f.branch.path, period, now, m ? quotaOf(m) : 0)
      } else {
        const basis = branchBasis(period)
        a = { ...emptyAggregate('branch', scopeId, f.branch._id, f.branch.path, period, now, basis.quotaWords), members: basis.members }
      }
      aggregates.set(id, a)
    }
    return a
  }
  // Targets per (member, month): a year of facts falls in a few dozen, so ids and period keys are derived once.
  const targetCache = new Map<string, Aggregate[]>()
  const monthOf = (at: number) => {
    const d = new Date(at + SHANGHAI_OFFSET_MS)
    return d.getUTCFullYear() * 100 + d.getUTCMonth()
  }
  const targets = (memberId: string, at: number): Aggregate[] => {
    const ck = `${memberId}|${monthOf(at)}`
    let list = targetCache.get(ck)
    if (!list) {
      const keys = periodKeysOf(at)
      const m = byId.get(memberId)
      list = []
      for (const l of LEVELS) {
        if (!split.has(memberId)) list.push(agg('member', memberId, keys[l]))
        if (!m || !exemptions.get(m._id)!.branchFigures) list.push(agg('branch', f.branch._id, keys[l]))
      }
      targetCache.set(ck, list)
    }
    return list
  }
  const add = (memberId: string, at: number, counters: Counters) => {
    if (isZero(counters)) return
    for (const a of targets(memberId, at)) for (const k in counters) a[k as AggregateCounter] += counters[k as AggregateCounter] ?? 0
  }
  // No document is made for a period without facts: readers treat a missing aggregate as zeros.

  const claims = new Map<string, PointsClaim>()
  const rules = f.settings.pointsRules
  // Pair lookups by (session, member) straight from the documents' fields: no id derivation per pair.
  const pair = (sessionId: string, memberId: string) => `${sessionId}|${memberId}`
  const checkins = new Map(f.checkins.map((c) => [pair(c.sessionId, c.memberId), c]))
  const leaves = new Map(f.leaves.map((l) => [pair(l.sessionId, l.memberId), l]))
  const makeups = new Map(f.makeups.map((m) => [pair(m.sessionId, m.memberId), m]))
  const checkedInBySession = new Map<string, string[]>()
  for (const c of f.checkins) {
    const list = checkedInBySession.get(c.sessionId)
    if (list) list.push(c.memberId)
    else checkedInBySession.set(c.sessionId, [c.memberId])
  }
  for (const s of f.sessions) {
    // Membership as it was when the session started: a member transferred out still owed it, one transferred in did not.
    const expected = new Set(f.members.filter((m) => expectedAt(s, m)).map((m) => m._id))
    const people = new Set(expected)
    for (const id of checkedInBySession.get(s._id) ?? []) people.add(id)
    if (s.lecturerId) people.add(s.lecturerId)
    for (const memberId of people) {
      const m = byId.get(memberId)
      const k = pair(s._id, memberId)
      const c = attendanceContribution(
        {
          session: s,
          memberId,
          expected: expected.has(memberId),
          exempt: m ? exemptions.get(m._id)!.absenceDeduction : false,
          checkin: checkins.get(k) ?? null,
          leave: leaves.get(k) ?? null,
          makeup: makeups.get(k) ?? null
        },
        rules,
        true
      )
      add(memberId, c.at, c.counters)
      for (const cl of c.claims) claims.set(cl.key, cl)
    }
  }
  // note_1000 is per member and month, from the month's credited words.
  const monthWords = new Map<string, { memberId: string; month: string; words: number; last: { id: string; at: number } }>()
  // 心得 points: the first few counting essays of each member's quarter (the same rule as the write path).
  const earners = essayPointEarners(f.notes, f.settings.essayMinWords, f.settings.essayPointsQuarterlyCap, (at) => periodKeysOf(at).quarter)
  for (const n of f.notes) {
    const c = noteContribution(n, rules, f.settings.essayMinWords, earners.has(n._id))
    add(n.memberId, c.at, c.counters)
    for (const cl of c.claims) claims.set(cl.key, cl)
    const month = periodKeysOf(n.createdAt).month
    const k = `${n.memberId}|${month}`
    const cur = monthWords.get(k) ?? { memberId: n.memberId, month, words: 0, last: { id: n._id, at: -1 } }
    cur.words += c.counters.creditedWords ?? 0
    if (n.updatedAt > cur.last.at) cur.last = { id: n._id, at: n.updatedAt }
    monthWords.set(k, cur)
  }
  for (const w of monthWords.values()) {
    const cl = monthWordsClaim(w.memberId, w.month, w.words, rules, f.settings.notePointsMonthlyCap, w.last.id)
    claims.set(cl.key, cl)
  }

  const nets = new Map<string, number>()
  const lastOfKey = new Map<string, BranchYearFacts['ledger'][number]>()
  for (const e of f.ledger) {
    nets.set(e.key, (nets.get(e.key) ?? 0) + e.delta)
    lastOfKey.set(e.key, e)
  }
  // A key with entries but no fact behind it any more (the fact was removed) should hold 0.
  for (const [key, e] of lastOfKey) {
    if (claims.has(key) || e.sourceType === 'manual') continue
    claims.set(key, { key, rule: e.rule, memberId: e.memberId, points: 0, sourceType: e.sourceType, sourceId: e.sourceId, at: e.at, reason: e.reason.replace(/^(更正|撤销)：/, '') })
  }
  // Points counters are the ledger's sum (as corrected below), never the claims: the ledger is the record.
  for (const e of f.ledger) add(e.memberId, e.at, { points: e.delta })
  for (const cl of claims.values()) {
    const d = cl.points - (nets.get(cl.key) ?? 0)
    if (d !== 0) add(cl.memberId, cl.at, { points: d })
  }
  return { aggregates, claims, nets, split }
}

/**
 * A stored aggregate the year's facts no longer reach (its only fact went, a member left):
 * its counters are zero, and its basis (counted members, quota) is what the facts say now,
 * since an exemption or a transfer may have changed it since it was last written.
 */
export function emptiedAggregate(stored: Aggregate, f: Pick<BranchYearFacts, 'members' | 'branch' | 'settings' | 'year'>, now: number): Aggregate {
  const zero: Aggregate = { ...stored, attended: 0, expected: 0, leave: 0, late: 0, absent: 0, makeups: 0, creditedWords: 0, essays: 0, points: 0, updatedAt: now }
  if (stored.scope === 'branch') {
    const basis = branchBasisOf(f.members, f.branch._id, f.settings, f.year, periodBounds(stored.period))
    return { ...zero, members: basis.members, quotaWords: basis.quotaWords }
  }
  const m = f.members.find((x) => x._id === stored.scopeId)
  return m ? { ...zero, quotaWords: memberNoteQuota(m, f.settings, f.year)?.words ?? 0 } : zero
}

const COMPARED = ['members', 'attended', 'expected', 'leave', 'late', 'absent', 'makeups', 'creditedWords', 'essays', 'points', 'quotaWords'] as const

/** True when a stored aggregate holds the same figures as the rebuilt one. */
export function sameFigures(stored: Partial<Aggregate> | null, rebuilt: Aggregate): boolean {
  if (!stored) return false
  return COMPARED.every((k) => stored[k] === rebuilt[k]) && JSON.stringify(stored.orgPath) === JSON.stringify(rebuilt.orgPath)
}
