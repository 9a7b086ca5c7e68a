/**
 * Runs one `cron` job to completion on the local runtime, chunk after chunk
 * (each chunk one function call, with no caller identity, as the platform's
 * timer calls it). Used by the scheduler, the seed and the parallel
 * reconciliation's workers.
 */
import type { Database } from '../cloudfunctions/_shared/db'
import type { Clock } from '../cloudfunctions/_shared/runtime'
import { getFunction } from './functions'
import { makeLocalRuntime, systemClock } from './local-runtime'

export interface JobDeps {
  db: Database
  secret: string
  production: boolean
  clock?: Clock
  log?: (level: 'info' | 'warn' | 'error', msg: string, extra?: Record<string, unknown>) => void
}

type JobResult = { ok: true; data: { nextCursor?: string; processed: number; corrected?: number } } | { ok: false; error: { code: string; message: string } }

/** Runs one job to completion, chunk after chunk (each chunk is one function call). */
export async function runJob(deps: JobDeps, job: 'tick' | 'tally' | 'reconcile' | 'reminders', input: Record<string, unknown> = {}) {
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

