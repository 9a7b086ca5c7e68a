import { ApiError } from '../api'

const NOT_READY_TEXT = '这项功能还在准备中，请过些日子再来看看'

/**
 * True when the server (or CloudBase) does not offer the function or action
 * yet — an app newer than its backend — rather than refusing this request.
 */
export function isNotReady(err: unknown): boolean {
  if (!(err instanceof ApiError)) return false
  if (err.code === 'NOT_FOUND' && (err.message === '没有这个功能' || err.message === '没有这个接口')) return true
  if (err.code === 'INVALID_INPUT' && err.message === '不支持这个操作' && err.details && 'action' in err.details) return true
  // CloudBase: FUNCTION_NOT_FOUND.
  return err.code === 'INTERNAL' && err.details?.errCode === -501000
}

/** The sentence to show a member for any failure. */
export function errorText(err: unknown, fallback = '没有成功，请稍后再试'): string {
  if (isNotReady(err)) return NOT_READY_TEXT
  if (err instanceof ApiError) return err.message
  return fallback
}
