import { useCallback, useEffect, useRef } from 'react'
import { useDidHide, useDidShow, useUnload } from '@tarojs/taro'

/**
 * Runs `tick` now and then every `intervalMs` while the page is on screen:
 * starts on show, stops on hide and unload, so a venue screen left in the
 * background never keeps polling. A tick still running is not started again.
 * `enabled` false stops it (e.g. until the page knows what to poll).
 * A tick that resolves to a number sets the wait before the next one (the
 * venue code is fetched again just before its slot ends); otherwise, or when
 * it fails, the next comes after `intervalMs`.
 */
export function usePolling(tick: () => Promise<unknown> | void, intervalMs: number, enabled = true): { now: () => void } {
  const tickRef = useRef(tick)
  tickRef.current = tick
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null)
  const visible = useRef(true)
  const busy = useRef(false)
  const enabledRef = useRef(enabled)
  enabledRef.current = enabled

  const stop = useCallback(() => {
    if (timer.current) clearTimeout(timer.current)
    timer.current = null
  }, [])

  const run = useCallback(() => {
    stop()
    if (!visible.current || !enabledRef.current) return
    const schedule = (wait: number) => {
      if (visible.current && enabledRef.current) timer.current = setTimeout(run, wait)
    }
    if (busy.current) {
      schedule(intervalMs)
      return
    }
    busy.current = true
    Promise.resolve()
      .then(() => tickRef.current())
      .catch(() => undefined)
      .then((next) => {
        busy.current = false
        // The tick's own wait wins over a timer set while it ran (by a show or a now()).
        if (typeof next === 'number' && Number.isFinite(next)) {
          stop()
          schedule(Math.max(0, next))
        } else if (!timer.current) schedule(intervalMs)
      })
  }, [intervalMs, stop])

  useEffect(() => {
    if (enabled) run()
    else stop()
    return stop
  }, [enabled, run, stop])

  useDidShow(() => {
    visible.current = true
    run()
  })
  useDidHide(() => {
    visible.current = false
    stop()
  })
  useUnload(() => {
    visible.current = false
    stop()
  })

  return { now: run }
}
