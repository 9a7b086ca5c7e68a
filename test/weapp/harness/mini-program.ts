/**
 * Runs the production weapp build (dist/weapp) inside WeChat's component
 * framework as miniprogram-simulate provides it: WXML compiled by WeChat's own
 * `wcc`, the exparser-like j-component tree, the page JS unchanged. What is
 * ours is only what WeChat itself would supply: `App`/`Page`/`getApp`, the page
 * stack behind navigateTo/switchTab/navigateBack, storage, and the `wx.*` APIs
 * the pages call. `wx.cloud.callFunction` goes to whatever `callFunction` the
 * test gives (the real handlers on a seeded database, in these tests).
 */
import { join } from 'path'
import { installWxStubs, type WxRecord } from './wx-stubs'

/* eslint-disable @typescript-eslint/no-explicit-any */
type AnyObj = Record<string, any>

export interface PageHandle {
  route: string
  query: Record<string, string>
  /** The j-component instance; `.dom` is the rendered tree. */
  comp: AnyObj
  /** The Page instance Taro sees (this of onLoad). */
  instance: AnyObj
}

export interface MiniProgram {
  /** Open a page as the first page (reLaunch), e.g. `/pages/index/index` or `secretary/qr/index?sessionId=x`. */
  launch(url: string): Promise<PageHandle>
  current(): PageHandle
  stack(): PageHandle[]
  /** WeChat APIs the pages called (toasts, modals, subscribe requests, badges …). */
  record: WxRecord
  /** Errors the app reported: App onError, unhandled rejections, console.error. */
  errors: string[]
  /** A tap on WeChat's own tab bar (not part of the page), by its label. */
  tabTo(label: string): Promise<PageHandle>
  navigateBack(): Promise<PageHandle>
  /** Every route rendered so far. */
  visited: Set<string>
}

function parseUrl(url: string): { route: string; query: Record<string, string> } {
  const [path, qs = ''] = url.replace(/^\//, '').split('?')
  const query: Record<string, string> = {}
  for (const part of qs.split('&').filter(Boolean)) {
    const [k, v = ''] = part.split('=')
    query[decodeURIComponent(k)] = decodeURIComponent(v)
  }
  return { route: path, query }
}

/**
 * WeChat builds a page from `Page(options)`; j-component only knows
 * `Component`. A page is a component whose top-level functions are methods and
 * whose page lifecycle is driven by the stack below, as WeChat's would be.
 */
function installPageConstructor(g: AnyObj, pending: { route: string; query: Record<string, string> }[]): void {
  g.Page = (options: AnyObj) => {
    const methods: AnyObj = {}
    for (const [k, v] of Object.entries(options)) if (typeof v === 'function') methods[k] = v
    g.Component({
      data: options.data ?? {},
      methods,
      lifetimes: {
        created(this: AnyObj) {
          const next = pending[pending.length - 1]
          this.route = next.route
          this.__route__ = next.route
          this.options = next.query
        }
      }
    })
  }
}

export function loadMiniProgram(opts: { weappDir: string; callFunction: (name: string, data: AnyObj) => Promise<unknown> }): MiniProgram {
  const g = global as unknown as AnyObj
  // miniprogram-simulate installs the Component constructor and a wx mock on load.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const simulate = require('miniprogram-simulate')
  const errors: string[] = []
  const stack: PageHandle[] = []
  const pageIds = new Map<string, string>()
  const pending: { route: string; query: Record<string, string> }[] = []
  const visited = new Set<string>()
  const appJson = require(join(opts.weappDir, 'app.json')) as AnyObj
  const TAB_PAGES = new Set<string>((appJson.tabBar?.list ?? []).map((t: AnyObj) => t.pagePath))
  const allRoutes = new Set<string>([
    ...appJson.pages,
    ...(appJson.subPackages ?? appJson.subpackages ?? []).flatMap((s: AnyObj) => s.pages.map((p: string) => `${s.root.replace(/\/$/, '')}/${p}`))
  ])

  let app: AnyObj | null = null
  g.App = (o: AnyObj) => {
    app = o
  }
  g.getApp = () => app
  g.getCurrentPages = () => stack.map((p) => p.instance)
  installPageConstructor(g, pending)

  const origError = console.error
  console.error = (...args: unknown[]) => {
    errors.push(args.map((a) => (a instanceof Error ? a.stack ?? a.message : String(a))).join(' '))
    origError.apply(console, args as [])
  }
  // wcc's template runtime only warns when a page asks for a template base.wxml lacks: on a phone that is a blank area.
  const origWarn = console.warn
  console.warn = (...args: unknown[]) => {
    const text = args.map(String).join(' ')
    // Kept in `errors` (every check fails on it), not echoed: the broken-copy test makes hundreds on purpose.
    if (/WXMLRT|not found/i.test(text)) errors.push(text)
    else origWarn.apply(console, args as [])
  }
  process.on('unhandledRejection', (reason) => {
    errors.push('unhandledRejection: ' + String((reason as Error)?.stack ?? reason))
  })

  async function open(url: string): Promise<PageHandle> {
    const { route, query } = parseUrl(url)
    if (!allRoutes.has(route)) throw new Error(`navigate to ${route}: not a page of app.json`)
    pending.push({ route, query })
    let id = pageIds.get(route)
    // A page's module runs once in webpack's registry, so its Page() call (and
    // the component it registers) happens once: later visits render that id again.
    if (!id) {
      id = simulate.load(join(opts.weappDir, route), { compiler: 'official', rootPath: opts.weappDir }) as string
      pageIds.set(route, id)
    }
    const comp = simulate.render(id)
    const parent = document.createElement('parent-wrapper')
    document.body.appendChild(parent)
    comp.attach(parent)
    pending.pop()
    const instance = comp.instance as AnyObj
    const handle: PageHandle = { route, query, comp, instance }
    visited.add(route)
    stack.push(handle)
    // Unique per visit, as WeChat's own page ids are.
    instance.onLoad?.call(instance, { ...query })
    instance.onShow?.call(instance)
    instance.onReady?.call(instance)
    return handle
  }

  function close(handle: PageHandle): void {
    handle.instance.onUnload?.call(handle.instance)
    handle.comp.detach()
  }

  function hideTop(): void {
    const top = stack[stack.length - 1]
    top?.instance.onHide?.call(top.instance)
  }

  // WeChat keeps a tab page alive once opened: switchTab hides and shows it, only reLaunch unloads it.
  const tabs = new Map<string, PageHandle>()

  function closeAll(): void {
    while (stack.length) {
      const p = stack.pop()!
      if (!TAB_PAGES.has(p.route)) close(p)
    }
  }

  const navigation = {
    async navigateTo(url: string) {
      if (TAB_PAGES.has(parseUrl(url).route)) throw new Error('navigateTo:fail can not navigateTo a tabbar page')
      if (stack.length >= 10) throw new Error('navigateTo:fail webview count limit exceed')
      hideTop()
      await open(url)
    },
    async redirectTo(url: string) {
      if (TAB_PAGES.has(parseUrl(url).route)) throw new Error('redirectTo:fail can not redirectTo a tabbar page')
      const top = stack.pop()
      if (top) close(top)
      await open(url)
    },
    async switchTab(url: string) {
      const { route } = parseUrl(url)
      if (!TAB_PAGES.has(route)) throw new Error(`switchTab:fail can not switch to no-tabBar page ${route}`)
      hideTop()
      closeAll()
      const kept = tabs.get(route)
      if (kept) {
        stack.push(kept)
        kept.instance.onShow?.call(kept.instance)
        return
      }
      tabs.set(route, await open(url))
    },
    async reLaunch(url: string) {
      closeAll()
      for (const t of tabs.values()) close(t)
      tabs.clear()
      const handle = await open(url)
      if (TAB_PAGES.has(handle.route)) tabs.set(handle.route, handle)
    },
    async navigateBack(delta = 1) {
      for (let i = 0; i < delta && stack.length > 1; i++) close(stack.pop()!)
      const top = stack[stack.length - 1]
      top?.instance.onShow?.call(top.instance)
    }
  }

  const record = installWxStubs(g, { callFunction: opts.callFunction, navigation, errors })
  // app.js pulls in the shared chunks (common, vendors, taro, runtime) and calls App().
  require(join(opts.weappDir, 'app.js'))
  if (!app) throw new Error('app.js did not call App()')
  const theApp = app as AnyObj
  const appOnError = theApp.onError
  theApp.onError = function (err: unknown) {
    errors.push('App.onError: ' + String(err))
    return appOnError?.call(this, err)
  }
  theApp.onLaunch?.call(theApp, { path: appJson.pages[0], query: {}, scene: 1001 })
  theApp.onShow?.call(theApp, { path: appJson.pages[0], query: {}, scene: 1001 })

  return {
    launch: async (url) => {
      await navigation.reLaunch(url)
      return stack[stack.length - 1]
    },
    current: () => stack[stack.length - 1],
    stack: () => [...stack],
    record,
    errors,
    visited,
    async tabTo(label) {
      const tab = (appJson.tabBar?.list ?? []).find((t: AnyObj) => t.text === label)
      if (!tab) throw new Error(`no tab labelled ${label}`)
      await navigation.switchTab('/' + tab.pagePath)
      return stack[stack.length - 1]
    },
    async navigateBack() {
      await navigation.navigateBack(1)
      return stack[stack.length - 1]
    }
  }
}
