/**
 * What CloudBase takes from a deployable function folder and from the caller
 * before it runs `main`: the folder's config.json (timeout, memory, timer
 * triggers), the per-invocation WeChat context variables, the event it hands
 * to `main`, and the SCF context object.
 */
import { existsSync, readFileSync } from 'fs'
import { join } from 'path'

/** A synchronous invocation carries up to 6 MB each way. */
export const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024
export const DEFAULT_TIMEOUT_S = 3
/** CloudBase's default memory for a function when config.json says nothing. */
export const DEFAULT_MEMORY_MB = 256
/** WeChat's documented limits for a timer trigger's name. */
const TRIGGER_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,59}$/

export interface TriggerConfig {
  name: string
  type: string
  config: string
}

export interface FunctionConfig {
  timeoutS: number
  memoryMb: number
  triggers: TriggerConfig[]
  /** permissions.openapi: the open APIs (subscribeMessage.send, …) the platform lets this function call. */
  openapi: string[]
}

export function functionFile(functionsRoot: string, fn: string): string {
  return join(functionsRoot, fn, 'index.js')
}

/** A folder name CloudBase could deploy: no path tricks, no hidden folders. */
export function isFunctionName(fn: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9_-]{0,59}$/.test(fn)
}

function openapiOf(permissions: unknown): string[] {
  const list = permissions && typeof permissions === 'object' ? (permissions as { openapi?: unknown }).openapi : undefined
  return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : []
}

export function readFunctionConfig(functionsRoot: string, fn: string): FunctionConfig {
  const path = join(functionsRoot, fn, 'config.json')
  const raw = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>) : {}
  const timeout = Number(raw.timeout)
  const memory = Number(raw.memorySize)
  return {
    timeoutS: Number.isFinite(timeout) && timeout > 0 ? timeout : DEFAULT_TIMEOUT_S,
    memoryMb: Number.isFinite(memory) && memory > 0 ? memory : DEFAULT_MEMORY_MB,
    triggers: Array.isArray(raw.triggers) ? (raw.triggers as TriggerConfig[]) : [],
    openapi: openapiOf(raw.permissions)
  }
}

/**
 * Refuses a timer that CloudBase would not deploy or would never fire:
 * WeChat documents "目前仅支持一个触发器" (one trigger per function), names
 * starting with a letter, and a 7-field cron expression.
 */
export function checkTimerTrigger(fn: string, config: FunctionConfig, triggerName: string): void {
  const timers = config.triggers.filter((t) => t && t.type === 'timer')
  const trigger = timers.find((t) => t.name === triggerName)
  if (!trigger) {
    throw new Error(`function '${fn}' declares no timer trigger named '${triggerName}' in config.json`)
  }
  if (config.triggers.length > 1) {
    throw new Error(
      `function '${fn}' declares ${config.triggers.length} triggers in config.json; ` +
        'CloudBase supports only one trigger per function (目前仅支持一个触发器)'
    )
  }
  if (!TRIGGER_NAME.test(trigger.name)) {
    throw new Error(`timer trigger name '${trigger.name}' must start with a letter and use at most 60 of a-z A-Z 0-9 - _`)
  }
  if (typeof trigger.config !== 'string' || trigger.config.trim().split(/\s+/).length !== 7) {
    throw new Error(`timer trigger '${trigger.name}' needs a 7-field cron expression (second minute hour day month weekday year)`)
  }
}

/** SCF's timer event, its Time to the second like the platform's. */
export function timerEvent(triggerName: string, now: number): Record<string, unknown> {
  return { Type: 'Timer', TriggerName: triggerName, Time: new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z'), Message: '' }
}

export interface Caller {
  /** Present for a call from the mini-program; absent for a console or server-side call. */
  openid?: string | null
  unionid?: string | null
}

/**
 * The variables the platform sets for one invocation. getWXContext() reads
 * every name listed in WX_CONTEXT_KEYS that is defined, at call time.
 */
export function callerVariables(appId: string, caller: Caller | 'timer'): Record<string, string> {
  if (caller === 'timer') {
    // A timer has an app but no user: no OPENID reaches the function.
    return { WX_CONTEXT_KEYS: 'WX_APPID', WX_APPID: appId, TRIGGER_SRC: 'timer' }
  }
  const vars: Record<string, string> = {
    WX_CONTEXT_KEYS: 'WX_OPENID,WX_APPID,WX_UNIONID,WX_CLIENTIP,WX_CLIENTIPV6',
    WX_APPID: appId
  }
  if (caller.openid) {
    vars.WX_OPENID = caller.openid
    vars.WX_CLIENTIP = '127.0.0.1'
    vars.TCB_SOURCE = 'wx_client'
  }
  if (caller.openid && caller.unionid) vars.WX_UNIONID = caller.unionid
  return vars
}

/**
 * A mini-program call also gets `userInfo: { appId, openId }` injected into
 * its event (deprecated but still sent), overwriting whatever the client put
 * there, so handlers must not mistake it for input or trust a forged one.
 */
export function clientEvent(event: Record<string, unknown>, appId: string, caller: Caller): Record<string, unknown> {
  if (!caller.openid) return event
  return { ...event, userInfo: { appId, openId: caller.openid } }
}

export interface ScfContext {
  callbackWaitsForEmptyEventLoop: boolean
  memory_limit_in_mb: number
  time_limit_in_ms: number
  request_id: string
  function_name: string
  function_version: string
  namespace: string
  /** The per-invocation variables, as node-sdk's parseContext expects them. */
  environment: string
}

export function scfContext(fn: string, config: FunctionConfig, requestId: string, namespace: string, vars: Record<string, string>): ScfContext {
  return {
    callbackWaitsForEmptyEventLoop: false,
    memory_limit_in_mb: config.memoryMb,
    time_limit_in_ms: config.timeoutS * 1000,
    request_id: requestId,
    function_name: fn,
    function_version: '$LATEST',
    namespace,
    environment: JSON.stringify(vars)
  }
}
