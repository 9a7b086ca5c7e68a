import { z } from '../zod'
import { IdSchema, TimestampSchema } from './common'

/** `domain.verb`, e.g. `session.cancel`, `leave.decide`, `points.adjust`. */
export const AuditActionSchema = z.string().regex(/^[a-z][a-zA-Z]*\.[a-z][a-zA-Z]*$/).max(60)

export const AuditTargetSchema = z.object({
  /** The collection or kind of thing acted on, e.g. `session`, `member`. */
  type: z.string().regex(/^[a-z][a-z_]{0,31}$/),
  id: IdSchema
})
export type AuditTarget = z.infer<typeof AuditTargetSchema>

/** Bounded so an audit record can never be used to smuggle a large payload. */
const MAX_DETAIL_JSON = 2000

/**
 * Every secretary and admin action that changes someone else's record
 * (proxy check-in, leave decision, note review, points adjustment, settings)
 * leaves one of these, append-only, for inspection.
 */
export const AuditEntrySchema = z.object({
  _id: IdSchema,
  actor: IdSchema,
  action: AuditActionSchema,
  target: AuditTargetSchema,
  /** The org within whose scope the action was allowed. */
  orgId: IdSchema,
  at: TimestampSchema,
  detail: z
    .record(z.string(), z.unknown())
    .refine((d) => JSON.stringify(d).length <= MAX_DETAIL_JSON, { message: 'detail too large' })
    .optional()
})
export type AuditEntry = z.infer<typeof AuditEntrySchema>
