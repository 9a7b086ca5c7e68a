import { useCallback, useRef, useState } from 'react'
import { useDidShow } from '@tarojs/taro'

/**
 * Calls `onAgain` when the page is shown again: back from a page it opened,
 * or the app returning to the foreground. The first show is the mount,
 * which loads already, so it is skipped.
 */
export function useShownAgain(onAgain: () => void): void {
  const shown = useRef(false)
  const ref = useRef(onAgain)
  ref.current = onAgain
  useDidShow(() => {
    if (shown.current) ref.current()
    shown.current = true
  })
}

/**
 * A number for a request key (see useRequest) that goes up when the page is
 * shown again and on `refresh()`, so lists show what changed elsewhere.
 */
export function useRefreshRound(): [number, () => void] {
  const [round, setRound] = useState(0)
  const refresh = useCallback(() => setRound((r) => r + 1), [])
  useShownAgain(refresh)
  return [round, refresh]
}
