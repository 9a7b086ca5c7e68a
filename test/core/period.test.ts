/**
 * @jest-environment <rootDir>/test/core/support/tz-environment.ts
 */
import { AppError } from '../../src/core/errors'
import {
  formatShanghai,
  isValidPeriodKey,
  monthsOfPeriod,
  nextPeriod,
  parsePeriod,
  periodBounds,
  periodContains,
  periodKeyOf,
  periodKeysOf,
  previousPeriod,
  shanghaiDayStart,
  yearFraction
} from '../../src/core/period'

const iso = (s: string): number => {
  const ms = Date.parse(s)
  if (Number.isNaN(ms)) throw new Error(`bad fixture ${s}`)
  return ms
}

/** Instant (UTC ISO) → what a Shanghai calendar says. */
const KEY_CASES: Array<[string, { year: string; quarter: string; month: string; day: string }]> = [
  ['2026-03-31T15:59:59.999Z', { year: '2026', quarter: '2026-Q1', month: '2026-03', day: '2026-03-31' }],
  ['2026-03-31T16:00:00.000Z', { year: '2026', quarter: '2026-Q2', month: '2026-04', day: '2026-04-01' }],
  ['2025-12-31T15:59:59.999Z', { year: '2025', quarter: '2025-Q4', month: '2025-12', day: '2025-12-31' }],
  ['2025-12-31T16:00:00.000Z', { year: '2026', quarter: '2026-Q1', month: '2026-01', day: '2026-01-01' }],
  ['2024-02-28T16:00:00.000Z', { year: '2024', quarter: '2024-Q1', month: '2024-02', day: '2024-02-29' }],
  ['2024-02-29T15:59:59.999Z', { year: '2024', quarter: '2024-Q1', month: '2024-02', day: '2024-02-29' }],
  ['2024-02-29T16:00:00.000Z', { year: '2024', quarter: '2024-Q1', month: '2024-03', day: '2024-03-01' }],
  ['2026-06-30T16:00:00.000Z', { year: '2026', quarter: '2026-Q3', month: '2026-07', day: '2026-07-01' }],
  ['2026-09-30T15:00:00.000Z', { year: '2026', quarter: '2026-Q3', month: '2026-09', day: '2026-09-30' }],
  // 02:30 on the morning New York springs forward: must not shift in Shanghai.
  ['2026-03-08T07:30:00.000Z', { year: '2026', quarter: '2026-Q1', month: '2026-03', day: '2026-03-08' }],
  ['2026-11-01T06:30:00.000Z', { year: '2026', quarter: '2026-Q4', month: '2026-11', day: '2026-11-01' }]
]

/** Period key → [start, end) as UTC ISO. */
const BOUND_CASES: Array<[string, string, string]> = [
  ['2026', '2025-12-31T16:00:00.000Z', '2026-12-31T16:00:00.000Z'],
  ['2026-Q1', '2025-12-31T16:00:00.000Z', '2026-03-31T16:00:00.000Z'],
  ['2026-Q2', '2026-03-31T16:00:00.000Z', '2026-06-30T16:00:00.000Z'],
  ['2026-Q4', '2026-09-30T16:00:00.000Z', '2026-12-31T16:00:00.000Z'],
  ['2026-03', '2026-02-28T16:00:00.000Z', '2026-03-31T16:00:00.000Z'],
  ['2026-12', '2026-11-30T16:00:00.000Z', '2026-12-31T16:00:00.000Z'],
  ['2024-02', '2024-01-31T16:00:00.000Z', '2024-02-29T16:00:00.000Z'],
  ['2025-02', '2025-01-31T16:00:00.000Z', '2025-02-28T16:00:00.000Z'],
  ['2024', '2023-12-31T16:00:00.000Z', '2024-12-31T16:00:00.000Z']
]

const BAD_KEYS = ['2026-13', '2026-Q5', '26', '', '2026-3', '2026-00', '2026-Q0', '2026-q1', ' 2026', '2026-03-01', '1969', '3000']

const ZONES: Array<[string, number]> = [
  ['UTC', 0],
  ['Asia/Shanghai', -480],
  ['America/New_York', 300]
]

const seenOffsets: number[] = []

describe.each(ZONES)('with process TZ=%s', (zone, expectedOffset) => {
  beforeAll(() => {
    process.env.TZ = zone
  })

  test('the process zone really switched', () => {
    const offset = new Date(2026, 0, 1).getTimezoneOffset()
    expect(offset).toBe(expectedOffset)
    seenOffsets.push(offset)
  })

  test.each(KEY_CASES)('periodKeysOf(%s)', (instant, keys) => {
    expect(periodKeysOf(iso(instant))).toEqual(keys)
    expect(periodKeyOf(iso(instant), 'quarter')).toBe(keys.quarter)
  })

  test.each(BOUND_CASES)('periodBounds(%s)', (key, start, end) => {
    expect(periodBounds(key)).toEqual({ start: iso(start), end: iso(end) })
    expect(periodContains(key, iso(start))).toBe(true)
    expect(periodContains(key, iso(end) - 1)).toBe(true)
    expect(periodContains(key, iso(end))).toBe(false)
    expect(periodContains(key, iso(start) - 1)).toBe(false)
  })

  test('every instant lands in the bounds of its own keys', () => {
    for (const [instant] of KEY_CASES) {
      const ms = iso(instant)
      const keys = periodKeysOf(ms)
      for (const key of [keys.year, keys.quarter, keys.month]) {
        const { start, end } = periodBounds(key)
        expect(ms >= start && ms < end).toBe(true)
      }
    }
  })

  test('shanghaiDayStart finds Shanghai midnight', () => {
    expect(shanghaiDayStart(iso('2026-03-31T15:59:59.999Z'))).toBe(iso('2026-03-30T16:00:00.000Z'))
    expect(shanghaiDayStart(iso('2026-03-31T16:00:00.000Z'))).toBe(iso('2026-03-31T16:00:00.000Z'))
    expect(shanghaiDayStart(iso('2026-03-08T07:30:00.000Z'))).toBe(iso('2026-03-07T16:00:00.000Z'))
  })

  test('formatShanghai shows the Shanghai wall clock', () => {
    expect(formatShanghai(iso('2026-03-31T16:00:00.000Z'), 'YYYY-MM-DD HH:mm:ss')).toBe('2026-04-01 00:00:00')
    expect(formatShanghai(iso('2025-12-31T15:59:59.999Z'), 'YYYY年M月D日 HH:mm')).toBe('2025年12月31日 23:59')
    expect(formatShanghai(iso('2026-03-08T07:30:00.000Z'))).toBe('2026-03-08 15:30')
    expect(formatShanghai(iso('2026-01-01T00:00:00.000Z'), 'dddd')).toBe('星期四')
    expect(formatShanghai(iso('2026-01-01T00:00:00.000Z'), 'HH:mmZ [Z] ZZ')).toBe('08:00+08:00 Z +0800')
  })

  test('yearFraction follows the Shanghai year', () => {
    expect(yearFraction(iso('2025-12-31T16:00:00.000Z'), 2026)).toBe(0)
    expect(yearFraction(iso('2025-12-31T15:00:00.000Z'), 2026)).toBe(0)
    expect(yearFraction(iso('2026-12-31T16:00:00.000Z'), 2026)).toBe(1)
    expect(yearFraction(iso('2027-06-01T00:00:00.000Z'), 2026)).toBe(1)
    // 2026-07-02 12:00 Shanghai is exactly half-way through a 365-day year.
    expect(yearFraction(iso('2026-07-02T04:00:00.000Z'), 2026)).toBeCloseTo(0.5, 10)
    // Leap year: 2024-07-02 00:00 Shanghai is day 183 of 366.
    expect(yearFraction(iso('2024-07-01T16:00:00.000Z'), 2024)).toBeCloseTo(183 / 366, 10)
  })
})

test('the zone table really covered three different offsets', () => {
  expect(new Set(seenOffsets).size).toBe(3)
})

describe('period keys', () => {
  test('parsePeriod reads each kind', () => {
    expect(parsePeriod('2026')).toEqual({ kind: 'year', year: 2026 })
    expect(parsePeriod('2026-Q3')).toEqual({ kind: 'quarter', year: 2026, quarter: 3 })
    expect(parsePeriod('2026-11')).toEqual({ kind: 'month', year: 2026, quarter: 4, month: 11 })
  })

  test.each(BAD_KEYS)('rejects bad key %j', (key) => {
    expect(isValidPeriodKey(key)).toBe(false)
    let caught: unknown
    try {
      parsePeriod(key)
    } catch (e) {
      caught = e
    }
    expect(caught).toBeInstanceOf(AppError)
    expect((caught as AppError).code).toBe('INVALID_INPUT')
    expect(() => periodBounds(key)).toThrow(AppError)
  })

  test('isValidPeriodKey refuses non-strings', () => {
    expect(isValidPeriodKey(2026)).toBe(false)
    expect(isValidPeriodKey(null)).toBe(false)
    expect(isValidPeriodKey('2026-Q1')).toBe(true)
  })

  test('previous and next cross year edges', () => {
    expect(previousPeriod('2026-01')).toBe('2025-12')
    expect(nextPeriod('2025-12')).toBe('2026-01')
    expect(previousPeriod('2026-Q1')).toBe('2025-Q4')
    expect(nextPeriod('2026-Q4')).toBe('2027-Q1')
    expect(nextPeriod('2026-Q2')).toBe('2026-Q3')
    expect(previousPeriod('2026')).toBe('2025')
    expect(nextPeriod('2026-09')).toBe('2026-10')
    expect(() => previousPeriod('1970')).toThrow(AppError)
    expect(() => nextPeriod('2999-12')).toThrow(AppError)
  })

  test('next period starts where this one ends', () => {
    for (const key of ['2024', '2024-Q4', '2024-02', '2026-12', '2026-Q1']) {
      expect(periodBounds(nextPeriod(key)).start).toBe(periodBounds(key).end)
      expect(previousPeriod(nextPeriod(key))).toBe(key)
    }
  })

  test('monthsOfPeriod lists months in order', () => {
    expect(monthsOfPeriod('2026-Q2')).toEqual(['2026-04', '2026-05', '2026-06'])
    expect(monthsOfPeriod('2026-07')).toEqual(['2026-07'])
    const year = monthsOfPeriod('2026')
    expect(year).toHaveLength(12)
    expect(year[0]).toBe('2026-01')
    expect(year[11]).toBe('2026-12')
  })

  test('non-finite instants are refused, not turned into NaN keys', () => {
    expect(() => periodKeysOf(Number.NaN)).toThrow(AppError)
    expect(() => formatShanghai(Number.POSITIVE_INFINITY, 'YYYY')).toThrow(AppError)
  })
})
