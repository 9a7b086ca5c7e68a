import Taro from '@tarojs/taro'
import { ApiError, networkError } from './error'
import type { TransportReply } from './transport'

export type { TransportReply } from './transport'

/**
 * The CloudBase environment id, fixed at build time: the deploy build sets
 * CLOUD_ENV in its shell and config/index.ts defines `process.env.CLOUD_ENV`
 * from it. When it is empty, `init` is called without `env`, so the
 * mini-program uses the default environment of its AppID (the client-side
 * counterpart of wx-server-sdk's DYNAMIC_CURRENT_ENV).
 */
const CLOUD_ENV: string = process.env.CLOUD_ENV || ''

let initialised = false

function ensureCloud(): void {
  if (initialised) return
  Taro.cloud.init(CLOUD_ENV ? { env: CLOUD_ENV, traceUser: true } : { traceUser: true })
  initialised = true
}

// The platform's wording when the phone did not reach CloudBase at all.
const NETWORK_HINT = /request:fail|timeout|timed out|network|ERR_|断网|网络|超时/i

/**
 * A rejection from callFunction is either the member's network (kind retry
 * message) or a CloudBase-side failure such as a crashed or missing function
 * (errCode -504002, -501000 …), which is ours, not theirs: INTERNAL.
 */
function classify(err: unknown): ApiError {
  const e = (err ?? {}) as { errCode?: unknown; errMsg?: unknown; message?: unknown }
  const text = String(e.errMsg ?? e.message ?? '')
  const errCode = typeof e.errCode === 'number' ? e.errCode : undefined
  if (NETWORK_HINT.test(text) || errCode === undefined || errCode === -1) return networkError(err)
  return new ApiError('INTERNAL', undefined, { errCode, errMsg: text.slice(0, 200) })
}

/** weapp transport: the caller is known by OPENID, so there is no token. */
export async function send(fn: string, payload: Record<string, unknown>, _token: string | null): Promise<TransportReply> {
  ensureCloud()
  try {
    const res = await Taro.cloud.callFunction({ name: fn, data: payload })
    return { status: 200, body: res.result }
  } catch (err) {
    throw classify(err)
  }
}
