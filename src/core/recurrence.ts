import { AppError } from './errors'
import type { Recurrence, SessionNotice } from './functions/session'
import { MAX_OCCURRENCES } from './functions/session'
import { SHANGHAI_OFFSET_MS, periodBounds } from './period'
import type { CheckinWindow } from './schemas/session'

/**
 * Repeating schedules (主题党日 "every month on the 15th", 支委会 monthly,
 * weekly 集中学习) turned into concrete occurrences. All calendar arithmetic
 * is on the Asia/Shanghai wall clock with the fixed +08:00 offset (see
 * period.ts for why not Intl): a 14:30 meeting stays at 14:30 in every month
 * whatever the server's or phone's zone.
 */
const DAY_MS = 24 * 60 * 60 * 1000
const MAX_MONTHS = 12

export interface OccurrenceSeed {
  startAt: number
  endAt: number
  checkin: CheckinWindow
}

export interface Occurrence extends OccurrenceSeed {
  index: number
  /** Set when the rule's day does not exist in that month: the day asked for. */
  requestedDay?: number
}

export interface Occurrences {
  occurrences: Occurrence[]
  notices: SessionNotice[]
}

interface WallDate {
  year: number
  /** 1–12 */
  month: number
  day: number
  /** ISO weekday, 1 = Monday … 7 = Sunday. */
  weekday: number
  /** Milliseconds since Shanghai midnight. */
  timeOfDay: number
}

export function shanghaiWallDate(instantMs: number): WallDate {
  const shifted = instantMs + SHANGHAI_OFFSET_MS
  const d = new Date(shifted)
  const dayStart = Math.floor(shifted / DAY_MS) * DAY_MS
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    weekday: ((d.getUTCDay() + 6) % 7) + 1,
    timeOfDay: shifted - dayStart
  }
}

/** Epoch ms of a Shanghai wall-clock date and time of day; month may overflow (13 = next January). */
export function fromShanghaiWall(year: number, month: number, day: number, timeOfDay: number): number {
  return Date.UTC(year, month - 1, day) + timeOfDay - SHANGHAI_OFFSET_MS
}

export function daysInMonth(year: number, month: number): number {
  // Day 0 of the next month is the last day of this one; Date.UTC rolls month 13 over.
  return new Date(Date.UTC(year, month, 0)).getUTCDate()
}

/** Copies the first occurrence's shape (duration, window offsets) onto a new start. */
function placeAt(seed: OccurrenceSeed, startAt: number, index: number): Occurrence {
  const shift = startAt - seed.startAt
  return {
    index,
    startAt,
    endAt: seed.endAt + shift,
    checkin: {
      opensAt: seed.checkin.opensAt + shift,
      closesAt: seed.checkin.closesAt + shift,
      lateAfter: seed.checkin.lateAfter + shift
    }
  }
}

function limitOf(rule: Recurrence, first: number, cap: number): { count: number; before: number } {
  if (rule.until === 'year_end') {
    // The end of the first occurrence's Shanghai year, so a December start still makes sense.
    const year = shanghaiWallDate(first).year
    return { count: cap, before: periodBounds(String(year)).end }
  }
  return { count: Math.min(rule.count ?? 1, cap), before: Number.POSITIVE_INFINITY }
}

function monthly(seed: OccurrenceSeed, rule: Recurrence): Occurrences {
  const start = shanghaiWallDate(seed.startAt)
  const wanted = rule.dayOfMonth ?? start.day
  // The first month whose (possibly clamped) day is not before the start date.
  let monthIndex = start.year * 12 + (start.month - 1)
  if (Math.min(wanted, daysInMonth(start.year, start.month)) < start.day) monthIndex++
  const dateOf = (idx: number) => {
    const year = Math.floor(idx / 12)
    const month = (idx % 12) + 1
    const last = daysInMonth(year, month)
    return { year, month, day: Math.min(wanted, last), clamped: wanted > last }
  }
  const firstDate = dateOf(monthIndex)
  const firstStart = fromShanghaiWall(firstDate.year, firstDate.month, firstDate.day, start.timeOfDay)
  const { count, before } = limitOf(rule, firstStart, MAX_MONTHS)
  const out: Occurrences = { occurrences: [], notices: [] }
  for (let i = 0; i < count; i++) {
    const { year, month, day, clamped } = dateOf(monthIndex + i)
    const startAt = fromShanghaiWall(year, month, day, start.timeOfDay)
    if (startAt >= before) break
    const occ = placeAt(seed, startAt, i)
    if (clamped) {
      occ.requestedDay = wanted
      out.notices.push({
        code: 'day_clamped',
        index: i,
        message: `${year}年${month}月没有${wanted}日，已安排在该月最后一天（${day}日）`
      })
    }
    out.occurrences.push(occ)
  }
  return out
}

function weekly(seed: OccurrenceSeed, rule: Recurrence): Occurrences {
  const start = shanghaiWallDate(seed.startAt)
  const wanted = rule.weekday ?? start.weekday
  const ahead = (wanted - start.weekday + 7) % 7
  const firstStart = fromShanghaiWall(start.year, start.month, start.day + ahead, start.timeOfDay)
  const { count, before } = limitOf(rule, firstStart, MAX_OCCURRENCES)
  const out: Occurrences = { occurrences: [], notices: [] }
  for (let i = 0; i < count; i++) {
    // No DST in China since 1991, so whole days of 24 h keep the wall time.
    const startAt = firstStart + i * 7 * DAY_MS
    if (startAt >= before) break
    out.occurrences.push(placeAt(seed, startAt, i))
  }
  return out
}

/**
 * The occurrences of a rule starting from the first session's times: the
 * first is the first matching Shanghai date on or after startAt's date, each
 * keeps its time of day, duration and check-in window offsets. At most a
 * year's worth (12 months or 53 weeks).
 */
export function generateOccurrences(seed: OccurrenceSeed, rule: Recurrence): Occurrences {
  const result = rule.every === 'month' ? monthly(seed, rule) : weekly(seed, rule)
  if (result.occurrences.length === 0) {
    throw new AppError('INVALID_INPUT', '按这个重复规则，今年已没有可安排的日期', { recurrence: rule.every })
  }
  return result
}
