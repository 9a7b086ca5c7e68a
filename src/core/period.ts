import dayjs from 'dayjs'
import utc from 'dayjs/plugin/utc'
import 'dayjs/locale/zh-cn'
import { AppError } from './errors'

dayjs.extend(utc)

/**
 * Every period, day and displayed time is Asia/Shanghai, whatever the
 * process or phone TZ. China has observed no DST since 1991, so a fixed
 * +08:00 offset is exact for every date this app can hold. We shift epoch ms
 * by 8 h and read UTC fields instead of asking Intl for the zone: WeChat's JS
 * engine on older Android phones ships without reliable Intl time-zone data,
 * and a server's TZ setting must never move a check-in into another month.
 */
export const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000
const DAY_MS = 24 * 60 * 60 * 1000

/**
 * Years outside this range are refused: they can only be typos, and staying
 * within four digits keeps keys sortable as strings.
 */
export const MIN_PERIOD_YEAR = 1970
export const MAX_PERIOD_YEAR = 2999

export type PeriodKind = 'year' | 'quarter' | 'month'

export interface ParsedPeriod {
  kind: PeriodKind
  year: number
  /** 1–4; set for quarters, and for months (the quarter containing it). */
  quarter?: number
  /** 1–12; set for months only. */
  month?: number
}

export interface PeriodBounds {
  /** Inclusive, epoch ms. */
  start: number
  /** Exclusive, epoch ms. */
  end: number
}

export interface PeriodKeysOf {
  year: string
  quarter: string
  month: string
  day: string
}

const PERIOD_RE = /^(\d{4})(?:-Q([1-4])|-(0[1-9]|1[0-2]))?$/

function badPeriod(key: unknown): AppError {
  return new AppError('INVALID_INPUT', '统计周期格式不正确，应为 2026、2026-Q1 或 2026-03', {
    period: String(key)
  })
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n)
}

export function isValidPeriodKey(key: unknown): boolean {
  if (typeof key !== 'string') return false
  const m = PERIOD_RE.exec(key)
  if (!m) return false
  const year = Number(m[1])
  return year >= MIN_PERIOD_YEAR && year <= MAX_PERIOD_YEAR
}

export function parsePeriod(key: string): ParsedPeriod {
  if (!isValidPeriodKey(key)) throw badPeriod(key)
  const m = PERIOD_RE.exec(key) as RegExpExecArray
  const year = Number(m[1])
  if (m[2]) return { kind: 'quarter', year, quarter: Number(m[2]) }
  if (m[3]) {
    const month = Number(m[3])
    return { kind: 'month', year, quarter: Math.ceil(month / 3), month }
  }
  return { kind: 'year', year }
}

export function yearKey(year: number): string {
  return String(year)
}

export function quarterKey(year: number, quarter: number): string {
  return `${year}-Q${quarter}`
}

export function monthKey(year: number, month: number): string {
  return `${year}-${pad2(month)}`
}

/** Epoch ms of 00:00 Shanghai on the given calendar date (month 1–12, may overflow). */
function shanghaiMidnight(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) - SHANGHAI_OFFSET_MS
}

/** First month (1–12) and number of months the period spans. */
function monthSpan(p: ParsedPeriod): { first: number; count: number } {
  if (p.kind === 'month') return { first: p.month as number, count: 1 }
  if (p.kind === 'quarter') return { first: ((p.quarter as number) - 1) * 3 + 1, count: 3 }
  return { first: 1, count: 12 }
}

export function periodBounds(key: string): PeriodBounds {
  const p = parsePeriod(key)
  const { first, count } = monthSpan(p)
  return {
    start: shanghaiMidnight(p.year, first, 1),
    // Date.UTC rolls month 13 over into January of the next year.
    end: shanghaiMidnight(p.year, first + count, 1)
  }
}

/** True when the instant falls inside the period (start inclusive, end exclusive). */
export function periodContains(key: string, instantMs: number): boolean {
  const { start, end } = periodBounds(key)
  return instantMs >= start && instantMs < end
}

/** A Date whose UTC fields read as the Shanghai wall clock at that instant. */
function shanghaiFields(instantMs: number): Date {
  if (!Number.isFinite(instantMs)) {
    throw new AppError('INVALID_INPUT', '时间格式不正确', { instant: String(instantMs) })
  }
  return new Date(instantMs + SHANGHAI_OFFSET_MS)
}

export function periodKeysOf(instantMs: number): PeriodKeysOf {
  const d = shanghaiFields(instantMs)
  const year = d.getUTCFullYear()
  const month = d.getUTCMonth() + 1
  return {
    year: yearKey(year),
    quarter: quarterKey(year, Math.ceil(month / 3)),
    month: monthKey(year, month),
    day: `${monthKey(year, month)}-${pad2(d.getUTCDate())}`
  }
}

/** The key of the same kind that contains the instant: `2026`, `2026-Q1` or `2026-03`. */
export function periodKeyOf(instantMs: number, kind: PeriodKind): string {
  return periodKeysOf(instantMs)[kind]
}

function shiftPeriod(key: string, step: 1 | -1): string {
  const p = parsePeriod(key)
  let next: string
  if (p.kind === 'year') {
    next = yearKey(p.year + step)
  } else if (p.kind === 'quarter') {
    const index = p.year * 4 + ((p.quarter as number) - 1) + step
    next = quarterKey(Math.floor(index / 4), (index % 4) + 1)
  } else {
    const index = p.year * 12 + ((p.month as number) - 1) + step
    next = monthKey(Math.floor(index / 12), (index % 12) + 1)
  }
  if (!isValidPeriodKey(next)) throw badPeriod(next)
  return next
}

export function previousPeriod(key: string): string {
  return shiftPeriod(key, -1)
}

export function nextPeriod(key: string): string {
  return shiftPeriod(key, 1)
}

/** Month keys covered by the period, in order: 12 for a year, 3 for a quarter, itself for a month. */
export function monthsOfPeriod(key: string): string[] {
  const p = parsePeriod(key)
  const { first, count } = monthSpan(p)
  const months: string[] = []
  for (let m = first; m < first + count; m++) months.push(monthKey(p.year, m))
  return months
}

/** Epoch ms of the Shanghai midnight that starts the instant's day. */
export function shanghaiDayStart(instantMs: number): number {
  const shifted = shanghaiFields(instantMs).getTime()
  return Math.floor(shifted / DAY_MS) * DAY_MS - SHANGHAI_OFFSET_MS
}

/**
 * dayjs in UTC mode renders `Z`/`ZZ` as +00:00; since the fields are already
 * shifted, swap those tokens for the Shanghai offset (outside `[...]` escapes).
 */
function withShanghaiOffset(pattern: string): string {
  let out = ''
  let i = 0
  while (i < pattern.length) {
    const ch = pattern[i]
    if (ch === '[') {
      const close = pattern.indexOf(']', i)
      const stop = close === -1 ? pattern.length : close + 1
      out += pattern.slice(i, stop)
      i = stop
    } else if (ch === 'Z') {
      const double = pattern[i + 1] === 'Z'
      out += double ? '[+0800]' : '[+08:00]'
      i += double ? 2 : 1
    } else {
      out += ch
      i++
    }
  }
  return out
}

/**
 * Formats the instant as a Shanghai wall-clock time with dayjs tokens, in
 * Chinese (e.g. `dddd` gives 星期四). Unix-time tokens (`X`, `x`) are not
 * supported because the underlying value is shifted.
 */
export function formatShanghai(instantMs: number, pattern = 'YYYY-MM-DD HH:mm'): string {
  const shifted = shanghaiFields(instantMs).getTime()
  return dayjs.utc(shifted).locale('zh-cn').format(withShanghaiOffset(pattern))
}

/**
 * Share of the Shanghai calendar year elapsed at the instant, 0 before it
 * starts and 1 after it ends. Note pace compares words written with this.
 */
export function yearFraction(instantMs: number, year: number): number {
  shanghaiFields(instantMs)
  const { start, end } = periodBounds(yearKey(year))
  if (instantMs <= start) return 0
  if (instantMs >= end) return 1
  return (instantMs - start) / (end - start)
}

/** 2026年11月, 2026年第4季度, 2026年: a period as a heading says it. */
export function periodName(key: string): string {
  const p = parsePeriod(key)
  if (p.kind === 'month') return `${p.year}年${p.month}月`
  if (p.kind === 'quarter') return `${p.year}年第${p.quarter}季度`
  return `${p.year}年`
}
