/**
 * The local stand-in for CloudBase's timer triggers: runs the `cron`
 * function's jobs on the same handlers, with no caller identity (which is
 * what lets them through). Tally every minute; reconciliation once a night
 * after 03:00 Shanghai time, carrying its cursor from chunk to chunk.
 */
import type { Database } from '../cloudfunctions/_shared/db'
import type { Clock } from '../cloudfunctions/_shared/runtime'
import { periodKeysOf, shanghaiDayStart } from '../src/core/period'
import { getFunction } from './functions'
import { makeLocalRuntime, systemClock } from './local-runtime'

export interface SchedulerDeps {
  db: Database
  secret: string
  production: boolean
  clock?: Clock
  log?: (level: 'info' | 'warn' | 'error', msg: string, extra?: Record<string, unknown>) => void
}

type JobResult = { ok: true; data: { nextCursor?: string; processed: number; corrected?: number } } | { ok: false; error: { code: string; message: string } }

/** Runs one job to completion, chunk after chunk (each chunk is one function call). */
export async function runJob(deps: SchedulerDeps, job: 'tally' | 'reconcile', input: Record<string, unknown> = {}) {
  const cron = getFunction('cron')!
  let cursor: string | undefined
  let processed = 0
  let corrected = 0
  let calls = 0
  do {
    const rt = makeLocalRuntime({ ...deps, clock: deps.clock ?? systemClock }, { openid: null, source: 'none' })
    const r = (await cron(rt, { action: job, ...input, ...(cursor && job === 'reconcile' ? { cursor } : {}) })) as JobResult
    calls++
    if (!r.ok) throw new Error(`cron.${job}: ${r.error.code} ${r.error.message}`)
    processed += r.data.processed
    corrected += r.data.corrected ?? 0
    cursor = r.data.nextCursor
  } while (cursor && calls < 10000)
  return { processed, corrected, calls }
}

export function startScheduler(deps: SchedulerDeps, everyMs = 60_000): { stop(): void } {
  const clock = deps.clock ?? systemClock
  const log = deps.log ?? ((level, msg, extra) => console[level === 'info' ? 'log' : level](msg, extra ?? ''))
  let lastReconcileDay = -1
  let running = false
  const tick = async () => {
    if (running) return
    running = true
    try {
      await runJob(deps, 'tally')
      const now = clock.now()
      const day = shanghaiDayStart(now)
      if (now - day >= 3 * 60 * 60 * 1000 && day !== lastReconcileDay) {
        const r = await runJob(deps, 'reconcile', { year: Number(periodKeysOf(now).year) })
        lastReconcileDay = day
        if (r.corrected > 0) log('warn', `对账修正了 ${r.corrected} 处统计偏差`)
      }
    } catch (err) {
      log('error', 'scheduled job failed', { error: err instanceof Error ? err.message : String(err) })
    } finally {
      running = false
    }
  }
  const timer = setInterval(() => void tick(), everyMs)
  timer.unref()
  void tick()
  return { stop: () => clearInterval(timer) }
}
