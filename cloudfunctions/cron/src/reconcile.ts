/**
 * reconcile: rebuild every branch's aggregates and ledger keys for a year
 * from the raw facts, a chunk of branches per call. The drift it corrects is
 * reported (and logged): a non-zero figure means an increment somewhere is
 * wrong, which should be found rather than quietly healed every night.
 */
import type { CronReconcileInput } from '../../../src/core/functions/cron'
import { periodKeysOf } from '../../../src/core/period'
import type { z } from '../../../src/core/zod'
import { branchesAfter, reconcileBranch } from '../../_shared/reconcile'
import type { Runtime } from '../../_shared/runtime'
import { budget, readState, writeState } from './state'
import { stableHash } from '../../../src/core/ids'
import type { ReconcileShard } from '../../../src/core/functions/cron'

/** Which shard a branch belongs to: stable, and spread evenly enough by the hash. */
export function inShard(branchId: string, shard: ReconcileShard): boolean {
  return shard.count === 1 || parseInt(stableHash(branchId).slice(-6), 16) % shard.count === shard.index
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
  for (;;) {
    const branches = await branchesAfter(rt, undefined, cursor, 20)
    for (const b of branches) {
      cursor = b._id
      if (!inShard(b._id, shard)) continue
      const r = await reconcileBranch(rt, b, year)
      processed++
      aggregates += r.aggregatesChecked
      corrected += r.aggregatesCorrected + r.pointsCorrected
      if (r.aggregatesCorrected + r.pointsCorrected > 0) {
        rt.log('warn', 'reconcile corrected drift', { branchId: b._id, year, ...r })
      }
      if (outOfTime()) {
        await writeState(rt, stateId, { run, cursor, startedAt: state.run === run ? state.startedAt ?? now : now, corrected: (state.corrected ?? 0) + corrected })
        return { job: 'reconcile' as const, processed, corrected, aggregates, nextCursor: cursor }
      }
    }
    if (branches.length < 20) break
  }
  await writeState(rt, stateId, { run, startedAt: state.startedAt ?? now, finishedAt: now, corrected })
  return { job: 'reconcile' as const, processed, corrected, aggregates }
}
