/**
 * @jest-environment <rootDir>/test/core/support/tz-environment.ts
 */
import { DEFAULT_REMIND_LIMITS, admitReminder, quietUntil, shanghaiDay } from '../../../src/core/remind'

/** A Shanghai wall-clock time, written with its +08:00 offset so no local zone is involved. */
const sh = (s: string): number => Date.parse(`${s}+08:00`)

const ZONES: Array<[string, number]> = [
  ['UTC', 0],
  ['Asia/Shanghai', -480],
  ['America/New_York', 300],
  ['Pacific/Kiritimati', -840]
]

const QUIET_CASES: Array<[string, string | null]> = [
  ['2026-03-05T21:59:59', null],
  ['2026-03-05T22:00:00', '2026-03-06T07:00:00'],
  ['2026-03-05T23:30:00', '2026-03-06T07:00:00'],
  ['2026-03-05T23:59:59.999', '2026-03-06T07:00:00'],
  ['2026-03-06T00:00:00', '2026-03-06T07:00:00'],
  ['2026-03-06T05:00:00', '2026-03-06T07:00:00'],
  ['2026-03-06T06:59:59', '2026-03-06T07:00:00'],
  ['2026-03-06T07:00:00', null],
  ['2026-03-06T12:00:00', null],
  // Across a month and a year end.
  ['2026-02-28T22:30:00', '2026-03-01T07:00:00'],
  ['2026-12-31T23:00:00', '2027-01-01T07:00:00']
]

describe.each(ZONES)('with process TZ=%s', (zone, offset) => {
  beforeAll(() => {
    process.env.TZ = zone
  })

  test('the process zone really switched', () => {
    expect(new Date(2026, 0, 1).getTimezoneOffset()).toBe(offset)
  })

  test.each(QUIET_CASES)('quietUntil(%s) = %s', (at, until) => {
    expect(quietUntil(sh(at))).toBe(until === null ? null : sh(until))
  })

  test('shanghaiDay covers the Shanghai calendar day, end exclusive', () => {
    const day = { start: sh('2026-03-06T00:00:00'), end: sh('2026-03-07T00:00:00') }
    expect(shanghaiDay(sh('2026-03-06T00:00:00'))).toEqual(day)
    expect(shanghaiDay(sh('2026-03-06T07:59:59'))).toEqual(day) // still 2026-03-05 in UTC
    expect(shanghaiDay(sh('2026-03-06T23:59:59.999'))).toEqual(day)
    expect(shanghaiDay(sh('2026-03-07T00:00:00')).start).toBe(day.end)
  })

  test('admitReminder holds during quiet hours until 07:00 on the right day', () => {
    expect(admitReminder({ now: sh('2026-03-05T23:30:00'), sentToday: 0, urgent: false })).toEqual({
      status: 'held',
      deliverAt: sh('2026-03-06T07:00:00')
    })
    expect(admitReminder({ now: sh('2026-03-06T05:00:00'), sentToday: 0, urgent: false })).toEqual({
      status: 'held',
      deliverAt: sh('2026-03-06T07:00:00')
    })
  })
})

describe('admitReminder', () => {
  const day = sh('2026-03-05T10:00:00')

  test('sends now under the daily count outside quiet hours', () => {
    expect(admitReminder({ now: day, sentToday: 2, urgent: false })).toEqual({ status: 'now', deliverAt: day })
    expect(admitReminder({ now: sh('2026-03-05T21:59:59'), sentToday: 0, urgent: false }).status).toBe('now')
    expect(admitReminder({ now: sh('2026-03-05T07:00:00'), sentToday: 0, urgent: false }).status).toBe('now')
  })

  test('rate limited at the daily count, delivered never (deliverAt = now)', () => {
    expect(admitReminder({ now: day, sentToday: 3, urgent: false })).toEqual({ status: 'rate_limited', deliverAt: day })
    expect(admitReminder({ now: day, sentToday: 7, urgent: false }).status).toBe('rate_limited')
  })

  test('rate limit wins over quiet hours: an over-count reminder is not held for later', () => {
    const night = sh('2026-03-05T23:00:00')
    expect(admitReminder({ now: night, sentToday: 3, urgent: false })).toEqual({ status: 'rate_limited', deliverAt: night })
  })

  test('urgent skips the daily count but is still held in quiet hours', () => {
    expect(admitReminder({ now: day, sentToday: 10, urgent: true })).toEqual({ status: 'now', deliverAt: day })
    expect(admitReminder({ now: sh('2026-03-05T22:00:00'), sentToday: 10, urgent: true })).toEqual({
      status: 'held',
      deliverAt: sh('2026-03-06T07:00:00')
    })
  })

  test('custom limits: a non-wrapping window and a higher count', () => {
    const limits = { maxPerDay: 5, quietStartHour: 1, quietEndHour: 6 }
    expect(admitReminder({ now: day, sentToday: 4, urgent: false }, limits).status).toBe('now')
    expect(admitReminder({ now: day, sentToday: 5, urgent: false }, limits).status).toBe('rate_limited')
    expect(quietUntil(sh('2026-03-05T00:59:59'), limits)).toBeNull()
    expect(quietUntil(sh('2026-03-05T01:00:00'), limits)).toBe(sh('2026-03-05T06:00:00'))
    expect(quietUntil(sh('2026-03-05T05:59:59'), limits)).toBe(sh('2026-03-05T06:00:00'))
    expect(quietUntil(sh('2026-03-05T06:00:00'), limits)).toBeNull()
    expect(quietUntil(sh('2026-03-05T23:00:00'), limits)).toBeNull()
  })

  test('a window ending at midnight (20–0) ends at the next day 00:00', () => {
    const limits = { ...DEFAULT_REMIND_LIMITS, quietStartHour: 20, quietEndHour: 0 }
    expect(quietUntil(sh('2026-03-05T19:59:59'), limits)).toBeNull()
    expect(quietUntil(sh('2026-03-05T20:00:00'), limits)).toBe(sh('2026-03-06T00:00:00'))
    expect(quietUntil(sh('2026-03-06T00:00:00'), limits)).toBeNull()
  })

  test('equal start and end hours mean no quiet hours', () => {
    const limits = { ...DEFAULT_REMIND_LIMITS, quietStartHour: 7, quietEndHour: 7 }
    expect(quietUntil(sh('2026-03-05T03:00:00'), limits)).toBeNull()
  })

  test('defaults are 3 a day, quiet 22:00–07:00', () => {
    expect(DEFAULT_REMIND_LIMITS).toEqual({ maxPerDay: 3, quietStartHour: 22, quietEndHour: 7 })
  })
})
