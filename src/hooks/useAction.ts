import { useCallback, useRef, useState } from 'react'
import { errorText } from '../components/errorText'

export interface Action {
  /** True while the work runs: the button shows its spinner and ignores taps. */
  busy: boolean
  /** The sentence to show under the form: why it failed, or what to fix first. */
  message: string
  setMessage: (message: string) => void
  /**
   * Runs `work` unless it is already running (a double tap in the same tick
   * is caught by a ref, not by `busy`, which updates a render later). Clears
   * the message first; on failure shows the server's kind message, or
   * `failText` when there is none. Resolves true when the work succeeded.
   */
  run: (work: () => Promise<unknown>, failText: string | ((err: unknown) => string)) => Promise<boolean>
}

/** One button's round trip to the server, as every form and panel in the app does it. */
export function useAction(): Action {
  const [busy, setBusy] = useState(false)
  const [message, setMessage] = useState('')
  const running = useRef(false)

  const run = useCallback<Action['run']>(async (work, failText) => {
    if (running.current) return false
    running.current = true
    setBusy(true)
    setMessage('')
    try {
      await work()
      return true
    } catch (err) {
      setMessage(typeof failText === 'function' ? failText(err) : errorText(err, failText))
      return false
    } finally {
      running.current = false
      setBusy(false)
    }
  }, [])

  return { busy, message, setMessage, run }
}
