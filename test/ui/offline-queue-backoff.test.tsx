/**
 * After RATE_LIMITED the offline check-in queue waits out the server's
 * Retry-After: app shows, page shows and network events meanwhile send
 * nothing, so a phone never hammers a server that asked for a pause.
 */
const mockStorage = new Map<string, unknown>()

jest.mock('@tarojs/taro', () => ({
  __esModule: true,
  default: {
    getStorageSync: (key: string) => (mockStorage.has(key) ? mockStorage.get(key) : ''),
    setStorageSync: (key: string, value: unknown) => void mockStorage.set(key, JSON.parse(JSON.stringify(value))),
    removeStorageSync: (key: string) => void mockStorage.delete(key),
    onAppShow: () => undefined,
    onNetworkStatusChange: () => undefined
  }
}))

import { ApiError } from '../../src/api'
import type { CheckInResult } from '../../src/api/checkin'
import { RATE_LIMIT_HOLD_MS, enqueueCheckin, flushQueue, holdAfter, readQueue, resetCheckinSyncForTests, type QueuedCheckin } from '../../src/api/offline-queue'

const T0 = Date.UTC(2026, 10, 15, 6, 0)

beforeEach(() => {
  jest.useFakeTimers({ now: T0 })
  mockStorage.clear()
  resetCheckinSyncForTests()
})
afterEach(() => jest.useRealTimers())

const ok = (i: QueuedCheckin) => ({ duplicate: false, checkin: { _id: `ci:${i.sessionId}:m1` } }) as unknown as CheckInResult

test('a 429 holds every flush until its Retry-After has passed, then the scan goes', async () => {
  enqueueCheckin({ sessionId: 's1', clientAt: T0 })
  let sent = 0
  const limited = async (): Promise<CheckInResult> => {
    sent++
    throw new ApiError('RATE_LIMITED', '请求太频繁了，请 20 秒后再试', { retryAfterSeconds: 20 })
  }
  expect((await flushQueue(limited)).remaining).toBe(1)
  expect(sent).toBe(1)
  // Ten page shows in the next 19 s: nothing is sent.
  for (let i = 0; i < 10; i++) {
    jest.setSystemTime(T0 + i * 1900)
    expect(await flushQueue(limited)).toEqual({ answered: [], remaining: 1 })
  }
  expect(sent).toBe(1)
  jest.setSystemTime(T0 + 20_001)
  const report = await flushQueue(async (i) => ok(i))
  expect(report.answered.map((a) => a.ok)).toEqual([true])
  expect(readQueue()).toEqual([])
})

test('the hold: the server\'s figure, a default without one, none for other answers', () => {
  expect(holdAfter(new ApiError('RATE_LIMITED', undefined, { retryAfterSeconds: 7 }))).toBe(7000)
  expect(holdAfter(new ApiError('RATE_LIMITED'))).toBe(RATE_LIMIT_HOLD_MS)
  expect(holdAfter(new ApiError('RATE_LIMITED', undefined, { retryAfterSeconds: 86_400 }))).toBe(15 * 60_000)
  expect(holdAfter(new ApiError('NETWORK'))).toBe(0)
  expect(holdAfter(new Error('x'))).toBe(0)
})

test('a network failure does not hold: the next event retries at once', async () => {
  enqueueCheckin({ sessionId: 's1', clientAt: T0 })
  await flushQueue(async () => {
    throw new ApiError('NETWORK')
  })
  expect((await flushQueue(async (i) => ok(i))).answered).toHaveLength(1)
})
