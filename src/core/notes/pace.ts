/**
 * Note pace: where a member should be by now if the year's quota were spread
 * evenly over the Shanghai calendar year, so "突击抓" before the year-end check
 * shows early. Pure; every time is an epoch instant read in Asia/Shanghai.
 */
import { formatShanghai, periodBounds, yearFraction, yearKey } from '../period'
import { studyYearStart } from './prorate'
import type { NoteQuota } from './quota'

export type NotePaceStatus = 'on_pace' | 'behind' | 'far_behind' | 'done' | 'exempt'

/** Shares of the pro-rata words below which a member is behind (yellow) or far behind (red). */
export interface PaceThresholds {
  yellowPace: number
  redPace: number
}

export const DEFAULT_PACE_THRESHOLDS: PaceThresholds = { yellowPace: 0.8, redPace: 0.5 }

/** A newcomer's first weeks: nobody falls behind a pace they have had no time to keep. */
export const NEWCOMER_GRACE_MS = 30 * 24 * 60 * 60 * 1000

export interface NotePaceInput {
  creditedWords: number
  /** null: no quota (exempt). Pro-rated for a member who joined during the year (memberNoteQuota). */
  quota: Pick<NoteQuota, 'words'> | null
  /** The instant judged (normally now). */
  at: number
  year: number
  /** settings.warnings when the organisation has them; defaults 0.8 / 0.5. */
  thresholds?: Partial<PaceThresholds> | null
  /** When the member joined: the even pace of a newcomer runs from then, not from 1 January. */
  joinedAt?: number
  /**
   * Who the sentence speaks of: '您' (the default) when the member reads it;
   * the member's name when an officer does (预警, 季度通报), never '您'.
   */
  subject?: string
}

export interface NotePace {
  status: NotePaceStatus
  /** Words expected by `at` at an even pace (rounded); 0 when exempt. */
  expectedWords: number
  /** Share of the member's year (from 1 January, or joining) elapsed at `at`, 0–1. */
  fraction: number
  /** Words still missing against the pace (0 when ahead, done or exempt). */
  shortWords: number
  /** A plain Chinese sentence for the member; empty when exempt. */
  sentence: string
}

/** 12,345 — grouping without Intl, which older mini-program engines lack. */
export function groupDigits(n: number): string {
  const s = String(Math.round(Math.abs(n)))
  const grouped = s.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return n < 0 ? `-${grouped}` : grouped
}

/** "约" figures: hundreds from 1,000 up, tens from 100 up, exact below. */
export function approxWords(n: number): number {
  if (n >= 1000) return Math.round(n / 100) * 100
  if (n >= 100) return Math.round(n / 10) * 10
  return Math.round(n)
}

/** Share of the member's part of the year elapsed at `at`: from 1 January, or from joining when later. */
function paceFraction(at: number, year: number, joinedAt: number | undefined): number {
  const from = joinedAt === undefined ? null : studyYearStart(joinedAt, year)
  const { start, end } = periodBounds(yearKey(year))
  if (from === null || from <= start) return yearFraction(at, year)
  if (at <= from) return 0
  if (at >= end) return 1
  return (at - from) / (end - from)
}

export function notePace(input: NotePaceInput): NotePace {
  const { creditedWords, quota, at, year } = input
  const fraction = paceFraction(at, year, input.joinedAt)
  const bounds = periodBounds(yearKey(year))
  const joinedThisYear = input.joinedAt !== undefined && input.joinedAt > bounds.start && input.joinedAt < bounds.end
  if (!quota) return { status: 'exempt', expectedWords: 0, fraction, shortWords: 0, sentence: '' }
  const yellow = input.thresholds?.yellowPace ?? DEFAULT_PACE_THRESHOLDS.yellowPace
  const red = input.thresholds?.redPace ?? DEFAULT_PACE_THRESHOLDS.redPace
  const exact = quota.words * fraction
  const expectedWords = Math.round(exact)
  const done = creditedWords >= quota.words
  const shortWords = done ? 0 : Math.max(0, expectedWords - creditedWords)
  const have = groupDigits(creditedWords)
  const who = input.subject?.trim() || '您'
  // A newcomer's figure is smaller than the rule's: say why, so nobody thinks it a mistake.
  const required = `${year} 年笔记要求 ${groupDigits(quota.words)} 字${joinedThisYear ? '（按加入时间折算）' : ''}`
  if (done) {
    return {
      status: 'done',
      expectedWords,
      fraction,
      shortWords,
      sentence: `${required}，${who}已完成 ${have} 字，已达到要求。`
    }
  }
  const ratio = exact <= 0 ? 1 : creditedWords / exact
  const settling = joinedThisYear && at - input.joinedAt! < NEWCOMER_GRACE_MS
  const status: NotePaceStatus = settling || ratio >= yellow ? 'on_pace' : ratio >= red ? 'behind' : 'far_behind'
  let sentence: string
  if (fraction <= 0) {
    sentence = `${year} 年还没有开始，全年要求 ${groupDigits(quota.words)} 字。`
  } else if (fraction >= 1) {
    sentence = `${required}，${who}完成了 ${have} 字，差 ${groupDigits(quota.words - creditedWords)} 字。`
  } else {
    const since = joinedThisYear ? `从 ${formatShanghai(input.joinedAt!, 'M月D日')} 加入算起，按均匀进度` : '按全年均匀进度'
    const head = `${since}，到今天应完成约 ${groupDigits(approxWords(exact))} 字，${who}已完成 ${have} 字，`
    sentence = shortWords > 0 && approxWords(exact - creditedWords) > 0
      ? `${head}还差约 ${groupDigits(approxWords(exact - creditedWords))} 字。`
      : `${head}进度正常。`
  }
  return { status, expectedWords, fraction, shortWords, sentence }
}
