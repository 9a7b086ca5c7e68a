/**
 * 谈心谈话: when a warning suggests a talk, an officer records that it took
 * place (when, who talked, a short note). Care, not a case file: the note is
 * for the branch's officers only, and the member is never shown it.
 */
import { z } from '../zod'
import { IdSchema, TimestampSchema, lineText } from '../schemas/common'

import { TALK_MAX_AGE_DAYS, TALK_NOTE_MAX } from '../vocab/talks'

export { TALK_MAX_AGE_DAYS, TALK_NOTE_MAX }

export const RecordTalkInput = z
  .object({
    memberId: IdSchema,
    at: TimestampSchema,
    note: lineText(TALK_NOTE_MAX).optional(),
    /** The form's id: a second tap or a retry records one talk. */
    clientId: IdSchema
  })
  .strict()

export const TalkSchema = z.object({
  _id: IdSchema,
  branchId: IdSchema,
  memberId: IdSchema,
  at: TimestampSchema,
  by: IdSchema,
  byName: z.string(),
  note: z.string().optional(),
  quarter: z.string().regex(/^\d{4}-Q[1-4]$/),
  createdAt: TimestampSchema
})
export type Talk = z.infer<typeof TalkSchema>

/** What a warning shows of the latest talk in its quarter. */
export const TalkShownSchema = TalkSchema.pick({ at: true, byName: true, note: true })
