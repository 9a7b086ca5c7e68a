/**
 * Runs the deployable bundles (`cloudfunctions/<fn>/index.js`) unchanged, the
 * way CloudBase does: one worker_thread per instance, the bundle required once
 * per instance, one invocation at a time per instance, scale-out up to a
 * limit, the config.json timeout enforced by killing the instance, and the
 * caller's identity delivered through the environment variables the real
 * wx-server-sdk reads. Pair it with the emulator's `env` to reach a database.
 */
import { randomUUID } from 'crypto'
import { existsSync } from 'fs'
import { join } from 'path'
import { Worker } from 'worker_threads'
import {
  callerVariables, checkTimerTrigger, clientEvent, functionFile, isFunctionName, MAX_PAYLOAD_BYTES,
  readFunctionConfig, scfContext, timerEvent, type Caller, type FunctionConfig
} from './function-config'

export interface FunctionHostOptions {
  functionsRoot: string
  /** The emulator's env plus function settings such as ZBDK_SECRET. */
  env: Record<string, string>
  /** Per function; default 10. */
  maxInstances?: number
  /** Stretches every timeout (slow CI); default 1. Error texts keep the configured seconds. */
  timeoutScale?: number
  /** The mini-program's appid in every WeChat context; default env.WX_APPID or a placeholder. */
  appId?: string
  /**
   * Tests only: the instances' clock runs this many ms ahead of the real one (Date.now and
   * `new Date()` inside the bundle), so a suite runs on a fixed day, as every other suite does.
   */
  clockOffsetMs?: number
}

export interface Invocation {
  result: unknown
  /** From invoke() to answer: queueing and cold start included, as a caller sees it. */
  ms: number
  instance: number
  timedOut: boolean
  error?: string
  /** CloudBase's code for the failure: -504002 function error, -504003 timeout, -501000 no such function. */
  errCode?: number
  coldStart?: boolean
  queuedMs?: number
  /** console output of this invocation. */
  logs?: string[]
}

export interface FunctionHost {
  invoke(fn: string, event: Record<string, unknown>, ctx?: Caller): Promise<Invocation>
  timer(fn: string, triggerName: string): Promise<Invocation>
  instances(fn?: string): number
  close(): Promise<void>
}

const WORKER_FILE = join(__dirname, 'function-worker.js')
/** SCF's separate initialisation limit for loading the code (cold start). */
const INIT_TIMEOUT_MS = 60_000
const MAX_LOG_BYTES = 256 * 1024

interface Job {
  eventJson: string
  vars: Record<string, string>
  requestId: string
  startedAt: number
  queuedMs?: number
  coldStart: boolean
  resolve: (inv: Invocation) => void
}

interface Instance {
  id: number
  worker: Worker
  state: 'starting' | 'idle' | 'busy' | 'dead'
  job?: Job
  timer?: NodeJS.Timeout
}

interface Pool {
  fn: string
  file: string
  config: FunctionConfig
  instances: Instance[]
  queue: Job[]
  nextId: number
}

/**
 * The platform knows which function makes a call (its own credentials) and
 * holds it to that function's config.json, e.g. permissions.openapi. Here
 * the function's name rides on the API URL: node-sdk's buildUrl appends its
 * own query after a URL that already has one, so `…/admin?fn=note&` arrives
 * as `…/admin?fn=note&env=…&seqId=…`.
 */
function callerUrl(env: Record<string, string>, fn: string): Record<string, string> {
  if (!env.TCB_CONTEXT_CNFG) return {}
  try {
    const cnfg = JSON.parse(env.TCB_CONTEXT_CNFG) as { URL?: string }
    if (!cnfg.URL || cnfg.URL.includes('?')) return {}
    return { TCB_CONTEXT_CNFG: JSON.stringify({ ...cnfg, URL: `${cnfg.URL}?fn=${encodeURIComponent(fn)}&` }) }
  } catch {
    return {}
  }
}

export async function startFunctionHost(opts: FunctionHostOptions): Promise<FunctionHost> {
  const maxInstances = opts.maxInstances ?? 10
  const timeoutScale = opts.timeoutScale ?? 1
  const appId = opts.appId ?? opts.env.WX_APPID ?? 'wx0000000000000000'
  const namespace = opts.env.TCB_ENV ?? opts.env.SCF_NAMESPACE ?? 'local'
  const pools = new Map<string, Pool>()
  let closed = false

  function answer(job: Job, inst: Instance | undefined, fields: Partial<Invocation>): void {
    job.resolve({
      result: null,
      timedOut: false,
      ...fields,
      ms: Date.now() - job.startedAt,
      instance: inst?.id ?? 0,
      coldStart: job.coldStart,
      queuedMs: job.queuedMs ?? 0
    })
  }

  function poolFor(fn: string): Pool | undefined {
    let pool = pools.get(fn)
    if (pool) return pool
    if (!isFunctionName(fn) || !existsSync(functionFile(opts.functionsRoot, fn))) return undefined
    pool = { fn, file: functionFile(opts.functionsRoot, fn), config: readFunctionConfig(opts.functionsRoot, fn), instances: [], queue: [], nextId: 1 }
    pools.set(fn, pool)
    return pool
  }

  /** The instance is gone (crash, timeout, exit): the next invocation gets a fresh one. */
  function retire(pool: Pool, inst: Instance): void {
    if (inst.state === 'dead') return
    inst.state = 'dead'
    if (inst.timer) clearTimeout(inst.timer)
    pool.instances = pool.instances.filter((i) => i !== inst)
    void inst.worker.terminate()
    pump(pool)
  }

  function fail(pool: Pool, inst: Instance, error: string, extra: Partial<Invocation> = {}): void {
    const job = inst.job
    inst.job = undefined
    if (job) answer(job, inst, { error, errCode: -504002, ...extra })
    retire(pool, inst)
  }

  function run(pool: Pool, inst: Instance, job: Job): void {
    inst.state = 'busy'
    inst.job = job
    const limitMs = pool.config.timeoutS * 1000 * timeoutScale
    inst.timer = setTimeout(() => {
      // CloudBase kills the instance; whatever it was doing dies with it.
      fail(pool, inst, `Invoking task timed out after ${pool.config.timeoutS} seconds`, { timedOut: true, errCode: -504003 })
    }, limitMs)
    const context = scfContext(pool.fn, pool.config, job.requestId, namespace, job.vars)
    inst.worker.postMessage({ type: 'invoke', id: job.requestId, eventJson: job.eventJson, vars: job.vars, context })
  }

  function spawn(pool: Pool, job: Job): void {
    const worker = new Worker(WORKER_FILE, {
      // The instance's whole environment: the platform's and the function's
      // configured variables, nothing inherited from this process.
      env: { SCF_FUNCTIONNAME: pool.fn, SCF_FUNCTIONVERSION: '$LATEST', SCF_NAMESPACE: namespace, ...opts.env, ...callerUrl(opts.env, pool.fn) },
      workerData: { file: pool.file, maxPayloadBytes: MAX_PAYLOAD_BYTES, maxLogBytes: MAX_LOG_BYTES, clockOffsetMs: opts.clockOffsetMs ?? 0 },
      resourceLimits: { maxOldGenerationSizeMb: pool.config.memoryMb },
      execArgv: []
    })
    const inst: Instance = { id: pool.nextId++, worker, state: 'starting', job }
    pool.instances.push(inst)
    job.coldStart = true
    inst.timer = setTimeout(() => fail(pool, inst, `function initialisation timed out after ${INIT_TIMEOUT_MS / 1000} seconds`), INIT_TIMEOUT_MS)

    worker.on('message', (msg: { type: string; id?: string; resultJson?: string; error?: string; errCode?: number; logs?: string[] }) => {
      if (inst.state === 'dead') return
      if (msg.type === 'ready') {
        clearTimeout(inst.timer)
        const waiting = inst.job
        inst.job = undefined
        if (waiting) run(pool, inst, waiting)
        else {
          inst.state = 'idle'
          pump(pool)
        }
        return
      }
      if (msg.type !== 'done' || !inst.job || msg.id !== inst.job.requestId) return
      clearTimeout(inst.timer)
      const done = inst.job
      inst.job = undefined
      inst.state = 'idle'
      if (msg.error !== undefined) answer(done, inst, { error: msg.error, errCode: msg.errCode, logs: msg.logs })
      else answer(done, inst, { result: JSON.parse(msg.resultJson ?? 'null'), logs: msg.logs })
      pump(pool)
    })
    // An uncaught exception or unhandled rejection (the SDK throws uncaught
    // TcbErrors when it cannot reach its endpoint), a failed require, or
    // running out of memory: the Node runtime on CloudBase dies with it.
    worker.on('error', (err: Error & { code?: string }) => {
      const text = err?.code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? `memory limit exceeded (${pool.config.memoryMb} MB)`
        : `Uncaught ${err?.stack ?? String(err)}`
      fail(pool, inst, text)
    })
    worker.on('exit', (code) => {
      if (inst.state !== 'dead') fail(pool, inst, `the function instance exited (code ${code}) before answering`)
    })
  }

  /** Idle instance first; else a new one up to the limit; else the job waits. */
  function pump(pool: Pool): void {
    while (!closed && pool.queue.length > 0) {
      const idle = pool.instances.find((i) => i.state === 'idle')
      const job = idle || pool.instances.length < maxInstances ? pool.queue.shift() : undefined
      if (!job) return
      job.queuedMs = Date.now() - job.startedAt
      if (idle) run(pool, idle, job)
      else spawn(pool, job)
    }
  }

  function submit(fn: string, event: Record<string, unknown>, vars: Record<string, string>): Promise<Invocation> {
    const startedAt = Date.now()
    return new Promise<Invocation>((resolve) => {
      const job: Job = { eventJson: '', vars, requestId: randomUUID(), startedAt, coldStart: false, resolve }
      if (closed) return answer(job, undefined, { error: 'the function host is closed' })
      const pool = poolFor(fn)
      if (!pool) return answer(job, undefined, { error: `FunctionName parameter could not be found: '${fn}'`, errCode: -501000 })
      let json: string
      try {
        json = JSON.stringify(event)
      } catch (err) {
        return answer(job, undefined, { error: `the event is not JSON: ${(err as Error).message}`, errCode: -501000 })
      }
      const bytes = Buffer.byteLength(json)
      if (bytes > MAX_PAYLOAD_BYTES) {
        return answer(job, undefined, {
          error: `the event is ${bytes} bytes; CloudBase accepts at most ${MAX_PAYLOAD_BYTES} bytes (6 MB) for a synchronous invocation`,
          errCode: -501000
        })
      }
      job.eventJson = json
      pool.queue.push(job)
      pump(pool)
    })
  }

  return {
    invoke(fn, event, ctx = {}) {
      return submit(fn, clientEvent(event, appId, ctx), callerVariables(appId, ctx))
    },
    async timer(fn, triggerName) {
      const pool = poolFor(fn)
      if (!pool) throw new Error(`no deployable function '${fn}' under ${opts.functionsRoot}`)
      checkTimerTrigger(fn, pool.config, triggerName)
      return submit(fn, timerEvent(triggerName, Date.now()), callerVariables(appId, 'timer'))
    },
    instances(fn) {
      const list = fn ? [pools.get(fn)] : [...pools.values()]
      return list.reduce((n, p) => n + (p ? p.instances.length : 0), 0)
    },
    async close() {
      closed = true
      const all = [...pools.values()]
      for (const pool of all) {
        for (const job of pool.queue.splice(0)) answer(job, undefined, { error: 'the function host is closed' })
        for (const inst of [...pool.instances]) {
          const job = inst.job
          inst.job = undefined
          if (job) answer(job, inst, { error: 'the function host is closed' })
          inst.state = 'dead'
          if (inst.timer) clearTimeout(inst.timer)
        }
      }
      await Promise.all(all.flatMap((p) => p.instances.splice(0).map((i) => i.worker.terminate())))
    }
  }
}
