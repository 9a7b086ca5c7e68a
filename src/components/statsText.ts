/**
 * Plain Chinese renderings of points, ranks and periods for the 排行, 积分
 * and secretary stats pages. Pure, so they are tested without a browser.
 */
import { nextPeriod, parsePeriod, periodKeyOf, previousPeriod, type PeriodKind } from '../core/period'
import { EXPECTED_WORD, PRESENT_WORD, RATE_WORD, yearFiguresParts } from '../core/checkin/words'
import type { MemberFigures, RankBy } from '../core/functions/stats'
import { percentText } from './format'

import { periodName } from '../core/period'

export { periodName }

const NOW_WORDS: Record<PeriodKind, [string, string]> = {
  month: ['本月', '上月'],
  quarter: ['本季度', '上季度'],
  year: ['本年', '去年']
}

/** 本月 / 上月 / 本季度 / 去年 for the recent ones, otherwise the full name. */
export function periodShortName(key: string, now: number): string {
  const kind = parsePeriod(key).kind
  const current = periodKeyOf(now, kind)
  if (key === current) return NOW_WORDS[kind][0]
  if (key === previousPeriod(current)) return NOW_WORDS[kind][1]
  return periodName(key)
}

/** True when the period is the current one or later (no "next" past it). */
export function isCurrentOrLater(key: string, now: number): boolean {
  const current = periodKeyOf(now, parsePeriod(key).kind)
  return nextPeriod(key) > current
}

/** +2, −2 (a real minus sign, easier to see than a hyphen), 0. */
export function signedPoints(delta: number): string {
  if (delta > 0) return `+${delta}`
  if (delta < 0) return `\u2212${Math.abs(delta)}`
  return '0'
}

export interface RankChange {
  /** ▲2, ▼1, or — when unchanged or unranked before. */
  text: string
  /** The same in words, for screen readers and anyone unsure of the arrows. */
  words: string
  dir: 'up' | 'down' | 'same' | 'new'
}

/** How a rank moved since the previous period of the same kind. */
export function rankChange(rank: number | null | undefined, previousRank: number | null | undefined): RankChange {
  if (!rank || !previousRank) return { text: '—', words: '上期没有排名', dir: 'new' }
  const d = previousRank - rank
  if (d > 0) return { text: `▲${d}`, words: `比上期上升 ${d} 位`, dir: 'up' }
  if (d < 0) return { text: `▼${-d}`, words: `比上期下降 ${-d} 位`, dir: 'down' }
  return { text: '—', words: '与上期持平', dir: 'same' }
}

/** The figure a member row shows in its big column, by what the ranking is ordered by. */
export function memberValue(m: Pick<MemberFigures, 'points' | 'attendanceRate' | 'quotaRate'>, by: RankBy): string {
  if (by === 'attendance') return percentText(m.attendanceRate)
  if (by === 'quota') return percentText(m.quotaRate)
  return `${m.points} 分`
}

/**
 * 出勤率 in words, with the figures every view prints (core/checkin/words.ts):
 * 应到 counts approved leave, which is then taken out of the denominator
 * rather than counted as absence. Says so, since members check this number.
 */
export function attendanceText(m: Pick<MemberFigures, 'attended' | 'expected' | 'leave'>): { figures: string; explain: string } {
  if (m.expected === 0) return { figures: '这段时间没有需要您参加的活动', explain: '' }
  const figures = yearFiguresParts({ expected: m.expected, present: m.attended, rate: null }).slice(0, 2).join(' / ')
  const rule = `${RATE_WORD} = ${PRESENT_WORD} ÷（${EXPECTED_WORD} − 请假）`
  const explain = m.leave > 0 ? `${rule}。已批准请假的 ${m.leave} 场不算缺席。` : `${rule}；经书记批准的请假不算缺席。`
  return { figures, explain }
}

/** 人均 figures keep two decimals at most and drop trailing zeros: 3.5, 2, 0.25. */
export function perMemberText(x: number): string {
  if (!Number.isFinite(x)) return '—'
  return String(Math.round(x * 100) / 100)
}

export const ADJUST_MAX = 20

/** Checks the 调整积分 form as the server will, so a mistake is shown before the tap. */
export function checkAdjust(sign: 1 | -1, amountText: string, reasonText: string): { delta: number; reason: string } | { message: string } {
  const amount = amountText.trim()
  if (!/^\d{1,3}$/.test(amount)) return { message: '请填写调整的分数（1–20 的整数）' }
  const n = Number(amount)
  if (n < 1 || n > ADJUST_MAX) return { message: `一次最多调整 ${ADJUST_MAX} 分，最少 1 分` }
  const reason = reasonText.trim()
  if (reason.length < 2) return { message: '请写明调整原因，党员本人能看到' }
  if (reason.length > 100) return { message: '调整原因请不超过 100 个字' }
  return { delta: sign * n, reason }
}
