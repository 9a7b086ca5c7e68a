/**
 * Plain Chinese renderings of times and session facts, always in
 * Asia/Shanghai whatever the phone's time zone (formatShanghai).
 */
import { rateText } from '../core/checkin/words'
import { formatShanghai } from '../core/period'
import { SESSION_TYPE_LABELS, type SessionType } from '../core/vocab/session'

export function typeLabel(type: SessionType | string): string {
  return (SESSION_TYPE_LABELS as Record<string, string>)[type] ?? '组织生活'
}

/** 11月15日 周六 */
export function dayText(ms: number): string {
  return formatShanghai(ms, 'M月D日 ddd')
}

/** 14:00 */
export function timeText(ms: number): string {
  return formatShanghai(ms, 'HH:mm')
}

/** 2026年11月15日 */
export function fullDayText(ms: number): string {
  return formatShanghai(ms, 'YYYY年M月D日')
}

/** 11月15日 周六 14:00–16:00 (the end day is named when it differs). */
export function whenText(startAt: number, endAt: number): string {
  const sameDay = formatShanghai(startAt, 'YYYY-MM-DD') === formatShanghai(endAt, 'YYYY-MM-DD')
  return `${dayText(startAt)} ${timeText(startAt)}–${sameDay ? '' : dayText(endAt) + ' '}${timeText(endAt)}`
}

/** 11月15日 14:02 */
export function momentText(ms: number): string {
  return formatShanghai(ms, 'M月D日 HH:mm')
}

/** What a member is told of a scan synced late (offline), which an officer confirms before it counts. */
export function pendingScanText(at: number): string {
  return `已记录您 ${momentText(at)} 的扫码，因为是离线补传，需支部确认后计入。`
}

/** 37.5% → "38%"; null → "—": the same whole percent as 出勤率 (core/checkin/words.ts). */
export const percentText = rateText
