/**
 * The local stand-in for CloudBase's timer trigger: runs the `cron`
 * function's `tick` on the same handlers, with no caller identity (which is
 * what lets it through), every minute and to completion (tally and scheduled
 * reminders). Reconciliation stays here, once a day after 03:00 Shanghai
 * time, in parallel shards when there is a database file, carrying its
 * cursor from chunk to chunk.
 */
import { periodKeysOf, shanghaiDayStart } from '../src/core/period'
import { systemClock } from './local-runtime'
import { reconcileInParallel } from './reconcile-parallel'
import { runJob, type JobDeps } from './run-job'

export interface SchedulerDeps extends JobDeps {
  /** The database file: when given, the nightly reconciliation runs in parallel shards (worker threads). */
  dbFile?: string
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
      await runJob(deps, 'tick', { jobs: ['tally', 'reminders'] })
      const now = clock.now()
      const day = shanghaiDayStart(now)
      if (now - day >= 3 * 60 * 60 * 1000 && day !== lastReconcileDay) {
        const year = Number(periodKeysOf(now).year)
        const r = deps.dbFile
          ? await reconcileInParallel({ dbFile: deps.dbFile, secret: deps.secret, year, now })
          : await runJob(deps, 'reconcile', { year })
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
