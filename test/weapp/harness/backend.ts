/**
 * The data behind the simulated mini-program: the real function handlers on a
 * seeded SQLite file (test/helpers/env.ts), called as WeChat would call them:
 * the caller known by OPENID from the platform, never from the payload.
 */
import { deserialize, serialize } from 'v8'
import { TextDecoder, TextEncoder } from 'util'
import { TEST_START } from '../../helpers/clock'
import { makeTestEnv, type TestEnv } from '../../helpers/env'

export interface Backend {
  env: TestEnv
  /** Who is holding the phone: a seeded member id, or null for a WeChat user not in any branch. */
  actAs(memberId: string | null): void
  /** A WeChat user the app has never seen (no member holds this OPENID). */
  actAsStranger(openid: string): void
  callFunction(name: string, data: Record<string, unknown>): Promise<unknown>
}

/** The handlers run inside the page's jsdom world here; give back the Node globals jsdom hides. */
function restoreNodeGlobals(): void {
  const g = globalThis as Record<string, unknown>
  g.structuredClone ??= (v: unknown) => deserialize(serialize(v))
  g.TextEncoder ??= TextEncoder
  g.TextDecoder ??= TextDecoder
}

export async function makeBackend(): Promise<Backend> {
  restoreNodeGlobals()
  const env = await makeTestEnv()
  env.clock.set(TEST_START)
  let openid: string | null = null
  return {
    env,
    actAs(memberId) {
      openid = memberId ? `dev_${memberId}` : null
    },
    actAsStranger(o) {
      openid = o
    },
    async callFunction(name, data) {
      const { action, ...input } = data
      return env.call(name, String(action), input, { openid, source: openid ? 'wechat' : 'none' })
    }
  }
}
