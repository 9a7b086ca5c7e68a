import { useCallback, useState } from 'react'
import { ApiError } from '../../api'
import { token as fetchToken, type CheckinToken } from '../../api/checkin'
import { usePolling } from '../../hooks/usePolling'

/** Fetch the next code this long before the current one's slot ends. */
const TOKEN_LEAD_MS = 2500
const TOKEN_RETRY_MS = 5000
const TOKEN_CLOSED_RETRY_MS = 15000

export type TokenState = { kind: 'idle' } | { kind: 'ok'; t: CheckinToken } | { kind: 'error'; error: ApiError }

/**
 * The rotating code: fetched now, then again a little before each slot ends
 * (timed by the server's clock, not the screen's, which may be wrong), only
 * while the page shows. Outside the window the server refuses; the screen
 * asks again now and then, so the code appears by itself when it opens.
 */
export function useRotatingToken(sessionId: string, active: boolean): TokenState {
  const [state, setState] = useState<TokenState>({ kind: 'idle' })

  const tick = useCallback(async (): Promise<number> => {
    try {
      const t = await fetchToken(sessionId)
      setState({ kind: 'ok', t })
      const serverNow = typeof t.serverNow === 'number' ? t.serverNow : Date.now()
      return Math.min(30000, Math.max(1000, t.expiresAt - serverNow - TOKEN_LEAD_MS))
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError('INTERNAL')
      setState({ kind: 'error', error: e })
      return e.code === 'CHECKIN_CLOSED' ? TOKEN_CLOSED_RETRY_MS : TOKEN_RETRY_MS
    }
  }, [sessionId])

  usePolling(tick, TOKEN_RETRY_MS, active && !!sessionId)
  return state
}
