import { useCallback, useRef, useState } from 'react'
import Taro, { useDidShow } from '@tarojs/taro'
import { unreadCount } from '../api/remind'

/** 我的 is the fifth tab (app.config.ts tabBar.list). */
const ME_TAB_INDEX = 4

/**
 * Shows the unread count on the 我的 tab, or clears it. Only a tab page has a
 * tab bar: elsewhere WeChat fails the call and H5 may never answer it, so
 * every failure is swallowed — a missing badge must never break a page.
 */
export function showUnreadBadge(count: number): void {
  try {
    const p =
      count > 0
        ? Taro.setTabBarBadge({ index: ME_TAB_INDEX, text: count > 99 ? '99+' : String(count) })
        : Taro.removeTabBarBadge({ index: ME_TAB_INDEX })
    if (p && typeof (p as Promise<unknown>).catch === 'function') (p as Promise<unknown>).catch(() => undefined)
  } catch {
    // Not supported here: the count on 我的 still says it.
  }
}

export interface UnreadState {
  /** Null until the first answer, or when the server could not be asked. */
  unread: number | null
  refresh: () => void
  /** Set the count the page already knows (e.g. after 全部已读) without asking again. */
  set: (count: number) => void
}

/**
 * The member's unread reminders, asked again each time the page shows (back
 * from another page, or the app returning to the foreground), mirrored on the
 * tab badge. A failure keeps the last count: a badge is not worth an error.
 */
export function useUnread(options: { badge?: boolean } = {}): UnreadState {
  const badge = options.badge !== false
  const [unread, setUnread] = useState<number | null>(null)
  const seq = useRef(0)

  const set = useCallback(
    (count: number) => {
      setUnread(count)
      if (badge) showUnreadBadge(count)
    },
    [badge]
  )

  const refresh = useCallback(() => {
    const mine = ++seq.current
    unreadCount()
      .then((count) => {
        if (mine === seq.current) set(count)
      })
      .catch(() => undefined)
  }, [set])

  useDidShow(refresh)

  return { unread, refresh, set }
}
