import { useCallback, useEffect, useRef } from 'react'
import { useDidHide, useDidShow, useUnload } from '@tarojs/taro'

/**
 * Runs `tick` now and then every `intervalMs` while the page is on screen:
 * starts on show, stops on hide and unload, so a venue screen left in the
 * background never keeps polling. A tick still running is not started again.
 * `enabled` false stops it (e.g. until the page knows what to poll).
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
    const schedule = () => {
      if (visible.current && enabledRef.current) timer.current = setTimeout(run, intervalMs)
    }
    if (busy.current) {
      schedule()
      return
    }
    busy.current = true
    Promise.resolve()
      .then(() => tickRef.current())
      .catch(() => undefined)
      .then(() => {
        busy.current = false
        if (!timer.current) schedule()
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
