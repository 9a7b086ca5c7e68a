import { z } from '../zod'
import { PeriodKeySchema, TimestampSchema } from '../schemas/common'

/**
 * Jobs of the timer-triggered function. Each processes a bounded chunk and
 * reports whether more is left, because a function call has a short timeout;
 * the next tick (or the local cron loop) carries on from the cursor.
 */
export const CRON_JOBS = ['reminders', 'warnings', 'reconcile'] as const
export type CronJob = (typeof CRON_JOBS)[number]

const cursor = z.string().max(200).optional()

export const CronRemindersInput = z.object({ now: TimestampSchema.optional(), cursor }).strict()
export const CronWarningsInput = z.object({ now: TimestampSchema.optional(), cursor }).strict()
export const CronReconcileInput = z
  .object({ period: PeriodKeySchema.optional(), now: TimestampSchema.optional(), cursor })
  .strict()

export const CronJobOutput = z.object({
  job: z.enum(CRON_JOBS),
  processed: z.number().int().nonnegative(),
  /** Present when the chunk ended before the work did. */
  nextCursor: z.string().optional()
})

/**
 * What CloudBase passes a timer-triggered function: no action, only the
 * trigger's name from config.json, which names the job to run.
 */
export const TimerEventSchema = z.object({
  Type: z.string().regex(/^timer$/i),
  TriggerName: z.enum(CRON_JOBS),
  Time: z.string().optional()
})
export type TimerEvent = z.infer<typeof TimerEventSchema>

export const CronInputs = {
  reminders: CronRemindersInput,
  warnings: CronWarningsInput,
  reconcile: CronReconcileInput
} as const
