/**
 * `session.minutes*`: the 会议纪实 of one session (src/core/minutes/record.ts).
 * The attendance part is never an input: it is read from the check-in facts
 * each time the record is opened, so it cannot disagree with them.
 */
import { z } from '../zod'
import { IdSchema, TimestampSchema, lineText, multilineText } from '../schemas/common'
import { MINUTES_FIELDS, MINUTES_LIMITS } from '../minutes/record'
import { PHOTO_LIMITS } from '../minutes/photos'

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

/** A photo's id as clients see it: its slot (1…perSession) and a random part, so a freed slot's next photo is another id. */
export const PhotoIdSchema = z.string().regex(/^p[1-9]_[a-f0-9]{12}$/, 'photoId')

/** Base64 of at most PHOTO_LIMITS.maxBytes, and a little over, so that "too large" is said by photoRefusal in words. */
const PHOTO_BASE64_MAX = Math.ceil(((PHOTO_LIMITS.maxBytes + 1024) * 4) / 3)

export const MinutesPhotoAddInput = z
  .object({
    sessionId: IdSchema,
    /** Web: the compressed bytes as base64; mini-program: the cloud file id of its upload (under minutes-uploads/). */
    photo: z.union([
      z.object({ content: z.string().max(PHOTO_BASE64_MAX).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64') }).strict(),
      z.object({ fileId: z.string().min(1).max(512) }).strict()
    ])
  })
  .strict()

export const MinutesPhotoRemoveInput = z
  .object({
    sessionId: IdSchema,
    photoId: PhotoIdSchema,
    /** Required once the record is locked: why a photo leaves a locked record. */
    reason: lineText(MINUTES_LIMITS.reason).optional()
  })
  .strict()

export const PhotoTypeSchema = z.enum(['jpeg', 'png', 'webp'])

/**
 * `minutes_photos`: one document per occupied slot (_id `<sessionId>:<slot>`,
 * so at most perSession can exist, whatever races), and, once the record is
 * locked, one per removal, kept so the record shows what left it and why.
 */
export const MinutesPhotoDocSchema = z.discriminatedUnion('kind', [
  z.object({
    _id: IdSchema,
    kind: z.literal('photo'),
    sessionId: IdSchema,
    branchId: IdSchema,
    photoId: PhotoIdSchema,
    fileId: z.string(),
    type: PhotoTypeSchema,
    bytes: z.number().int().positive().max(PHOTO_LIMITS.maxBytes),
    at: TimestampSchema,
    by: IdSchema,
    /** Added after the record was locked: shown as a supplement. */
    afterLock: z.boolean()
  }),
  z.object({
    _id: IdSchema,
    kind: z.literal('removed'),
    sessionId: IdSchema,
    branchId: IdSchema,
    photoId: PhotoIdSchema,
    addedAt: TimestampSchema,
    addedBy: IdSchema,
    at: TimestampSchema,
    by: IdSchema,
    reason: z.string()
  })
])
export type MinutesPhotoDoc = z.infer<typeof MinutesPhotoDocSchema>

export const MinutesInputs = {
  minutes: MinutesGetInput,
  minutesSave: MinutesSaveInput,
  minutesLock: MinutesLockInput,
  minutesPhotoAdd: MinutesPhotoAddInput,
  minutesPhotoRemove: MinutesPhotoRemoveInput
} as const

/** A photo as a reader gets it: a temporary link, never the stored file id. */
export const MinutesPhotoViewSchema = z.object({
  id: PhotoIdSchema,
  url: z.string(),
  type: PhotoTypeSchema,
  bytes: z.number().int(),
  at: TimestampSchema,
  byName: z.string(),
  afterLock: z.boolean()
})
export type MinutesPhotoView = z.infer<typeof MinutesPhotoViewSchema>
export const MinutesPhotoRemovalViewSchema = z.object({ at: TimestampSchema, byName: z.string(), reason: z.string(), addedAt: TimestampSchema })
export type MinutesPhotoRemovalView = z.infer<typeof MinutesPhotoRemovalViewSchema>

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
  people: z.array(NamedSchema),
  /** Optional photos, oldest first, and what left the record after it was locked. */
  photos: z.array(MinutesPhotoViewSchema),
  photoRemovals: z.array(MinutesPhotoRemovalViewSchema)
})
export type MinutesView = z.infer<typeof MinutesGetOutput>
export const MinutesSaveOutput = z.object({ updatedAt: TimestampSchema, lockedAt: TimestampSchema.nullable(), corrections: z.number().int() })
export const MinutesPhotoAddOutput = z.object({ photo: MinutesPhotoViewSchema, count: z.number().int() })
