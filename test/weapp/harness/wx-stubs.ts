/**
 * The `wx` APIs the pages call, over miniprogram-simulate's mock: only what a
 * page's behaviour depends on is real here (cloud calls, navigation, storage);
 * UI feedback (toasts, modals, badges, subscribe requests) is recorded so a
 * test can assert what the member was told. Device APIs (scan, location,
 * files) answer as a phone whose user cancelled: they cannot be proven here.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
type AnyObj = Record<string, any>

export interface WxRecord {
  toasts: string[]
  modals: { title?: string; content?: string }[]
  calls: { name: string; action: string }[]
  badges: { index: number; text: string | null }[]
  titles: string[]
  subscribeRequests: string[][]
}

interface Navigation {
  navigateTo(url: string): Promise<void>
  redirectTo(url: string): Promise<void>
  switchTab(url: string): Promise<void>
  reLaunch(url: string): Promise<void>
  navigateBack(delta?: number): Promise<void>
}

/** WeChat's callback style with an optional promise, as `wx.*` async APIs behave. */
function asyncApi(name: string, run: (o: AnyObj) => unknown | Promise<unknown>) {
  return (o: AnyObj = {}) => {
    const p = Promise.resolve()
      .then(() => run(o))
      .then(
        (res) => {
          const out = { errMsg: `${name}:ok`, ...(res as AnyObj) }
          o.success?.(out)
          o.complete?.(out)
          return out
        },
        (err: unknown) => {
          const out = { errMsg: `${name}:fail ${(err as Error)?.message ?? err}` }
          o.fail?.(out)
          o.complete?.(out)
          throw out
        }
      )
    if (o.success || o.fail || o.complete) {
      p.catch(() => undefined)
      return undefined
    }
    return p
  }
}

export function installWxStubs(
  g: AnyObj,
  deps: { callFunction: (name: string, data: AnyObj) => Promise<unknown>; navigation: Navigation; errors: string[] }
): WxRecord {
  const record: WxRecord = { toasts: [], modals: [], calls: [], badges: [], titles: [], subscribeRequests: [] }
  const storage = new Map<string, unknown>()
  const wx = g.wx as AnyObj
  const cancelled = (name: string) => asyncApi(name, () => Promise.reject(new Error('cancel')))

  Object.assign(wx, {
    cloud: {
      init() {},
      callFunction: asyncApi('cloud.callFunction', async (o) => {
        record.calls.push({ name: o.name, action: String(o.data?.action) })
        const result = await deps.callFunction(o.name, o.data ?? {})
        return { result, requestID: 'simulated' }
      })
    },
    navigateTo: asyncApi('navigateTo', (o) => deps.navigation.navigateTo(o.url)),
    redirectTo: asyncApi('redirectTo', (o) => deps.navigation.redirectTo(o.url)),
    switchTab: asyncApi('switchTab', (o) => deps.navigation.switchTab(o.url)),
    reLaunch: asyncApi('reLaunch', (o) => deps.navigation.reLaunch(o.url)),
    navigateBack: asyncApi('navigateBack', (o) => deps.navigation.navigateBack(o.delta ?? 1)),
    getStorageSync: (k: string) => (storage.has(k) ? storage.get(k) : ''),
    setStorageSync: (k: string, v: unknown) => void storage.set(k, v),
    removeStorageSync: (k: string) => void storage.delete(k),
    clearStorageSync: () => storage.clear(),
    getStorage: asyncApi('getStorage', (o) => {
      if (!storage.has(o.key)) throw new Error('data not found')
      return { data: storage.get(o.key) }
    }),
    setStorage: asyncApi('setStorage', (o) => void storage.set(o.key, o.data)),
    removeStorage: asyncApi('removeStorage', (o) => void storage.delete(o.key)),
    getStorageInfoSync: () => ({ keys: [...storage.keys()], currentSize: 0, limitSize: 10240 }),
    showToast: asyncApi('showToast', (o) => void record.toasts.push(String(o.title))),
    showModal: asyncApi('showModal', (o) => {
      record.modals.push({ title: o.title, content: o.content })
      return { confirm: false, cancel: true }
    }),
    setNavigationBarTitle: asyncApi('setNavigationBarTitle', (o) => void record.titles.push(String(o.title))),
    setTabBarBadge: asyncApi('setTabBarBadge', (o) => void record.badges.push({ index: o.index, text: String(o.text) })),
    removeTabBarBadge: asyncApi('removeTabBarBadge', (o) => void record.badges.push({ index: o.index, text: null })),
    requestSubscribeMessage: asyncApi('requestSubscribeMessage', (o) => {
      record.subscribeRequests.push(o.tmplIds ?? [])
      return Object.fromEntries((o.tmplIds ?? []).map((t: string) => [t, 'reject']))
    }),
    stopPullDownRefresh: asyncApi('stopPullDownRefresh', () => undefined),
    setKeepScreenOn: asyncApi('setKeepScreenOn', () => undefined),
    vibrateShort: asyncApi('vibrateShort', () => undefined),
    onNetworkStatusChange: () => undefined,
    onAppShow: () => undefined,
    getNetworkType: asyncApi('getNetworkType', () => ({ networkType: 'wifi' })),
    // Device and file APIs: a test cannot hold a phone up to a QR code.
    scanCode: cancelled('scanCode'),
    getLocation: cancelled('getLocation'),
    chooseLocation: cancelled('chooseLocation'),
    chooseMessageFile: cancelled('chooseMessageFile'),
    downloadFile: cancelled('downloadFile'),
    openDocument: cancelled('openDocument'),
    openSetting: asyncApi('openSetting', () => ({ authSetting: {} })),
    setClipboardData: asyncApi('setClipboardData', () => undefined)
  })
  void deps.errors
  return record
}
