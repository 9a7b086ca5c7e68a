/**
 * The full nightly reconciliation on all cores: one worker thread per shard,
 * each with its own connection to the same SQLite file (WAL: readers never
 * wait; the few writes take turns under BEGIN IMMEDIATE and busy_timeout).
 * Each worker runs the `cron` function's reconcile job for its shard, chunk
 * after chunk, exactly as the scheduler does in one thread.
 */
import { availableParallelism } from 'os'
import { Worker, isMainThread, parentPort, workerData } from 'worker_threads'
import { openDatabase } from './db'
import { runJob } from './run-job'

export interface ParallelReconcileOptions {
  dbFile: string
  secret: string
  year: number
  /** Defaults to the number of cores (at most 8). */
  shards?: number
  now?: number
}

export interface ParallelReconcileResult {
  shards: number
  processed: number
  corrected: number
  calls: number
}

interface Job {
  dbFile: string
  secret: string
  year: number
  shard: { index: number; count: number }
  now?: number
}

export async function reconcileInParallel(opts: ParallelReconcileOptions): Promise<ParallelReconcileResult> {
  const count = Math.max(1, Math.min(8, opts.shards ?? availableParallelism()))
  const runs = Array.from({ length: count }, (_, index) => {
    const job: Job = { dbFile: opts.dbFile, secret: opts.secret, year: opts.year, shard: { index, count }, now: opts.now }
    return new Promise<{ processed: number; corrected: number; calls: number }>((resolve, reject) => {
      // A worker does not inherit the TypeScript loader; it registers tsx's CommonJS hook, then loads this file.
      const boot = `require('tsx/cjs/api').register(); require(${JSON.stringify(__filename)})`
      const w = new Worker(boot, { eval: true, workerData: job })
      w.once('message', (m: { ok: boolean; result?: { processed: number; corrected: number; calls: number }; error?: string }) =>
        m.ok ? resolve(m.result!) : reject(new Error(m.error))
      )
      w.once('error', reject)
    })
  })
  const results = await Promise.all(runs)
  return {
    shards: count,
    processed: results.reduce((s, r) => s + r.processed, 0),
    corrected: results.reduce((s, r) => s + r.corrected, 0),
    calls: results.reduce((s, r) => s + r.calls, 0)
  }
}

async function workerMain(job: Job): Promise<void> {
  const db = openDatabase({ file: job.dbFile })
  try {
    const clock = job.now !== undefined ? { now: () => job.now as number } : undefined
    const result = await runJob({ db, secret: job.secret, production: false, clock, log: () => undefined }, 'reconcile', { year: job.year, shard: job.shard })
    parentPort!.postMessage({ ok: true, result })
  } catch (err) {
    parentPort!.postMessage({ ok: false, error: err instanceof Error ? err.stack ?? err.message : String(err) })
  } finally {
    db.close()
  }
}

if (!isMainThread && workerData && (workerData as Job).shard) void workerMain(workerData as Job)
