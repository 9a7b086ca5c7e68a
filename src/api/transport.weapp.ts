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

// Raised by the platform when the function itself crashed or timed out on the
// server, which is not the member's network.
const FUNCTION_FAILED = -504002

/** weapp transport: the caller is known by OPENID, so there is no token. */
export async function send(fn: string, payload: Record<string, unknown>, _token: string | null): Promise<TransportReply> {
  ensureCloud()
  try {
    const res = await Taro.cloud.callFunction({ name: fn, data: payload })
    return { status: 200, body: res.result }
  } catch (err) {
    const errCode = (err as { errCode?: number } | null)?.errCode
    if (errCode === FUNCTION_FAILED) {
      throw new ApiError('INTERNAL', undefined, { errCode })
    }
    throw networkError(err)
  }
}
