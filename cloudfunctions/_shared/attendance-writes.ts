/**
 * Writing one member's attendance at one session, for the paths an officer
 * takes on a member's behalf: 代签 (checkin.proxyCheckIn), leave entered for a
 * member (checkin.recordLeave) and a meeting recorded afterwards
 * (session.record). Each is one small transaction holding the fact, its
 * points and the member's tally mark, counted through applyPairChange, so
 * these paths count exactly as a member's own tap or request does.
 */
import { AppError } from '../../src/core/errors'
import { periodKeysOf } from '../../src/core/period'
import {
  CheckinSchema,
  LeaveRequestSchema,
  checkinId,
  leaveId,
  type Checkin,
  type CheckinStatus,
  type LeaveRequest
} from '../../src/core/schemas/checkin'
import type { Member } from '../../src/core/schemas/member'
import type { Session } from '../../src/core/schemas/session'
import type { OrgSettingsValues } from '../../src/core/schemas/settings'
import { transact, type AggregateIncrements } from './aggregates'
import { addAudit } from './audit'
import { isDuplicateId, withoutId, type Transaction } from './db'
import { applyPairChange } from './fact-changes'
import type { Runtime } from './runtime'

/**
 * Adds a document by its deterministic id unless it exists, in one
 * transaction, with whatever else must commit with it (points); counter
 * increments follow the commit (aggregates.ts). On CloudBase two racing
 * transactions can both see "missing"; the loser's add fails with
 * DUPLICATE_ID and the winner's document is read back instead, so either way
 * exactly one document exists. `blind` skips the read: the add itself is the
 * check, which saves a call when the document is almost never there (a tap).
 */
export async function addOnce<T extends object>(
  rt: Runtime,
  collection: string,
  id: string,
  /** Builds the (already validated) document; only called when none exists. */
  make: () => T,
  parse: (doc: unknown) => T,
  settings: OrgSettingsValues,
  alsoInTx?: (t: Transaction, doc: T, inc: AggregateIncrements) => Promise<void>,
  opts: { blind?: boolean } = {}
): Promise<{ doc: T; duplicate: boolean }> {
  try {
    return await transact(rt, settings, async (t, inc) => {
      if (!opts.blind) {
        const { data } = await t.collection(collection).doc(id).get()
        if (data) return { doc: parse(data), duplicate: true }
      }
      const doc = make()
      await t.collection(collection).add({ data: doc as Record<string, unknown> })
      if (alsoInTx) await alsoInTx(t, doc, inc)
      return { doc, duplicate: false }
    })
  } catch (err) {
    if (!isDuplicateId(err)) throw err
    const { data } = await rt.db.collection(collection).doc(id).get()
    if (!data) throw err
    return { doc: parse(data), duplicate: true }
  }
}

/**
 * Adds a check-in unless the member has one, counted against whatever the
 * member's counts hold for that session (tallied or not, leave or make-up
 * already there), with `also` (an audit entry) in the same transaction.
 */
export function addCountedCheckin(
  rt: Runtime,
  session: Pick<Session, '_id'>,
  member: Member,
  settings: OrgSettingsValues,
  make: () => Checkin,
  also?: (t: Transaction) => Promise<void>
): Promise<{ doc: Checkin; duplicate: boolean }> {
  const parse = (d: unknown) => CheckinSchema.parse(d)
  return addOnce(rt, 'checkins', checkinId(session._id, member._id), make, parse, settings, async (t, c, inc) => {
    await applyPairChange(t, rt, session._id, member, settings, (s) => ({ before: { ...s, checkin: null }, after: { ...s, checkin: c } }), inc)
    if (also) await also(t)
  })
}

/** A check-in an officer enters for a member: method 'proxy', who and why kept on it. */
export function officerCheckin(
  session: Pick<Session, '_id' | 'branchId' | 'startAt'>,
  member: Pick<Member, '_id'>,
  officer: Pick<Member, '_id'>,
  f: { status: CheckinStatus; reason: string; at: number; now: number }
): Checkin {
  return CheckinSchema.parse({
    _id: checkinId(session._id, member._id),
    sessionId: session._id,
    memberId: member._id,
    branchId: session.branchId,
    at: f.at,
    recordedAt: f.now,
    status: f.status,
    method: 'proxy',
    proxyBy: officer._id,
    proxyReason: f.reason,
    periodKeys: periodKeysOf(session.startAt)
  })
}

/**
 * An officer enters leave for a member: approved as entered, never for the
 * officer themselves (nobody grants their own leave). A leave already
 * approved is answered as it is (a retry); a pending request is the member's
 * own and is decided in 请假审批, where the member's words are kept; a
 * refused one becomes approved with the reason now given (a phone call
 * afterwards), its earlier state in the audit. A check-in wins: someone
 * who came is not put on leave.
 */
export async function recordLeaveFor(
  rt: Runtime,
  officer: Member,
  session: Pick<Session, '_id' | 'branchId' | 'startAt'>,
  member: Member,
  reason: string,
  settings: OrgSettingsValues,
  opts: { audit: boolean }
): Promise<{ leave: LeaveRequest; duplicate: boolean }> {
  if (officer._id === member._id) throw new AppError('FORBIDDEN', '不能为自己登记请假，请由支部其他委员登记')
  const id = leaveId(session._id, member._id)
  const now = rt.clock.now()
  return transact(rt, settings, async (t, inc) => {
    const [attended, existing] = await Promise.all([
      t.collection('checkins').doc(checkinId(session._id, member._id)).get(),
      t.collection('leaves').doc(id).get()
    ])
    if (attended.data) throw new AppError('CONFLICT', `${member.name}已签到，无需请假`)
    const prev = existing.data ? LeaveRequestSchema.parse(existing.data) : null
    if (prev?.status === 'approved') return { leave: prev, duplicate: true }
    if (prev?.status === 'pending') {
      throw new AppError('CONFLICT', `${member.name}已经提交了请假申请，请在“请假审批”里审批`, { status: prev.status })
    }
    const next: LeaveRequest = LeaveRequestSchema.parse({
      _id: id,
      sessionId: session._id,
      memberId: member._id,
      branchId: session.branchId,
      reason,
      status: 'approved',
      decidedBy: officer._id,
      decidedAt: now,
      recordedBy: officer._id,
      periodKeys: periodKeysOf(session.startAt),
      createdAt: prev?.createdAt ?? now,
      updatedAt: now
    })
    // Before the write, so the read shows the absence this leave replaces.
    await applyPairChange(t, rt, session._id, member, settings, (s) => ({ before: s, after: { ...s, leave: next } }), inc)
    if (prev) await t.collection('leaves').doc(id).set({ data: withoutId(next) })
    else await t.collection('leaves').add({ data: next })
    if (opts.audit) {
      await addAudit(t, {
        actor: officer._id,
        action: 'leave.record',
        target: { type: 'leave', id },
        orgId: session.branchId,
        at: now,
        detail: { sessionId: session._id, memberId: member._id, reason, ...(prev ? { from: prev.status } : {}) }
      })
    }
    return { leave: next, duplicate: false }
  })
}
