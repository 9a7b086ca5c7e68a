/**
 * @jest-environment <rootDir>/test/core/support/tz-environment.ts
 */
import { AppError } from '../../src/core/errors'
import { RecurrenceSchema, type Recurrence } from '../../src/core/functions/session'
import { formatShanghai } from '../../src/core/period'
import { daysInMonth, fromShanghaiWall, generateOccurrences, shanghaiWallDate, type OccurrenceSeed } from '../../src/core/recurrence'
import {
  CHECKIN_OPENS_BEFORE_MS,
  DEFAULT_GEOFENCE_RADIUS_M,
  LATE_GRACE_MS,
  checkWindowFits,
  defaultAudience,
  defaultCheckinWindow,
  shiftCheckinWindow
} from '../../src/core/session-defaults'
import { GeofenceSchema } from '../../src/core/schemas/session'
import { expectAccepts, expectRejects } from './support/expect-schema'

const MIN = 60 * 1000
const H = 60 * MIN
/** Epoch ms of a Shanghai wall-clock time, written out independently of the code under test. */
const sh = (iso: string): number => Date.parse(`${iso}+08:00`)

function seedAt(startIso: string, hours = 2): OccurrenceSeed {
  const startAt = sh(startIso)
  const endAt = startAt + hours * H
  return { startAt, endAt, checkin: defaultCheckinWindow(startAt, endAt) }
}

const rule = (r: Partial<Recurrence> & Pick<Recurrence, 'every'>): Recurrence => RecurrenceSchema.parse(r)
const wall = (ms: number) => formatShanghai(ms, 'YYYY-MM-DD HH:mm')

const ZONES: Array<[string, number]> = [
  ['UTC', 0],
  ['Asia/Shanghai', -480],
  ['America/New_York', 300],
  ['Pacific/Kiritimati', -840]
]

describe.each(ZONES)('with process TZ=%s', (zone, offset) => {
  beforeAll(() => {
    process.env.TZ = zone
  })

  test('the process zone really switched', () => {
    expect(new Date(2026, 0, 1).getTimezoneOffset()).toBe(offset)
  })

  test('主题党日 every month on the 15th at 14:30: twelve occurrences, same wall time, window kept', () => {
    const seed = seedAt('2026-12-15T14:30')
    const { occurrences, notices } = generateOccurrences(seed, rule({ every: 'month', count: 12, dayOfMonth: 15 }))
    expect(notices).toEqual([])
    expect(occurrences.map((o) => wall(o.startAt))).toEqual([
      '2026-12-15 14:30', '2027-01-15 14:30', '2027-02-15 14:30', '2027-03-15 14:30',
      '2027-04-15 14:30', '2027-05-15 14:30', '2027-06-15 14:30', '2027-07-15 14:30',
      '2027-08-15 14:30', '2027-09-15 14:30', '2027-10-15 14:30', '2027-11-15 14:30'
    ])
    for (const o of occurrences) {
      expect(o.endAt - o.startAt).toBe(2 * H)
      expect(o.checkin).toEqual({ opensAt: o.startAt - 30 * MIN, closesAt: o.endAt, lateAfter: o.startAt + 10 * MIN })
    }
    // Across New York's DST change (March) the Shanghai wall time does not move.
    expect(occurrences[3].startAt - occurrences[2].startAt).toBe(28 * 24 * H)
  })

  test('the 31st in a month without one falls on its last day, and says so; later months go back to the 31st', () => {
    const { occurrences, notices } = generateOccurrences(seedAt('2027-01-31T09:00', 1), rule({ every: 'month', count: 4, dayOfMonth: 31 }))
    expect(occurrences.map((o) => wall(o.startAt))).toEqual(['2027-01-31 09:00', '2027-02-28 09:00', '2027-03-31 09:00', '2027-04-30 09:00'])
    expect(occurrences.map((o) => o.requestedDay)).toEqual([undefined, 31, undefined, 31])
    expect(notices).toEqual([
      { code: 'day_clamped', index: 1, message: '2027年2月没有31日，已安排在该月最后一天（28日）' },
      { code: 'day_clamped', index: 3, message: '2027年4月没有31日，已安排在该月最后一天（30日）' }
    ])
    // A leap year's February has a 29th.
    const leap = generateOccurrences(seedAt('2028-01-30T09:00', 1), rule({ every: 'month', count: 2, dayOfMonth: 30 }))
    expect(leap.occurrences.map((o) => wall(o.startAt))).toEqual(['2028-01-30 09:00', '2028-02-29 09:00'])
  })

  test('the first occurrence is the first matching date on or after the start date', () => {
    const later = generateOccurrences(seedAt('2026-12-20T14:30'), rule({ every: 'month', count: 2, dayOfMonth: 15 }))
    expect(later.occurrences.map((o) => wall(o.startAt))).toEqual(['2027-01-15 14:30', '2027-02-15 14:30'])
    // Without a day the start's own day repeats.
    const own = generateOccurrences(seedAt('2026-12-05T09:00'), rule({ every: 'month', count: 2 }))
    expect(own.occurrences.map((o) => wall(o.startAt))).toEqual(['2026-12-05 09:00', '2027-01-05 09:00'])
  })

  test('until year_end stops at the end of the Shanghai year', () => {
    const r = generateOccurrences(seedAt('2026-03-15T14:30'), rule({ every: 'month', until: 'year_end', dayOfMonth: 15 }))
    expect(r.occurrences).toHaveLength(10)
    expect(wall(r.occurrences[9].startAt)).toBe('2026-12-15 14:30')
    // A session at 23:30 on 31 December Shanghai is still that year (it is already 1 January nowhere else).
    const late = generateOccurrences(seedAt('2026-12-31T23:30', 0.25), rule({ every: 'month', until: 'year_end' }))
    expect(late.occurrences.map((o) => wall(o.startAt))).toEqual(['2026-12-31 23:30'])
    const weekly = generateOccurrences(seedAt('2026-12-01T19:00'), rule({ every: 'week', until: 'year_end', weekday: 5 }))
    expect(weekly.occurrences.map((o) => wall(o.startAt))).toEqual(['2026-12-04 19:00', '2026-12-11 19:00', '2026-12-18 19:00', '2026-12-25 19:00'])
  })

  test('every week on a weekday, at most a year of weeks', () => {
    // 2026-11-20 is a Friday; the next Wednesday is 25 November.
    const r = generateOccurrences(seedAt('2026-11-20T19:30', 1.5), rule({ every: 'week', count: 3, weekday: 3 }))
    expect(r.occurrences.map((o) => formatShanghai(o.startAt, 'YYYY-MM-DD dddd HH:mm'))).toEqual([
      '2026-11-25 星期三 19:30', '2026-12-02 星期三 19:30', '2026-12-09 星期三 19:30'
    ])
    const year = generateOccurrences(seedAt('2026-01-01T08:00', 1), rule({ every: 'week', until: 'year_end' }))
    expect(year.occurrences).toHaveLength(53)
    expect(wall(year.occurrences[52].startAt)).toBe('2026-12-31 08:00')
  })

  test('wall-date helpers agree with a Shanghai calendar', () => {
    // 00:30 Friday 1 January 2027 in Shanghai is still Thursday in UTC.
    expect(shanghaiWallDate(sh('2027-01-01T00:30'))).toEqual({ year: 2027, month: 1, day: 1, weekday: 5, timeOfDay: 30 * MIN })
    expect(fromShanghaiWall(2027, 13, 1, 0)).toBe(sh('2028-01-01T00:00'))
    expect([daysInMonth(2026, 2), daysInMonth(2028, 2), daysInMonth(2026, 12)]).toEqual([28, 29, 31])
  })
})

describe('recurrence rule schema', () => {
  test('keeps every + count and adds day, weekday and until', () => {
    expectAccepts(RecurrenceSchema, { every: 'month', count: 12 })
    expectAccepts(RecurrenceSchema, { every: 'month', count: 12, dayOfMonth: 31 })
    expectAccepts(RecurrenceSchema, { every: 'week', count: 53, weekday: 7 })
    expectAccepts(RecurrenceSchema, { every: 'month', until: 'year_end' })
  })

  test('refuses more than a year, both or neither limit, and mixed fields', () => {
    expectRejects(RecurrenceSchema, { every: 'month', count: 13 }, 'count')
    expectRejects(RecurrenceSchema, { every: 'week', count: 54 }, 'count')
    expectRejects(RecurrenceSchema, { every: 'month' }, 'count')
    expectRejects(RecurrenceSchema, { every: 'month', count: 3, until: 'year_end' }, 'count')
    expectRejects(RecurrenceSchema, { every: 'month', count: 3, weekday: 1 }, 'weekday')
    expectRejects(RecurrenceSchema, { every: 'week', count: 3, dayOfMonth: 1 }, 'dayOfMonth')
    expectRejects(RecurrenceSchema, { every: 'month', count: 3, dayOfMonth: 32 }, 'dayOfMonth')
    expectRejects(RecurrenceSchema, { every: 'day', count: 3 }, 'every')
    expectRejects(RecurrenceSchema, { every: 'month', count: 3, until: '2027-01-01' }, 'until')
  })

  test('an impossible rule is a kind refusal, not a crash', () => {
    expect(() => generateOccurrences(seedAt('2026-12-01T09:00'), { every: 'week', count: 0 } as Recurrence)).toThrow(AppError)
  })
})

describe('session defaults', () => {
  test('check-in opens 30 min before, late after start + 10 min, closes at the end', () => {
    const start = sh('2026-12-15T14:30')
    expect(defaultCheckinWindow(start, start + 2 * H)).toEqual({ opensAt: start - 30 * MIN, lateAfter: start + 10 * MIN, closesAt: start + 2 * H })
    expect([CHECKIN_OPENS_BEFORE_MS, LATE_GRACE_MS]).toEqual([30 * MIN, 10 * MIN])
    // A five-minute session is never "late" after it is over.
    expect(defaultCheckinWindow(start, start + 5 * MIN).lateAfter).toBe(start + 5 * MIN)
    expect(checkWindowFits({ startAt: start, endAt: start + 5 * MIN, checkin: defaultCheckinWindow(start, start + 5 * MIN) })).toEqual([])
  })

  test('geofence radius defaults to 200 m', () => {
    expect(DEFAULT_GEOFENCE_RADIUS_M).toBe(200)
    expect(GeofenceSchema.parse({ lat: 39.9, lng: 116.4 }).radiusM).toBe(200)
  })

  test('audience by type: committee for 支委会, a group must be chosen for 党小组会, else the branch', () => {
    expect(defaultAudience('committee_meeting')).toEqual({ kind: 'committee' })
    expect(defaultAudience('group_meeting')).toBeNull()
    for (const t of ['branch_general_meeting', 'party_lecture', 'theme_day', 'seminar', 'group_study', 'other'] as const) {
      expect(defaultAudience(t)).toEqual({ kind: 'branch' })
    }
  })

  test('a window must sit around its session', () => {
    const s = seedAt('2026-12-15T14:30')
    const paths = (w: Partial<OccurrenceSeed['checkin']>, t: Partial<OccurrenceSeed> = {}) =>
      checkWindowFits({ ...s, ...t, checkin: { ...s.checkin, ...w } }).map((p) => p.path)
    expect(paths({})).toEqual([])
    expect(paths({ closesAt: s.endAt + MIN })).toEqual(['checkin.closesAt'])
    expect(paths({ opensAt: s.startAt - 25 * H })).toEqual(['checkin.opensAt'])
    expect(paths({ lateAfter: s.endAt + MIN })).toContain('checkin.lateAfter')
    expect(paths({}, { endAt: s.startAt })).toContain('endAt')
    expect(paths({ opensAt: s.endAt, closesAt: s.endAt })).toEqual(expect.arrayContaining(['checkin.opensAt', 'checkin.closesAt']))
  })

  test('moving a session moves its window with it', () => {
    const s = seedAt('2026-12-15T14:30')
    const later = s.startAt + 24 * H
    expect(shiftCheckinWindow(s, later, later + 3 * H)).toEqual(defaultCheckinWindow(later, later + 3 * H))
  })
})
