/**
 * Reconciliation, the pure half: from one branch's raw facts for a year,
 * what every aggregate and every points key should hold. The same
 * contribution functions as the write paths, summed from scratch.
 */
import { isExpected } from '../audience'
import { noteQuota } from '../notes/quota'
import { periodKeysOf } from '../period'
import { aggregateId, emptyAggregate, type Aggregate, type AggregateCounter } from '../schemas/aggregate'
import { checkinId, leaveId, makeupId, type Checkin, type LeaveRequest, type Makeup } from '../schemas/checkin'
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
  notes: Pick<Note, '_id' | 'memberId' | 'kind' | 'title' | 'creditedWords' | 'createdAt' | 'updatedAt' | 'review' | 'deleted'>[]
  /** The branch's ledger entries dated in the year. */
  ledger: Pick<PointsEntry, 'key' | 'memberId' | 'delta' | 'at' | 'rule' | 'sourceType' | 'sourceId' | 'reason'>[]
}

export interface Rebuilt {
  aggregates: Map<string, Aggregate>
  /** What each key should hold; keys the facts no longer support are present at 0. Manual keys are left alone. */
  claims: Map<string, PointsClaim>
  /** Ledger net per key as it stands. */
  nets: Map<string, number>
}

const LEVELS = ['year', 'quarter', 'month'] as const

function counted(m: Member): boolean {
  return m.active && m.joinStatus !== 'pending' && !m.exempt
}

export function rebuildBranchYear(f: BranchYearFacts, now: number): Rebuilt {
  const aggregates = new Map<string, Aggregate>()
  const byId = new Map(f.members.map((m) => [m._id, m]))
  const quotaOf = (m: Member) => noteQuota(m, f.settings, f.year)?.words ?? 0
  const branchBasis = { members: 0, quotaWords: 0 }
  for (const m of f.members) {
    if (!counted(m)) continue
    branchBasis.members++
    branchBasis.quotaWords += quotaOf(m)
  }
  const agg = (scope: 'member' | 'branch', scopeId: string, period: string): Aggregate => {
    const id = aggregateId(scope, scopeId, period)
    let a = aggregates.get(id)
    if (!a) {
      if (scope === 'member') {
        const m = byId.get(scopeId)
        a = emptyAggregate('member', scopeId, f.branch._id, f.branch.path, period, now, m ? quotaOf(m) : 0)
      } else {
        a = { ...emptyAggregate('branch', scopeId, f.branch._id, f.branch.path, period, now, branchBasis.quotaWords), members: branchBasis.members }
      }
      aggregates.set(id, a)
    }
    return a
  }
  const add = (memberId: string, at: number, counters: Counters) => {
    if (isZero(counters)) return
    const keys = periodKeysOf(at)
    const m = byId.get(memberId)
    for (const l of LEVELS) {
      const targets = [agg('member', memberId, keys[l])]
      if (!m || !m.exempt) targets.push(agg('branch', f.branch._id, keys[l]))
      for (const a of targets) for (const [k, v] of Object.entries(counters) as [AggregateCounter, number][]) a[k] += v
    }
  }
  // No document is made for a period without facts: readers treat a missing aggregate as zeros.

  const claims = new Map<string, PointsClaim>()
  const rules = f.settings.pointsRules
  const checkins = new Map(f.checkins.map((c) => [c._id, c]))
  const leaves = new Map(f.leaves.map((l) => [l._id, l]))
  const makeups = new Map(f.makeups.map((m) => [m._id, m]))
  for (const s of f.sessions) {
    const people = new Set(f.members.filter((m) => isExpected(s, m)).map((m) => m._id))
    for (const c of f.checkins) if (c.sessionId === s._id) people.add(c.memberId)
    for (const memberId of people) {
      const m = byId.get(memberId)
      const c = attendanceContribution(
        {
          session: s,
          memberId,
          expected: m ? isExpected(s, m) : false,
          exempt: m ? m.exempt !== null : false,
          checkin: checkins.get(checkinId(s._id, memberId)) ?? null,
          leave: leaves.get(leaveId(s._id, memberId)) ?? null,
          makeup: makeups.get(makeupId(s._id, memberId)) ?? null
        },
        rules
      )
      add(memberId, c.at, c.counters)
      for (const cl of c.claims) claims.set(cl.key, cl)
    }
  }
  // note_1000 is per member and month, from the month's credited words.
  const monthWords = new Map<string, { memberId: string; month: string; words: number; last: { id: string; at: number } }>()
  for (const n of f.notes) {
    const c = noteContribution(n, rules)
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
  return { aggregates, claims, nets }
}

const COMPARED = ['members', 'attended', 'expected', 'leave', 'late', 'absent', 'makeups', 'creditedWords', 'essays', 'points', 'quotaWords'] as const

/** True when a stored aggregate holds the same figures as the rebuilt one. */
export function sameFigures(stored: Partial<Aggregate> | null, rebuilt: Aggregate): boolean {
  if (!stored) return false
  return COMPARED.every((k) => stored[k] === rebuilt[k]) && JSON.stringify(stored.orgPath) === JSON.stringify(rebuilt.orgPath)
}
