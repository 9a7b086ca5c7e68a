/**
 * When the schedule reminds, and under which key. Pure: `cron.reminders`
 * asks these questions on every tick, and the key makes the answer safe to
 * act on twice — a reminder already recorded under its key is never sent
 * again, so a rerun, an overlapping run or a late run cannot double up.
 */
import type { TemplateKey } from '../functions/remind'
import { SHANGHAI_OFFSET_MS, periodKeysOf, formatShanghai, shanghaiDayStart } from '../period'
import type { ReminderSchedule } from '../schemas/settings'
import type { SessionType } from '../schemas/session'
import { draftFor } from './templates'

const MINUTE_MS = 60 * 1000
const HOUR_MS = 60 * MINUTE_MS
const DAY_MS = 24 * HOUR_MS

/** Offsets (minutes before the start) for a session type, largest first. */
export function sessionOffsetsFor(schedule: ReminderSchedule, type: SessionType): number[] {
  const own = schedule.sessionOffsets[type]
  return [...new Set(own ?? schedule.defaultSessionOffsets)].sort((a, b) => b - a)
}

export interface DueSessionReminder {
  key: string
  offsetMinutes: number
  template: TemplateKey
  /** A session starting within the hour passes the daily limit (still held in quiet hours). */
  urgent: boolean
}

/**
 * The session reminder due now, if any. Each offset owns the window from its
 * time until the next smaller offset's time (the last one until the start),
 * so a run that comes late sends only the nearest reminder instead of
 * "tomorrow" and "in an hour" together. The start time is part of the key:
 * a session moved to another time is announced again for the new time.
 */
export function dueSessionReminder(
  session: { _id: string; type: SessionType; startAt: number; status: string },
  schedule: ReminderSchedule,
  now: number
): DueSessionReminder | null {
  if (session.status !== 'scheduled' || now >= session.startAt) return null
  const offsets = sessionOffsetsFor(schedule, session.type)
  for (let i = 0; i < offsets.length; i++) {
    const from = session.startAt - offsets[i] * MINUTE_MS
    const until = i + 1 < offsets.length ? session.startAt - offsets[i + 1] * MINUTE_MS : session.startAt
    if (now >= from && now < until) {
      const left = session.startAt - now
      return {
        key: `session:${session._id}:${session.startAt}:${offsets[i]}`,
        offsetMinutes: offsets[i],
        template: left <= 2 * HOUR_MS ? 'session_soon' : 'session_tomorrow',
        urgent: left <= HOUR_MS
      }
    }
  }
  return null
}

/** The largest offset any schedule may use: how far ahead the job looks for sessions. */
export const MAX_SESSION_OFFSET_MS = 7 * DAY_MS

/** Pace reminders go out from this Shanghai hour on: a note reminder is never urgent enough for the early morning. */
export const PACE_FROM_HOUR = 9

/** True from 09:00 to midnight (Shanghai): the hours in which the pace reminder may go out. */
export function paceHours(now: number): boolean {
  return new Date(now + SHANGHAI_OFFSET_MS).getUTCHours() >= PACE_FROM_HOUR
}

/**
 * The month's pace reminder is due from `paceDay` 09:00 (Shanghai) to the
 * month's end, in daytime hours: still sent when the job was down on the day.
 */
export function duePaceReminder(schedule: ReminderSchedule, now: number): { key: string; month: string } | null {
  if (schedule.paceDay === null || !paceHours(now)) return null
  if (new Date(now + SHANGHAI_OFFSET_MS).getUTCDate() < schedule.paceDay) return null
  const month = periodKeysOf(now).month
  return { key: `pace:${month}`, month }
}

/**
 * A make-up's reminder is due in the last `makeupDaysBefore` days before its
 * deadline; the deadline is in the key, so an extended deadline reminds again.
 */
export function dueMakeupReminder(
  makeup: { _id: string; deadline: number; status: string },
  schedule: ReminderSchedule,
  now: number
): { key: string } | null {
  if (schedule.makeupDaysBefore === null) return null
  if (makeup.status !== 'assigned' && makeup.status !== 'returned') return null
  if (now >= makeup.deadline || now < makeup.deadline - schedule.makeupDaysBefore * DAY_MS) return null
  return { key: `makeup:${makeup._id}:${makeup.deadline}` }
}

/** 今天 / 明天 / 后天 / M月D日, by Shanghai calendar days, so "明天" is never said of something today. */
export function dayWord(at: number, now: number): string {
  const days = Math.round((shanghaiDayStart(at) - shanghaiDayStart(now)) / DAY_MS)
  if (days === 0) return '今天'
  if (days === 1) return '明天'
  if (days === 2) return '后天'
  return formatShanghai(at, 'M月D日')
}

/** Title and body of a scheduled session reminder, saying the day as it is from where `now` stands. */
export function sessionReminderText(
  due: Pick<DueSessionReminder, 'template'>,
  ctx: { sessionTitle: string; startAt: number; venue?: string; branchName: string },
  now: number
): { title: string; body: string } {
  const draft = draftFor(due.template, ctx)
  if (due.template === 'session_soon') return draft
  const day = dayWord(ctx.startAt, now)
  const where = ctx.venue?.trim() ? `在${ctx.venue.trim()}` : ''
  return {
    title: draft.title.replace(/^明天/, day),
    body: `${ctx.branchName}定于${day} ${formatShanghai(ctx.startAt, 'HH:mm')}${where}开展「${ctx.sessionTitle}」，欢迎按时参加。如有事不能到场，可以在小程序里请假。`
  }
}
