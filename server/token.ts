import { createHmac, timingSafeEqual } from 'crypto'

/**
 * Local session tokens: `base64url(payload).base64url(hmac)`. The payload
 * carries the openid the token stands for and its expiry; nothing else is
 * trusted. CloudBase needs none of this (the platform gives the OPENID).
 */
export interface TokenPayload {
  sub: string
  iat: number
  exp: number
}

export const TOKEN_TTL_MS = 7 * 24 * 3600 * 1000
const MAX_TOKEN_LENGTH = 1024
const BASE64URL = /^[A-Za-z0-9_-]+$/
/** HMAC-SHA256 is 32 bytes: 43 base64url characters, unpadded. */
const SIGNATURE = /^[A-Za-z0-9_-]{43}$/

function mac(secret: string, body: string): Buffer {
  return createHmac('sha256', secret).update(body).digest()
}

export function signToken(secret: string, openid: string, now: number, ttlMs = TOKEN_TTL_MS): { token: string; expiresAt: number } {
  const payload: TokenPayload = { sub: openid, iat: now, exp: now + ttlMs }
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url')
  return { token: `${body}.${mac(secret, body).toString('base64url')}`, expiresAt: payload.exp }
}

export type VerifyResult = { ok: true; openid: string } | { ok: false; problem: 'expired' | 'invalid' }

export function verifyToken(secret: string, token: string, now: number): VerifyResult {
  if (token.length > MAX_TOKEN_LENGTH) return { ok: false, problem: 'invalid' }
  const parts = token.split('.')
  if (parts.length !== 2) return { ok: false, problem: 'invalid' }
  const [body, sig] = parts
  // Strict base64url: the one spelling signToken writes. Node's decoder takes
  // padding, `+/`, stray characters and other spellings of the same bytes, so
  // the signature is compared as text, and the payload must be canonical.
  if (!BASE64URL.test(body) || !SIGNATURE.test(sig)) return { ok: false, problem: 'invalid' }
  const expected = Buffer.from(mac(secret, body).toString('base64url'), 'ascii')
  const given = Buffer.from(sig, 'ascii')
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, problem: 'invalid' }
  if (Buffer.from(body, 'base64url').toString('base64url') !== body) return { ok: false, problem: 'invalid' }
  let payload: Partial<TokenPayload>
  try {
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'))
  } catch {
    return { ok: false, problem: 'invalid' }
  }
  if (typeof payload.sub !== 'string' || !payload.sub || typeof payload.exp !== 'number') return { ok: false, problem: 'invalid' }
  if (payload.exp <= now) return { ok: false, problem: 'expired' }
  return { ok: true, openid: payload.sub }
}
