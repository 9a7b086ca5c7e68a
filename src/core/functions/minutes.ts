/**
 * `session.minutes*`: the 会议纪实 of one session (src/core/minutes/record.ts).
 * The attendance part is never an input: it is read from the check-in facts
 * each time the record is opened, so it cannot disagree with them.
 */
import { z } from '../zod'
import { IdSchema, TimestampSchema, lineText, multilineText } from '../schemas/common'
import { MINUTES_FIELDS, MINUTES_LIMITS } from '../minutes/record'

/** Text that may be emptied again (an officer clears a line), unlike multilineText. */
function clearableText(max: number) {
  return z.union([z.literal(''), multilineText(max)])
}

function distinctIds(max: number) {
  return z
    .array(IdSchema)
    .max(max)
    .refine((a) => new Set(a).size === a.length, { message: 'named twice' })
}

export const MinutesContentSchema = z
  .object({
    chairId: IdSchema.nullable(),
    recorderId: IdSchema.nullable(),
    // Defaults so records saved before seminars had a plan still parse.
    topic: z.string().max(MINUTES_LIMITS.topic).default(''),
    speakerIds: z.array(IdSchema).max(MINUTES_LIMITS.speakers).default([]),
    agenda: z.string().max(MINUTES_LIMITS.agenda),
    materialIds: z.array(IdSchema).max(MINUTES_LIMITS.materials),
    discussion: z.string().max(MINUTES_LIMITS.discussion),
    decisions: z.string().max(MINUTES_LIMITS.decisions)
  })
  .strict()

export const MinutesCorrectionSchema = z.object({
  at: TimestampSchema,
  by: IdSchema,
  field: z.enum(MINUTES_FIELDS),
  before: z.union([z.string(), z.null(), z.array(z.string())]),
  after: z.union([z.string(), z.null(), z.array(z.string())]),
  reason: z.string()
})

/** The stored record, one per session (_id = the session's id). */
export const MinutesDocSchema = z.object({
  _id: IdSchema,
  sessionId: IdSchema,
  branchId: IdSchema,
  orgPath: z.array(IdSchema),
  content: MinutesContentSchema,
  lockedAt: TimestampSchema.nullable(),
  lockedBy: IdSchema.nullable(),
  corrections: z.array(MinutesCorrectionSchema).max(MINUTES_LIMITS.corrections),
  updatedAt: TimestampSchema,
  updatedBy: IdSchema
})
export type MinutesDoc = z.infer<typeof MinutesDocSchema>

export const MinutesGetInput = z.object({ sessionId: IdSchema }).strict()

export const MinutesSaveInput = z
  .object({
    sessionId: IdSchema,
    patch: z
      .object({
        chairId: IdSchema.nullable().optional(),
        recorderId: IdSchema.nullable().optional(),
        topic: z.union([z.literal(''), lineText(MINUTES_LIMITS.topic)]).optional(),
        speakerIds: distinctIds(MINUTES_LIMITS.speakers).optional(),
        agenda: clearableText(MINUTES_LIMITS.agenda).optional(),
        materialIds: distinctIds(MINUTES_LIMITS.materials).optional(),
        discussion: clearableText(MINUTES_LIMITS.discussion).optional(),
        decisions: clearableText(MINUTES_LIMITS.decisions).optional()
      })
      .strict()
      .refine((p) => Object.values(p).some((v) => v !== undefined), { message: 'nothing to save' }),
    /** The version the officer edited (updatedAt as read; null for a record not yet saved): a stale save is a conflict, not a silent overwrite. */
    baseUpdatedAt: TimestampSchema.nullable(),
    /** Required once the record is locked: why it is corrected. */
    reason: lineText(MINUTES_LIMITS.reason).optional()
  })
  .strict()

export const MinutesLockInput = z.object({ sessionId: IdSchema, baseUpdatedAt: TimestampSchema }).strict()

const NamedSchema = z.object({ memberId: IdSchema, name: z.string() })

/** A 交流材料 as the record lists it: enough to find it and weigh it, never its text. */
export const ExchangeNoteSchema = z.object({ _id: IdSchema, title: z.string(), words: z.number().int().nonnegative(), creditedWords: z.number().int().nonnegative() })
export type ExchangeNote = z.infer<typeof ExchangeNoteSchema>

/** Attendance as the record prints it: counts, and names with where each stands. */
export const MinutesAttendanceSchema = z.object({
  expected: z.number().int().nonnegative(),
  present: z.number().int().nonnegative(),
  late: z.number().int().nonnegative(),
  attended: z.array(NamedSchema),
  /** Leave (approved or waiting); the reason only for officers, members see that it was leave. */
  leave: z.array(NamedSchema.extend({ approved: z.boolean(), reason: z.string().optional() })),
  absent: z.array(NamedSchema.extend({ makeup: z.enum(['none', 'assigned', 'submitted', 'accepted', 'returned']) })),
  /** The session is not over: who has not checked in yet is not absent yet. */
  over: z.boolean()
})
export type MinutesAttendance = z.infer<typeof MinutesAttendanceSchema>

export const MinutesInputs = {
  minutes: MinutesGetInput,
  minutesSave: MinutesSaveInput,
  minutesLock: MinutesLockInput
} as const

export const MinutesGetOutput = z.object({
  session: z.custom<import('../schemas/session').Session>(),
  minutes: z.object({
    content: MinutesContentSchema,
    chairName: z.string(),
    recorderName: z.string(),
    lockedAt: TimestampSchema.nullable(),
    lockedByName: z.string(),
    corrections: z.array(MinutesCorrectionSchema.extend({ byName: z.string() })),
    updatedAt: TimestampSchema.nullable()
  }),
  attendance: MinutesAttendanceSchema,
  /** The linked 学习材料 that still exist, in the record's order (one removed since is left out). */
  materials: z.array(z.object({ _id: IdSchema, title: z.string() })),
  /** A seminar's planned 发言人, by name. */
  speakers: z.array(NamedSchema),
  /**
   * 交流材料 of a 专题学习研讨 (empty for other sessions): for officers every
   * expected member with the notes they handed in (none yet: an empty list);
   * for a member, only their own row.
   */
  exchange: z.array(NamedSchema.extend({ notes: z.array(ExchangeNoteSchema) })),
  mayEdit: z.boolean(),
  people: z.array(NamedSchema)
})
export type MinutesView = z.infer<typeof MinutesGetOutput>
export const MinutesSaveOutput = z.object({ updatedAt: TimestampSchema, lockedAt: TimestampSchema.nullable(), corrections: z.number().int() })
