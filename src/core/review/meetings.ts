import { periodBounds, type PeriodBounds } from '../period'

/**
 * When the 组织生活会 of a year's 民主评议 may be held: in the year itself, or
 * in the first quarter after it, where most branches hold the year's review
 * (January–March). Shanghai calendar, like every period.
 */
export function lifeMeetingSpan(year: number): PeriodBounds {
  return { start: periodBounds(String(year)).start, end: periodBounds(`${year + 1}-Q1`).end }
}

/** The 组织生活会 sessions that belong to a review: in its span, not cancelled, earliest first. */
export function lifeMeetingsOf<T extends { type: string; status: string; startAt: number }>(sessions: readonly T[], year: number): T[] {
  const { start, end } = lifeMeetingSpan(year)
  return sessions
    .filter((s) => s.type === 'life_meeting' && s.status !== 'cancelled' && s.startAt >= start && s.startAt < end)
    .sort((a, b) => a.startAt - b.startAt)
}
