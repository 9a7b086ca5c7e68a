import { useCallback, useRef, useState } from 'react'
import Taro, { useDidShow } from '@tarojs/taro'
import { ApiError, needsLogin } from '../api'
import { whoami, type Me } from '../api/auth'
import { clearSession, getCachedMe, getToken } from '../api/session'

export const LOGIN_URL = '/pages/login/index'
const IS_H5 = process.env.TARO_ENV === 'h5'

export interface MeState {
  /** The caller; null on weapp for a WeChat user not yet in a branch. */
  me: Me | null
  /** True until the first whoami answer (a cached `me` is shown meanwhile). */
  loading: boolean
  error: ApiError | null
  reload: () => void
}

/** H5: no session, or a dead one, sends the member to the demo login page. */
export function goLogin(): void {
  Taro.redirectTo({ url: LOGIN_URL }).catch(() => Taro.reLaunch({ url: LOGIN_URL }))
}

function asApiError(err: unknown): ApiError {
  return err instanceof ApiError ? err : new ApiError('INTERNAL')
}

/**
 * Who is using the app, refreshed each time the page shows. Paints the cached
 * `me` at once so old phones on slow networks see their name without waiting.
 */
export function useMe(): MeState {
  const [me, setMe] = useState<Me | null>(() => getCachedMe())
  const [loading, setLoading] = useState(true)
  const [error, setError] = useState<ApiError | null>(null)
  const seq = useRef(0)

  const load = useCallback(() => {
    if (IS_H5 && !getToken()) {
      goLogin()
      return
    }
    const mine = ++seq.current
    setError(null)
    whoami()
      .then((out) => {
        if (mine !== seq.current) return
        setMe(out.me)
        setLoading(false)
      })
      .catch((err: unknown) => {
        if (mine !== seq.current) return
        const e = asApiError(err)
        if (IS_H5 && (needsLogin(e) || e.code === 'FORBIDDEN')) {
          clearSession()
          goLogin()
          return
        }
        setError(e)
        setLoading(false)
      })
  }, [])

  useDidShow(load)

  return { me, loading, error, reload: load }
}
