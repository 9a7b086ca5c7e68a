/**
 * @jest-environment <rootDir>/test/core/support/tz-environment.ts
 */
import { DEFAULT_SETTINGS } from '../../../src/core/schemas/settings'
import { approxWords, groupDigits, noteQuota, notePace } from '../../../src/core/notes'

const iso = (s: string): number => Date.parse(s)
const STAFF = { rank: 'staff' as const, exempt: null }
const DEPUTY = { rank: 'deputy_section_plus' as const, exempt: null }

describe('noteQuota', () => {
  it('gives 10,000 words to staff and 15,000 to 副科级以上, with 4 essays', () => {
    expect(noteQuota(STAFF, DEFAULT_SETTINGS)).toEqual({ words: 10000, essays: 4 })
    expect(noteQuota(DEPUTY, DEFAULT_SETTINGS)).toEqual({ words: 15000, essays: 4 })
  })

  it('follows the organisation settings', () => {
    const settings = { ...DEFAULT_SETTINGS, quotas: { staffWords: 8000, deputyWords: 12000, essays: 6 } }
    expect(noteQuota(STAFF, settings)).toEqual({ words: 8000, essays: 6 })
    expect(noteQuota(DEPUTY, settings)).toEqual({ words: 12000, essays: 6 })
  })

  it('gives an exempt member no quota', () => {
    expect(noteQuota({ rank: 'deputy_section_plus', exempt: { reason: 'age', since: 0 } }, DEFAULT_SETTINGS)).toBeNull()
  })

  it('exempts by age only when the org sets exemptAge and the birth year is known', () => {
    const settings = { ...DEFAULT_SETTINGS, exemptAge: 80 }
    expect(noteQuota({ ...STAFF, birthYear: 1946 }, settings, 2026)).toBeNull()
    expect(noteQuota({ ...STAFF, birthYear: 1947 }, settings, 2026)).toEqual({ words: 10000, essays: 4 })
    expect(noteQuota({ ...STAFF, birthYear: null }, settings, 2026)).not.toBeNull()
    expect(noteQuota({ ...STAFF, birthYear: 1930 }, DEFAULT_SETTINGS, 2026)).not.toBeNull()
  })
})

describe('number wording', () => {
  it('groups digits and rounds 约 figures', () => {
    expect(groupDigits(0)).toBe('0')
    expect(groupDigits(8900)).toBe('8,900')
    expect(groupDigits(1234567)).toBe('1,234,567')
    expect(approxWords(8874.6)).toBe(8900)
    expect(approxWords(456)).toBe(460)
    expect(approxWords(42.4)).toBe(42)
  })
})

const ZONES: Array<[string, number]> = [
  ['UTC', 0],
  ['Asia/Shanghai', -480],
  ['America/New_York', 300],
  ['Pacific/Kiritimati', -840]
]

describe.each(ZONES)('notePace with process TZ=%s', (zone, offset) => {
  beforeAll(() => {
    process.env.TZ = zone
  })
  const quota = { words: 10000 }

  it('runs with the process zone really switched', () => {
    expect(new Date(2026, 0, 1).getTimezoneOffset()).toBe(offset)
  })

  it('is zero at the first Shanghai instant of the year and one at the last', () => {
    const start = notePace({ creditedWords: 0, quota, at: iso('2025-12-31T16:00:00Z'), year: 2026 })
    expect(start).toMatchObject({ expectedWords: 0, status: 'on_pace', fraction: 0 })
    // 23:59 on 31 Dec in New York is already 2026 in Shanghai, and the reverse.
    expect(notePace({ creditedWords: 0, quota, at: iso('2025-12-31T15:59:59.999Z'), year: 2026 }).fraction).toBe(0)
    const end = notePace({ creditedWords: 0, quota, at: iso('2026-12-31T16:00:00Z'), year: 2026 })
    expect(end).toMatchObject({ expectedWords: 10000, status: 'far_behind', fraction: 1 })
    expect(end.sentence).toBe('2026 年笔记要求 10,000 字，您完成了 0 字，差 10,000 字。')
  })

  it('counts whole Shanghai months at month edges (2026 has 365 days)', () => {
    // 00:00 1 Feb Shanghai = 16:00 31 Jan UTC: exactly 31 days elapsed.
    expect(notePace({ creditedWords: 0, quota, at: iso('2026-01-31T16:00:00Z'), year: 2026 }).expectedWords).toBe(Math.round((10000 * 31) / 365))
    // 00:00 1 Mar: 59 days; one millisecond earlier is still February.
    expect(notePace({ creditedWords: 0, quota, at: iso('2026-02-28T16:00:00Z'), year: 2026 }).expectedWords).toBe(Math.round((10000 * 59) / 365))
    expect(notePace({ creditedWords: 0, quota, at: iso('2026-02-28T15:59:59Z'), year: 2026 }).expectedWords).toBe(Math.round((10000 * 59) / 365))
    // 00:00 1 Jul: 181 days.
    expect(notePace({ creditedWords: 0, quota: { words: 15000 }, at: iso('2026-06-30T16:00:00Z'), year: 2026 }).expectedWords).toBe(Math.round((15000 * 181) / 365))
    // Leap year 2024: 00:00 1 Mar = 60 of 366 days.
    expect(notePace({ creditedWords: 0, quota, at: iso('2024-02-29T16:00:00Z'), year: 2024 }).expectedWords).toBe(Math.round((10000 * 60) / 366))
  })

  it('says where the member should be, in a plain sentence', () => {
    // 00:00 Shanghai, 23 Nov 2026: 326 days elapsed → 8,931.5 words expected.
    const at = iso('2026-11-22T16:00:00Z')
    const p = notePace({ creditedWords: 7200, quota, at, year: 2026 })
    expect(p.expectedWords).toBe(8932)
    expect(p.status).toBe('on_pace') // 7200 / 8931.5 = 0.806 ≥ 0.8
    expect(p.sentence).toBe('按全年均匀进度，到今天应完成约 8,900 字，您已完成 7,200 字，还差约 1,700 字。')
    expect(notePace({ creditedWords: 9000, quota, at, year: 2026 }).sentence).toBe('按全年均匀进度，到今天应完成约 8,900 字，您已完成 9,000 字，进度正常。')
  })

  it('grades pace by the default thresholds and by the organisation ones', () => {
    const at = iso('2026-07-01T16:00:00Z') // 182 of 365 days: 4,986 words expected
    const exp = (10000 * 182) / 365
    const at80 = Math.ceil(exp * 0.8)
    const at50 = Math.ceil(exp * 0.5)
    expect(notePace({ creditedWords: at80, quota, at, year: 2026 }).status).toBe('on_pace')
    expect(notePace({ creditedWords: at80 - 1, quota, at, year: 2026 }).status).toBe('behind')
    expect(notePace({ creditedWords: at50, quota, at, year: 2026 }).status).toBe('behind')
    expect(notePace({ creditedWords: at50 - 1, quota, at, year: 2026 }).status).toBe('far_behind')
    const thresholds = { yellowPace: 0.9, redPace: 0.6 }
    expect(notePace({ creditedWords: at80, quota, at, year: 2026, thresholds }).status).toBe('behind')
    expect(notePace({ creditedWords: Math.ceil(exp * 0.55), quota, at, year: 2026, thresholds }).status).toBe('far_behind')
  })

  it('is done once the quota is met, and exempt without a quota', () => {
    const at = iso('2026-03-15T04:00:00Z')
    const done = notePace({ creditedWords: 10000, quota, at, year: 2026 })
    expect(done.status).toBe('done')
    expect(done.shortWords).toBe(0)
    expect(done.sentence).toBe('2026 年笔记要求 10,000 字，您已完成 10,000 字，已达到要求。')
    expect(notePace({ creditedWords: 50, quota: null, at, year: 2026 })).toMatchObject({ status: 'exempt', expectedWords: 0, sentence: '' })
  })

  it('a future year has not started', () => {
    const p = notePace({ creditedWords: 0, quota, at: iso('2026-03-15T04:00:00Z'), year: 2027 })
    expect(p).toMatchObject({ status: 'on_pace', expectedWords: 0 })
    expect(p.sentence).toBe('2027 年还没有开始，全年要求 10,000 字。')
  })
})
