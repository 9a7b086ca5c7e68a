/**
 * The offline check-in queue: a scan that could not reach the server is kept
 * in Taro storage under 'checkin.queue' and sent when the network returns;
 * an item leaves the queue once the server answered (accepted or refused for
 * good) and stays while the network is still down.
 */
const mockStorage = new Map<string, unknown>()
const mockAppShow: Array<() => void> = []
const mockNetwork: Array<(res: { isConnected: boolean }) => void> = []

jest.mock('@tarojs/taro', () => ({
  __esModule: true,
  default: {
    getStorageSync: (key: string) => (mockStorage.has(key) ? mockStorage.get(key) : ''),
    setStorageSync: (key: string, value: unknown) => void mockStorage.set(key, JSON.parse(JSON.stringify(value))),
    removeStorageSync: (key: string) => void mockStorage.delete(key),
    onAppShow: (fn: () => void) => void mockAppShow.push(fn),
    onNetworkStatusChange: (fn: (res: { isConnected: boolean }) => void) => void mockNetwork.push(fn)
  }
}))

import { ApiError } from '../../src/api'
import type { CheckInResult } from '../../src/api/checkin'
import { pendingScanText } from '../../src/components/format'
import {
  MAX_QUEUE,
  QUEUE_KEY,
  enqueueCheckin,
  flushQueue,
  installCheckinSync,
  isRetryable,
  onQueueChange,
  readQueue,
  resetCheckinSyncForTests,
  type QueuedCheckin
} from '../../src/api/offline-queue'

const T0 = Date.UTC(2026, 10, 15, 6, 0)

function okResult(item: QueuedCheckin, status: 'attended' | 'late' = 'attended'): CheckInResult {
  return {
    duplicate: false,
    checkin: {
      _id: `ci:${item.sessionId}:m1`,
      sessionId: item.sessionId,
      memberId: 'm1',
      branchId: 'b1',
      at: item.clientAt,
      recordedAt: item.clientAt + 60000,
      status,
      method: 'qr',
      qrSlot: Math.floor(item.clientAt / 30000),
      periodKeys: { year: '2026', quarter: '2026-Q4', month: '2026-11' }
    }
  }
}

function item(sessionId: string, at = T0, extra: Partial<QueuedCheckin> = {}): QueuedCheckin {
  return { sessionId, token: `ci.${sessionId}.${Math.floor(at / 30000)}.abcdefghijklmnop`, clientAt: at, ...extra }
}

beforeEach(() => {
  mockStorage.clear()
  mockAppShow.length = 0
  mockNetwork.length = 0
  resetCheckinSyncForTests()
})

test('enqueue stores {sessionId, token, location, clientAt} under checkin.queue', () => {
  enqueueCheckin(item('s1', T0, { location: { lat: 39.9, lng: 116.4, accuracyM: 20 } }))
  expect(mockStorage.get(QUEUE_KEY)).toEqual([
    {
      sessionId: 's1',
      token: `ci.s1.${Math.floor(T0 / 30000)}.abcdefghijklmnop`,
      location: { lat: 39.9, lng: 116.4, accuracyM: 20 },
      clientAt: T0
    }
  ])
  expect(readQueue()).toHaveLength(1)
})

test('one item per session: a second scan keeps the first (earlier) one', () => {
  enqueueCheckin(item('s1', T0))
  enqueueCheckin(item('s1', T0 + 90000))
  enqueueCheckin(item('s2', T0 + 1000))
  const q = readQueue()
  expect(q.map((i) => [i.sessionId, i.clientAt])).toEqual([
    ['s1', T0],
    ['s2', T0 + 1000]
  ])
})

test('a scan with a token replaces a token-less (online) one for the same session', () => {
  enqueueCheckin({ sessionId: 's1', clientAt: T0 })
  enqueueCheckin(item('s1', T0 + 5000))
  expect(readQueue()[0].token).toBeDefined()
})

test('the queue is capped and garbage in storage is ignored, never thrown', () => {
  for (let i = 0; i < MAX_QUEUE + 5; i++) enqueueCheckin(item(`s${i}`, T0 + i))
  expect(readQueue()).toHaveLength(MAX_QUEUE)
  expect(readQueue()[0].sessionId).toBe('s5')

  mockStorage.set(QUEUE_KEY, [{ nope: 1 }, null, 'x', item('ok')])
  expect(readQueue().map((i) => i.sessionId)).toEqual(['ok'])
  mockStorage.set(QUEUE_KEY, '{not json')
  expect(readQueue()).toEqual([])
})

test('flush sends oldest first and removes accepted and refused items', async () => {
  enqueueCheckin(item('s1', T0))
  enqueueCheckin(item('s2', T0 + 1))
  enqueueCheckin(item('s3', T0 + 2))
  const sent: string[] = []
  const report = await flushQueue(async (i) => {
    sent.push(i.sessionId)
    if (i.sessionId === 's2') throw new ApiError('QR_EXPIRED', '签到码已过期')
    return okResult(i, i.sessionId === 's3' ? 'late' : 'attended')
  })
  expect(sent).toEqual(['s1', 's2', 's3'])
  expect(report.remaining).toBe(0)
  expect(report.answered.map((a) => [a.item.sessionId, a.ok])).toEqual([
    ['s1', true],
    ['s2', false],
    ['s3', true]
  ])
  const refused = report.answered[1]
  expect(refused.ok === false && refused.error.code).toBe('QR_EXPIRED')
  expect(mockStorage.has(QUEUE_KEY)).toBe(false)
})

test('a scan answered as 待确认 (dated by the phone, confirmed later by an officer) is done: it leaves the queue', async () => {
  enqueueCheckin(item('s1', T0))
  const report = await flushQueue(async (i) => ({ duplicate: false, pending: { at: i.clientAt, recordedAt: i.clientAt + 3 * 3600_000 } }))
  expect(report.remaining).toBe(0)
  const a = report.answered[0]
  expect(a.ok && a.result.checkin).toBeUndefined()
  expect(a.ok && a.result.pending?.at).toBe(T0)
  expect(mockStorage.has(QUEUE_KEY)).toBe(false)
  // What the member reads, in Shanghai time (T0 is 14:00 there).
  expect(pendingScanText(T0)).toBe('已记录您 11月15日 14:00 的扫码，因为是离线补传，需支部确认后计入。')
})

test('a NETWORK failure keeps that item and the rest, and stops', async () => {
  enqueueCheckin(item('s1', T0))
  enqueueCheckin(item('s2', T0 + 1))
  enqueueCheckin(item('s3', T0 + 2))
  const sent: string[] = []
  const report = await flushQueue(async (i) => {
    sent.push(i.sessionId)
    if (i.sessionId === 's2') throw new ApiError('NETWORK')
    return okResult(i)
  })
  expect(sent).toEqual(['s1', 's2'])
  expect(report.answered.map((a) => a.item.sessionId)).toEqual(['s1'])
  expect(report.remaining).toBe(2)
  expect(readQueue().map((i) => i.sessionId)).toEqual(['s2', 's3'])
})

test('only answers that may change later are retryable', () => {
  expect(isRetryable(new ApiError('NETWORK'))).toBe(true)
  expect(isRetryable(new ApiError('RATE_LIMITED'))).toBe(true)
  expect(isRetryable(new ApiError('FORBIDDEN', '登录已过期', { login: true }))).toBe(true)
  expect(isRetryable(new Error('boom'))).toBe(true)
  for (const code of ['QR_EXPIRED', 'CHECKIN_CLOSED', 'OUT_OF_RANGE', 'FORBIDDEN', 'NOT_FOUND', 'INVALID_INPUT'] as const) {
    expect(isRetryable(new ApiError(code))).toBe(false)
  }
})

test('concurrent flushes share one run: nothing is sent twice', async () => {
  enqueueCheckin(item('s1', T0))
  let calls = 0
  const submit = async (i: QueuedCheckin) => {
    calls++
    await new Promise((r) => setTimeout(r, 10))
    return okResult(i)
  }
  const [a, b] = await Promise.all([flushQueue(submit), flushQueue(submit)])
  expect(calls).toBe(1)
  expect(a).toBe(b)
})

test('a scan queued while a flush is in flight is kept for the next one', async () => {
  enqueueCheckin(item('s1', T0))
  const report = await flushQueue(async (i) => {
    enqueueCheckin(item('s9', T0 + 5))
    return okResult(i)
  })
  expect(report.remaining).toBe(1)
  expect(readQueue().map((i) => i.sessionId)).toEqual(['s9'])
})

test('listeners hear enqueue and the flush report', async () => {
  const heard: Array<[number, number | undefined]> = []
  const off = onQueueChange((q, r) => heard.push([q.length, r?.answered.length]))
  enqueueCheckin(item('s1'))
  await flushQueue(async (i) => okResult(i))
  off()
  enqueueCheckin(item('s2'))
  expect(heard).toEqual([
    [1, undefined],
    [0, 1]
  ])
})

test('default submit goes through call(): NETWORK keeps, a server refusal removes', async () => {
  const fetchMock = jest.fn()
  ;(globalThis as { fetch?: unknown }).fetch = fetchMock
  enqueueCheckin(item('s1', T0, { location: { lat: 39.9, lng: 116.4 } }))

  fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'))
  let report = await flushQueue()
  expect(report.remaining).toBe(1)

  const body = { ok: false, error: { code: 'CHECKIN_CLOSED', message: '签到已经结束了' } }
  fetchMock.mockResolvedValueOnce({ status: 422, text: async () => JSON.stringify(body) })
  report = await flushQueue()
  expect(report.remaining).toBe(0)
  expect(report.answered[0].ok).toBe(false)
  const [url, init] = fetchMock.mock.calls[1] as [string, RequestInit]
  expect(url).toBe('/api/checkin')
  expect(JSON.parse(String(init.body))).toEqual({
    action: 'checkIn',
    sessionId: 's1',
    token: item('s1').token,
    location: { lat: 39.9, lng: 116.4 },
    clientAt: T0
  })
})

describe('installCheckinSync', () => {
  const env = process.env.TARO_ENV
  afterEach(() => {
    process.env.TARO_ENV = env
  })

  test('weapp: flushes on app show and when the network comes back', async () => {
    process.env.TARO_ENV = 'weapp'
    const fetchMock = jest.fn().mockResolvedValue({ status: 200, text: async () => JSON.stringify({ ok: true, data: okResult(item('s1')) }) })
    ;(globalThis as { fetch?: unknown }).fetch = fetchMock
    installCheckinSync()
    installCheckinSync()
    expect(mockAppShow).toHaveLength(1)
    expect(mockNetwork).toHaveLength(1)

    mockNetwork[0]({ isConnected: true })
    expect(fetchMock).not.toHaveBeenCalled() // nothing queued: nothing sent

    enqueueCheckin(item('s1'))
    mockNetwork[0]({ isConnected: false })
    expect(fetchMock).not.toHaveBeenCalled()
    mockNetwork[0]({ isConnected: true })
    await new Promise((r) => setTimeout(r, 0))
    expect(fetchMock).toHaveBeenCalledTimes(1)
    await new Promise((r) => setTimeout(r, 0))
    expect(readQueue()).toEqual([])

    enqueueCheckin(item('s2'))
    mockAppShow[0]()
    await new Promise((r) => setTimeout(r, 0))
    expect(fetchMock).toHaveBeenCalledTimes(2)
  })

  test("h5: flushes on the window's online event", async () => {
    process.env.TARO_ENV = 'h5'
    const fetchMock = jest.fn().mockResolvedValue({ status: 200, text: async () => JSON.stringify({ ok: true, data: okResult(item('s1')) }) })
    ;(globalThis as { fetch?: unknown }).fetch = fetchMock
    installCheckinSync()
    expect(mockNetwork).toHaveLength(0)
    enqueueCheckin(item('s1'))
    window.dispatchEvent(new Event('online'))
    await new Promise((r) => setTimeout(r, 0))
    expect(fetchMock).toHaveBeenCalledTimes(1)
  })
})
