/**
 * On H5 a page that is not a tab gets a title bar: its navigationBarTitleText
 * (or the title it sets later) and a labelled 返回 that goes back, or to 首页
 * when nothing lies behind. Tabs, the login page and the weapp build get none
 * (WeChat draws its own). StatusBlock says "网络没有连上" with 重试 when the
 * server was not reached, and shows a moving ring while loading.
 */
import type { ReactNode } from 'react'

type Listener = (arg: unknown) => void
const mockListeners = new Map<string, Set<Listener>>()
const mockInstance: { router: { path: string }; page: { config?: { navigationBarTitleText?: string } } | null } = {
  router: { path: '/pages/points/index' },
  page: { config: { navigationBarTitleText: '我的积分' } }
}
let mockStack = 2
const mockSwitchTab = jest.fn(async (_: { url: string }) => undefined)
const mockNavigateBack = jest.fn(async () => undefined)
const mockShowModal = jest.fn(async (_: Record<string, unknown>) => ({ confirm: true, cancel: false }))
jest.mock('@tarojs/taro', () => ({
  __esModule: true,
  default: {
    getCurrentInstance: () => mockInstance,
    getCurrentPages: () => new Array(mockStack).fill({}),
    switchTab: (o: { url: string }) => mockSwitchTab(o),
    navigateBack: () => mockNavigateBack(),
    showModal: (o: Record<string, unknown>) => mockShowModal(o),
    eventCenter: {
      on: (name: string, fn: Listener) => {
        if (!mockListeners.has(name)) mockListeners.set(name, new Set())
        mockListeners.get(name)!.add(fn)
      },
      off: (name: string, fn: Listener) => mockListeners.get(name)?.delete(fn)
    }
  },
  useDidShow: () => undefined
}))

jest.mock('@tarojs/components', () => {
  const React = jest.requireActual('react') as typeof import('react')
  type P = { className?: string; children?: ReactNode; onClick?: () => void; role?: string; 'aria-label'?: string; 'aria-level'?: number }
  const pass = (p: P) => ({ className: p.className, onClick: p.onClick, role: p.role, 'aria-label': p['aria-label'], 'aria-level': p['aria-level'] })
  return {
    __esModule: true,
    View: (p: P) => React.createElement('div', pass(p), p.children),
    Text: (p: P) => React.createElement('span', pass(p), p.children),
    Button: (p: P) => React.createElement('button', pass(p), p.children)
  }
})
jest.mock('../../src/components/PageBoundary/index.scss', () => ({}))
jest.mock('../../src/components/H5NavBar/index.scss', () => ({}))
jest.mock('../../src/components/StatusBlock/index.scss', () => ({}))
jest.mock('../../src/api/session', () => ({ getCachedMe: () => null, getToken: () => null, clearSession: () => undefined }))

import { act } from 'react'
import { withPageBoundary } from '../../src/components/PageBoundary'
import StatusBlock, { OFFLINE_TEXT } from '../../src/components/StatusBlock'
import { installOfflineHelp } from '../../src/components/H5NavBar/offline'
import { ApiError } from '../../src/api'
import { networkError, NETWORK_MESSAGE, OFFLINE_MESSAGE } from '../../src/api/error'

interface Root {
  render(node: ReactNode): void
  unmount(): void
}
const { createRoot } = require('react-dom/client') as { createRoot: (el: Element) => Root }
;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true

const loads: string[] = []
const route = (path: string, title?: string) => ({
  path,
  navigationBarTitleText: title,
  // As Taro's H5 loader writes it: [import(page), context, params].
  load: (context?: unknown, params?: unknown) => {
    loads.push(path)
    return [Promise.resolve({}), context, params]
  }
})
;(window as unknown as { __taroAppConfig: unknown }).__taroAppConfig = {
  window: { navigationBarTitleText: '支部学习打卡' },
  tabBar: { list: ['pages/index/index', 'pages/checkin/index', 'pages/notes/index', 'pages/ranking/index', 'pages/me/index'].map((pagePath) => ({ pagePath })) },
  routes: [route('/pages/index/index'), route('/pages/notes/index', '我的笔记'), route('/pages/points/index', '我的积分'), route('/pages/login/index', '登录'), route('/secretary/leaves/index', '请假审批')]
}

const Page = withPageBoundary(() => <div className='content'>内容</div>)

let container: HTMLDivElement
let root: Root
async function mount(node: ReactNode) {
  container = document.createElement('div')
  document.body.appendChild(container)
  root = createRoot(container)
  await act(async () => root.render(node))
}
const bar = () => container.querySelector('.h5-nav')
const back = () => container.querySelector<HTMLButtonElement>('.h5-nav-back')!

const env = process.env.TARO_ENV
beforeEach(() => {
  process.env.TARO_ENV = 'h5'
  mockInstance.router.path = '/pages/points/index'
  mockInstance.page = { config: { navigationBarTitleText: '我的积分' } }
  mockStack = 2
  mockSwitchTab.mockClear()
  mockNavigateBack.mockClear()
  document.title = ''
})
afterEach(async () => {
  await act(async () => root?.unmount())
  container?.remove()
  process.env.TARO_ENV = env
})

test('a non-tab page on H5 shows its own title and a labelled back control, and names the document', async () => {
  await mount(<Page />)
  expect(bar()).not.toBeNull()
  expect(container.querySelector('.h5-nav-title')!.textContent).toBe('我的积分')
  expect(container.querySelector('[role="heading"]')!.getAttribute('aria-level')).toBe('1')
  expect(back().textContent).toContain('返回')
  expect(back().getAttribute('aria-label')).toBe('返回上一页')
  expect(document.title).toBe('我的积分')
  // The page itself still renders, below the bar.
  expect(container.querySelector('.content')).not.toBeNull()
})

test('返回 goes back one page, or to 首页 when the page was opened by its address', async () => {
  await mount(<Page />)
  await act(async () => back().click())
  expect(mockNavigateBack).toHaveBeenCalledTimes(1)
  expect(mockSwitchTab).not.toHaveBeenCalled()

  mockStack = 1
  await act(async () => back().click())
  expect(mockNavigateBack).toHaveBeenCalledTimes(1)
  expect(mockSwitchTab).toHaveBeenCalledWith({ url: '/pages/index/index' })
})

test('the title falls back to the route config and follows Taro.setNavigationBarTitle of this page only', async () => {
  mockInstance.router.path = '/secretary/leaves/index?branchId=b1'
  mockInstance.page = {}
  await mount(<Page />)
  expect(container.querySelector('.h5-nav-title')!.textContent).toBe('请假审批')

  const emit = (title: string) => mockListeners.get('__taroH5SetNavigationBarTitle')!.forEach((fn) => fn(title))
  await act(async () => emit('林华的请假'))
  expect(container.querySelector('.h5-nav-title')!.textContent).toBe('林华的请假')
  // Another page (now current) renaming itself leaves this bar alone.
  mockInstance.page = { config: {} }
  await act(async () => emit('别的页面'))
  expect(container.querySelector('.h5-nav-title')!.textContent).toBe('林华的请假')
})

test('tabs, the login page and the weapp build get no bar', async () => {
  for (const path of ['/pages/notes/index', 'pages/index/index', '/pages/login/index']) {
    mockInstance.router.path = path
    await mount(<Page />)
    expect(bar()).toBeNull()
    expect(container.querySelector('.content')).not.toBeNull()
    await act(async () => root.unmount())
    container.remove()
  }
  process.env.TARO_ENV = 'weapp'
  mockInstance.router.path = '/pages/points/index'
  await mount(<Page />)
  expect(bar()).toBeNull()
})

test('the tab pages (and only they) were fetched ahead when the first page mounted, once', async () => {
  // The earlier tests mounted pages; calling again changes nothing.
  installOfflineHelp()
  installOfflineHelp()
  await Promise.resolve()
  expect(loads.sort()).toEqual(['/pages/index/index', '/pages/notes/index'])
})

test('StatusBlock: not reached says so and offers 重试; other errors keep their words; loading is announced', async () => {
  const retry = jest.fn()
  await mount(<StatusBlock error={new ApiError('NETWORK')} onRetry={retry} />)
  expect(container.textContent).toContain(OFFLINE_TEXT)
  expect(container.querySelector('[role="alert"]')).not.toBeNull()
  const button = container.querySelector('button')!
  expect(button.textContent).toBe('重试')
  await act(async () => button.click())
  expect(retry).toHaveBeenCalledTimes(1)

  await act(async () => root.render(<StatusBlock error={new ApiError('FORBIDDEN', '没有权限进行这个操作')} onRetry={retry} />))
  expect(container.textContent).toContain('没有权限进行这个操作')
  expect(container.querySelector('button')!.textContent).toBe('再试一次')

  await act(async () => root.render(<StatusBlock loading />))
  expect(container.querySelector('[role="status"] .status-spinner')).not.toBeNull()
  expect(container.textContent).toContain('正在加载')
})

test('a network failure while the phone is offline says to check the network', () => {
  const onLine = jest.spyOn(window.navigator, 'onLine', 'get')
  onLine.mockReturnValue(false)
  expect(networkError(new TypeError('Failed to fetch')).message).toBe(OFFLINE_MESSAGE)
  onLine.mockReturnValue(true)
  expect(networkError(new TypeError('Failed to fetch')).message).toBe(NETWORK_MESSAGE)
  onLine.mockRestore()
})

test('a page whose code cannot come offline is explained, with 重试 (once online) and 返回', async () => {
  // Installed by the first mounted page (earlier tests).
  const fail = async () => {
    const err = Object.assign(new Error('Loading chunk 412 failed.\n(error: http://x/js/412.js)'), { name: 'ChunkLoadError' })
    const event = Object.assign(new Event('unhandledrejection', { cancelable: true }), { reason: err })
    window.dispatchEvent(event)
    await act(async () => undefined)
    return event
  }
  // On screen: 我的积分; the address already names the page that did not come.
  window.location.hash = '#/secretary/leaves/index?branchId=b1'
  const back = jest.spyOn(window.history, 'back').mockImplementation(() => undefined)
  const onLine = jest.spyOn(window.navigator, 'onLine', 'get').mockReturnValue(false)

  // 返回: the address goes back to the page still on screen.
  mockShowModal.mockResolvedValueOnce({ confirm: false, cancel: true })
  const event = await fail()
  expect(event.defaultPrevented).toBe(true)
  expect(mockShowModal).toHaveBeenCalledWith(expect.objectContaining({ title: '网络没有连上', confirmText: '重试', cancelText: '返回' }))
  expect(back).toHaveBeenCalledTimes(1)

  // 重试 while still offline asks again rather than reloading into the browser's own offline page.
  mockShowModal.mockClear()
  mockShowModal.mockResolvedValueOnce({ confirm: true, cancel: false }).mockResolvedValueOnce({ confirm: false, cancel: true })
  await fail()
  expect(mockShowModal).toHaveBeenCalledTimes(2)
  expect(back).toHaveBeenCalledTimes(2)

  // A chunk the page on screen loads for itself (address unchanged) is that page's to handle: online it is
  // left to the page; offline it is expected (the phone said so already), so it is not reported as uncaught.
  mockShowModal.mockClear()
  window.location.hash = '#/pages/points/index'
  expect((await fail()).defaultPrevented).toBe(true)
  onLine.mockReturnValue(true)
  expect((await fail()).defaultPrevented).toBe(false)
  expect(mockShowModal).not.toHaveBeenCalled()

  // Any other rejection is none of its business.
  window.location.hash = '#/secretary/leaves/index'
  const other = Object.assign(new Event('unhandledrejection', { cancelable: true }), { reason: new Error('boom') })
  window.dispatchEvent(other)
  expect(other.defaultPrevented).toBe(false)
  expect(mockShowModal).not.toHaveBeenCalled()
  back.mockRestore()
  onLine.mockRestore()
})
