import Taro from '@tarojs/taro'

export const HOME = '/pages/index/index'
// The demo login page is where a signed-out visitor lands; "back" from it would only bounce here again.
const NO_BAR = ['/pages/login/index']

interface RouteConfig {
  path?: string
  navigationBarTitleText?: string
}
interface AppConfig {
  tabBar?: { list?: Array<{ pagePath: string }> }
  // Taro's H5 route loader answers [import(page), context, params].
  routes?: Array<RouteConfig & { load?: () => unknown }>
  window?: { navigationBarTitleText?: string }
}

/** The app config Taro's H5 entry publishes (app.config.ts plus each page's config); empty elsewhere. */
export function appConfig(): AppConfig {
  if (typeof window === 'undefined') return {}
  return ((window as unknown as { __taroAppConfig?: AppConfig }).__taroAppConfig ?? {}) as AppConfig
}

export function clean(path: string): string {
  return '/' + path.replace(/^\//, '').split('?')[0]
}

export function tabPaths(): string[] {
  return (appConfig().tabBar?.list ?? []).map((t) => clean(t.pagePath))
}

/** Whether this page gets the H5 top bar: every page but the tabs (and login). */
export function wantsBar(path: string): boolean {
  const p = clean(path)
  return !tabPaths().includes(p) && !NO_BAR.includes(p)
}

export interface PageInfo {
  path: string
  title: string
}

/**
 * The page being mounted and its `navigationBarTitleText` (the title WeChat
 * draws natively). Read while the page first renders: Taro sets the current
 * page just before it mounts the page's component.
 */
export function currentPageInfo(): PageInfo {
  const inst = Taro.getCurrentInstance()
  const path = clean(inst.router?.path ?? '')
  const own = (inst.page as { config?: RouteConfig } | null | undefined)?.config?.navigationBarTitleText
  const cfg = appConfig()
  const route = cfg.routes?.find((r) => r.path && clean(r.path) === path)
  const title = own ?? route?.navigationBarTitleText ?? cfg.window?.navigationBarTitleText ?? ''
  return { path, title }
}

/** Back one page, or to 首页 when the page was opened by its address and nothing lies behind it. */
export function goBack(): void {
  if (Taro.getCurrentPages().length > 1) {
    Taro.navigateBack().catch(() => Taro.switchTab({ url: HOME }))
  } else {
    void Taro.switchTab({ url: HOME })
  }
}
