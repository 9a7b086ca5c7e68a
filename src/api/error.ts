import { DEFAULT_MESSAGES, isErrorCode, type ErrorCode } from '../core/errors'

/** Every code a page may see: the server's contract plus the client's own NETWORK. */
export type ApiErrorCode = ErrorCode | 'NETWORK'

export const NETWORK_MESSAGE = '网络不太好，请稍后再试'
/** When the phone itself says it has no connection, "try later" is less use than "check the network". */
export const OFFLINE_MESSAGE = '网络没有连上，请检查网络后再试'

function phoneIsOffline(): boolean {
  return typeof navigator !== 'undefined' && navigator.onLine === false
}

/** The one error type pages see from `call()`; `message` is fit to show a member as is. */
export class ApiError extends Error {
  readonly code: ApiErrorCode
  readonly details?: Record<string, unknown>
  constructor(code: ApiErrorCode, message?: string, details?: Record<string, unknown>) {
    super(message || (code === 'NETWORK' ? NETWORK_MESSAGE : DEFAULT_MESSAGES[code]))
    this.name = 'ApiError'
    this.code = code
    this.details = details
    // Keeps `instanceof` true when the class is compiled down to ES5.
    Object.setPrototypeOf(this, ApiError.prototype)
  }
}

export function networkError(cause?: unknown): ApiError {
  const reason = cause instanceof Error ? cause.message : cause === undefined ? undefined : String(cause)
  const message = phoneIsOffline() ? OFFLINE_MESSAGE : NETWORK_MESSAGE
  return new ApiError('NETWORK', message, reason ? { reason: reason.slice(0, 200) } : undefined)
}

/**
 * Turns a `{ ok: false, error }` body into an ApiError. A code this client does
 * not know (a newer server) becomes INTERNAL but keeps the server's message.
 */
export function errorFromBody(error: unknown): ApiError {
  const e = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>
  const message = typeof e.message === 'string' && e.message ? e.message : undefined
  const details = typeof e.details === 'object' && e.details !== null ? (e.details as Record<string, unknown>) : undefined
  if (isErrorCode(e.code)) return new ApiError(e.code, message, details)
  return new ApiError('INTERNAL', message, { ...details, code: typeof e.code === 'string' ? e.code : undefined })
}

/** The server says the session is missing, bad or expired: log in again. */
export function needsLogin(err: unknown): boolean {
  if (!(err instanceof ApiError)) return false
  return (err.code === 'FORBIDDEN' && err.details?.login === true) || err.details?.code === 'UNAUTHENTICATED'
}
