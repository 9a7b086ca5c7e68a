/**
 * 心得体会 toward the four ("同时撰写心得体会4篇以上"): which essays count.
 * One judge for the member's progress, the year-end check, the aggregates,
 * the +2 points, the 笔记台账 and the 个人档案, so an essay never counts in
 * one and not in another.
 *
 * An essay counts, and earns its points, while it is
 * - not deleted and not returned by the secretary (pending or passed both count:
 *   a secretary who has not read it yet must not cost the member);
 * - mostly the member's own (not mostlyCopied): at least MIN_OWN_SHARE of its words
 *   credited (passages copied from a colleague's or one's own earlier note
 *   are not credited; quotes from a known study text are);
 * - long enough: at least the organisation's essayMinWords credited words.
 */
import type { Note } from '../schemas/note'

/**
 * Below half its words credited, a text is mostly copied: a 心得 then counts
 * for nothing, and a 补学 note is not taken (checkin makeUp). One constant,
 * so "mostly copied" means the same wherever words earn something.
 */
export const MIN_OWN_SHARE = 0.5

export function mostlyCopied(n: Pick<Note, 'words' | 'creditedWords'>): boolean {
  return !(n.creditedWords > 0) || n.creditedWords < n.words * MIN_OWN_SHARE
}

/** The default of the essayMinWords setting: a 心得 of fewer credited words is a note, not an essay. */
export const DEFAULT_ESSAY_MIN_WORDS = 300

export type EssayFacts = Pick<Note, 'kind' | 'words' | 'creditedWords' | 'review'> & { deleted?: boolean }

/** Why an essay does or does not count; `not_essay` for a 学习笔记. */
export type EssayStanding = 'counts' | 'not_essay' | 'deleted' | 'returned' | 'copied' | 'too_short'

export function essayStanding(n: EssayFacts, minWords: number): EssayStanding {
  if (n.kind !== 'essay') return 'not_essay'
  if (n.deleted) return 'deleted'
  if (n.review.status === 'returned') return 'returned'
  if (mostlyCopied(n)) return 'copied'
  if (n.creditedWords < minWords) return 'too_short'
  return 'counts'
}

/** Counts toward the essay quota (and earns the essay points, up to the quarter's cap: essayPointEarners). */
export function essayCounts(n: EssayFacts, minWords: number): boolean {
  return essayStanding(n, minWords) === 'counts'
}

/**
 * The default of the essayPointsQuarterlyCap setting: at most this many
 * 心得 a quarter earn their points. The rule asks for 4 a year, one a
 * quarter; 2 leaves room to catch up on a missed quarter, and a year of
 * steady essays still earns up to 8, while ten written in one week (the
 * 突击 the speeches complain of, or a points farm) earn what two do.
 * Counting toward the four is never capped.
 */
export const DEFAULT_ESSAY_POINTS_QUARTERLY_CAP = 2

export type EssayRankFacts = EssayFacts & { _id: string; memberId: string; createdAt: number }

/**
 * The essays that earn points: of each member's counting essays in one
 * Shanghai quarter, the first `cap` by first-save time (then id). `notes`
 * are ONE branch's (a member who moved mid-quarter has a cap in each branch,
 * as the nightly rebuild sees one branch at a time). One rule for the write
 * path (_shared/tally.ts) and the rebuild (stats/rebuild.ts), so both hand
 * the points to the same essays: when an earning one is deleted or
 * returned, the next in line earns.
 */
export function essayPointEarners(notes: readonly EssayRankFacts[], minWords: number, cap: number, quarterOf: (at: number) => string): Set<string> {
  const groups = new Map<string, EssayRankFacts[]>()
  for (const n of notes) {
    if (!essayCounts(n, minWords)) continue
    const k = `${n.memberId}|${quarterOf(n.createdAt)}`
    const list = groups.get(k)
    if (list) list.push(n)
    else groups.set(k, [n])
  }
  const out = new Set<string>()
  for (const list of groups.values()) {
    list.sort((a, b) => a.createdAt - b.createdAt || (a._id < b._id ? -1 : a._id > b._id ? 1 : 0))
    for (const n of list.slice(0, Math.max(0, cap))) out.add(n._id)
  }
  return out
}

/** A plain sentence for the member when a 心得 does not count; '' when it does (or is not an essay). */
export function essayStandingText(standing: EssayStanding, minWords: number): string {
  switch (standing) {
    case 'returned':
      return '这篇心得体会已退回修改，改好通过前不计入心得篇数。'
    case 'copied':
      return '这篇心得体会一半以上与已有笔记重复，不计入心得篇数。'
    case 'too_short':
      return `心得体会计入字数需满 ${minWords} 字，这篇暂不计入心得篇数。`
    default:
      return ''
  }
}
