import Taro from '@tarojs/taro'
import { LOGIN_URL } from '../../hooks/useMe'
import { appConfig, clean, tabPaths } from './pages'

let installed = false
let prefetched = false

/**
 * H5, as each page mounts: once, a word when a page's code cannot come; and,
 * once someone is signed in (the first page is not the login page), the tab
 * pages' code fetched ahead. On the login page a weak phone's few kilobits
 * belong to the login page itself (bench:first-screen), and its tabs are not
 * reachable yet anyway.
 */
export function installOfflineHelp(): void {
  if (process.env.TARO_ENV !== 'h5') return
  if (!installed) {
    installed = true
    guardPageLoads()
  }
  if (!prefetched && clean(Taro.getCurrentInstance().router?.path ?? '') !== LOGIN_URL) {
    prefetched = true
    prefetchTabPages()
  }
}


/**
 * Loads every tab page's code once the app is up. Taro's H5 router fetches a
 * page's chunk on its first visit; offline that fetch fails after the tab bar
 * has already moved its highlight, leaving the old page under the new tab.
 * With the chunks in hand, an offline tab switch shows the new page and its
 * own "网络没有连上" state instead.
 */
function prefetchTabPages(): void {
  const tabs = tabPaths()
  for (const route of appConfig().routes ?? []) {
    if (route.path && route.load && tabs.includes(clean(route.path))) {
      // A failed fetch is retried by the router itself on the visit.
      // The signal may drop while this runs (the phone goes offline on the home page): every part's failure is
      // swallowed here, not left as an unhandled rejection.
      const loaded = route.load()
      for (const part of Array.isArray(loaded) ? loaded : [loaded]) {
        if (part && typeof (part as Promise<unknown>).catch === 'function') (part as Promise<unknown>).catch(() => undefined)
      }
    }
  }
}

/** webpack's error for a page's code (or its CSS) that did not arrive. */
function isChunkFailure(reason: unknown): boolean {
  if (!(reason instanceof Error)) return false
  return reason.name === 'ChunkLoadError' || /Loading (CSS )?chunk .* failed/.test(reason.message)
}

/**
 * The address names another page than the one on screen: the router gave up
 * half-way. (A chunk a page loads for itself, with the address unchanged, is
 * that page's to handle.)
 */
function routeLeftBehind(): boolean {
  const wanted = window.location.hash.replace(/^#/, '')
  const shown = Taro.getCurrentInstance().router?.path ?? ''
  return wanted !== '' && clean(wanted) !== clean(shown)
}

/**
 * A page not yet opened in this visit (a secretary tool, say) needs its code
 * from the server. Offline, Taro's router fails after the address has changed
 * and leaves the old page on screen with no word. Say why, and offer 重试
 * (reload at the new address once the phone is back online) or 返回 (the
 * address goes back to the page still on screen).
 */
function guardPageLoads(): void {
  if (typeof window === 'undefined') return
  let asking = false
  const ask = (): void => {
    asking = true
    Taro.showModal({
      title: '网络没有连上',
      content: '这一页还没能打开。请检查网络后点“重试”。',
      confirmText: '重试',
      cancelText: '返回',
      confirmColor: '#c8102e'
    })
      .then((res) => {
        asking = false
        if (!res.confirm) window.history.back()
        else if (navigator.onLine === false) ask()
        else window.location.reload()
      })
      .catch(() => {
        asking = false
      })
  }
  window.addEventListener('unhandledrejection', (event) => {
    if (!isChunkFailure(event.reason)) return
    if (routeLeftBehind()) {
      // Ours to explain: no "Uncaught (in promise)" for a member's console.
      event.preventDefault()
      if (!asking) ask()
      return
    }
    // Offline, or while the question is open (a slow phone reports the rest of a page's chunks late, after
    // 返回 put the address back): a chunk that could not come is expected and already explained.
    if (asking || navigator.onLine === false) event.preventDefault()
  })
}
