import { z } from '../zod'
import { IdSchema, lineText, multilineText } from '../schemas/common'
import {
  NoteContentSchema,
  NoteKindSchema,
  NoteViewSchema,
  NoteSummarySchema
} from '../schemas/note'
import { RankSchema } from '../schemas/member'
import {
  MATERIAL_MAX_CHARS,
  MATERIAL_ORIGIN_MAX,
  MATERIAL_TITLE_MAX,
  MaterialStatusSchema
} from '../schemas/material'
import { PACE_STATUSES } from '../vocab/note'

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
    /** 交流材料 for this 专题学习研讨; absent on an edit unlinks it, as `source` does. */
    sessionId: IdSchema.optional(),
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
  note: NoteViewSchema,
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
export const NoteGetOutput = z.object({
  note: NoteViewSchema,
  /** The seminar a 交流材料 was handed in for, by title; null when the note is not one (or the session is gone). */
  exchange: z.object({ sessionId: IdSchema, title: z.string() }).nullable()
})

export const NoteRemoveInput = z.object({ noteId: IdSchema, version: z.number().int().positive() }).strict()
/** The note as it now stands (deleted: true); it credits nothing any more. */
export const NoteRemoveOutput = z.object({ note: NoteViewSchema })

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

/** The note with its new review; the member sees the comment on get and list. */
export const NoteReviewOutput = z.object({ note: NoteViewSchema })

export { PACE_STATUSES, PACE_STATUS_LABELS, type PaceStatus } from '../vocab/note'
export const PaceStatusSchema = z.enum(PACE_STATUSES)

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
  byMonth: z.array(z.object({ month: z.string(), creditedWords: z.number().int().nonnegative() })).max(12),
  /** Added with the pace rules: wordQuota/essayQuota are 0 and paceStatus 'exempt' for an exempt member. */
  rank: RankSchema,
  paceStatus: PaceStatusSchema,
  /** A plain sentence: where the member should be by today and how far off. Empty when exempt. */
  paceSentence: z.string(),
  /** Non-deleted notes of the year (both kinds). */
  notes: z.number().int().nonnegative(),
  lastNoteAt: z.number().int().nonnegative().nullable(),
  /** The organisation's minimum credited words for a 心得 to count (notes/essay.ts), so the page can say why one does not. */
  essayMinWords: z.number().int().nonnegative().optional()
})

export const NoteBranchProgressInput = z.object({ branchId: IdSchema, year: YearSchema }).strict()

/** One member's line in the secretary's branch view (sortable on the phone). */
export const NoteBranchRowSchema = z.object({
  memberId: IdSchema,
  name: z.string(),
  rank: RankSchema,
  exempt: z.boolean(),
  creditedWords: z.number().int().nonnegative(),
  /** 0 when exempt. */
  wordQuota: z.number().int().nonnegative(),
  essays: z.number().int().nonnegative(),
  essayQuota: z.number().int().nonnegative(),
  paceWords: z.number().int().nonnegative(),
  paceStatus: PaceStatusSchema,
  notes: z.number().int().nonnegative(),
  lastNoteAt: z.number().int().nonnegative().nullable(),
  /** Word quota and essay quota both met (always true when exempt). */
  meets: z.boolean()
})
export type NoteBranchRow = z.infer<typeof NoteBranchRowSchema>

export const NoteBranchProgressOutput = z.object({
  branchId: IdSchema,
  year: YearSchema,
  rows: z.array(NoteBranchRowSchema),
  totals: z.object({
    members: z.number().int().nonnegative(),
    exempt: z.number().int().nonnegative(),
    creditedWords: z.number().int().nonnegative(),
    essays: z.number().int().nonnegative(),
    onPace: z.number().int().nonnegative(),
    behind: z.number().int().nonnegative(),
    farBehind: z.number().int().nonnegative(),
    done: z.number().int().nonnegative()
  })
})

export const NoteYearEndInput = z.object({ branchId: IdSchema, year: YearSchema }).strict()

export const NoteYearEndRowSchema = NoteBranchRowSchema.extend({
  meetsWords: z.boolean(),
  meetsEssays: z.boolean(),
  /** Words still missing (0 when met or exempt). */
  wordsShort: z.number().int().nonnegative(),
  essaysShort: z.number().int().nonnegative()
})
export type NoteYearEndRow = z.infer<typeof NoteYearEndRowSchema>

/** 年终检查: who meets the word and essay quotas; exempt members are listed apart and not counted as assessed. */
export const NoteYearEndOutput = z.object({
  branchId: IdSchema,
  year: YearSchema,
  rows: z.array(NoteYearEndRowSchema),
  totals: z.object({
    members: z.number().int().nonnegative(),
    /** Members with a quota (not exempt). */
    assessed: z.number().int().nonnegative(),
    exempt: z.number().int().nonnegative(),
    meets: z.number().int().nonnegative(),
    fails: z.number().int().nonnegative(),
    meetsWords: z.number().int().nonnegative(),
    meetsEssays: z.number().int().nonnegative(),
    creditedWords: z.number().int().nonnegative(),
    essays: z.number().int().nonnegative()
  })
})

/**
 * 学习材料: the texts a branch (its officers) or a 党委 / 总支 (its admins)
 * studies, so passages of them in notes count as 摘录. `orgId` names whose:
 * the list shows that org's own and those of the orgs above it.
 */
export const MaterialListInput = z.object({ orgId: IdSchema }).strict()
export const MaterialAddInput = z
  .object({
    orgId: IdSchema,
    title: lineText(MATERIAL_TITLE_MAX),
    /** 出处: who said it, where, or the document. */
    origin: lineText(MATERIAL_ORIGIN_MAX).optional(),
    /** The text as pasted (line breaks kept). */
    content: multilineText(MATERIAL_MAX_CHARS),
    /** The form's own id: a retried add is the same material, never a second. */
    clientId: IdSchema
  })
  .strict()
/** Goes on with indexing or removal (the page calls it until the material is ready or gone). */
export const MaterialIdInput = z.object({ materialId: IdSchema }).strict()

export const MaterialSummarySchema = z.object({
  _id: IdSchema,
  orgId: IdSchema,
  orgName: z.string(),
  title: z.string(),
  origin: z.string().optional(),
  words: z.number().int().nonnegative(),
  status: MaterialStatusSchema,
  /** Share of its fingerprints in the index (1 when ready). */
  progress: z.number().min(0).max(1),
  createdByName: z.string(),
  createdAt: z.number().int().nonnegative(),
  /** The caller may remove it (it belongs to an org they manage). */
  canRemove: z.boolean()
})
export type MaterialSummary = z.infer<typeof MaterialSummarySchema>
export const MaterialListOutput = z.object({
  orgId: IdSchema,
  orgName: z.string(),
  /** The caller may add to this org. */
  canAdd: z.boolean(),
  /** This org's own first (newest first), then those of the orgs above it. */
  items: z.array(MaterialSummarySchema)
})
/** The material as it now stands; null once removed. */
export const MaterialOutput = z.object({ material: MaterialSummarySchema.nullable() })

export const NoteInputs = {
  save: NoteSaveInput,
  list: NoteListInput,
  get: NoteGetInput,
  remove: NoteRemoveInput,
  review: NoteReviewInput,
  progress: NoteProgressInput,
  branchProgress: NoteBranchProgressInput,
  yearEnd: NoteYearEndInput,
  materials: MaterialListInput,
  addMaterial: MaterialAddInput,
  continueMaterial: MaterialIdInput,
  removeMaterial: MaterialIdInput
} as const

export const NoteOutputs = {
  save: NoteSaveOutput,
  list: NoteListOutput,
  get: NoteGetOutput,
  remove: NoteRemoveOutput,
  review: NoteReviewOutput,
  progress: NoteProgressOutput,
  branchProgress: NoteBranchProgressOutput,
  yearEnd: NoteYearEndOutput,
  materials: MaterialListOutput,
  addMaterial: MaterialOutput,
  continueMaterial: MaterialOutput,
  removeMaterial: MaterialOutput
} as const
