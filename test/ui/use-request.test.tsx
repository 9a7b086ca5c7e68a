/**
 * useRequest: a request that failed for want of a network asks again by
 * itself when the browser comes back online; any other failure waits for 重试.
 */
import type { ReactNode } from 'react'
import { act } from 'react'

jest.mock('@tarojs/taro', () => ({ __esModule: true, default: {} }))
jest.mock('../../src/api/session', () => ({ getToken: () => null, clearSession: () => undefined }))

import { ApiError } from '../../src/api'
import { useRequest, type RequestState } from '../../src/hooks/useRequest'

interface Root {
  render(node: ReactNode): void
  unmount(): void
}
const { createRoot } = require('react-dom/client') as { createRoot: (el: Element) => Root }
;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true

let state: RequestState<string>
function Probe({ load }: { load: () => Promise<string> }) {
  state = useRequest('k', load)
  return null
}

let root: Root
async function mount(load: () => Promise<string>) {
  root = createRoot(document.createElement('div'))
  await act(async () => root.render(<Probe load={load} />))
}
afterEach(async () => {
  await act(async () => root.unmount())
})

const online = () => act(async () => void window.dispatchEvent(new Event('online')))

test('a NETWORK failure is asked again when the browser is back online, once', async () => {
  const load = jest.fn<Promise<string>, []>().mockRejectedValueOnce(new ApiError('NETWORK')).mockResolvedValue('数据')
  await mount(load)
  expect(state.error?.code).toBe('NETWORK')
  await online()
  expect(load).toHaveBeenCalledTimes(2)
  expect(state.error).toBeNull()
  expect(state.data).toBe('数据')
  // Answered: a later `online` asks nothing more.
  await online()
  expect(load).toHaveBeenCalledTimes(2)
})

test('another failure is not asked again on online; 重试 (retry) still asks', async () => {
  const load = jest.fn<Promise<string>, []>().mockRejectedValueOnce(new ApiError('FORBIDDEN')).mockResolvedValue('数据')
  await mount(load)
  expect(state.error?.code).toBe('FORBIDDEN')
  await online()
  expect(load).toHaveBeenCalledTimes(1)
  await act(async () => state.retry())
  expect(load).toHaveBeenCalledTimes(2)
  expect(state.data).toBe('数据')
})
