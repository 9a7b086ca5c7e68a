/**
 * token, checkIn, proxyCheckIn.
 *
 * Threat model, and why this is the accepted compromise:
 * - A forwarded screenshot of the QR code: the code is signed per 30 s slot
 *   and accepted for its slot and the next, so a photo sent to someone at
 *   home is good for at most a minute. Defeating it takes a live video feed.
 * - A phone left at home: with a geofence the phone must report a position
 *   within the radius. GPS can be faked with mock-location apps, so the
 *   fence is weak evidence on its own; combined with a 60 s code it means
 *   someone has to be in the room anyway.
 * - A faked clock: the server never trusts the phone's time for a live scan
 *   (`at` comes from the token's slot).
 * - A photo replayed later as an "offline scan": an old token comes with the
 *   phone's `clientAt` inside its slot (the slot is printed in the code), so
 *   a photo of the screen and curl could pass for a scan on a weak signal
 *   for a day. The server cannot tell the two apart, so it does not decide:
 *   a scan dated by the phone (judgeTokenTime's `offline`) is kept in
 *   `pending_checkins` as 待确认 and counts nowhere until an officer of the
 *   branch, who saw the room, confirms it (pending.ts; one tap confirms all
 *   of a session's, never one's own). A re-sent scan finds the same record;
 *   one older than a day is refused (the secretary records it instead).
 * Stronger measures (device binding, face checks, BLE beacons) would burden
 * older members and are what the 2024 rules against 指尖上的形式主义 warn of.
 */
import { judgeEligibility, judgeWindow, shortTime } from '../../../src/core/checkin/judge'
import { checkGeofence } from '../../../src/core/checkin/geo'
import { judgeTokenTime } from '../../../src/core/checkin/qr-slot'
import { expectedAt, isExpected } from '../../../src/core/audience'
import { PROXY_SELF_REFUSAL, proxyLateRefusal } from '../../../src/core/checkin/proxy'
import { AppError } from '../../../src/core/errors'
import type { CheckInInput, CheckinTokenInput, ProxyCheckInInput } from '../../../src/core/functions/checkin'
import { periodKeysOf } from '../../../src/core/period'
import { CheckinSchema, PendingCheckinSchema, checkinId, type Checkin, type CheckinLocation } from '../../../src/core/schemas/checkin'
import type { Session } from '../../../src/core/schemas/session'
import type { z } from '../../../src/core/zod'
import { requireMember } from '../../_shared/caller'
import { issueCheckinToken, matchShortCode, verifyCheckinToken } from '../../_shared/checkin-token'
import type { Runtime } from '../../_shared/runtime'
import { addAudit } from '../../_shared/audit'
import { addCountedCheckin, addOnce, officerCheckin } from '../../_shared/attendance-writes'
import { applyFreshCheckin } from '../../_shared/fact-changes'
import { cachedSettingsFor } from '../../_shared/settings'
import { StaleAssumption } from '../../_shared/tally'
import type { Transaction } from '../../_shared/db'
import type { Member } from '../../../src/core/schemas/member'
import type { OrgSettingsValues } from '../../../src/core/schemas/settings'
import { isQuietWindow } from '../../../src/core/stats/counted-state'
import { cancelledRefusal, loadBranchMember, loadManagedSession, loadOwnSession } from './context'
import { recordPendingScan } from './pending'
import { assertShortCodeAllowed, countWrongShortCode } from './short-code'

type Out = { checkin: Checkin; duplicate: boolean }
type CheckInOut = Out | { pending: { at: number; recordedAt: number }; duplicate: boolean }

export async function tokenAction(rt: Runtime, input: z.infer<typeof CheckinTokenInput>) {
  const officer = await requireMember(rt)
  const session = await loadManagedSession(rt, officer, input.sessionId)
  if (session.status === 'cancelled') throw cancelledRefusal(session)
  const now = rt.clock.now()
  return { ...issueCheckinToken(rt.secret, session._id, now), serverNow: now }
}

const QR_MESSAGES = {
  invalid: '这不是有效的签到码，请扫描现场大屏上的二维码',
  other_session: '这是另一场活动的签到码，请扫描本次活动现场大屏上的二维码',
  expired: '签到码已过期，请扫描现场大屏上的最新二维码',
  client_clock: '手机时间与实际时间不符，无法确认扫码时间，请校准手机时间后在现场重新扫码',
  stale_offline: '离线扫码已超过 24 小时，无法再补传，请联系支部书记补录',
  // The typed six digits (short-code.ts): another session's code reads as a wrong one, since digits name no session.
  code_expired: '这组数字已经过期了，请输入现场大屏上正在显示的 6 位数字',
  code_wrong: '数字不对，请对照现场大屏上正在显示的 6 位数字再输一次'
} as const

function qrRefusal(reason: keyof typeof QR_MESSAGES): AppError {
  return new AppError('QR_EXPIRED', QR_MESSAGES[reason], { reason })
}

/** `约 356 米` / `约 1.2 公里`: how a member thinks of distance. */
function distanceText(m: number): string {
  return m < 1000 ? `约 ${Math.round(m)} 米` : `约 ${(m / 1000).toFixed(1)} 公里`
}

interface Evidence {
  at: number
  method: 'qr' | 'online'
  qrSlot?: number
  /** Dated by the phone (a code scanned earlier, synced late): waits for an officer (pending.ts). */
  offline?: true
}

/**
 * Token, typed code or online path: how and when the member checked in, or
 * why not. A typed code counts as a QR scan of its slot (it was read off
 * the same screen in the same 30 s); it is live only (no clientAt, see
 * CheckInInput), and guarded against guessing (short-code.ts).
 */
async function evidenceOf(rt: Runtime, session: Session, memberId: string, input: z.infer<typeof CheckInInput>, now: number): Promise<Evidence> {
  if (input.code !== undefined) {
    await assertShortCodeAllowed(rt, memberId, session._id, now)
    const match = matchShortCode(rt.secret, session._id, input.code, now)
    if (!match.ok) {
      if (match.reason === 'wrong') await countWrongShortCode(rt, memberId, session._id, now)
      throw qrRefusal(match.reason === 'wrong' ? 'code_wrong' : 'code_expired')
    }
    const time = judgeTokenTime(match.slot, now)
    if (!time.ok) throw qrRefusal('code_expired')
    return { at: time.at, method: 'qr', qrSlot: match.slot }
  }
  if (input.token === undefined) {
    if (!session.allowOnlineWithoutQr) {
      throw new AppError('INVALID_INPUT', '本次活动需要在现场扫描大屏上的二维码签到', { needQr: true })
    }
    // No token, no proof of time: an online check-in is judged when it arrives.
    return { at: now, method: 'online' }
  }
  const parts = verifyCheckinToken(rt.secret, input.token)
  if (!parts) throw qrRefusal('invalid')
  if (parts.sessionId !== session._id) throw qrRefusal('other_session')
  const time = judgeTokenTime(parts.slot, now, input.clientAt)
  if (!time.ok) throw qrRefusal(time.reason)
  return { at: time.at, method: 'qr', qrSlot: parts.slot, ...(time.offline ? { offline: true as const } : {}) }
}

/**
 * With a geofence, a QR check-in must send a position inside it, when the
 * organisation asks for location at all (settings.requireLocation; off by
 * default, since the rotating code already defeats a forwarded screenshot).
 * An online check-in (allowed without QR) is by definition from elsewhere, so
 * the fence does not apply; a position sent anyway is kept with its distance.
 */
function fenceCheck(session: Session, method: Evidence['method'], location: CheckinLocation | undefined, required: boolean): number | undefined {
  const fence = session.venue.geofence
  if (!fence) return undefined
  if (!required) return location ? Math.round(checkGeofence(location, fence).distanceM) : undefined
  if (!location) {
    if (method === 'online') return undefined
    throw new AppError('OUT_OF_RANGE', '本次活动需要确认您在活动地点，请允许获取位置后重新签到', { needLocation: true, radiusM: fence.radiusM })
  }
  const { inside, distanceM } = checkGeofence(location, fence)
  if (!inside && method === 'qr') {
    throw new AppError('OUT_OF_RANGE', `您距离活动地点${distanceText(distanceM)}，需在 ${fence.radiusM} 米内签到`, {
      distanceM: Math.round(distanceM),
      radiusM: fence.radiusM
    })
  }
  return Math.round(distanceM)
}

async function existingCheckin(rt: Runtime, id: string): Promise<Checkin | null> {
  const { data } = await rt.db.collection('checkins').doc(id).get()
  return data ? CheckinSchema.parse(data) : null
}

export async function checkInAction(rt: Runtime, input: z.infer<typeof CheckInInput>): Promise<CheckInOut> {
  // Identity comes from the runtime only; the input schema is strict, so a memberId in the payload is refused.
  const member = await requireMember(rt)
  const session = await loadOwnSession(rt, member, input.sessionId, '这不是您所在支部的活动，无法签到')
  const id = checkinId(session._id, member._id)
  const now = rt.clock.now()
  const settings = await cachedSettingsFor(rt, member.orgPath)
  let doc: Checkin
  let offline = false
  try {
    const refusal = judgeEligibility(session, isExpected(session, member))
    if (refusal) throw new AppError(refusal.code, refusal.message, refusal.details)
    const ev = await evidenceOf(rt, session, member._id, input, now)
    const verdict = judgeWindow(session, ev.at)
    if (!verdict.ok) throw new AppError(verdict.code, verdict.message, verdict.details)
    const distanceM = fenceCheck(session, ev.method, input.location, settings.requireLocation)
    offline = ev.offline === true
    doc = CheckinSchema.parse({
      _id: id,
      sessionId: session._id,
      memberId: member._id,
      branchId: session.branchId,
      at: ev.at,
      recordedAt: now,
      status: verdict.status,
      method: ev.method,
      ...(input.location ? { location: input.location } : {}),
      ...(distanceM !== undefined ? { distanceM } : {}),
      ...(ev.qrSlot !== undefined ? { qrSlot: ev.qrSlot } : {}),
      // Filed under the session's period, not the tap's (a tap at 23:50 on a month's last day).
      periodKeys: periodKeysOf(session.startAt)
    })
  } catch (err) {
    // A retry after success (lost response, offline resend with a now-stale
    // code) must answer with the check-in, not with a refusal.
    const existing = err instanceof AppError ? await existingCheckin(rt, id) : null
    if (existing) return { checkin: existing, duplicate: true }
    throw err
  }
  if (offline) {
    // Dated by the phone alone: a real offline scan and a replayed photo look
    // the same, so an officer decides (pending.ts). A re-send after the
    // check-in was counted (lost answer, or confirmed) answers with it.
    const existing = await existingCheckin(rt, id)
    if (existing) return { checkin: existing, duplicate: true }
    // The check-in it would become, less what only confirmation decides (status, method): zod drops them.
    const { pending, duplicate } = await recordPendingScan(rt, PendingCheckinSchema.parse(doc))
    return { pending: { at: pending.at, recordedAt: pending.recordedAt }, duplicate }
  }
  const { doc: checkin, duplicate } = await recordCheckin(rt, session, member, settings, () => doc)
  return { checkin, duplicate }
}

/**
 * The secretary records attendance for a member who cannot tap (no phone,
 * 行动不便). Allowed from the moment check-in opens until the end of the day
 * the session is over, since the paper list is often typed in after the
 * meeting (checkin/proxy.ts); `at` is then clamped into the window so the
 * record reads as attendance at the session, and `recordedAt` keeps the
 * truth. Never for oneself, and only for someone the session expected when
 * it was held (a newcomer who joined since owed nothing there). Audited in
 * the same transaction.
 */
export async function proxyCheckInAction(rt: Runtime, input: z.infer<typeof ProxyCheckInInput>): Promise<Out> {
  const officer = await requireMember(rt)
  const session = await loadManagedSession(rt, officer, input.sessionId)
  const member = await loadBranchMember(rt, session, input.memberId)
  if (member._id === officer._id) throw new AppError('FORBIDDEN', PROXY_SELF_REFUSAL)
  // Judged as the member was when the session began, as the tally and the ledgers judge it.
  const refusal = judgeEligibility(session, isExpected(session, member) && expectedAt(session, member))
  if (refusal) {
    const message = refusal.code === 'FORBIDDEN' ? `${member.name}不在本次活动的应到名单中` : refusal.message
    throw new AppError(refusal.code, message)
  }
  const now = rt.clock.now()
  const w = session.checkin
  if (now < w.opensAt) {
    throw new AppError('CHECKIN_CLOSED', `签到将于 ${shortTime(w.opensAt, now)} 开始，届时才能代为签到`)
  }
  const late = proxyLateRefusal(session, now)
  if (late) throw new AppError('CHECKIN_CLOSED', late)
  const id = checkinId(session._id, member._id)
  const make = (): Checkin =>
    officerCheckin(session, member, officer, { status: input.status ?? 'attended', reason: input.reason, at: Math.min(now, w.closesAt - 1), now })
  const settings = await cachedSettingsFor(rt, member.orgPath)
  const audit = (t: Transaction) =>
    addAudit(t, {
      actor: officer._id,
      action: 'checkin.proxy',
      target: { type: 'checkin', id },
      orgId: session.branchId,
      at: now,
      detail: { sessionId: session._id, memberId: member._id, reason: input.reason, status: input.status ?? 'attended' }
    })
  const { doc, duplicate } = await recordCheckin(rt, session, member, settings, make, audit)
  return { checkin: doc, duplicate }
}

/**
 * Adds the check-in and its points in one transaction; a retry finds the
 * check-in and adds neither. In a quiet window (isQuietWindow) the
 * transaction holds only the check-in, its ledger entry and its net: the
 * check-in's add is its own duplicate check and its points key cannot have
 * entries yet; should it have (StaleAssumption), it runs again the careful
 * way, reading the session, the member's mark, leave and make-up.
 */
async function recordCheckin(
  rt: Runtime,
  session: Session,
  member: Member,
  settings: OrgSettingsValues,
  make: () => Checkin,
  also?: (t: Transaction) => Promise<void>
): Promise<{ doc: Checkin; duplicate: boolean }> {
  const parse = (d: unknown) => CheckinSchema.parse(d)
  const id = checkinId(session._id, member._id)
  const careful = () => addCountedCheckin(rt, session, member, settings, make, also)
  if (!isQuietWindow(session, rt.clock.now())) return careful()
  try {
    return await addOnce(rt, 'checkins', id, make, parse, settings, async (t, c, inc) => {
      await applyFreshCheckin(t, rt, session, member, settings, c, inc)
      if (also) await also(t)
    }, { blind: true })
  } catch (err) {
    if (err instanceof StaleAssumption) return careful()
    throw err
  }
}
