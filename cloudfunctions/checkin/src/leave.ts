/**
 * requestLeave, decideLeave, recordLeave, leaves: 请假, asked by the member
 * before a session or within a week after it (补请假: ill, told afterwards),
 * decided by the branch's officers; or entered by an officer for a member
 * (no smartphone), approved as entered. Nobody decides their own leave.
 */
import { expectedAt } from '../../../src/core/audience'
import { AppError } from '../../../src/core/errors'
import { lateLeaveRefusal, recordBackRefusal } from '../../../src/core/checkin/late-records'
import type { DecideLeaveInput, LeavesInput, RecordLeaveInput, RequestLeaveInput } from '../../../src/core/functions/checkin'
import { periodKeysOf } from '../../../src/core/period'
import {
  LEAVE_STATUS_LABELS,
  LeaveRequestSchema,
  checkinId,
  leaveId,
  type LeaveRequest
} from '../../../src/core/schemas/checkin'
import type { z } from '../../../src/core/zod'
import { loadOfficerBranch, requireMember } from '../../_shared/caller'
import { addAudit } from '../../_shared/audit'
import { recordLeaveFor } from '../../_shared/attendance-writes'
import { withoutId } from '../../_shared/db'
import type { Runtime } from '../../_shared/runtime'
import { transact } from '../../_shared/aggregates'
import { applyPairChange } from '../../_shared/fact-changes'
import { settingsFor } from '../../_shared/settings'
import {
  cancelledRefusal,
  loadBranchMember,
  loadManagedSession,
  loadOwnSession,
  memberNamesByIds,
  sessionsByIds
} from './context'
import { notifyLeave } from '../../_shared/notify-outcome'

export async function requestLeaveAction(rt: Runtime, input: z.infer<typeof RequestLeaveInput>) {
  const member = await requireMember(rt)
  const session = await loadOwnSession(rt, member, input.sessionId)
  if (session.status === 'cancelled') throw cancelledRefusal(session)
  if (!expectedAt(session, member)) throw new AppError('FORBIDDEN', '您不在本次活动的应到名单中，无需请假')
  const now = rt.clock.now()
  // After the session it is 补请假: still decided by the secretary, who then turns the absence into leave.
  const late = lateLeaveRefusal(session, now)
  if (late) throw new AppError('CHECKIN_CLOSED', late)
  const id = leaveId(session._id, member._id)
  const leave = await rt.db.runTransaction(async (t) => {
    const attended = await t.collection('checkins').doc(checkinId(session._id, member._id)).get()
    if (attended.data) throw new AppError('CONFLICT', '您已签到，无需请假')
    const { data } = await t.collection('leaves').doc(id).get()
    if (data) {
      const prev = LeaveRequestSchema.parse(data)
      if (prev.status === 'pending') {
        // Re-request while pending: the newer reason replaces the older.
        const next = LeaveRequestSchema.parse({ ...prev, reason: input.reason, updatedAt: now })
        await t.collection('leaves').doc(id).update({ data: { reason: next.reason, updatedAt: now } })
        return next
      }
      // A retry of the same request after the decision is not an error.
      if (prev.reason === input.reason) return prev
      throw new AppError('CONFLICT', `您的请假申请已审批（${LEAVE_STATUS_LABELS[prev.status]}），如有变化请直接联系支部书记`, {
        status: prev.status
      })
    }
    const doc: LeaveRequest = LeaveRequestSchema.parse({
      _id: id,
      sessionId: session._id,
      memberId: member._id,
      branchId: session.branchId,
      reason: input.reason,
      status: 'pending',
      periodKeys: periodKeysOf(session.startAt),
      createdAt: now,
      updatedAt: now
    })
    await t.collection('leaves').add({ data: doc })
    return doc
  })
  return { leave }
}

/**
 * Approve or refuse. An officer may change a decision (a refusal turned
 * into approval after a phone call); every change is audited, a repeat of
 * the same decision writes nothing.
 */
export async function decideLeaveAction(rt: Runtime, input: z.infer<typeof DecideLeaveInput>) {
  const officer = await requireMember(rt)
  const session = await loadManagedSession(rt, officer, input.sessionId)
  const member = await loadBranchMember(rt, session, input.memberId)
  if (member._id === officer._id) throw new AppError('FORBIDDEN', '不能审批自己的请假，请由支部其他委员审批')
  const id = leaveId(session._id, member._id)
  const now = rt.clock.now()
  const status = input.approve ? 'approved' : 'refused'
  const settings = await settingsFor(rt, member.orgPath)
  const leave = await transact(rt, settings, async (t, inc) => {
    const { data } = await t.collection('leaves').doc(id).get()
    if (!data) throw new AppError('NOT_FOUND', `没有找到${member.name}的请假申请`)
    const prev = LeaveRequestSchema.parse(data)
    if (prev.status === status && prev.decisionNote === input.note) return prev
    const next = LeaveRequestSchema.parse({
      ...prev,
      status,
      decidedBy: officer._id,
      decidedAt: now,
      decisionNote: input.note,
      updatedAt: now
    })
    // Before the write, so the read shows the old decision: an absence turns into leave (or back).
    await applyPairChange(t, rt, session._id, member, settings, (s) => ({ before: s, after: { ...s, leave: next } }), inc)
    await t.collection('leaves').doc(id).set({ data: withoutId(next) })
    await addAudit(t, {
      actor: officer._id,
      action: 'leave.decide',
      target: { type: 'leave', id },
      orgId: session.branchId,
      at: now,
      detail: { sessionId: session._id, memberId: member._id, from: prev.status, to: status, ...(input.note ? { note: input.note } : {}) }
    })
    return next
  })
  await notifyLeave(rt, leave, session)
  return { leave }
}

/**
 * An officer enters leave for a member who cannot ask in the app, before the
 * session or up to RECORD_BACK_DAYS after it; approved at once and audited
 * (_shared/attendance-writes.ts). After the tally the member's absence, its
 * deduction and every count turn into leave through the same fact change.
 */
export async function recordLeaveAction(rt: Runtime, input: z.infer<typeof RecordLeaveInput>) {
  const officer = await requireMember(rt)
  const session = await loadManagedSession(rt, officer, input.sessionId)
  const member = await loadBranchMember(rt, session, input.memberId)
  if (member._id === officer._id) throw new AppError('FORBIDDEN', '不能为自己登记请假，请由支部其他委员登记')
  if (session.status === 'cancelled') throw cancelledRefusal(session)
  // Judged as the member was when the session began: who joined since owed nothing there.
  if (!expectedAt(session, member)) throw new AppError('FORBIDDEN', `${member.name}不在本次活动的应到名单中，无需请假`)
  const tooOld = recordBackRefusal(session.endAt, rt.clock.now())
  if (tooOld) throw new AppError('CHECKIN_CLOSED', tooOld)
  const settings = await settingsFor(rt, member.orgPath)
  return recordLeaveFor(rt, officer, session, member, input.reason, settings, { audit: true })
}

/** The secretary's approvals list: a branch's leave requests, newest first, at most 200. */
export async function leavesAction(rt: Runtime, input: z.infer<typeof LeavesInput>) {
  const officer = await requireMember(rt)
  const branch = await loadOfficerBranch(rt, officer, input.branchId, '您只能查看本支部的请假申请')
  const where: Record<string, unknown> = { branchId: branch._id }
  if (input.status) where.status = input.status
  const res = await rt.db.collection('leaves').where(where).orderBy('createdAt', 'desc').limit(200).get()
  const leaves = res.data.map((d) => LeaveRequestSchema.parse(d))
  const [sessionById, nameById] = await Promise.all([
    sessionsByIds(rt, leaves.map((l) => l.sessionId)),
    memberNamesByIds(rt, leaves.map((l) => l.memberId))
  ])
  return {
    rows: leaves.map((leave) => ({
      leave,
      memberName: nameById.get(leave.memberId) ?? '',
      sessionTitle: sessionById.get(leave.sessionId)?.title ?? '',
      sessionStartAt: sessionById.get(leave.sessionId)?.startAt ?? 0,
      ...(sessionById.has(leave.sessionId) ? { sessionEndAt: sessionById.get(leave.sessionId)!.endAt } : {})
    }))
  }
}
