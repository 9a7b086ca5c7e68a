/**
 * A member who joins during the year owes the year's notes only for the part
 * of it they belonged: the quota is the year's, scaled by the share of the
 * year left when they joined, and the even pace runs from joining, not from
 * 1 January. A transfer changes nothing here: the year is one year, in
 * whichever branches it was spent. Every place that shows or counts a quota
 * (progress, pace, warnings, reminders, aggregates, ledgers) asks
 * memberNoteQuota, so they all agree.
 */
import { periodBounds, yearKey } from '../period'
import type { Member } from '../schemas/member'
import { noteQuota, type NoteQuota } from './quota'

/** Word quotas are round figures (to the nearest 100), as the rules write them. */
const WORD_STEP = 100

/**
 * When the member's year of study began: 1 January, or joining when later.
 * Null when they joined after the year was over.
 */
export function studyYearStart(joinedAt: number, year: number): number | null {
  const { start, end } = periodBounds(yearKey(year))
  if (joinedAt >= end) return null
  return Math.max(start, joinedAt)
}

/** The share of the year the member belonged, 0–1. */
export function yearShare(joinedAt: number, year: number): number {
  const from = studyYearStart(joinedAt, year)
  if (from === null) return 0
  const { start, end } = periodBounds(yearKey(year))
  return (end - from) / (end - start)
}

/** A year's quota scaled to the share of it after joining; null (exempt) stays null. */
export function proratedQuota(quota: NoteQuota | null, joinedAt: number, year: number): NoteQuota | null {
  if (!quota) return null
  const share = yearShare(joinedAt, year)
  if (share >= 1) return quota
  return { words: Math.round((quota.words * share) / WORD_STEP) * WORD_STEP, essays: Math.round(quota.essays * share) }
}

type QuotaMember = Parameters<typeof noteQuota>[0] & Pick<Member, 'joinedAt'>

/** The member's quota for the year: the rule for their rank and category, pro-rated from joining. */
export function memberNoteQuota(member: QuotaMember, settings: Parameters<typeof noteQuota>[1], year: number): NoteQuota | null {
  return proratedQuota(noteQuota(member, settings, year), member.joinedAt, year)
}
