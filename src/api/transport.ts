import { networkError } from './error'

/**
 * H5 (and jest) transport: POST /api/<fn> to the local runtime. The JSON body
 * is parsed whatever the status, because error statuses carry the
 * `{ ok: false, error }` envelope too. The weapp build uses transport.weapp.ts.
 */

const TIMEOUT_MS = 15000

export interface TransportReply {
  /** HTTP status, or 200 where the platform has none. */
  status: number
  /** The parsed body; `undefined` when it was not JSON. */
  body: unknown
}

export async function send(fn: string, payload: Record<string, unknown>, token: string | null): Promise<TransportReply> {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (token) headers.authorization = 'Bearer ' + token
  const controller = typeof AbortController === 'function' ? new AbortController() : null
  const timer = controller ? setTimeout(() => controller.abort(), TIMEOUT_MS) : null
  let res: Response
  try {
    res = await fetch('/api/' + encodeURIComponent(fn), {
      method: 'POST',
      headers,
      body: JSON.stringify(payload),
      signal: controller ? controller.signal : undefined
    })
  } catch (err) {
    throw networkError(err)
  } finally {
    if (timer) clearTimeout(timer)
  }
  let text: string
  try {
    text = await res.text()
  } catch (err) {
    throw networkError(err)
  }
  let body: unknown
  try {
    body = text ? JSON.parse(text) : undefined
  } catch {
    body = undefined
  }
  return { status: res.status, body }
}
