/**
 * 长辈模式 on the phone: useLargeText gives a page its root class from the
 * member's record (or the cached one), and the switch on 我的 saves the
 * choice and changes every mounted page at once; a failed save puts it back
 * and says so in plain words.
 */
import type { ReactNode } from 'react'

const mockShow: Array<() => void> = []
jest.mock('@tarojs/taro', () => ({
  __esModule: true,
  default: {},
  useDidShow: (fn: () => void) => void mockShow.push(fn)
}))

// Taro's components as plain DOM: what matters here is text, classes and taps.
jest.mock('@tarojs/components', () => {
  const React = jest.requireActual('react') as typeof import('react')
  type P = { className?: string; children?: ReactNode; onClick?: () => void; [k: string]: unknown }
  const pass = (p: P) => {
    const out: Record<string, unknown> = { className: p.className, onClick: p.onClick }
    for (const [k, v] of Object.entries(p)) if (k.startsWith('data-') || k.startsWith('aria-')) out[k] = v
    // As Taro's H5 components do.
    if (p.ariaLabel) out['aria-label'] = p.ariaLabel
    return out
  }
  return {
    __esModule: true,
    View: (p: P) => React.createElement('div', pass(p), p.children),
    Text: (p: P) => React.createElement('span', pass(p), p.children),
    Switch: (p: P & { checked?: boolean; onChange?: (e: { detail: { value: boolean } }) => void }) =>
      React.createElement('input', {
        type: 'checkbox',
        className: p.className,
        checked: !!p.checked,
        'aria-label': p.ariaLabel,
        onChange: (e: { target: { checked: boolean } }) => p.onChange?.({ detail: { value: e.target.checked } })
      })
  }
})
jest.mock('../../src/components/LargeTextSwitch/index.scss', () => ({}))

let mockCached: unknown = null
jest.mock('../../src/api/session', () => ({ getCachedMe: () => mockCached }))
const mockSetLargeText = jest.fn()
jest.mock('../../src/api/auth', () => ({ setLargeText: (on: boolean) => mockSetLargeText(on) }))

import { act } from 'react'
import type { Me } from '../../src/api/auth'
import LargeTextSwitch, { LARGE_TEXT_LABEL } from '../../src/components/LargeTextSwitch'
import { LARGE_PAGE_CLASS, announceLargeText, isLargeText, useLargeText } from '../../src/hooks/useLargeText'

interface Root {
  render(node: ReactNode): void
  unmount(): void
}
const { createRoot } = require('react-dom/client') as { createRoot: (el: Element) => Root }
;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true

function meWith(largeText: boolean): Me {
  return { member: { _id: 'm1', name: '黄桂英', largeText } } as unknown as Me
}

/** A page root as the pages write it. */
function Page({ me, id }: { me?: Me | null; id: string }) {
  const lt = useLargeText(me)
  return <div id={id} className={`page ${lt.className}`} />
}

let container: HTMLDivElement
let root: Root

async function mount(node: ReactNode) {
  container = document.createElement('div')
  document.body.appendChild(container)
  root = createRoot(container)
  await act(async () => root.render(node))
}

function cls(id: string): string {
  return container.querySelector(`#${id}`)!.className.trim()
}

beforeEach(() => {
  mockShow.length = 0
  mockCached = null
  mockSetLargeText.mockReset()
})
afterEach(async () => {
  await act(async () => root.unmount())
  container.remove()
})

test('a page takes page--large from the member it has, or from the cached member', async () => {
  expect(isLargeText(null)).toBe(false)
  expect(isLargeText(meWith(true))).toBe(true)
  mockCached = meWith(true)
  await mount(
    <>
      <Page id='fromMe' me={meWith(false)} />
      <Page id='fromCache' />
    </>
  )
  expect(cls('fromMe')).toBe('page')
  expect(cls('fromCache')).toBe(`page ${LARGE_PAGE_CLASS}`)

  // The server's answer on the next show wins for the page that has `me`.
  await act(async () =>
    root.render(
      <>
        <Page id='fromMe' me={meWith(true)} />
        <Page id='fromCache' />
      </>
    )
  )
  expect(cls('fromMe')).toBe(`page ${LARGE_PAGE_CLASS}`)

  // A page without `me` reads the cache again when shown.
  mockCached = meWith(false)
  await act(async () => mockShow.forEach((fn) => fn()))
  expect(cls('fromCache')).toBe('page')
})

test('switching on 我的: saved on the server, every mounted page follows at once', async () => {
  mockSetLargeText.mockImplementation(async (on: boolean) => meWith(on))
  await mount(
    <>
      <Page id='home' me={meWith(false)} />
      <Page id='inbox' />
      <LargeTextSwitch />
    </>
  )
  const row = container.querySelector('.lt-switch-row') as HTMLElement
  expect(container.textContent).toContain('长辈模式')
  expect(container.textContent).toContain('字更大、按钮更大、首页更简单')
  const control = container.querySelector('.lt-switch-control') as HTMLInputElement
  expect(control.getAttribute('aria-label')).toBe(LARGE_TEXT_LABEL)
  expect(control.checked).toBe(false)

  await act(async () => row.click())
  expect(mockSetLargeText).toHaveBeenCalledTimes(1)
  expect(mockSetLargeText).toHaveBeenCalledWith(true)
  expect(container.querySelector('.lt-switch')!.className).toContain('lt-switch--on')
  expect(control.checked).toBe(true)
  expect(cls('home')).toBe(`page ${LARGE_PAGE_CLASS}`)
  expect(cls('inbox')).toBe(`page ${LARGE_PAGE_CLASS}`)

  // And off again.
  await act(async () => row.click())
  expect(mockSetLargeText).toHaveBeenLastCalledWith(false)
  expect(cls('home')).toBe('page')
  expect(cls('inbox')).toBe('page')
  expect(container.querySelector('.lt-switch-error')).toBeNull()
})

test('the switch itself (keyboard, screen reader) changes it once, though its tap also reaches the row', async () => {
  mockSetLargeText.mockImplementation(async (on: boolean) => meWith(on))
  await mount(<LargeTextSwitch />)
  const control = container.querySelector('.lt-switch-control') as HTMLInputElement
  await act(async () => control.click())
  expect(mockSetLargeText).toHaveBeenCalledTimes(1)
  expect(mockSetLargeText).toHaveBeenCalledWith(true)
  expect(container.querySelector('.lt-switch')!.getAttribute('data-on')).toBe('true')
})

test('a failed save puts the switch back and says so', async () => {
  mockSetLargeText.mockRejectedValue(new Error('offline'))
  await mount(
    <>
      <Page id='home' />
      <LargeTextSwitch />
    </>
  )
  const row = container.querySelector('.lt-switch-row') as HTMLElement
  await act(async () => row.click())
  expect(mockSetLargeText).toHaveBeenCalledWith(true)
  expect(container.querySelector('.lt-switch')!.getAttribute('data-on')).toBe('false')
  expect(cls('home')).toBe('page')
  expect(container.querySelector('.lt-switch-error')!.textContent).toBe('没有开启成功，请检查网络后再试一次')
})

test('an announcement reaches a page that mounted before it', async () => {
  await mount(<Page id='p' />)
  await act(async () => announceLargeText(true))
  expect(cls('p')).toBe(`page ${LARGE_PAGE_CLASS}`)
})
