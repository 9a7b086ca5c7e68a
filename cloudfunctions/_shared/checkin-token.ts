import { createHmac, timingSafeEqual } from 'crypto'
import { AppError } from '../../src/core/errors'
import {
  QR_SLOT_MS,
  formatCheckinToken,
  parseCheckinToken,
  slotOf,
  slotStart,
  tokenValidUntil,
  type CheckinTokenParts
} from '../../src/core/checkin/qr-slot'
import {
  SHORT_CODE_RE,
  liveShortCodeSlots,
  recentShortCodeSlots,
  shortCodeFromDigest,
  shortCodeMessage
} from '../../src/core/checkin/short-code'

/**
 * Signing of the rotating check-in QR token (format in src/core/checkin/qr-slot.ts).
 * sig = base64url(HMAC-SHA256(secret, `${sessionId}:${slot}`)) cut to 16
 * characters = 96 bits: forging one needs ~2^95 guesses against a code that
 * lives 60 s, and a shorter code makes a coarser QR that old phones read
 * from the back of the hall. The message cannot collide with the local
 * session tokens signed with the same secret (those are base64url JSON with
 * no `:`), and `sessionId:slot` is unambiguous because the slot is digits only.
 */
export const SIG_CHARS = 16

function sign(secret: string, sessionId: string, slot: number): string {
  return createHmac('sha256', secret).update(`${sessionId}:${slot}`).digest('base64url').slice(0, SIG_CHARS)
}

/** Where the signing secret comes from on CloudBase (the function's environment variables). */
export const SECRET_ENV = 'ZBDK_SECRET'
export const MIN_SECRET_CHARS = 16

/**
 * An empty or short secret would make every token forgeable: refuse instead
 * of signing with it. `details.env` makes the dispatcher log which variable
 * to set; the member only reads whom to ask.
 */
export function requireSecret(secret: string): string {
  if (typeof secret !== 'string' || secret.trim().length < MIN_SECRET_CHARS) {
    throw new AppError(
      'NOT_AVAILABLE',
      `签到码服务未配置密钥，暂时无法扫码签到。请支部书记联系系统管理员，在云函数环境变量中设置 ${SECRET_ENV}（至少 ${MIN_SECRET_CHARS} 位随机字符）`,
      { env: SECRET_ENV, minLength: MIN_SECRET_CHARS }
    )
  }
  return secret
}

export interface IssuedToken {
  token: string
  slot: number
  /** End of the slot: when the screen should show the next code. */
  expiresAt: number
  /** When a scan of this code stops being accepted. */
  validUntil: number
  /** The six digits shown under the QR, for a phone that cannot scan; valid for the same slots. */
  code: string
}

export function issueCheckinToken(secret: string, sessionId: string, now: number): IssuedToken {
  const key = requireSecret(secret)
  const slot = slotOf(now)
  return {
    token: formatCheckinToken({ sessionId, slot, sig: sign(key, sessionId, slot) }),
    slot,
    expiresAt: slotStart(slot) + QR_SLOT_MS,
    validUntil: tokenValidUntil(slot),
    code: shortCode(key, sessionId, slot)
  }
}

/**
 * The slot's six digits: HMAC-SHA256(secret, `short|sessionId|slot`) reduced
 * to 6 decimal digits (src/core/checkin/short-code.ts). A separate message
 * from the QR signature, so neither reveals anything about the other.
 */
function shortCode(secret: string, sessionId: string, slot: number): string {
  return shortCodeFromDigest(createHmac('sha256', secret).update(shortCodeMessage(sessionId, slot)).digest())
}

function sameCode(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8')
  const y = Buffer.from(b, 'utf8')
  return x.length === y.length && timingSafeEqual(x, y)
}

export type ShortCodeMatch = { ok: true; slot: number } | { ok: false; reason: 'expired' | 'wrong' }

/**
 * A typed code against this session's codes: a live slot (as a live QR
 * scan) gives the slot; a code of the last few minutes is `expired`;
 * anything else (a guess, a typo, another session's code) is `wrong`. Every
 * candidate is compared in constant time and none is skipped, so the time
 * taken says nothing about which slot, if any, matched.
 */
export function matchShortCode(secret: string, sessionId: string, code: string, now: number): ShortCodeMatch {
  const key = requireSecret(secret)
  if (!SHORT_CODE_RE.test(code)) return { ok: false, reason: 'wrong' }
  const nowSlot = slotOf(now)
  let live: number | null = null
  let old = false
  for (const slot of liveShortCodeSlots(nowSlot)) if (sameCode(code, shortCode(key, sessionId, slot)) && live === null) live = slot
  for (const slot of recentShortCodeSlots(nowSlot)) if (sameCode(code, shortCode(key, sessionId, slot))) old = true
  if (live !== null) return { ok: true, slot: live }
  return { ok: false, reason: old ? 'expired' : 'wrong' }
}

/**
 * The token's parts when its signature is genuine, else null (garbage,
 * tampered, or signed with another secret). Says nothing about time: the
 * caller judges the slot.
 */
export function verifyCheckinToken(secret: string, token: string): CheckinTokenParts | null {
  const key = requireSecret(secret)
  const parts = parseCheckinToken(token)
  if (!parts || parts.sig.length !== SIG_CHARS) return null
  const expected = Buffer.from(sign(key, parts.sessionId, parts.slot), 'utf8')
  const given = Buffer.from(parts.sig, 'utf8')
  return given.length === expected.length && timingSafeEqual(given, expected) ? parts : null
}
