/**
 * tick: what the function's one timer trigger runs every five minutes
 * (CloudBase allows one timer trigger per function). Each job keeps its own
 * schedule: tally and reminders on every tick, reconciliation only in its
 * night window (02:00–03:59 Shanghai time; it rests once the night's pass is
 * done). Each job gets a share of the function's timeout and runs chunk
 * after chunk while another whole chunk fits in its share; what is left
 * waits for the next tick (every job resumes where it stopped). A job that
 * fails is logged and does not keep the others from running.
 */
import { CRON_JOBS, type CronJob, type CronTickInput } from '../../../src/core/functions/cron'
import { shanghaiDayStart } from '../../../src/core/period'
import type { z } from '../../../src/core/zod'
import { sweepRateLimits } from '../../_shared/rate-limit'
import { drainRecounts } from '../../_shared/recount'
import type { Runtime } from '../../_shared/runtime'
import { reconcileJob } from './reconcile'
import { remindersJob } from './reminders'
import { CHUNK_BUDGET_MS, budget } from './state'
import { tallyJob } from './tally'

type JobRun = (rt: Runtime, input: { now?: number }) => Promise<{ processed: number; corrected?: number; nextCursor?: string }>

export interface TickPlan {
  jobs: Record<CronJob, JobRun>
  /** Wall time of one tick each job may use, in milliseconds. */
  shares: Record<CronJob, number>
  /** The longest one chunk of a job runs (its own budget, plus the item it was on). */
  chunkMs: number
}

/**
 * config.json gives `cron` 60 s. The shares add up to 45 s, and a chunk
 * starts only while a whole one still fits in its job's share, leaving the
 * rest for the item each job's last chunk is finishing when its budget ends.
 */
export const DEFAULT_TICK_PLAN: TickPlan = {
  jobs: { tally: tallyJob, reminders: remindersJob, reconcile: reconcileJob },
  shares: { tally: 12_000, reminders: 12_000, reconcile: 21_000 },
  chunkMs: CHUNK_BUDGET_MS
}

/** The shares leave 15 s of the 60 s timeout: queued recounts take 8 of them. */
const RECOUNT_SHARE_MS = 8_000

/** Reconciliation rebuilds a year of figures, so it runs while nobody is checking in. */
export const RECONCILE_HOURS = { from: 2, to: 4 } as const

export function inReconcileWindow(now: number): boolean {
  const hour = Math.floor((now - shanghaiDayStart(now)) / 3_600_000)
  return hour >= RECONCILE_HOURS.from && hour < RECONCILE_HOURS.to
}

type JobReport =
  | { processed: number; calls: number; done: boolean; corrected?: number }
  | { skipped: string }
  | { error: string }

export async function tickJob(rt: Runtime, input: z.infer<typeof CronTickInput>, plan: TickPlan = DEFAULT_TICK_PLAN) {
  const now = input.now ?? rt.clock.now()
  const wanted = new Set<CronJob>(input.jobs ?? CRON_JOBS)
  const jobInput = input.now === undefined ? {} : { now: input.now }
  const jobs: Partial<Record<CronJob, JobReport>> = {}
  let processed = 0
  let more = false
  // The most time-bound first: a closed session's figures, then messages due now.
  for (const job of ['tally', 'reminders', 'reconcile'] as const) {
    if (!wanted.has(job)) continue
    if (job === 'reconcile' && !inReconcileWindow(now)) {
      jobs[job] = { skipped: `runs between ${RECONCILE_HOURS.from}:00 and ${RECONCILE_HOURS.to}:00 Shanghai time` }
      continue
    }
    const shareSpent = budget(plan.shares[job] - plan.chunkMs)
    let calls = 0
    let count = 0
    let corrected = 0
    let left = false
    try {
      do {
        const r = await plan.jobs[job](rt, jobInput)
        calls++
        count += r.processed
        corrected += r.corrected ?? 0
        left = r.nextCursor !== undefined
      } while (left && !shareSpent())
      jobs[job] = { processed: count, calls, done: !left, ...(job === 'reconcile' ? { corrected } : {}) }
      processed += count
      more ||= left
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err)
      rt.log('error', `cron.tick: ${job} failed`, { error: err instanceof Error ? err.stack ?? message : message })
      jobs[job] = { error: message.slice(0, 200) }
    }
  }
  // What a figure-moving change could not rebuild in its own call (recount.ts), within minutes.
  if (wanted.has('tally')) {
    try {
      const r = await drainRecounts(rt, RECOUNT_SHARE_MS)
      processed += r.processed
      more ||= r.left
    } catch (err) {
      rt.log('error', 'cron.tick: recounts failed', { error: err instanceof Error ? err.message : String(err) })
    }
  }
  // Spent rate-limit windows (one call; a member's counters live a minute or ten).
  if (input.jobs === undefined) {
    try {
      await sweepRateLimits(rt.db, now)
    } catch (err) {
      rt.log('warn', 'cron.tick: rate-limit sweep failed', { error: err instanceof Error ? err.message : String(err) })
    }
  }
  return { job: 'tick' as const, processed, jobs, ...(more ? { nextCursor: 'more' } : {}) }
}
