/**
 * usePolling: the venue screen's loops (the live roster, the rotating code).
 * A tick runs on mount, then every interval, or after the wait the tick
 * itself answers; hiding the page stops it, showing it runs a tick now.
 */
const mockShow: Array<() => void> = []
const mockHide: Array<() => void> = []
jest.mock('@tarojs/taro', () => ({
  __esModule: true,
  default: {},
  useDidShow: (fn: () => void) => void mockShow.push(fn),
  useDidHide: (fn: () => void) => void mockHide.push(fn),
  useUnload: () => undefined
}))

import { act, type ReactNode } from 'react'
import { usePolling } from '../../src/hooks/usePolling'

// react-dom ships no types here (no @types/react-dom): the two calls used, typed by hand.
interface Root {
  render(node: ReactNode): void
  unmount(): void
}
const { createRoot } = require('react-dom/client') as { createRoot: (el: Element) => Root }

;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true

let root: Root
let calls: number[]
let start: number

function Poller({ tick, interval }: { tick: () => Promise<unknown>; interval: number }) {
  usePolling(tick, interval)
  return null
}

async function mount(tick: () => Promise<unknown>, interval = 3000) {
  root = createRoot(document.createElement('div'))
  await act(async () => root.render(<Poller tick={tick} interval={interval} />))
}

async function advance(ms: number) {
  await act(async () => {
    await jest.advanceTimersByTimeAsync(ms)
  })
}

beforeEach(() => {
  jest.useFakeTimers()
  mockShow.length = 0
  mockHide.length = 0
  calls = []
  start = Date.now()
})
afterEach(async () => {
  await act(async () => root.unmount())
  jest.useRealTimers()
})

test('ticks on mount and then every interval', async () => {
  await mount(async () => void calls.push(Date.now() - start))
  await advance(9100)
  expect(calls).toEqual([0, 3000, 6000, 9000])
})

test('a tick that answers a number sets the wait before the next one', async () => {
  const waits = [8000, 1000, 20000]
  await mount(async () => {
    calls.push(Date.now() - start)
    return waits.shift()
  })
  await advance(30000)
  expect(calls).toEqual([0, 8000, 9000, 29000])
})

test('the answered wait wins over a show that came while the tick ran', async () => {
  let release: () => void = () => undefined
  await mount(() => {
    calls.push(Date.now() - start)
    return new Promise<number>((r) => (release = () => r(10000)))
  })
  // The page is shown while the first tick is still waiting for the server.
  await act(async () => mockShow.forEach((fn) => fn()))
  await advance(500)
  await act(async () => release())
  await advance(9900)
  expect(calls).toEqual([0])
  await advance(200)
  expect(calls).toEqual([0, 10500])
})

test('hidden, it stops; shown again, it ticks at once', async () => {
  await mount(async () => void calls.push(Date.now() - start))
  await advance(100)
  await act(async () => mockHide.forEach((fn) => fn()))
  await advance(10000)
  expect(calls).toEqual([0])
  await act(async () => mockShow.forEach((fn) => fn()))
  await advance(10)
  expect(calls).toEqual([0, 10100])
})
