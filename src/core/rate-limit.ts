/**
 * Rate limits: fixed-window counters, the one rule behind the functions'
 * per-member limits (a counter document per member, class and window in the
 * `rate_limits` collection, so every CloudBase instance sees the same count)
 * and the local server's per-address limits (in memory, one process).
 *
 * A window is `windowMs` long and aligned to the epoch, so every instance
 * agrees which window an instant falls in without talking to the others. Up
 * to `limit` hits fit in one window, all at once if need be (bursts are
 * allowed); the next is refused until the window ends. At a window's edge a
 * caller can get up to twice the limit in a short time: the price of one
 * counter per window, harmless at these ceilings.
 */
import { AppError } from './errors'

export interface RateRule {
  /** Hits allowed in one window. */
  limit: number
  windowMs: number
}

/** Per member (the caller's openid; a login's target member), counted in the database. */
export type MemberRateClass = 'login' | 'invite' | 'write'
/** Per address, counted in the local server's memory. */
export type AddressRateClass = 'login' | 'invite' | 'api'

const MIN = 60_000

/**
 * Generous for a person, tight for a script: a secretary deciding a branch's
 * leave one tap at a time makes a few writes a minute; a member joining types
 * the code a few times at most.
 */
export const MEMBER_RATE_RULES: Readonly<Record<MemberRateClass, RateRule>> = Object.freeze({
  /** Demo logins as one member (local runtime only). */
  login: { limit: 30, windowMs: 10 * MIN },
  /** `auth.joinBranch` attempts by one WeChat user, right code or wrong. */
  invite: { limit: 10, windowMs: 10 * MIN },
  /** Saves, removals, leave requests, decisions… by one member (check-ins: per address only). */
  write: { limit: 60, windowMs: MIN }
})

/**
 * Per address: a venue's Wi-Fi puts a whole branch behind one address, so the
 * API ceiling leaves room for a hundred members opening the app and checking
 * in within the same minute (each page open is a handful of calls).
 */
export const ADDRESS_RATE_RULES: Readonly<Record<AddressRateClass, RateRule>> = Object.freeze({
  login: { limit: 60, windowMs: 10 * MIN },
  invite: { limit: 30, windowMs: 10 * MIN },
  api: { limit: 1200, windowMs: MIN }
})

/** The window an instant falls in (an integer; the same on every instance). */
export function windowIndex(now: number, windowMs: number): number {
  return Math.floor(now / windowMs)
}

export function windowEnd(now: number, windowMs: number): number {
  return (windowIndex(now, windowMs) + 1) * windowMs
}

export type RateDecision = { allowed: true; remaining: number } | { allowed: false; retryAfterMs: number }

/** The decision once this hit is counted: `count` is the window's count including it. */
export function decide(count: number, rule: RateRule, now: number): RateDecision {
  if (count <= rule.limit) return { allowed: true, remaining: rule.limit - count }
  return { allowed: false, retryAfterMs: Math.max(1, windowEnd(now, rule.windowMs) - now) }
}

/** Seconds for an HTTP `Retry-After` header: whole seconds, at least one. */
export function retryAfterSeconds(retryAfterMs: number): number {
  return Math.max(1, Math.ceil(retryAfterMs / 1000))
}

function waitWords(retryAfterMs: number): string {
  const s = retryAfterSeconds(retryAfterMs)
  if (s < 60) return `${s} 秒`
  return `${Math.ceil(s / 60)} 分钟`
}

const WHAT: Record<MemberRateClass | AddressRateClass, string> = {
  login: '登录太频繁了',
  invite: '邀请码尝试次数太多',
  write: '操作太频繁了',
  api: '请求太频繁了'
}

/** The refusal a member reads, with when to try again (`details.retryAfterSeconds` for clients and the 429's Retry-After). */
export function rateLimitedError(cls: MemberRateClass | AddressRateClass, retryAfterMs: number): AppError {
  return new AppError('RATE_LIMITED', `${WHAT[cls]}，请 ${waitWords(retryAfterMs)}后再试`, {
    limit: cls,
    retryAfterSeconds: retryAfterSeconds(retryAfterMs)
  })
}

/**
 * In-memory fixed windows for one process (the local server's per-address
 * limits). Bounded: windows that ended are dropped as the map grows, and past
 * `maxKeys` live keys the oldest are forgotten (a flood of addresses cannot
 * exhaust memory; forgetting only ever lets a request through).
 */
export class MemoryRateLimiter {
  private readonly counts = new Map<string, { window: number; count: number; windowMs: number }>()
  constructor(private readonly maxKeys = 100_000) {}

  hit(key: string, rule: RateRule, now: number): RateDecision {
    const window = windowIndex(now, rule.windowMs)
    const entry = this.counts.get(key)
    let count: number
    if (entry && entry.window === window && entry.windowMs === rule.windowMs) {
      count = ++entry.count
    } else {
      if (entry) this.counts.delete(key)
      else if (this.counts.size >= this.maxKeys) this.sweep(now)
      count = 1
      this.counts.set(key, { window, count, windowMs: rule.windowMs })
    }
    return decide(count, rule, now)
  }

  get size(): number {
    return this.counts.size
  }

  private sweep(now: number): void {
    for (const [k, e] of this.counts) if (windowIndex(now, e.windowMs) !== e.window) this.counts.delete(k)
    // Still full of live keys: forget the oldest (Map keeps insertion order).
    const excess = this.counts.size - Math.floor(this.maxKeys * 0.9)
    if (excess > 0) {
      let n = 0
      for (const k of this.counts.keys()) {
        if (n++ >= excess) break
        this.counts.delete(k)
      }
    }
  }
}
