import type { ZodType } from 'zod'
import { AppError, fail, invalidInputFromZod, ok, type Result } from '../../src/core/errors'
import { enforceMemberLimit } from './rate-limit'
import type { Runtime } from './runtime'

/**
 * One action of a function: its input schema and a handler that is pure apart
 * from the runtime it is given. Handlers throw AppError for expected refusals;
 * the dispatcher turns every outcome into the result contract.
 */
export interface ActionDef<I> {
  input: ZodType<I>
  run: (rt: Runtime, input: I) => Promise<unknown>
}

export function action<I>(input: ZodType<I>, run: (rt: Runtime, input: I) => Promise<unknown>): ActionDef<I> {
  return { input, run }
}

// CloudBase adds `userInfo` (appId, openId) to every event. It is not input
// and must never be trusted as identity, so it is dropped before parsing.
const PLATFORM_FIELDS = new Set(['action', 'userInfo'])

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false
  const proto = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null
}

/**
 * Per-member rate limits (rate-limit.ts), counted before the handler runs. A
 * refusal is RATE_LIMITED; a counter the database cannot reach lets the call
 * through (logged): a limiter outage must not stop a branch's meeting.
 */
async function limitOrPass(rt: Runtime, fn: string, actionName: string, input: unknown): Promise<void> {
  try {
    await enforceMemberLimit(rt, fn, actionName, input)
  } catch (err) {
    if (err instanceof AppError) throw err
    rt.log('error', `${fn}.${actionName}: rate limit not counted`, { error: err instanceof Error ? err.message : String(err) })
  }
}

export type DispatchFn = (rt: Runtime, event: unknown) => Promise<Result<unknown>>

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function defineFunction(name: string, actions: Record<string, ActionDef<any>>): DispatchFn {
  return async (rt, event) => {
    if (!isPlainObject(event)) return fail('INVALID_INPUT', '请求格式不正确')
    const actionName = event.action
    if (typeof actionName !== 'string' || !Object.prototype.hasOwnProperty.call(actions, actionName)) {
      return fail('INVALID_INPUT', '不支持这个操作', { function: name, action: String(actionName).slice(0, 40) })
    }
    const def = actions[actionName]
    const raw: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(event)) if (!PLATFORM_FIELDS.has(k)) raw[k] = v
    const parsed = def.input.safeParse(raw)
    if (!parsed.success) return invalidInputFromZod(parsed.error)
    try {
      await limitOrPass(rt, name, actionName, parsed.data)
      return ok(await def.run(rt, parsed.data))
    } catch (err) {
      if (err instanceof AppError) {
        // A refusal for want of configuration is the operator's to fix: the log says what to set.
        const env = err.details?.env
        if (typeof env === 'string') rt.log('error', `${name}.${actionName}: not configured, set the environment variable ${env}`, { env })
        return { ok: false, error: err.toBody() }
      }
      rt.log('error', `${name}.${actionName} failed`, {
        error: err instanceof Error ? err.stack ?? err.message : String(err)
      })
      return fail('INTERNAL')
    }
  }
}
