/**
 * Whether a check-in at a given instant is accepted, and as what. Pure, so
 * the phone can tell the member in advance ("签到将于 14:00 开始") with the
 * same words the server will use.
 */
import type { ErrorCode } from '../errors'
import { formatShanghai, shanghaiDayStart } from '../period'
import type { CheckinStatus } from '../schemas/checkin'
import type { Session } from '../schemas/session'

export type JudgeSession = Pick<Session, 'status' | 'checkin'> & { cancelReason?: string }

export interface JudgeInput {
  session: JudgeSession
  /** When the member checked in: now, or the scanned QR slot's time for an offline scan. */
  at: number
  /** From isExpected(session, member): the audience decides, not the payload. */
  memberExpected: boolean
}

export type JudgeResult =
  | { ok: true; status: CheckinStatus }
  | { ok: false; code: ErrorCode; message: string; details?: Record<string, unknown> }

/**
 * `14:00` when the instant is on the same Shanghai day as the check-in
 * attempt, else `11月20日 14:00`: short when it is today, unambiguous when not.
 */
export function shortTime(instant: number, relativeTo: number): string {
  return shanghaiDayStart(instant) === shanghaiDayStart(relativeTo)
    ? formatShanghai(instant, 'HH:mm')
    : formatShanghai(instant, 'M月D日 HH:mm')
}

export type Refusal = Extract<JudgeResult, { ok: false }>

/**
 * Who may check in, whatever the time: a cancelled session is closed for
 * everyone, then only the expected (应到) may. Null when eligible. Judged
 * before the token so a member who is not expected hears that, not "QR expired".
 */
export function judgeEligibility(session: JudgeSession, memberExpected: boolean): Refusal | null {
  if (session.status === 'cancelled') {
    const why = session.cancelReason ? `（${session.cancelReason}）` : ''
    return { ok: false, code: 'CHECKIN_CLOSED', message: `本次活动已取消${why}，无需签到` }
  }
  if (!memberExpected) {
    return { ok: false, code: 'FORBIDDEN', message: '您不在本次活动的应到名单中，无需签到' }
  }
  return null
}

/**
 * Eligibility, then the window: opensAt ≤ at < closesAt; late when
 * at > lateAfter (arriving exactly at lateAfter is still on time).
 */
export function judgeCheckin({ session, at, memberExpected }: JudgeInput): JudgeResult {
  const refusal = judgeEligibility(session, memberExpected)
  if (refusal) return refusal
  return judgeWindow(session, at)
}

/** The window alone, at the instant the member checked in. */
export function judgeWindow(session: Pick<Session, 'checkin'>, at: number): JudgeResult {
  const w = session.checkin
  if (at < w.opensAt) {
    return {
      ok: false,
      code: 'CHECKIN_CLOSED',
      message: `签到将于 ${shortTime(w.opensAt, at)} 开始，请稍后再来`,
      details: { opensAt: w.opensAt }
    }
  }
  if (at >= w.closesAt) {
    return {
      ok: false,
      code: 'CHECKIN_CLOSED',
      message: `签到已于 ${shortTime(w.closesAt, at)} 结束。如未能参加，可以联系支部书记安排补学`,
      details: { closesAt: w.closesAt }
    }
  }
  return { ok: true, status: at > w.lateAfter ? 'late' : 'attended' }
}
