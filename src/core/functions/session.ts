import { z } from '../zod'
import { IdSchema, TimestampSchema, lineText, multilineText } from '../schemas/common'
import { MemberSummarySchema } from '../schemas/member'
import {
  CheckinWindowSchema,
  SessionAudienceSchema,
  SessionSchema,
  SessionTypeSchema,
  VenueSchema,
  checkSessionTimes
} from '../schemas/session'

/** A list query may span at most a little over a year, so one call stays bounded. */
export const MAX_LIST_SPAN_MS = 400 * 24 * 60 * 60 * 1000

/** Repeats of a schedule (e.g. 主题党日 monthly) are materialised up front, at most a year's worth. */
export const RecurrenceSchema = z
  .object({
    every: z.enum(['week', 'month']),
    count: z.number().int().min(2).max(12)
  })
  .strict()

const sessionEditable = {
  title: lineText(60),
  type: SessionTypeSchema,
  startAt: TimestampSchema,
  endAt: TimestampSchema,
  venue: VenueSchema,
  /** Omitted: opens 30 min before start, late after start, closes at end. */
  checkin: CheckinWindowSchema.optional(),
  audience: SessionAudienceSchema,
  allowOnlineWithoutQr: z.boolean().optional(),
  description: multilineText(500).optional()
}

export const SessionCreateInput = z
  .object({ branchId: IdSchema, ...sessionEditable, recurrence: RecurrenceSchema.optional() })
  .strict()
  .superRefine(checkSessionTimes)

/** Only the fields given change; times are rechecked against the stored ones by the handler. */
export const SessionUpdateInput = z
  .object({
    sessionId: IdSchema,
    title: sessionEditable.title.optional(),
    type: SessionTypeSchema.optional(),
    startAt: TimestampSchema.optional(),
    endAt: TimestampSchema.optional(),
    venue: VenueSchema.optional(),
    checkin: CheckinWindowSchema.optional(),
    audience: SessionAudienceSchema.optional(),
    allowOnlineWithoutQr: z.boolean().optional(),
    description: sessionEditable.description
  })
  .strict()
  .superRefine(checkSessionTimes)

export const SessionCancelInput = z.object({ sessionId: IdSchema, reason: lineText(200) }).strict()

export const SessionListInput = z
  .object({ branchId: IdSchema, from: TimestampSchema, to: TimestampSchema })
  .strict()
  .refine((q) => q.to > q.from && q.to - q.from <= MAX_LIST_SPAN_MS, {
    message: 'the range must be forward and at most about a year',
    path: ['to']
  })

export const SessionGetInput = z.object({ sessionId: IdSchema }).strict()
export const SessionRosterInput = z.object({ sessionId: IdSchema }).strict()

export const SessionListOutput = z.object({ sessions: z.array(SessionSchema) })
export const SessionGetOutput = z.object({ session: SessionSchema })
export const SessionCreateOutput = z.object({ sessions: z.array(SessionSchema).min(1) })

/** Where each expected member stands for one session; absent until they act. */
export const ROSTER_STATES = ['attended', 'late', 'leave_pending', 'leave_approved', 'absent'] as const
export const RosterRowSchema = z.object({
  member: MemberSummarySchema,
  state: z.enum(ROSTER_STATES),
  at: TimestampSchema.optional(),
  method: z.enum(['qr', 'online', 'proxy']).optional()
})
export type RosterRow = z.infer<typeof RosterRowSchema>
export const SessionRosterOutput = z.object({
  session: SessionSchema,
  rows: z.array(RosterRowSchema),
  counts: z.object({
    expected: z.number().int().nonnegative(),
    attended: z.number().int().nonnegative(),
    late: z.number().int().nonnegative(),
    leave: z.number().int().nonnegative(),
    absent: z.number().int().nonnegative()
  })
})

export const SessionInputs = {
  create: SessionCreateInput,
  update: SessionUpdateInput,
  cancel: SessionCancelInput,
  list: SessionListInput,
  get: SessionGetInput,
  roster: SessionRosterInput
} as const
