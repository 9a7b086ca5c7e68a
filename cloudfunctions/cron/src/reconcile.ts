/**
 * reconcile: rebuild every branch's aggregates and ledger keys for a year
 * from the raw facts, a chunk of branches per call, a few branches at once
 * under one bound on the calls in flight (RECONCILE_PARALLEL). The drift it corrects is
 * reported (and logged): a non-zero figure means an increment somewhere is
 * wrong, which should be found rather than quietly healed every night.
 */
import type { CronReconcileInput } from '../../../src/core/functions/cron'
import { periodKeysOf } from '../../../src/core/period'
import type { z } from '../../../src/core/zod'
import { branchesAfter, reconcileBranch } from '../../_shared/reconcile'
import { limitCalls } from '../../_shared/db-around'
import type { Runtime } from '../../_shared/runtime'
import { budget, readState, writeState } from './state'
import { stableHash } from '../../../src/core/ids'
import type { ReconcileShard } from '../../../src/core/functions/cron'

/** Which shard a branch belongs to: stable, and spread evenly enough by the hash. */
export function inShard(branchId: string, shard: ReconcileShard): boolean {
  return shard.count === 1 || parseInt(stableHash(branchId).slice(-6), 16) % shard.count === shard.index
}

const PAGE = 20

/**
 * Branches rebuilt at once, and the most database calls the job has in
 * flight: at ~10 ms a call on CloudBase a branch's ~35 reads one after
 * another would take most of a second, while a basic plan allows 20
 * connections in all, shared with every function running at night.
 */
export const RECONCILE_PARALLEL = { branches: 4, calls: 8 } as const

/** Like Promise.all, but waits for every branch before failing, so none is still writing when the job returns. */
async function allOrFirstError<T>(runs: Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(runs)
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected')
  if (failed) throw failed.reason
  return settled.map((r) => (r as PromiseFulfilledResult<T>).value)
}

export async function reconcileJob(rt: Runtime, input: z.infer<typeof CronReconcileInput>) {
  const now = input.now ?? rt.clock.now()
  const year = input.year ?? Number(periodKeysOf(now).year)
  const run = String(year)
  const shard = input.shard ?? { index: 0, count: 1 }
  const stateId = shard.count === 1 ? 'reconcile' : `reconcile_${shard.index}_of_${shard.count}`
  const state = await readState(rt, stateId)
  // Timer ticks repeat through the night; once tonight's pass is done, later ticks rest until tomorrow.
  const DAY = 20 * 60 * 60 * 1000
  if (input.year === undefined && input.cursor === undefined && state.run === run && state.finishedAt && now - state.finishedAt < DAY) {
    return { job: 'reconcile' as const, processed: 0, corrected: 0, aggregates: 0 }
  }
  // An explicit cursor (the local scheduler's loop) wins; a timer tick resumes the stored pass of the same year.
  let cursor = input.cursor ?? (state.run === run && !state.finishedAt ? state.cursor : undefined)
  const outOfTime = budget()
  let processed = 0
  let corrected = 0
  let aggregates = 0
  // Every call of the job goes through one limit, however its reads fan out.
  const lrt: Runtime = { ...rt, db: limitCalls(rt.db, RECONCILE_PARALLEL.calls) }
  for (;;) {
    const page = await branchesAfter(lrt, undefined, cursor, PAGE)
    const mine = page.filter((b) => inShard(b._id, shard))
    for (let i = 0; i < mine.length; i += RECONCILE_PARALLEL.branches) {
      const batch = mine.slice(i, i + RECONCILE_PARALLEL.branches)
      const results = await allOrFirstError(batch.map((b) => reconcileBranch(lrt, b, year)))
      cursor = batch[batch.length - 1]._id
      results.forEach((r, k) => {
        processed++
        aggregates += r.aggregatesChecked
        corrected += r.aggregatesCorrected + r.pointsCorrected
        if (r.aggregatesCorrected + r.pointsCorrected > 0) {
          rt.log('warn', 'reconcile corrected drift', { branchId: batch[k]._id, year, ...r })
        }
      })
      if (outOfTime()) {
        await writeState(rt, stateId, { run, cursor, startedAt: state.run === run ? state.startedAt ?? now : now, corrected: (state.corrected ?? 0) + corrected })
        return { job: 'reconcile' as const, processed, corrected, aggregates, nextCursor: cursor }
      }
    }
    if (page.length > 0) cursor = page[page.length - 1]._id
    if (page.length < PAGE) break
  }
  await writeState(rt, stateId, { run, startedAt: state.startedAt ?? now, finishedAt: now, corrected })
  return { job: 'reconcile' as const, processed, corrected, aggregates }
}
