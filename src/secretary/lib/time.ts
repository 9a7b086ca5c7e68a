/**
 * Form values (a Picker's 'YYYY-MM-DD' and 'HH:mm') to and from epoch ms,
 * read as Asia/Shanghai wall-clock time whatever the phone's time zone.
 */
import { SHANGHAI_OFFSET_MS, formatShanghai } from '../../core/period'

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/
const TIME_RE = /^(\d{2}):(\d{2})$/

/** Epoch ms of a Shanghai date and time; NaN when either is malformed. */
export function shanghaiEpoch(date: string, time = '00:00'): number {
  const d = DATE_RE.exec(date)
  const t = TIME_RE.exec(time)
  if (!d || !t) return NaN
  return Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]), Number(t[1]), Number(t[2])) - SHANGHAI_OFFSET_MS
}

export function dateValue(ms: number): string {
  return formatShanghai(ms, 'YYYY-MM-DD')
}

export function timeValue(ms: number): string {
  return formatShanghai(ms, 'HH:mm')
}

/** Day of month (1–31) and ISO weekday (1 = Monday … 7 = Sunday) of a Shanghai date. */
export function dayParts(date: string): { day: number; weekday: number } | null {
  const d = DATE_RE.exec(date)
  if (!d) return null
  const utc = new Date(Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3])))
  const wd = utc.getUTCDay()
  return { day: utc.getUTCDate(), weekday: wd === 0 ? 7 : wd }
}

export const WEEKDAY_NAMES = ['', '周一', '周二', '周三', '周四', '周五', '周六', '周日']
