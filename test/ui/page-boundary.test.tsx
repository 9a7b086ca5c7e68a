/**
 * A render error in a page shows a kind message with 重新加载 and 返回首页
 * instead of the blank screen Taro's own page wrapper leaves; 重新加载 mounts
 * the page content afresh. Every page in app.config.ts is wrapped.
 */
import { readFileSync } from 'fs'
import { join } from 'path'
import { useEffect, type ReactNode } from 'react'

let mockPath = '/pages/ranking/index'
const mockSwitchTab = jest.fn(async (_: { url: string }) => undefined)
jest.mock('@tarojs/taro', () => ({
  __esModule: true,
  default: {
    getCurrentInstance: () => ({ router: { path: mockPath } }),
    switchTab: (o: { url: string }) => mockSwitchTab(o)
  },
  useDidShow: () => undefined
}))

// Taro's components as plain DOM: what matters here is text, classes and taps.
jest.mock('@tarojs/components', () => {
  const React = jest.requireActual('react') as typeof import('react')
  type P = { className?: string; children?: ReactNode; onClick?: () => void; role?: string }
  const pass = (p: P) => ({ className: p.className, onClick: p.onClick, role: p.role })
  return {
    __esModule: true,
    View: (p: P) => React.createElement('div', pass(p), p.children),
    Text: (p: P) => React.createElement('span', pass(p), p.children),
    Button: (p: P) => React.createElement('button', pass(p), p.children)
  }
})
jest.mock('../../src/components/PageBoundary/index.scss', () => ({}))
jest.mock('../../src/components/H5NavBar/index.scss', () => ({}))
jest.mock('../../src/api/session', () => ({ getCachedMe: () => null }))

import { act } from 'react'
import PageBoundary, { withPageBoundary } from '../../src/components/PageBoundary'

interface Root {
  render(node: ReactNode): void
  unmount(): void
}
const { createRoot } = require('react-dom/client') as { createRoot: (el: Element) => Root }
;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true

let mockBroken = true
let mounts = 0
/** A page whose render throws while mockBroken is set, with a message and code no member should see. */
function Fragile() {
  useEffect(() => {
    mounts++
  }, [])
  if (mockBroken) throw Object.assign(new Error('Cannot read properties of undefined (reading "rows")'), { code: 'INTERNAL' })
  return <div className='fragile-content'>本月排行</div>
}

let container: HTMLDivElement
let root: Root
let consoleError: jest.SpyInstance

async function mount(node: ReactNode) {
  container = document.createElement('div')
  document.body.appendChild(container)
  root = createRoot(container)
  await act(async () => root.render(node))
}

function button(text: string): HTMLButtonElement | undefined {
  return Array.from(container.querySelectorAll('button')).find((b) => b.textContent === text)
}

// React and jsdom also report a caught render error on their own; keep the output quiet.
const swallow = (e: ErrorEvent) => e.preventDefault()
beforeEach(() => {
  mockBroken = true
  mounts = 0
  mockPath = '/pages/ranking/index'
  mockSwitchTab.mockClear()
  consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined)
  window.addEventListener('error', swallow)
})
afterEach(async () => {
  await act(async () => root.unmount())
  container.remove()
  window.removeEventListener('error', swallow)
  consoleError.mockRestore()
})

test('a page that throws shows a kind message, reported once, without the error itself', async () => {
  const Page = withPageBoundary(Fragile)
  await mount(<Page />)
  const text = container.textContent ?? ''
  expect(text).toContain('页面出了点问题')
  expect(button('重新加载')).toBeDefined()
  expect(button('返回首页')).toBeDefined()
  expect(container.querySelector('[role="alert"]')).not.toBeNull()
  // No stack, message or code for the member.
  expect(text).not.toMatch(/Cannot read|undefined|INTERNAL|Error|at /)
  const ours = consoleError.mock.calls.filter((args) => args[0] === '页面渲染出错')
  expect(ours).toHaveLength(1)
  expect((ours[0][1] as Error).message).toContain('reading "rows"')
})

test('重新加载 mounts the page content afresh', async () => {
  await mount(
    <PageBoundary>
      <Fragile />
    </PageBoundary>
  )
  expect(container.querySelector('.fragile-content')).toBeNull()
  mockBroken = false
  await act(async () => button('重新加载')!.click())
  expect(container.querySelector('.fragile-content')?.textContent).toBe('本月排行')
  expect(container.textContent).not.toContain('页面出了点问题')
  expect(mounts).toBe(1)

  // A second failure later is caught again, and reloading mounts a new instance.
  mockBroken = true
  await act(async () =>
    root.render(
      <PageBoundary>
        <Fragile />
      </PageBoundary>
    )
  )
  expect(container.textContent).toContain('页面出了点问题')
  mockBroken = false
  await act(async () => button('重新加载')!.click())
  expect(container.querySelector('.fragile-content')).not.toBeNull()
  expect(mounts).toBe(2)
})

test('返回首页 goes to the home tab, and is not offered on the home page itself', async () => {
  await mount(<PageBoundary><Fragile /></PageBoundary>)
  await act(async () => button('返回首页')!.click())
  expect(mockSwitchTab).toHaveBeenCalledWith({ url: '/pages/index/index' })

  await act(async () => root.unmount())
  mockPath = 'pages/index/index'
  await mount(<PageBoundary><Fragile /></PageBoundary>)
  expect(button('重新加载')).toBeDefined()
  expect(button('返回首页')).toBeUndefined()
})

test('every page in app.config.ts, main and subpackages, exports itself through withPageBoundary', () => {
  const src = join(__dirname, '..', '..', 'src')
  const config = readFileSync(join(src, 'app.config.ts'), 'utf8')
  const [mainPart, rest] = config.split('subPackages')
  const main = [...mainPart.matchAll(/'(pages\/[\w-]+\/index)'/g)].map((m) => m[1])
  // Each subpackage block names its root, then its pages.
  const subPages = [...rest.split('window:')[0].matchAll(/root: '([\w-]+)',\s*pages: \[([^\]]*)\]/g)].flatMap((m) =>
    [...m[2].matchAll(/'([\w/-]+\/index)'/g)].map((p) => `${m[1]}/${p[1]}`)
  )
  const secretary = subPages.filter((p) => p.startsWith('secretary/'))
  expect(main.length).toBeGreaterThanOrEqual(12)
  expect(secretary.length).toBeGreaterThanOrEqual(20)
  expect(subPages.filter((p) => p.startsWith('minutes/'))).toEqual(['minutes/view/index', 'minutes/edit/index'])
  expect(subPages.filter((p) => p.startsWith('review/'))).toEqual(['review/index/index', 'review/manage/index'])
  const unwrapped = [...main, ...subPages].filter(
    (page) => !/^export default withPageBoundary\(\w+\)$/m.test(readFileSync(join(src, `${page}.tsx`), 'utf8'))
  )
  expect(unwrapped).toEqual([])
})
