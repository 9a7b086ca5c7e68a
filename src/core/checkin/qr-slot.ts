/**
 * The rotating check-in QR code: time is cut into 30-second slots and the
 * venue screen shows a token for the current slot, signed by the server
 * (cloudfunctions/_shared/checkin-token.ts). A photo forwarded to someone at
 * home is useless a minute later. Only the text format and the slot
 * arithmetic live here, with no crypto, so the phone can read a scanned code
 * (e.g. to store an offline scan with its session) exactly as the server does.
 */

export const QR_SLOT_MS = 30_000

/**
 * Slots accepted behind the current one. One covers a code scanned just
 * before the screen rotated plus the network round trip; two would double
 * how long a forwarded photo stays usable.
 */
export const QR_GRACE_SLOTS = 1

const PREFIX = 'ci'
/** base64url, as the signer writes it: no dots, so the signature is always the last dot-free field. */
const SIG_RE = /^[A-Za-z0-9_-]{16,64}$/
const SLOT_RE = /^(0|[1-9][0-9]{0,14})$/
/** IdSchema's alphabet: ids may contain `.` and `:`, which is why tokens are split from the right. */
const SESSION_RE = /^[A-Za-z0-9_:.-]{1,128}$/

export interface CheckinTokenParts {
  sessionId: string
  slot: number
  sig: string
}

/** The slot an instant falls in. Negative or non-finite times have no slot. */
export function slotOf(ms: number): number {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`no QR slot for ${ms}`)
  return Math.floor(ms / QR_SLOT_MS)
}

/** First millisecond of the slot. */
export function slotStart(slot: number): number {
  return slot * QR_SLOT_MS
}

/** Last millisecond of the slot (inclusive). */
export function slotEnd(slot: number): number {
  return slotStart(slot + 1) - 1
}

/** The exact text put in the QR code: `ci.<sessionId>.<slot>.<sig>`. */
export function formatCheckinToken(parts: CheckinTokenParts): string {
  if (!SESSION_RE.test(parts.sessionId)) throw new RangeError('bad session id for a token')
  if (!Number.isSafeInteger(parts.slot) || parts.slot < 0) throw new RangeError('bad slot for a token')
  if (!SIG_RE.test(parts.sig)) throw new RangeError('bad signature for a token')
  return `${PREFIX}.${parts.sessionId}.${parts.slot}.${parts.sig}`
}

/**
 * Reads a scanned code; null for anything that is not a well-formed token
 * (a member may scan any QR code in the room). Fields are taken from the
 * right: the signature and slot never hold a dot, the session id may.
 */
export function parseCheckinToken(text: unknown): CheckinTokenParts | null {
  if (typeof text !== 'string' || text.length > 256) return null
  const trimmed = text.trim()
  if (!trimmed.startsWith(`${PREFIX}.`)) return null
  const sigDot = trimmed.lastIndexOf('.')
  const slotDot = trimmed.lastIndexOf('.', sigDot - 1)
  if (slotDot <= PREFIX.length) return null
  const sessionId = trimmed.slice(PREFIX.length + 1, slotDot)
  const slotText = trimmed.slice(slotDot + 1, sigDot)
  const sig = trimmed.slice(sigDot + 1)
  if (!SESSION_RE.test(sessionId) || !SLOT_RE.test(slotText) || !SIG_RE.test(sig)) return null
  const slot = Number(slotText)
  if (!Number.isSafeInteger(slot)) return null
  return { sessionId, slot, sig }
}

/**
 * Whether a token of `tokenSlot` is still good at `nowSlot`: the current slot
 * and the one before. A token from the future (a clock far ahead on the
 * signer cannot happen, the server signs) is refused too.
 */
export function acceptedSlot(tokenSlot: number, nowSlot: number): boolean {
  return tokenSlot <= nowSlot && nowSlot - tokenSlot <= QR_GRACE_SLOTS
}

/** When a token of this slot stops being accepted (exclusive). */
export function tokenValidUntil(slot: number): number {
  return slotStart(slot + 1 + QR_GRACE_SLOTS)
}

/** An offline scan must reach the server within a day; after that the secretary records it. */
export const OFFLINE_MAX_AGE_MS = 24 * 60 * 60 * 1000
/** How far ahead of the server a phone's clock may run before its time is not believed. */
export const CLIENT_CLOCK_SLACK_MS = 2 * 60 * 1000

export type TokenTimeResult =
  | { ok: true; at: number; offline: boolean }
  | { ok: false; reason: 'expired' | 'stale_offline' | 'client_clock' }

function clampToSlot(t: number, slot: number): number {
  return Math.min(Math.max(t, slotStart(slot)), slotEnd(slot))
}

/**
 * When the member checked in, judged from a genuine token's slot.
 * - Live: the token's slot is the current or previous one (or one ahead: a
 *   token signed by another server instance whose clock is a little ahead).
 * - Offline: an older token is accepted only with the phone's `clientAt`,
 *   and only when that time lies in the token's slot or the next, is not in
 *   the future (beyond a little slack), and is at most a day old.
 * `at` is clientAt-or-now clamped into the token's slot: the code was on the
 * screen only during that slot, so that is when the scan happened, give or
 * take the slot's 30 s, whatever either clock says.
 */
export function judgeTokenTime(tokenSlot: number, now: number, clientAt?: number): TokenTimeResult {
  const nowSlot = slotOf(now)
  if (acceptedSlot(tokenSlot, nowSlot) || tokenSlot === nowSlot + 1) {
    return { ok: true, at: clampToSlot(clientAt ?? now, tokenSlot), offline: false }
  }
  if (clientAt === undefined || tokenSlot > nowSlot) return { ok: false, reason: 'expired' }
  if (clientAt > now + CLIENT_CLOCK_SLACK_MS) return { ok: false, reason: 'client_clock' }
  if (now - clientAt > OFFLINE_MAX_AGE_MS) return { ok: false, reason: 'stale_offline' }
  // A code scanned long before the phone says it was scanned: an old photo
  // (or a phone clock off by more than a slot). Either way it proves nothing.
  if (!acceptedSlot(tokenSlot, slotOf(clientAt))) return { ok: false, reason: 'expired' }
  return { ok: true, at: clampToSlot(clientAt, tokenSlot), offline: true }
}
