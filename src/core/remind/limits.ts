/**
 * Reminder rate limits and quiet hours, so reminders help rather than nag.
 * Every clock reading is the Shanghai wall clock via the fixed +08:00 offset
 * (see period.ts for why not Intl or the process zone).
 */
import { SHANGHAI_OFFSET_MS, shanghaiDayStart } from '../period'

const HOUR_MS = 60 * 60 * 1000
const DAY_MS = 24 * HOUR_MS

export interface RemindLimits {
  /** Non-urgent reminders a member may receive per Shanghai day. */
  maxPerDay: number
  /** Quiet hours start at this hour (0–23, inclusive)… */
  quietStartHour: number
  /** …and end at this hour (0–23, exclusive); the window may wrap midnight. Equal hours mean no quiet hours. */
  quietEndHour: number
}

export const DEFAULT_REMIND_LIMITS: RemindLimits = { maxPerDay: 3, quietStartHour: 22, quietEndHour: 7 }

/** Start (inclusive) and end (exclusive) of the Shanghai day containing `at`, for counting today's reminders. */
export function shanghaiDay(at: number): { start: number; end: number } {
  const start = shanghaiDayStart(at)
  return { start, end: start + DAY_MS }
}

/** Shanghai wall-clock hour (0–23) at the instant. */
function shanghaiHour(at: number): number {
  return new Date(at + SHANGHAI_OFFSET_MS).getUTCHours()
}

function inQuietHours(hour: number, limits: RemindLimits): boolean {
  const { quietStartHour: start, quietEndHour: end } = limits
  if (start === end) return false
  return start < end ? hour >= start && hour < end : hour >= start || hour < end
}

/** The instant quiet hours end if `now` falls inside them (Shanghai wall clock), else null. */
export function quietUntil(now: number, limits: RemindLimits = DEFAULT_REMIND_LIMITS): number | null {
  if (!inQuietHours(shanghaiHour(now), limits)) return null
  // The next end-hour strictly after now: later today (05:00 → 07:00) or,
  // once past it (23:30), tomorrow.
  const todayEnd = shanghaiDayStart(now) + limits.quietEndHour * HOUR_MS
  return todayEnd > now ? todayEnd : todayEnd + DAY_MS
}

export type AdmitStatus = 'now' | 'held' | 'rate_limited'

/**
 * urgent: a session starting within the hour (exempt from the daily count,
 * still held in quiet hours). The count is checked first: a reminder over
 * the day's allowance is not sent at all, so holding it would be pointless.
 */
export function admitReminder(
  input: { now: number; sentToday: number; urgent: boolean },
  limits: RemindLimits = DEFAULT_REMIND_LIMITS
): { status: AdmitStatus; deliverAt: number } {
  const { now, sentToday, urgent } = input
  if (!urgent && sentToday >= limits.maxPerDay) return { status: 'rate_limited', deliverAt: now }
  const until = quietUntil(now, limits)
  if (until !== null) return { status: 'held', deliverAt: until }
  return { status: 'now', deliverAt: now }
}
