/**
 * The fixed-window rule behind every rate limit (src/core/rate-limit.ts):
 * window math, the decision, the words a member reads, and the in-memory
 * counter the local server keeps per address.
 */
import {
  ADDRESS_RATE_RULES,
  MEMBER_RATE_RULES,
  MemoryRateLimiter,
  decide,
  rateLimitedError,
  retryAfterSeconds,
  windowEnd,
  windowIndex
} from '../../src/core/rate-limit'

const MIN = 60_000
const T = Date.parse('2026-11-20T02:00:00Z') // a whole minute

describe('windows', () => {
  it('are aligned to the epoch, so every instance agrees which one an instant is in', () => {
    expect(windowIndex(T, MIN)).toBe(T / MIN)
    expect(windowIndex(T + MIN - 1, MIN)).toBe(T / MIN)
    expect(windowIndex(T + MIN, MIN)).toBe(T / MIN + 1)
    expect(windowEnd(T, MIN)).toBe(T + MIN)
    expect(windowEnd(T + 59_999, MIN)).toBe(T + MIN)
  })
})

describe('decide', () => {
  const rule = { limit: 3, windowMs: MIN }
  it('allows up to the limit, all at once, then refuses until the window ends', () => {
    expect([1, 2, 3].map((n) => decide(n, rule, T))).toEqual([
      { allowed: true, remaining: 2 },
      { allowed: true, remaining: 1 },
      { allowed: true, remaining: 0 }
    ])
    expect(decide(4, rule, T + 15_000)).toEqual({ allowed: false, retryAfterMs: 45_000 })
    expect(decide(400, rule, T + 59_999)).toEqual({ allowed: false, retryAfterMs: 1 })
  })
  it('rounds Retry-After up to whole seconds, at least one', () => {
    expect([1, 999, 1000, 1001, 45_000].map(retryAfterSeconds)).toEqual([1, 1, 1, 2, 45])
  })
})

describe('the refusal', () => {
  it('is RATE_LIMITED in Chinese, with when to come back', () => {
    const e = rateLimitedError('invite', 9 * MIN + 1)
    expect(e.toBody()).toEqual({ code: 'RATE_LIMITED', message: '邀请码尝试次数太多，请 10 分钟后再试', details: { limit: 'invite', retryAfterSeconds: 541 } })
    expect(rateLimitedError('write', 12_300).message).toBe('操作太频繁了，请 13 秒后再试')
    expect(rateLimitedError('api', 60_000).message).toBe('请求太频繁了，请 1 分钟后再试')
  })
})

describe('the rules', () => {
  it('leave a person far below every ceiling', () => {
    // A note saved every ten seconds for a minute, a secretary's tap every two seconds.
    expect(MEMBER_RATE_RULES.write.limit * (MIN / MEMBER_RATE_RULES.write.windowMs)).toBeGreaterThanOrEqual(30)
    // A code mistyped a few times; a demo login switched a dozen times in ten minutes.
    expect(MEMBER_RATE_RULES.invite.limit).toBeGreaterThanOrEqual(5)
    expect(MEMBER_RATE_RULES.login.limit).toBeGreaterThanOrEqual(12)
    // A hundred members behind one venue's Wi-Fi, each opening the app (a handful of calls) and checking in, within a minute.
    expect(ADDRESS_RATE_RULES.api.limit * (MIN / ADDRESS_RATE_RULES.api.windowMs)).toBeGreaterThanOrEqual(1000)
  })
  it('still stop a script: 300 invite codes from one person or address mostly refused', () => {
    expect(MEMBER_RATE_RULES.invite.limit).toBeLessThanOrEqual(20)
    expect(ADDRESS_RATE_RULES.invite.limit).toBeLessThanOrEqual(50)
  })
})

describe('MemoryRateLimiter', () => {
  const rule = { limit: 5, windowMs: MIN }
  it('counts per key and window', () => {
    const l = new MemoryRateLimiter()
    const hits = Array.from({ length: 7 }, () => l.hit('a', rule, T + 1000).allowed)
    expect(hits).toEqual([true, true, true, true, true, false, false])
    expect(l.hit('b', rule, T + 1000).allowed).toBe(true)
    expect(l.hit('a', rule, T + MIN)).toEqual({ allowed: true, remaining: 4 })
  })
  it('stays bounded under a flood of keys, forgetting spent windows first', () => {
    const l = new MemoryRateLimiter(1000)
    for (let i = 0; i < 5000; i++) l.hit(`old${i}`, rule, T)
    expect(l.size).toBeLessThanOrEqual(1000)
    for (let i = 0; i < 10; i++) l.hit('live', rule, T + MIN)
    for (let i = 0; i < 1500; i++) l.hit(`new${i}`, rule, T + MIN)
    expect(l.size).toBeLessThanOrEqual(1000)
  })
})
