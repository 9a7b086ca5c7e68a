import { DEFAULT_GEOFENCE_RADIUS_M, type CheckinWindow, type SessionAudience, type SessionType } from './schemas/session'

/**
 * What a new session gets when the secretary leaves a field out. Shared by the
 * session function (which stores it) and the scheduling page (which shows it
 * before saving), so the two never disagree.
 */
const MIN = 60 * 1000

/** People arrive early and queue at the door; half an hour covers a large branch. */
export const CHECKIN_OPENS_BEFORE_MS = 30 * MIN
/** A short grace period before a check-in is recorded as late (迟到). */
export const LATE_GRACE_MS = 10 * MIN
/**
 * How far before the start a secretary may open check-in: beyond a day the
 * window stops meaning "at the venue" and invites checking in from home.
 */
export const MAX_OPEN_BEFORE_MS = 24 * 60 * MIN

export { DEFAULT_GEOFENCE_RADIUS_M }

/** Opens 30 min before start, late after start + 10 min, closes at the end. */
export function defaultCheckinWindow(startAt: number, endAt: number): CheckinWindow {
  return {
    opensAt: startAt - CHECKIN_OPENS_BEFORE_MS,
    closesAt: endAt,
    // A session shorter than the grace period is never "late" before it ends.
    lateAfter: Math.min(startAt + LATE_GRACE_MS, endAt)
  }
}

/**
 * The audience a session type implies: 支委会 the committee, everything else
 * the whole branch. A 党小组会 has no default: it needs a group chosen, so
 * this answers null and the caller must ask for one.
 */
export function defaultAudience(type: SessionType): SessionAudience | null {
  if (type === 'group_meeting') return null
  if (type === 'committee_meeting') return { kind: 'committee' }
  return { kind: 'branch' }
}

export interface TimeProblem {
  path: string
  message: string
}

/**
 * Checks of a session's times that the schemas cannot make alone (they see
 * one field set, not the stored one): the window must sit around the session
 * it belongs to. Answers every problem found, in Chinese, for the member.
 */
export function checkWindowFits(s: { startAt: number; endAt: number; checkin: CheckinWindow }): TimeProblem[] {
  const problems: TimeProblem[] = []
  const { startAt, endAt, checkin } = s
  if (endAt <= startAt) problems.push({ path: 'endAt', message: '结束时间必须晚于开始时间' })
  if (checkin.closesAt <= checkin.opensAt) problems.push({ path: 'checkin.closesAt', message: '签到截止时间必须晚于开始签到时间' })
  if (checkin.opensAt >= endAt) problems.push({ path: 'checkin.opensAt', message: '签到必须在活动结束前开始' })
  if (checkin.opensAt < startAt - MAX_OPEN_BEFORE_MS) {
    problems.push({ path: 'checkin.opensAt', message: '签到最早只能在活动开始前24小时开放' })
  }
  // Signing in after the session is over is a record of nothing; 补学 covers those who missed it.
  if (checkin.closesAt > endAt) problems.push({ path: 'checkin.closesAt', message: '签到截止时间不能晚于活动结束时间' })
  if (checkin.lateAfter < checkin.opensAt || checkin.lateAfter > checkin.closesAt) {
    problems.push({ path: 'checkin.lateAfter', message: '迟到时间点必须在签到时间段内' })
  }
  return problems
}

/**
 * Moves a stored window along when the session's times change and no new
 * window is given: opening and lateness keep their distance from the start,
 * closing keeps its distance from the end (so a default window stays default).
 */
export function shiftCheckinWindow(
  old: { startAt: number; endAt: number; checkin: CheckinWindow },
  startAt: number,
  endAt: number
): CheckinWindow {
  const opensAt = startAt + (old.checkin.opensAt - old.startAt)
  const closesAt = endAt + (old.checkin.closesAt - old.endAt)
  const lateAfter = Math.min(startAt + (old.checkin.lateAfter - old.startAt), closesAt)
  return { opensAt, closesAt, lateAfter: Math.max(lateAfter, opensAt) }
}
