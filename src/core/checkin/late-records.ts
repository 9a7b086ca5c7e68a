/**
 * Records made after the fact: leave asked once the session is over (a member
 * who was ill tells the secretary afterwards), leave an officer enters for a
 * member (no smartphone, told in person), and a meeting held without the app
 * (paper sign-in, no signal) entered with its attendance.
 *
 * Each has a limit. Without one, a year of absences could be turned into
 * leave, or a missing quarter of 三会一课 filled in, the week before an
 * inspection: the 补记录 the rules against formalism warn of. The limits are
 * fixed rather than settings so every branch is held to the same record.
 */
import { formatShanghai } from '../period'

const DAY = 24 * 60 * 60 * 1000

/** A member may ask leave for a session up to a week after it ended: long enough to get over a short illness or come back from a trip. */
export const LATE_LEAVE_DAYS = 7
export const LATE_LEAVE_MS = LATE_LEAVE_DAYS * DAY

/**
 * An officer may record leave for a member, or a meeting held without the
 * app, up to a month after it ended: a paper list is typed in within weeks;
 * much later it is a reconstruction, not a record.
 */
export const RECORD_BACK_DAYS = 30
export const RECORD_BACK_MS = RECORD_BACK_DAYS * DAY

/** The session has ended: leave asked now is 补请假, decided by the secretary like any other. */
export function isAfterSession(session: { endAt: number }, now: number): boolean {
  return now >= session.endAt
}

/** Why a member can no longer ask leave for this session, or null while they still may. */
export function lateLeaveRefusal(session: { endAt: number }, now: number): string | null {
  if (now < session.endAt + LATE_LEAVE_MS) return null
  return `活动结束已超过 ${LATE_LEAVE_DAYS} 天，不能再补请假；如有特殊情况，请当面告诉支部书记`
}

/** The last moment a member may still ask leave for this session. */
export function lateLeaveDeadline(session: { endAt: number }): number {
  return session.endAt + LATE_LEAVE_MS - 1
}

/** Why an officer can no longer record for a session that ended at `endAt`, or null while they may. */
export function recordBackRefusal(endAt: number, now: number): string | null {
  if (now - endAt <= RECORD_BACK_MS) return null
  return `只能补录结束不超过 ${RECORD_BACK_DAYS} 天的活动（${formatShanghai(endAt, 'M月D日')}的活动已超过期限）`
}

/** The earliest end a meeting recorded now may have. */
export function earliestRecordableEnd(now: number): number {
  return now - RECORD_BACK_MS
}
