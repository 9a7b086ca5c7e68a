import { useEffect, useState } from 'react'
import { useDidShow } from '@tarojs/taro'
import type { Me } from '../api/auth'
import { getCachedMe } from '../api/session'

/** The root class of a page in 长辈模式; the sizes live in src/styles/scale.scss. */
export const LARGE_PAGE_CLASS = 'page--large'

export function isLargeText(me: Me | null | undefined): boolean {
  return !!me && me.member.largeText === true
}

type Listener = (on: boolean) => void
const listeners = new Set<Listener>()

/**
 * Tells every mounted page (tab pages stay mounted) that 长辈模式 was just
 * switched on this phone, so they change at once rather than on their next show.
 */
export function announceLargeText(on: boolean): void {
  for (const listener of Array.from(listeners)) listener(on)
}

export interface LargeText {
  large: boolean
  /** `page--large` or '': add it to the page's root View. */
  className: string
}

/**
 * Whether this member reads the app in 长辈模式. A page that already has
 * `me` (useMe) passes it, so the server's answer on each show wins; a page
 * without one reads the cached `me`, again on each show. A switch made on
 * 我的 reaches every mounted page at once (announceLargeText).
 */
export function useLargeText(me?: Me | null): LargeText {
  const [large, setLarge] = useState(() => isLargeText(me === undefined ? getCachedMe() : me))
  const known = me === undefined ? undefined : me === null ? null : me.member.largeText

  useEffect(() => {
    if (typeof known === 'boolean') setLarge(known)
  }, [me, known])

  useDidShow(() => {
    if (me === undefined) setLarge(isLargeText(getCachedMe()))
  })

  useEffect(() => {
    const listener: Listener = (on) => setLarge(on)
    listeners.add(listener)
    return () => {
      listeners.delete(listener)
    }
  }, [])

  return { large, className: large ? LARGE_PAGE_CLASS : '' }
}
