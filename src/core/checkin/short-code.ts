/**
 * The short check-in code: six digits a person can read from the back of a
 * room and type in a few seconds, for a phone that cannot scan (the web
 * version). It rotates with the QR code (same 30 s slots, same grace) and is
 * derived by the server from the same secret (cloudfunctions/_shared/
 * checkin-token.ts). Six digits do not name the session, so the member types
 * them on that session's page and the server compares them with the codes of
 * the slots it accepts. Only the text rules live here, with no crypto: the
 * phone checks what was typed exactly as the server does.
 */
import { QR_GRACE_SLOTS } from './qr-slot'

export const SHORT_CODE_DIGITS = 6
export const SHORT_CODE_RE = /^[0-9]{6}$/
const MODULUS = 10 ** SHORT_CODE_DIGITS

/** The HMAC message of a slot's code: distinct from the QR signature's `${sessionId}:${slot}`. */
export function shortCodeMessage(sessionId: string, slot: number): string {
  return `short|${sessionId}|${slot}`
}

/**
 * Six digits from a digest: its first 6 bytes as a big-endian integer, mod
 * 10^6, zero-padded. 48 bits make the modulo bias negligible (< 2^-28).
 */
export function shortCodeFromDigest(digest: Uint8Array): string {
  if (digest.length < 6) throw new RangeError('digest too short for a short code')
  let n = 0
  for (let i = 0; i < 6; i++) n = n * 256 + digest[i]
  return String(n % MODULUS).padStart(SHORT_CODE_DIGITS, '0')
}

/** `382917` → `382 917`: two groups of three are read aloud and kept in mind more easily. */
export function spacedShortCode(code: string): string {
  return SHORT_CODE_RE.test(code) ? `${code.slice(0, 3)} ${code.slice(3)}` : code
}

const FULLWIDTH_ZERO = 0xff10

/**
 * What a member typed, as the six digits it means, or null: spaces, dashes
 * and full-width digits (a Chinese keyboard) are forgiven; anything else is
 * not a code. The server accepts only the strict form (CheckInInput).
 */
export function normalizeShortCode(text: unknown): string | null {
  if (typeof text !== 'string' || text.length > 40) return null
  let out = ''
  for (const ch of text) {
    const c = ch.codePointAt(0) as number
    if (c >= 0x30 && c <= 0x39) out += ch
    else if (c >= FULLWIDTH_ZERO && c <= FULLWIDTH_ZERO + 9) out += String(c - FULLWIDTH_ZERO)
    else if (/[\s\-\u3000]/.test(ch)) continue
    else return null
  }
  return SHORT_CODE_RE.test(out) ? out : null
}

/**
 * The slots whose code is accepted at `nowSlot`, as for a live QR scan
 * (judgeTokenTime): the current one, QR_GRACE_SLOTS behind, and one ahead
 * (a code shown by a server instance whose clock runs a little ahead).
 * Current first, so the usual match is found first (all are compared anyway).
 */
export function liveShortCodeSlots(nowSlot: number): number[] {
  const slots = [nowSlot, nowSlot + 1]
  for (let back = 1; back <= QR_GRACE_SLOTS; back++) if (nowSlot - back >= 0) slots.push(nowSlot - back)
  return slots
}

/**
 * Older slots still recognised, only to tell a member "expired" rather than
 * "wrong" (a code typed slowly, or read off a photo): five minutes' worth.
 * Never accepted.
 */
export const SHORT_CODE_RECOGNISED_SLOTS = 10

export function recentShortCodeSlots(nowSlot: number): number[] {
  const slots: number[] = []
  for (let back = QR_GRACE_SLOTS + 1; back <= QR_GRACE_SLOTS + SHORT_CODE_RECOGNISED_SLOTS; back++) if (nowSlot - back >= 0) slots.push(nowSlot - back)
  return slots
}

/**
 * The wrong-code guard: six digits with three live codes are one chance in
 * ~333,000 per guess, which a script could reach in an afternoon. After
 * SHORT_CODE_MAX_WRONG wrong codes for a session within one window, a member
 * may not try a code for that session until the window ends (the QR scan and
 * the secretary's 代签 still work). Expired codes are not counted: those are
 * people typing slowly, not guessing.
 */
export const SHORT_CODE_MAX_WRONG = 5
export const SHORT_CODE_GUARD_WINDOW_MS = 10 * 60 * 1000
