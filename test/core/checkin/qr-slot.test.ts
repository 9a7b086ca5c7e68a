import {
  CLIENT_CLOCK_SLACK_MS,
  OFFLINE_MAX_AGE_MS,
  QR_SLOT_MS,
  acceptedSlot,
  formatCheckinToken,
  judgeTokenTime,
  parseCheckinToken,
  slotEnd,
  slotOf,
  slotStart,
  tokenValidUntil
} from '../../../src/core/checkin/qr-slot'
import { QrTokenSchema } from '../../../src/core/functions/checkin'

const SIG = 'AbCdEf0123456789'
const T = Date.parse('2026-11-20T06:00:00Z') // a slot boundary: divisible by 30 s

describe('slots', () => {
  it('cuts time into 30 s slots, start inclusive', () => {
    expect(QR_SLOT_MS).toBe(30_000)
    expect(slotOf(T)).toBe(T / 30_000)
    expect(slotOf(T - 1)).toBe(T / 30_000 - 1)
    expect(slotOf(T + 29_999)).toBe(T / 30_000)
    expect(slotStart(slotOf(T + 12_345))).toBe(T)
    expect(slotEnd(slotOf(T))).toBe(T + 29_999)
    expect(slotOf(0)).toBe(0)
  })

  it('has no slot for negative or non-finite times', () => {
    expect(() => slotOf(-1)).toThrow(RangeError)
    expect(() => slotOf(NaN)).toThrow(RangeError)
    expect(() => slotOf(Infinity)).toThrow(RangeError)
  })

  it('accepts the current slot and the one before, not two before nor the future', () => {
    expect(acceptedSlot(100, 100)).toBe(true)
    expect(acceptedSlot(99, 100)).toBe(true)
    expect(acceptedSlot(98, 100)).toBe(false)
    expect(acceptedSlot(101, 100)).toBe(false)
    expect(tokenValidUntil(100)).toBe(slotStart(102))
  })
})

describe('token text', () => {
  it('round-trips, and QrTokenSchema accepts what is formatted', () => {
    for (const sessionId of ['s_br_1_202611_theme_day', 's:h0123abcd', 'a.b.c', 'x', 'S-1_2:3.4', 'a'.repeat(128)]) {
      const token = formatCheckinToken({ sessionId, slot: 59_000_123, sig: SIG })
      expect(QrTokenSchema.safeParse(token).success).toBe(true)
      expect(parseCheckinToken(token)).toEqual({ sessionId, slot: 59_000_123, sig: SIG })
    }
    expect(formatCheckinToken({ sessionId: 's1', slot: 7, sig: SIG })).toBe(`ci.s1.7.${SIG}`)
  })

  it('refuses to format bad parts', () => {
    expect(() => formatCheckinToken({ sessionId: '', slot: 1, sig: SIG })).toThrow()
    expect(() => formatCheckinToken({ sessionId: 'a b', slot: 1, sig: SIG })).toThrow()
    expect(() => formatCheckinToken({ sessionId: 's', slot: -1, sig: SIG })).toThrow()
    expect(() => formatCheckinToken({ sessionId: 's', slot: 1.5, sig: SIG })).toThrow()
    expect(() => formatCheckinToken({ sessionId: 's', slot: 1, sig: 'has.dot.0123456789' })).toThrow()
  })

  it.each([
    ['', 'empty'],
    ['hello world', 'prose'],
    ['https://example.com/ci.s1.1.AbCdEf0123456789', 'a URL'],
    ['ci.s1.1', 'no signature'],
    ['ci..1.AbCdEf0123456789', 'no session'],
    ['ci.s1.x1.AbCdEf0123456789', 'slot not digits'],
    ['ci.s1.01.AbCdEf0123456789', 'slot with a leading zero'],
    ['ci.s1.-1.AbCdEf0123456789', 'negative slot'],
    ['ci.s1.99999999999999999.AbCdEf0123456789', 'slot too large'],
    ['ci.s1.1.short', 'signature too short'],
    ['ci.s 1.1.AbCdEf0123456789', 'space in the session'],
    ['ci.s1.1.AbCdEf01234567+/', 'signature not base64url'],
    ['CI.s1.1.AbCdEf0123456789', 'wrong prefix'],
    ['ci.s1.1.' + 'A'.repeat(300), 'oversized']
  ])('parse returns null for %p (%s)', (text) => {
    expect(parseCheckinToken(text)).toBeNull()
  })

  it('returns null for non-strings', () => {
    for (const v of [undefined, null, 42, {}, ['ci.s1.1.' + SIG]]) expect(parseCheckinToken(v)).toBeNull()
  })
})

describe('judgeTokenTime', () => {
  const slot = slotOf(T)

  it('live: the current slot, at = now', () => {
    expect(judgeTokenTime(slot, T + 5000)).toEqual({ ok: true, at: T + 5000, offline: false })
  })

  it('live: the previous slot, at clamped to the end of the token slot', () => {
    expect(judgeTokenTime(slot, T + QR_SLOT_MS + 100)).toEqual({ ok: true, at: T + QR_SLOT_MS - 1, offline: false })
  })

  it('live: one slot ahead (another instance a little ahead) is accepted, further is not', () => {
    expect(judgeTokenTime(slot + 1, T + 1).ok).toBe(true)
    expect(judgeTokenTime(slot + 2, T + 1)).toEqual({ ok: false, reason: 'expired' })
  })

  it('two slots old without clientAt is expired', () => {
    expect(judgeTokenTime(slot, T + 2 * QR_SLOT_MS)).toEqual({ ok: false, reason: 'expired' })
    expect(judgeTokenTime(slot, T + 2 * QR_SLOT_MS - 1).ok).toBe(true)
  })

  it('offline: an old token with clientAt in its slot (or the next) is accepted and dated by the slot', () => {
    const now = T + 3 * 60 * 60 * 1000
    expect(judgeTokenTime(slot, now, T + 10_000)).toEqual({ ok: true, at: T + 10_000, offline: true })
    expect(judgeTokenTime(slot, now, T + QR_SLOT_MS + 10_000)).toEqual({ ok: true, at: T + QR_SLOT_MS - 1, offline: true })
  })

  it('offline: clientAt outside the token slot is expired (an old photo with a fresh time)', () => {
    const now = T + 60 * 60 * 1000
    expect(judgeTokenTime(slot, now, T + 2 * QR_SLOT_MS)).toEqual({ ok: false, reason: 'expired' })
    expect(judgeTokenTime(slot, now, T - 1)).toEqual({ ok: false, reason: 'expired' })
    expect(judgeTokenTime(slot, now, now)).toEqual({ ok: false, reason: 'expired' })
  })

  it('offline: at most a day old', () => {
    expect(judgeTokenTime(slot, T + OFFLINE_MAX_AGE_MS, T).ok).toBe(true)
    expect(judgeTokenTime(slot, T + OFFLINE_MAX_AGE_MS + 1, T)).toEqual({ ok: false, reason: 'stale_offline' })
  })

  it('offline: a clientAt ahead of the server beyond the slack is not believed', () => {
    // A token from the past with a phone clock in the future: the phone lies.
    const now = T + 10 * QR_SLOT_MS
    expect(judgeTokenTime(slot, now, now + CLIENT_CLOCK_SLACK_MS + 1)).toEqual({ ok: false, reason: 'client_clock' })
    expect(judgeTokenTime(slot, now, now + CLIENT_CLOCK_SLACK_MS).ok).toBe(false) // still outside the token slot
  })

  it('a live token ignores a lying clientAt beyond its slot', () => {
    expect(judgeTokenTime(slot, T + 1000, T - 10 * 60 * 1000)).toEqual({ ok: true, at: T, offline: false })
    expect(judgeTokenTime(slot, T + 1000, T + 10 * 60 * 1000)).toEqual({ ok: true, at: T + QR_SLOT_MS - 1, offline: false })
  })
})
