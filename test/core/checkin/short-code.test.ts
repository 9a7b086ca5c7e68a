import { QR_GRACE_SLOTS, judgeTokenTime, slotStart } from '../../../src/core/checkin/qr-slot'
import {
  SHORT_CODE_RECOGNISED_SLOTS,
  liveShortCodeSlots,
  normalizeShortCode,
  recentShortCodeSlots,
  shortCodeFromDigest,
  shortCodeMessage,
  spacedShortCode
} from '../../../src/core/checkin/short-code'

describe('short check-in code', () => {
  it('takes the first 48 bits of the digest mod 10^6, zero-padded', () => {
    expect(shortCodeFromDigest(new Uint8Array(32))).toBe('000000')
    // 0x000000000001 = 1
    expect(shortCodeFromDigest(Uint8Array.from([0, 0, 0, 0, 0, 1, 255, 255]))).toBe('000001')
    // 0xffffffffffff = 281474976710655 → 710655
    expect(shortCodeFromDigest(Uint8Array.from([255, 255, 255, 255, 255, 255]))).toBe('710655')
    expect(() => shortCodeFromDigest(new Uint8Array(5))).toThrow(RangeError)
  })

  it('signs a message of its own, unlike the QR signature', () => {
    expect(shortCodeMessage('s_1', 42)).toBe('short|s_1|42')
    expect(shortCodeMessage('s_1', 42)).not.toBe('s_1:42')
  })

  it('is shown in two groups of three', () => {
    expect(spacedShortCode('382917')).toBe('382 917')
    expect(spacedShortCode('007001')).toBe('007 001')
    expect(spacedShortCode('12345')).toBe('12345')
  })

  it('forgives spaces, dashes and full-width digits, nothing else', () => {
    expect(normalizeShortCode('382917')).toBe('382917')
    expect(normalizeShortCode(' 382 917 ')).toBe('382917')
    expect(normalizeShortCode('382-917')).toBe('382917')
    expect(normalizeShortCode('３８２９１７')).toBe('382917')
    expect(normalizeShortCode('382\u3000917')).toBe('382917')
    for (const bad of ['', '38291', '3829170', '38291a', 'ci.s1.1.AAAA', '٣٨٢٩١٧', null, 382917, 'x'.repeat(100)]) {
      expect(normalizeShortCode(bad)).toBeNull()
    }
  })

  it('accepts exactly the slots a live QR scan is accepted for', () => {
    const now = 1_000_000
    const live = liveShortCodeSlots(now)
    expect(live[0]).toBe(now)
    expect(new Set(live).size).toBe(live.length)
    for (let slot = now - 20; slot <= now + 3; slot++) {
      const qr = judgeTokenTime(slot, slotStart(now) + 5000)
      expect([slot, live.includes(slot)]).toEqual([slot, qr.ok])
    }
    expect(live).toHaveLength(2 + QR_GRACE_SLOTS)
    expect(liveShortCodeSlots(0)).toEqual([0, 1])
  })

  it('recognises a few older slots as expired, never a live one', () => {
    const recent = recentShortCodeSlots(500)
    expect(recent).toHaveLength(SHORT_CODE_RECOGNISED_SLOTS)
    expect(recent.some((s) => liveShortCodeSlots(500).includes(s))).toBe(false)
    expect(Math.max(...recent)).toBe(500 - QR_GRACE_SLOTS - 1)
    expect(recentShortCodeSlots(1)).toEqual([])
  })
})
