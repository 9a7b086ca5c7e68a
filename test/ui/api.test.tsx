/**
 * The typed client `call()` over the H5 transport, with fetch mocked: the
 * contract envelope, kind errors, network failures and the bearer token.
 */
const mockStorage = new Map<string, unknown>()

jest.mock('@tarojs/taro', () => ({
  __esModule: true,
  default: {
    getStorageSync: (key: string) => (mockStorage.has(key) ? mockStorage.get(key) : ''),
    setStorageSync: (key: string, value: unknown) => void mockStorage.set(key, value),
    removeStorageSync: (key: string) => void mockStorage.delete(key)
  }
}))

import { ApiError, call } from '../../src/api'
import { NETWORK_MESSAGE } from '../../src/api/error'
import { clearSession, getToken, setCachedMe, setToken } from '../../src/api/session'

type FetchArgs = [string, RequestInit]

function reply(status: number, body: unknown): Response {
  const text = typeof body === 'string' ? body : JSON.stringify(body)
  return { status, ok: status >= 200 && status < 300, text: async () => text } as unknown as Response
}

let fetchMock: jest.Mock<Promise<Response>, FetchArgs>

beforeEach(() => {
  mockStorage.clear()
  fetchMock = jest.fn<Promise<Response>, FetchArgs>()
  ;(globalThis as { fetch?: unknown }).fetch = fetchMock
})

async function failure(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p
  } catch (err) {
    expect(err).toBeInstanceOf(ApiError)
    return err as ApiError
  }
  throw new Error('expected the call to fail')
}

test('ok envelope resolves to data, posting {action, ...input} to /api/<fn>', async () => {
  fetchMock.mockResolvedValue(reply(200, { ok: true, data: { members: [{ _id: 'm1' }] } }))
  const data = await call<{ members: { _id: string }[] }>('org', 'members', { branchId: 'b1' })
  expect(data).toEqual({ members: [{ _id: 'm1' }] })
  expect(fetchMock).toHaveBeenCalledTimes(1)
  const [url, init] = fetchMock.mock.calls[0]
  expect(url).toBe('/api/org')
  expect(init.method).toBe('POST')
  expect((init.headers as Record<string, string>)['content-type']).toBe('application/json')
  expect(JSON.parse(String(init.body))).toEqual({ action: 'members', branchId: 'b1' })
})

test('the input cannot override the action', async () => {
  fetchMock.mockResolvedValue(reply(200, { ok: true, data: null }))
  await call('auth', 'whoami', { action: 'devLogin' })
  expect(JSON.parse(String(fetchMock.mock.calls[0][1].body)).action).toBe('whoami')
})

test('Authorization carries the stored token, and is absent without one', async () => {
  fetchMock.mockResolvedValue(reply(200, { ok: true, data: 1 }))
  await call('auth', 'whoami')
  expect((fetchMock.mock.calls[0][1].headers as Record<string, string>).authorization).toBeUndefined()

  setToken('tok-123')
  await call('auth', 'whoami')
  expect((fetchMock.mock.calls[1][1].headers as Record<string, string>).authorization).toBe('Bearer tok-123')
})

test('fail envelope (any status) throws ApiError with the server code and message', async () => {
  fetchMock.mockResolvedValue(
    reply(422, { ok: false, error: { code: 'QR_EXPIRED', message: '签到码已过期，请扫描现场大屏上的最新二维码' } })
  )
  const err = await failure(call('checkin', 'checkIn', { sessionId: 's1' }))
  expect(err.code).toBe('QR_EXPIRED')
  expect(err.message).toBe('签到码已过期，请扫描现场大屏上的最新二维码')

  fetchMock.mockResolvedValue(reply(200, { ok: false, error: { code: 'NOT_FOUND', message: '没有找到' } }))
  const err2 = await failure(call('org', 'members', { branchId: 'x' }))
  expect(err2.code).toBe('NOT_FOUND')
})

test('a dead session (FORBIDDEN with details.login) clears the stored token', async () => {
  setToken('old')
  setCachedMe(null)
  fetchMock.mockResolvedValue(
    reply(403, { ok: false, error: { code: 'FORBIDDEN', message: '登录已过期，请重新登录', details: { login: true } } })
  )
  const err = await failure(call('auth', 'whoami'))
  expect(err.code).toBe('FORBIDDEN')
  expect(err.details).toEqual({ login: true })
  expect(getToken()).toBeNull()
})

test('a plain FORBIDDEN keeps the session', async () => {
  setToken('keep')
  fetchMock.mockResolvedValue(reply(403, { ok: false, error: { code: 'FORBIDDEN', message: '没有权限进行这个操作' } }))
  await failure(call('org', 'members', { branchId: 'b2' }))
  expect(getToken()).toBe('keep')
})

test('network failure throws NETWORK with the kind message', async () => {
  fetchMock.mockRejectedValue(new TypeError('Failed to fetch'))
  const err = await failure(call('auth', 'whoami'))
  expect(err.code).toBe('NETWORK')
  expect(err.message).toBe(NETWORK_MESSAGE)
  expect(err.message).toBe('网络不太好，请稍后再试')
})

test('a gateway error page is NETWORK; any other non-envelope reply is INTERNAL', async () => {
  fetchMock.mockResolvedValue(reply(502, '<html>Bad Gateway</html>'))
  expect((await failure(call('auth', 'whoami'))).code).toBe('NETWORK')

  fetchMock.mockResolvedValue(reply(200, '{"unexpected":true}'))
  const err = await failure(call('auth', 'whoami'))
  expect(err.code).toBe('INTERNAL')
  expect(err.message).toBe('系统开小差了，请稍后再试')
})

test('an unknown error code from a newer server becomes INTERNAL but keeps its message', async () => {
  fetchMock.mockResolvedValue(reply(400, { ok: false, error: { code: 'SOMETHING_NEW', message: '新的提示' } }))
  const err = await failure(call('note', 'save'))
  expect(err.code).toBe('INTERNAL')
  expect(err.message).toBe('新的提示')
  expect(err.details).toEqual({ code: 'SOMETHING_NEW' })
})

test('clearSession removes the token', () => {
  setToken('t')
  clearSession()
  expect(getToken()).toBeNull()
})
