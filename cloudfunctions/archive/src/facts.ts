/**
 * The reads behind the ledgers: one branch's facts for a period, only the
 * kinds a ledger needs. Check-ins and ledger lines are read month by month
 * (a page each, as reconciliation does), the rest by year and then cut to
 * the period.
 */
import { parsePeriod, periodBounds } from '../../../src/core/period'
import type { Checkin, LeaveRequest, Makeup } from '../../../src/core/schemas/checkin'
import type { Member } from '../../../src/core/schemas/member'
import type { Note } from '../../../src/core/schemas/note'
import type { Org } from '../../../src/core/schemas/org'
import type { PointsEntry } from '../../../src/core/schemas/points'
import { SessionSchema, type Session } from '../../../src/core/schemas/session'
import { fetchAll } from '../../_shared/paging'
import { branchPeople, byMonth } from '../../_shared/reconcile'
import type { Runtime } from '../../_shared/runtime'

const BIG = { cap: 2_000_000 }

export interface Need {
  attendance?: boolean
  /** With attendance: each leave's reason too (the 会议记录 names it; the 签到台账 does not). */
  leaveReasons?: boolean
  notes?: boolean
  ledger?: boolean
}

export interface BranchFacts {
  branch: Org
  members: Member[]
  sessions: Session[]
  checkins: Pick<Checkin, 'sessionId' | 'memberId' | 'status'>[]
  leaves: (Pick<LeaveRequest, 'sessionId' | 'memberId' | 'status'> & Partial<Pick<LeaveRequest, 'reason'>>)[]
  makeups: Pick<Makeup, 'sessionId' | 'memberId' | 'status'>[]
  notes: Pick<Note, 'memberId' | 'kind' | 'words' | 'creditedWords' | 'deleted' | 'review' | 'createdAt'>[]
  ledger: Pick<PointsEntry, 'memberId' | 'key' | 'delta' | 'reason' | 'sourceType' | 'at' | 'seq' | 'createdBy'>[]
}

export async function branchFacts(rt: Runtime, branch: Org, period: string, need: Need): Promise<BranchFacts> {
  const _ = rt.db.command
  const { start, end } = periodBounds(period)
  const year = parsePeriod(period).year
  const inPeriod = (at: unknown) => typeof at === 'number' && at >= start && at < end
  const none = Promise.resolve([] as Record<string, unknown>[])
  const [members, sessions, checkins, leaves, makeups, notes, ledger] = await Promise.all([
    branchPeople(rt, branch._id),
    need.attendance ? fetchAll(rt.db.collection('sessions').where({ branchId: branch._id, startAt: _.gte(start).and(_.lt(end)) }), BIG) : none,
    need.attendance ? byMonth(rt, 'checkins', branch._id, period, { sessionId: true, memberId: true, status: true }) : none,
    need.attendance ? fetchAll(rt.db.collection('leaves').where({ branchId: branch._id, 'periodKeys.year': String(year) }).field({ sessionId: true, memberId: true, status: true, ...(need.leaveReasons ? { reason: true } : {}) }), BIG) : none,
    need.attendance ? fetchAll(rt.db.collection('makeups').where({ branchId: branch._id, 'periodKeys.year': String(year) }).field({ sessionId: true, memberId: true, status: true }), BIG) : none,
    // A note's text is most of its size; no ledger column needs it.
    need.notes ? fetchAll(rt.db.collection('notes').where({ branchId: branch._id, year }).field({ content: false, matches: false, excerpts: false }), BIG) : none,
    need.ledger ? byMonth(rt, 'ledger', branch._id, period, { memberId: true, key: true, delta: true, reason: true, sourceType: true, at: true, seq: true, createdBy: true }) : none
  ])
  return {
    branch,
    members,
    sessions: sessions.map((s) => SessionSchema.parse(s)),
    checkins: checkins as never,
    leaves: leaves as never,
    makeups: makeups as never,
    notes: (notes as unknown as BranchFacts['notes']).filter((n) => inPeriod(n.createdAt)),
    ledger: (ledger as unknown as BranchFacts['ledger']).filter((l) => inPeriod(l.at))
  }
}
