import { z } from '../zod'
import { IdSchema, lineText, multilineText } from '../schemas/common'
import {
  NoteContentSchema,
  NoteKindSchema,
  NoteSchema,
  NoteSummarySchema
} from '../schemas/note'

const YearSchema = z.number().int().min(1970).max(2999)

/**
 * Create when id is absent; otherwise update, naming the version edited so a
 * save from a stale draft on another phone is refused with CONFLICT instead of
 * overwriting. The server counts the words; the client's figure is not sent.
 */
export const NoteSaveInput = z
  .object({
    id: IdSchema.optional(),
    version: z.number().int().positive().optional(),
    kind: NoteKindSchema,
    title: lineText(60),
    source: lineText(100).optional(),
    content: NoteContentSchema,
    /** Set by the phone on first save; a retried create with it returns the same note. */
    clientId: IdSchema.optional()
  })
  .strict()
  .refine((s) => (s.id === undefined) === (s.version === undefined), {
    message: 'id and version go together',
    path: ['version']
  })
export const NoteSaveOutput = z.object({
  note: NoteSchema,
  /** Why creditedWords is below words, in words a member understands; empty when equal. */
  creditNotice: z.string()
})

export const NoteListInput = z
  .object({
    /** Others' notes need secretary rights over their branch. */
    memberId: IdSchema.optional(),
    year: YearSchema.optional(),
    kind: NoteKindSchema.optional(),
    skip: z.number().int().min(0).max(10000).optional(),
    limit: z.number().int().min(1).max(50).optional()
  })
  .strict()
export const NoteListOutput = z.object({ notes: z.array(NoteSummarySchema), total: z.number().int().nonnegative() })

export const NoteGetInput = z.object({ noteId: IdSchema }).strict()
export const NoteGetOutput = z.object({ note: NoteSchema })

export const NoteRemoveInput = z.object({ noteId: IdSchema, version: z.number().int().positive() }).strict()

export const NoteReviewInput = z
  .object({
    noteId: IdSchema,
    status: z.enum(['passed', 'returned']),
    comment: multilineText(200).optional()
  })
  .strict()
  .refine((r) => r.status === 'passed' || r.comment !== undefined, {
    message: 'returning a note needs a comment saying why',
    path: ['comment']
  })

export const NoteProgressInput = z.object({ year: YearSchema, memberId: IdSchema.optional() }).strict()

/** Words and essays against the quota, and against the pro-rata pace of the year. */
export const NoteProgressOutput = z.object({
  year: YearSchema,
  memberId: IdSchema,
  creditedWords: z.number().int().nonnegative(),
  wordQuota: z.number().int().nonnegative(),
  essays: z.number().int().nonnegative(),
  essayQuota: z.number().int().nonnegative(),
  /** Words expected by now at an even pace. */
  paceWords: z.number().int().nonnegative(),
  exempt: z.boolean(),
  byMonth: z.array(z.object({ month: z.string(), creditedWords: z.number().int().nonnegative() })).max(12)
})

export const NoteInputs = {
  save: NoteSaveInput,
  list: NoteListInput,
  get: NoteGetInput,
  remove: NoteRemoveInput,
  review: NoteReviewInput,
  progress: NoteProgressInput
} as const
