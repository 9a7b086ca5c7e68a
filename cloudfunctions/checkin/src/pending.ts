/**
 * 待确认: QR scans dated by the phone. A scan that reaches the server after
 * its code rotated is believed only through the phone's `clientAt`, and a
 * photo of the venue screen replayed with curl looks exactly the same
 * (attend.ts, threat model). So it is kept in `pending_checkins` and counts
 * nowhere (aggregates, rebuild, 台账, 档案, warnings all read `checkins`)
 * until an officer of the branch, who knows who was in the room, confirms
 * it: then it becomes a check-in through the counted path (a session
 * already tallied turns the absence into attendance, points follow).
 *
 * - pendingCheckins {sessionId}: the session's waiting scans, for officers.
 * - confirmCheckins {sessionId, memberIds?, accept}: one tap for all of
 *   them (or the named ones). Each member is its own small transaction
 *   (doc-only, a few operations). Never on one's own scan: it waits for
 *   another officer or the level above, as 代签, leave and 补学 do.
 */
import { expectedAt, isExpected } from '../../../src/core/audience'
import { judgeEligibility, judgeWindow } from '../../../src/core/checkin/judge'
import { AppError } from '../../../src/core/errors'
import type { ConfirmCheckinsInput, PendingCheckinsInput } from '../../../src/core/functions/checkin'
import { CONFIRM_OUTCOMES } from '../../../src/core/functions/checkin'
import { CheckinSchema, PendingCheckinSchema, checkinId, type Checkin, type PendingCheckin } from '../../../src/core/schemas/checkin'
import { MemberSchema, type Member } from '../../../src/core/schemas/member'
import type { Session } from '../../../src/core/schemas/session'
import type { z } from '../../../src/core/zod'
import { addCountedCheckin } from '../../_shared/attendance-writes'
import { addAudit } from '../../_shared/audit'
import { addIfAbsent, type Transaction } from '../../_shared/db'
import { requireMember } from '../../_shared/caller'
import { fetchAll } from '../../_shared/paging'
import type { Runtime } from '../../_shared/runtime'
import { cachedSettingsFor } from '../../_shared/settings'
import { loadManagedSession } from './context'

export const PENDING = 'pending_checkins'

/**
 * Keeps a phone-dated scan for an officer; idempotent by the check-in's id, so
 * a re-sent offline scan finds the first one (and its time) again.
 */
export async function recordPendingScan(rt: Runtime, doc: PendingCheckin): Promise<{ pending: PendingCheckin; duplicate: boolean }> {
  const clean = PendingCheckinSchema.parse(doc)
  if (await addIfAbsent(rt.db.collection(PENDING), clean)) return { pending: clean, duplicate: false }
  const { data } = await rt.db.collection(PENDING).doc(clean._id).get()
  // Confirmed or declined between the add and the read: answer with what this call saw.
  return { pending: data ? PendingCheckinSchema.parse(data) : clean, duplicate: true }
}

async function pendingOf(rt: Runtime, sessionId: string): Promise<PendingCheckin[]> {
  const docs = await fetchAll(rt.db.collection(PENDING).where({ sessionId }), { cap: 1000 })
  return docs.map((d) => PendingCheckinSchema.parse(d))
}

async function membersByIds(rt: Runtime, ids: string[]): Promise<Map<string, Member>> {
  if (ids.length === 0) return new Map()
  const docs = await fetchAll(rt.db.collection('members').where({ _id: rt.db.command.in(ids) }), { cap: 1000 })
  return new Map(docs.map((d) => { const m = MemberSchema.parse(d); return [m._id, m] }))
}

/** Of these members, those with a counted check-in at the session (their waiting scan is moot). */
async function checkedIn(rt: Runtime, sessionId: string, memberIds: string[]): Promise<Set<string>> {
  if (memberIds.length === 0) return new Set()
  const ids = memberIds.map((m) => checkinId(sessionId, m))
  const docs = await fetchAll(rt.db.collection('checkins').where({ _id: rt.db.command.in(ids) }), { cap: 1000 })
  return new Set(docs.map((d) => String(d.memberId)))
}

/** The session's waiting scans, oldest scan first, with names; one's own is marked (someone else confirms it). */
export async function pendingCheckinsAction(rt: Runtime, input: z.infer<typeof PendingCheckinsInput>) {
  const officer = await requireMember(rt)
  const session = await loadManagedSession(rt, officer, input.sessionId)
  const pending = await pendingOf(rt, session._id)
  if (pending.length === 0) return { rows: [] }
  const ids = pending.map((p) => p.memberId)
  const [members, came] = await Promise.all([membersByIds(rt, ids), checkedIn(rt, session._id, ids)])
  const rows = pending
    .filter((p) => !came.has(p.memberId))
    .sort((a, b) => a.at - b.at || a.memberId.localeCompare(b.memberId))
    .map((p) => ({
      memberId: p.memberId,
      name: members.get(p.memberId)?.name ?? '（已不在册）',
      at: p.at,
      recordedAt: p.recordedAt,
      ...(p.distanceM !== undefined ? { distanceM: p.distanceM } : {}),
      ...(p.memberId === officer._id ? { self: true as const } : {})
    }))
  return { rows }
}

type Outcome = (typeof CONFIRM_OUTCOMES)[number]
interface Row { memberId: string; outcome: Outcome; message?: string }

/** Thrown inside a member's transaction when the waiting scan is gone (another officer took it): rolls back. */
class Gone extends Error {}

const SELF_MESSAGE = '这是您本人的扫码记录，需由支部其他委员或上级确认'

/** Why a waiting scan cannot become a check-in of this session now, or null when it can. */
function refusalOf(session: Session, member: Member | undefined, p: PendingCheckin): string | null {
  if (!member || member.branchId !== session.branchId) return '这位同志已不在本支部，无法计入'
  const eligible = judgeEligibility(session, isExpected(session, member) || expectedAt(session, member))
  if (eligible) return eligible.message
  const w = judgeWindow(session, p.at)
  return w.ok ? null : '活动的签到时间已调整，这次扫码不在签到时间内'
}

/** Takes the waiting scan away, with who did it and what it said, in the caller's transaction. */
async function removeAudited(t: Transaction, officer: Member, session: Session, p: PendingCheckin, action: string, now: number): Promise<void> {
  await t.collection(PENDING).doc(p._id).remove()
  await addAudit(t, {
    actor: officer._id,
    action,
    target: { type: 'checkin', id: p._id },
    orgId: session.branchId,
    at: now,
    detail: { sessionId: session._id, memberId: p.memberId, scannedAt: p.at, recordedAt: p.recordedAt }
  })
}

async function confirmOne(rt: Runtime, officer: Member, session: Session, member: Member, p: PendingCheckin): Promise<Outcome> {
  const verdict = judgeWindow(session, p.at)
  if (!verdict.ok) return 'refused'
  const now = rt.clock.now()
  const settings = await cachedSettingsFor(rt, member.orgPath)
  const make = (): Checkin =>
    CheckinSchema.parse({
      _id: p._id,
      sessionId: session._id,
      memberId: member._id,
      branchId: session.branchId,
      at: p.at,
      recordedAt: p.recordedAt,
      status: verdict.status,
      method: 'qr',
      qrSlot: p.qrSlot,
      ...(p.location ? { location: p.location } : {}),
      ...(p.distanceM !== undefined ? { distanceM: p.distanceM } : {}),
      confirmedBy: officer._id,
      confirmedAt: now,
      periodKeys: p.periodKeys
    })
  try {
    const { duplicate } = await addCountedCheckin(rt, session, member, settings, make, async (t) => {
      const still = await t.collection(PENDING).doc(p._id).get()
      if (!still.data) throw new Gone()
      await removeAudited(t, officer, session, p, 'checkin.confirm', now)
    })
    if (!duplicate) return 'confirmed'
  } catch (err) {
    if (!(err instanceof Gone)) throw err
    return 'already'
  }
  // The member checked in meanwhile (a live scan, 代签): the waiting scan is moot.
  await rt.db.collection(PENDING).doc(p._id).remove()
  return 'already'
}

async function declineOne(rt: Runtime, officer: Member, session: Session, p: PendingCheckin): Promise<Outcome> {
  const now = rt.clock.now()
  return rt.db.runTransaction(async (t) => {
    const still = await t.collection(PENDING).doc(p._id).get()
    if (!still.data) return 'already' as const
    await removeAudited(t, officer, session, p, 'checkin.decline', now)
    return 'declined' as const
  })
}

/**
 * Confirms (accept) or declines the session's waiting scans, all or the
 * named ones; member by member, each its own transaction, so a long list
 * never makes one large transaction and a retry after a lost answer finds
 * the done ones gone. Ids named that have no waiting scan are ignored.
 */
export async function confirmCheckinsAction(rt: Runtime, input: z.infer<typeof ConfirmCheckinsInput>) {
  const officer = await requireMember(rt)
  const session = await loadManagedSession(rt, officer, input.sessionId)
  const wanted = input.memberIds ? new Set(input.memberIds) : null
  // Naming oneself is refused outright; "all" passes over one's own scan (row `self`).
  if (wanted?.has(officer._id)) throw new AppError('FORBIDDEN', SELF_MESSAGE)
  const pending = (await pendingOf(rt, session._id)).filter((p) => !wanted || wanted.has(p.memberId))
  const members = await membersByIds(rt, pending.map((p) => p.memberId))
  const rows: Row[] = []
  for (const p of pending) {
    if (p.memberId === officer._id) {
      rows.push({ memberId: p.memberId, outcome: 'self', message: SELF_MESSAGE })
      continue
    }
    const member = members.get(p.memberId)
    if (!input.accept) {
      rows.push({ memberId: p.memberId, outcome: await declineOne(rt, officer, session, p) })
      continue
    }
    const refusal = refusalOf(session, member, p)
    if (refusal) {
      rows.push({ memberId: p.memberId, outcome: 'refused', message: refusal })
      continue
    }
    rows.push({ memberId: p.memberId, outcome: await confirmOne(rt, officer, session, member!, p) })
  }
  return {
    confirmed: rows.filter((r) => r.outcome === 'confirmed').length,
    declined: rows.filter((r) => r.outcome === 'declined').length,
    rows
  }
}
