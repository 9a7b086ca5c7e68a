import { ApiError, errorFromBody, needsLogin, networkError } from './error'
import { clearSession, getToken } from './session'
import { send } from './transport'

export { ApiError, needsLogin } from './error'
export type { ApiErrorCode } from './error'

/**
 * The one client every page uses: `call('auth', 'whoami')`. Resolves to `data`
 * of `{ ok: true, data }`; rejects with an ApiError carrying the server's code
 * and kind Chinese message, or code NETWORK when the server was not reached.
 * Transport (HTTP or wx.cloud) is chosen per platform at build time.
 */
export async function call<T>(fn: string, action: string, input?: object): Promise<T> {
  const payload: Record<string, unknown> = { ...(input as Record<string, unknown> | undefined), action }
  const reply = await send(fn, payload, getToken())
  const body = reply.body as { ok?: unknown; data?: unknown; error?: unknown } | undefined
  if (body && typeof body === 'object' && body.ok === true) return body.data as T
  if (body && typeof body === 'object' && body.ok === false) {
    const err = errorFromBody(body.error)
    // A dead session is dead for every later call too.
    if (needsLogin(err)) clearSession()
    throw err
  }
  // Not our envelope: a proxy's error page or an empty gateway answer.
  if (reply.status === 0 || reply.status === 502 || reply.status === 503 || reply.status === 504) {
    throw networkError(`HTTP ${reply.status}`)
  }
  throw new ApiError('INTERNAL', undefined, { status: reply.status })
}
