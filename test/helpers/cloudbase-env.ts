/**
 * One call that stands up "CloudBase" for a test: a temp SQLite file seeded
 * with the demo organisation on a FIXED clock, the local CloudBase emulator
 * serving that file, and a function host running the deployable bundles
 * (`cloudfunctions/<fn>/index.js`, the real wx-server-sdk inside) against it.
 *
 * The bundles read `Date.now()` as they do on CloudBase; the function host
 * shifts their instances' clock to the test clock (./clock.ts), so the seed,
 * the test and the functions all live on the same fixed day, whatever the
 * real date. Benchmarks pass `clockOffsetMs: 0` to run on the real clock.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'fs'
import { tmpdir } from 'os'
import { dirname, join } from 'path'
import type { EmbeddedDatabase } from '../../server/db'
import { openDatabase } from '../../server/db'
import { startCloudbaseEmulator, type CloudbaseEmulator, type EmulatorStats } from '../../server/cloudbase/emulator'
import { startFunctionHost, type FunctionHost, type Invocation } from '../../server/cloudbase/function-host'
import { seedDemoData } from '../../server/seed'
import { copySeeded } from './seed-template'
import type { Result } from '../../src/core/errors'
import type { Session } from '../../src/core/schemas/session'
import { addBranch, type Branch } from '../functions/call-budget.fixtures'
import { TEST_START, testNow } from './clock'
import { expectFail, expectOk, type TestEnv } from './env'

export const FUNCTIONS_ROOT = join(__dirname, '..', '..', 'cloudfunctions')
/** The deployable functions the journeys call; each must have been bundled. */
export const BUNDLED_FUNCTIONS = ['archive', 'auth', 'checkin', 'cron', 'note', 'org', 'remind', 'review', 'session', 'stats'] as const
/** The seeded history's clock: never the wall clock, so the seed is the same on any day. */
export const SEED_NOW = TEST_START
export const CLOUDBASE_SECRET = 'cloudbase-test-secret-0123456789'

export interface CloudbaseEnvOptions {
  /** Per database call, default 10 ms (CloudBase's order of magnitude). */
  latencyMs?: number
  /** Seed the demo organisation (default true). */
  seed?: boolean
  /** Writes extra fixtures through the embedded DB after seeding, before the emulator serves the file. */
  prepare?: (db: EmbeddedDatabase) => Promise<void> | void
  /**
   * Run `cron.setup` through the bundle once the emulator is up, as the README's
   * deploy steps do (default true): every collection the code uses then exists.
   */
  setup?: boolean
  maxInstances?: number
  timeoutScale?: number
  /** How far the functions' clock runs ahead of the real one: the test clock's offset unless given (0: the real clock). */
  clockOffsetMs?: number
  /** The function's ZBDK_SECRET (default a 32-character test secret). */
  secret?: string
  /** More environment variables of every function (as set in the console), e.g. ZBDK_TEMPLATE_*. */
  functionEnv?: Record<string, string>
}

/** Who calls: a demo member id (openid `dev_<id>`), a raw openid, or nobody (console / server-side). */
export type CloudbaseCaller = string | { openid: string } | null

export type CallOutcome<T> =
  | { ok: true; data: T; ms: number; invocation: Invocation }
  | { ok: false; error: { code: string; message: string; details?: Record<string, unknown> }; ms: number; invocation: Invocation }

export interface CloudbaseEnv {
  dir: string
  file: string
  emulator: CloudbaseEmulator
  host: FunctionHost
  /** `{action, ...input}` to `fn` as the caller; the function's own `{ok, data|error}` plus timing. */
  call<T = any>(fn: string, action: string, input?: Record<string, unknown>, as?: CloudbaseCaller): Promise<CallOutcome<T>> // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Fires cron's timer trigger (its name from cron/config.json unless given). */
  timer(name?: string): Promise<Invocation>
  stats(): EmulatorStats
  resetStats(): void
  /** A fresh embedded connection to the same file, for reading back what the functions wrote (close it). */
  openReader(): EmbeddedDatabase
  /** Now on the functions' clock (the test clock, or the real one for benchmarks). */
  now(): number
  close(): Promise<void>
}

/**
 * The name of cron's timer trigger, read from cron/config.json as deployed
 * (CloudBase allows one timer trigger per function; more is an error here).
 */
export function cronTimerName(): string {
  const config = JSON.parse(readFileSync(join(FUNCTIONS_ROOT, 'cron', 'config.json'), 'utf8')) as { triggers?: { name: string; type: string }[] }
  const timers = (config.triggers ?? []).filter((t) => t.type === 'timer')
  if (timers.length !== 1) throw new Error(`cron/config.json declares ${timers.length} timer triggers; CloudBase allows exactly one per function`)
  return timers[0].name
}

export function openidOf(as: CloudbaseCaller): string | null {
  if (as === null) return null
  return typeof as === 'string' ? `dev_${as}` : as.openid
}

/** Throws the clear message a missing build deserves, rather than a confusing host error later. */
export function requireBundles(fns: readonly string[] = BUNDLED_FUNCTIONS): void {
  const missing = fns.filter((fn) => !existsSync(join(FUNCTIONS_ROOT, fn, 'index.js')))
  if (missing.length > 0) {
    throw new Error(
      `the deployable bundles ${missing.map((f) => `cloudfunctions/${f}/index.js`).join(', ')} are missing: ` +
        'run `npm run build:functions` first (npm test builds them before jest)'
    )
  }
}

/**
 * A failed invocation (timeout, crash, the host refusing) is not the
 * function's answer; it is reported in the same shape with code
 * `INVOCATION_FAILED` so a test prints what happened instead of reading
 * `undefined.ok`.
 */
export function outcomeOf<T>(inv: Invocation): CallOutcome<T> {
  const r = inv.result as { ok?: boolean; data?: T; error?: { code: string; message: string } } | null
  if (inv.error !== undefined || !r || typeof r.ok !== 'boolean') {
    const tail = (inv.logs ?? []).slice(-5).join('\n')
    const message = `${inv.timedOut ? 'timed out: ' : ''}${inv.error ?? `not a function result: ${JSON.stringify(inv.result)?.slice(0, 200)}`}${tail ? `\n--- last logs ---\n${tail}` : ''}`
    return { ok: false, error: { code: 'INVOCATION_FAILED', message }, ms: inv.ms, invocation: inv }
  }
  if (r.ok) return { ok: true, data: r.data as T, ms: inv.ms, invocation: inv }
  return { ok: false, error: r.error!, ms: inv.ms, invocation: inv }
}

export async function makeCloudbaseEnv(opts: CloudbaseEnvOptions = {}): Promise<CloudbaseEnv> {
  requireBundles()
  const dir = mkdtempSync(join(tmpdir(), 'zbdk-cloudbase-'))
  const file = join(dir, 'cloudbase.sqlite')
  try {
    const copied = opts.seed !== false && (await copySeeded(file, SEED_NOW))
    const db = openDatabase({ file })
    try {
      if (opts.seed !== false && !copied) await seedDemoData(db, SEED_NOW)
      if (opts.prepare) await opts.prepare(db)
    } finally {
      db.close()
    }
    const clockOffsetMs = opts.clockOffsetMs ?? testNow() - Date.now()
    return await attachCloudbaseEnv(file, { ...opts, clockOffsetMs }, () => rmSync(dir, { recursive: true, force: true }))
  } catch (e) {
    rmSync(dir, { recursive: true, force: true })
    throw e
  }
}

/**
 * The emulator and the function host over an existing SQLite file (the
 * benchmarks' generated year, say); `cleanup` runs after close. Seeding
 * options are ignored: the file is served as it is.
 */
export async function attachCloudbaseEnv(file: string, opts: CloudbaseEnvOptions = {}, cleanup: () => void = () => undefined): Promise<CloudbaseEnv> {
  requireBundles()
  let emulator: CloudbaseEmulator | undefined
  let host: FunctionHost | undefined
  try {
    emulator = await startCloudbaseEmulator({ file, latencyMs: opts.latencyMs ?? 10, functionsRoot: FUNCTIONS_ROOT })
    host = await startFunctionHost({
      functionsRoot: FUNCTIONS_ROOT,
      env: { ...emulator.env, ...opts.functionEnv, ZBDK_SECRET: opts.secret ?? CLOUDBASE_SECRET },
      maxInstances: opts.maxInstances,
      clockOffsetMs: opts.clockOffsetMs ?? 0,
      timeoutScale: opts.timeoutScale
    })
  } catch (e) {
    await host?.close()
    await emulator?.close()
    throw e
  }
  const em = emulator
  const h = host

  const env: CloudbaseEnv = {
    dir: dirname(file),
    file,
    emulator: em,
    host: h,
    async call(fn, action, input = {}, as = null) {
      const openid = openidOf(as)
      const inv = await h.invoke(fn, { action, ...input }, openid ? { openid } : {})
      return outcomeOf(inv)
    },
    timer: (name) => h.timer('cron', name ?? cronTimerName()),
    stats: () => em.stats(),
    resetStats: () => em.resetStats(),
    openReader: () => openDatabase({ file }),
    now: () => Date.now() + (opts.clockOffsetMs ?? 0),
    async close() {
      await h.close()
      await em.close()
      cleanup()
    }
  }

  if (opts.setup !== false) {
    const r = await env.call<{ created: string[]; existing: string[] }>('cron', 'setup', {}, null)
    if (!r.ok) {
      await h.close()
      await em.close()
      throw new Error(`cron.setup failed on the emulator: ${r.error.code}: ${r.error.message}`)
    }
    em.resetStats()
  }
  return env
}

/**
 * A branch of `size` members plus its secretary under the demo 党委, written
 * straight into the file before the emulator serves it (the call-budget
 * suites' fixture, on a fixed instant instead of a test clock). Openids are
 * `dev_<memberId>`.
 */
export function addLoadBranch(db: EmbeddedDatabase, id: string, size: number, at: number): Promise<Branch> {
  return addBranch({ db, clock: { now: () => at + 30 * 24 * 3600 * 1000 } } as unknown as TestEnv, id, size)
}

/**
 * The meeting ends early: the secretary moves its end (and the close of
 * check-in) to `inMs` from now (or just after its start, if later) through
 * session.update, then this waits until that has passed, so the timer's
 * tally may count it.
 */
export async function endSessionSoon(env: CloudbaseEnv, secretary: CloudbaseCaller, s: Session, inMs = 1500): Promise<Session> {
  // Never before it started (a session must end after its start).
  const endAt = Math.max(env.now() + inMs, s.startAt + 1000)
  const moved = cbOk(
    await env.call<{ session: Session }>('session', 'update', { sessionId: s._id, endAt, checkin: { opensAt: s.checkin.opensAt, lateAfter: endAt, closesAt: endAt } }, secretary)
  ).session
  await new Promise((r) => setTimeout(r, Math.max(0, endAt + 300 - env.now())))
  return moved
}

/** Fires cron's timer until a tick leaves nothing for the next (at most `max` ticks), as the platform's 5-minute ticks would. */
export async function tickUntilDone(env: CloudbaseEnv, max = 6): Promise<Invocation[]> {
  const ticks: Invocation[] = []
  for (let i = 0; i < max; i++) {
    const inv = await env.timer()
    ticks.push(inv)
    if (inv.error !== undefined || !(inv.result as { data?: { nextCursor?: string } } | null)?.data?.nextCursor) break
  }
  return ticks
}

/** cron.reconcile of a year, chunk after chunk until no cursor is left; what each chunk corrected and logged as drift. */
export async function reconcileYear(env: CloudbaseEnv, year: number, maxChunks = 20) {
  let cursor: string | undefined
  let processed = 0
  let corrected = 0
  const drift: string[] = []
  const chunks: CallOutcome<{ processed: number; corrected?: number; nextCursor?: string }>[] = []
  for (let i = 0; i < maxChunks; i++) {
    const r = await env.call<{ processed: number; corrected?: number; nextCursor?: string }>('cron', 'reconcile', { year, ...(cursor ? { cursor } : {}) }, null)
    chunks.push(r)
    const out = cbOk(r)
    processed += out.processed
    corrected += out.corrected ?? 0
    drift.push(...(r.invocation.logs ?? []).filter((l) => l.includes('drift')))
    cursor = out.nextCursor
    if (!cursor) break
  }
  return { processed, corrected, drift, finished: cursor === undefined, chunks }
}

/** The data of an ok answer, else a thrown error naming the code (INVOCATION_FAILED included). */
export function cbOk<T>(r: CallOutcome<T>): T {
  return expectOk(r as unknown as Result<T>)
}

/** The error of a refusal with this code, else a thrown error saying what came instead. */
export function cbFail(r: CallOutcome<unknown>, code: string): { code: string; message: string; details?: Record<string, unknown> } {
  return expectFail(r as unknown as Result<unknown>, code)
}

/** Nearest-rank percentile of a list of numbers (p in 0–100). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[i]
}
