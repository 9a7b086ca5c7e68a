import { z } from '../zod'
import { TimestampSchema } from '../schemas/common'

/**
 * Jobs of the timer-triggered function. Each processes a bounded chunk and
 * reports whether more is left, because a function call has a short timeout;
 * the next tick (or the local cron loop) carries on from the cursor.
 */
/** Warnings need no job: they are computed on read from the aggregates, so they clear the moment the facts change. */
export const CRON_JOBS = ['tally', 'reconcile', 'reminders'] as const
export type CronJob = (typeof CRON_JOBS)[number]

const cursor = z.string().max(200).optional()

export const CronRemindersInput = z.object({ now: TimestampSchema.optional(), cursor }).strict()
/** Nightly: every organisation, the current year (and last year in January, for late corrections). */
/**
 * One of `count` disjoint shares of the branches (by a hash of the branch id),
 * so several invocations can reconcile in parallel: separate timer triggers
 * on CloudBase, worker threads locally. Each shard keeps its own cursor.
 */
export const ReconcileShardSchema = z
  .object({ index: z.number().int().min(0).max(7), count: z.number().int().min(1).max(8) })
  .strict()
  .refine((s) => s.index < s.count, { message: 'index must be below count', path: ['index'] })
export type ReconcileShard = z.infer<typeof ReconcileShardSchema>

export const CronReconcileInput = z
  .object({ year: z.number().int().min(2000).max(2999).optional(), now: TimestampSchema.optional(), cursor, shard: ReconcileShardSchema.optional() })
  .strict()
/** Counts sessions whose check-in window has closed (应到/实到/请假/缺席, absence points). */
export const CronTallyInput = z.object({ now: TimestampSchema.optional(), cursor }).strict()

export const CronJobOutput = z.object({
  job: z.enum(CRON_JOBS),
  processed: z.number().int().nonnegative(),
  /** Drift found and corrected (reconcile), so a bug in an increment is visible, not silently healed. */
  corrected: z.number().int().nonnegative().optional(),
  /** Present when the chunk ended before the work did. */
  nextCursor: z.string().optional()
})

/**
 * One tick of the function's single timer trigger (CloudBase allows one per
 * function): tally and reminders every time, reconciliation in its night
 * window, each within its share of the function's timeout. `jobs` narrows
 * it (the local scheduler runs its own parallel reconciliation).
 */
export const CronTickInput = z
  .object({ now: TimestampSchema.optional(), jobs: z.array(z.enum(CRON_JOBS)).min(1).max(CRON_JOBS.length).optional() })
  .strict()

/**
 * What CloudBase passes a timer-triggered function: no action, only the
 * trigger's name from config.json: `tick`, or (from an older deploy) the
 * name of one job.
 */
export const TimerEventSchema = z.object({
  Type: z.string().regex(/^timer$/i),
  TriggerName: z.enum(['tick', ...CRON_JOBS]),
  Time: z.string().optional()
})
export type TimerEvent = z.infer<typeof TimerEventSchema>

/** Run once after deploy: creates every collection the code uses (no input). */
export const CronSetupInput = z.object({}).strict()

export const CronInputs = {
  tally: CronTallyInput,
  reminders: CronRemindersInput,
  reconcile: CronReconcileInput,
  setup: CronSetupInput,
  tick: CronTickInput
} as const
