import { useCallback, useEffect, useRef, useState } from 'react'
import { ApiError } from '../api'

export interface RequestState<T> {
  data: T | undefined
  loading: boolean
  error: ApiError | null
  retry: () => void
}

/**
 * Runs `load` when `key` changes (skipped while key is null) and keeps only
 * the latest answer, so a slow earlier reply never overwrites a newer one.
 * A NETWORK failure is asked again when the browser comes back online.
 */
export function useRequest<T>(key: string | null, load: () => Promise<T>): RequestState<T> {
  const [data, setData] = useState<T | undefined>(undefined)
  const [loading, setLoading] = useState(key !== null)
  const [error, setError] = useState<ApiError | null>(null)
  const seq = useRef(0)
  const loadRef = useRef(load)
  loadRef.current = load

  const run = useCallback(() => {
    if (key === null) return
    const mine = ++seq.current
    setLoading(true)
    setError(null)
    loadRef
      .current()
      .then((value) => {
        if (mine !== seq.current) return
        setData(value)
        setLoading(false)
      })
      .catch((err: unknown) => {
        if (mine !== seq.current) return
        setError(err instanceof ApiError ? err : new ApiError('INTERNAL'))
        setLoading(false)
      })
  }, [key])

  useEffect(() => {
    run()
  }, [run])

  // Failed for want of a network: ask again by itself once the browser is back
  // online, so a page left open on the way out of a dead spot heals without a tap.
  const offline = error?.code === 'NETWORK'
  useEffect(() => {
    if (!offline || typeof window === 'undefined' || typeof window.addEventListener !== 'function') return
    window.addEventListener('online', run)
    return () => window.removeEventListener('online', run)
  }, [offline, run])

  return { data, loading, error, retry: run }
}
