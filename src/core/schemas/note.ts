import { z } from '../zod'
import { NOTE_MAX_CHARS } from '../words'
import { IdSchema, TimestampSchema, lineText, multilineText } from './common'
import { NOTE_KINDS, REVIEW_STATUSES } from '../vocab/note'

export { NOTE_KINDS, NOTE_KIND_LABELS, REVIEW_STATUSES, REVIEW_STATUS_LABELS, type NoteKind, type ReviewStatus } from '../vocab/note'
export const NoteKindSchema = z.enum(NOTE_KINDS)
export const ReviewStatusSchema = z.enum(REVIEW_STATUSES)

export const NoteReviewObject = z.object({
  status: ReviewStatusSchema,
  comment: multilineText(200).optional(),
  by: IdSchema.optional(),
  at: TimestampSchema.optional()
})
export const NoteReviewSchema = NoteReviewObject.refine(
  (r) => r.status === 'pending' || (r.by !== undefined && r.at !== undefined),
  { message: 'a decided review records who and when', path: ['by'] }
)
export type NoteReview = z.infer<typeof NoteReviewSchema>

/** A range of THIS note's content, UTF-16 offsets [start, end). Never the other text. */
export const NotePassageSchema = z
  .object({ start: z.number().int().nonnegative(), end: z.number().int().positive() })
  .refine((p) => p.end > p.start, { message: 'a passage ends after it starts', path: ['end'] })
export type NotePassage = z.infer<typeof NotePassageSchema>

/**
 * An earlier note this one overlaps with, AS STORED (server-side only): the
 * matched note's id stays on the server for an inspection to follow up. A
 * member, and an officer reading a note, get NoteMatchView instead: ranges,
 * lengths and dates, never whose note (issue 15).
 */
export const NoteMatchSchema = z.object({
  noteId: IdSchema,
  /** The earlier note is the author's own (resubmitted); notes stored before this field say it by lacking memberIdHash. */
  own: z.boolean().optional(),
  /** Legacy: an unsalted hash of the other author, written before issue 15; never sent out. */
  memberIdHash: z.string().regex(/^[0-9a-f]{16}$/).optional(),
  /** When the earlier note was written. */
  at: TimestampSchema,
  /** How many characters of this note were found in the other. */
  chars: z.number().int().positive(),
  /** Where in this note's text (notes saved before passages were recorded have none). */
  passages: z.array(NotePassageSchema).max(10).optional()
})
export type NoteMatch = z.infer<typeof NoteMatchSchema>

/** Whether a stored match is one of the author's own earlier notes. */
export function isOwnMatch(m: Pick<NoteMatch, 'own' | 'memberIdHash'>): boolean {
  return m.own ?? m.memberIdHash === undefined
}

/**
 * A match as every caller sees it: where in THIS note, how long, when the
 * earlier note was written, and whether it was the author's own. No note id,
 * no member id, no hash of either: nothing that names a colleague.
 */
export const NoteMatchViewSchema = z
  .object({
    own: z.boolean(),
    at: TimestampSchema,
    chars: z.number().int().positive(),
    passages: z.array(NotePassageSchema).max(10).optional()
  })
  .strict()
export type NoteMatchView = z.infer<typeof NoteMatchViewSchema>

/** A known source text (a speech) this note quotes: credited, shown as excerpt. */
export const NoteExcerptSchema = z.object({
  sourceId: IdSchema,
  title: lineText(100),
  chars: z.number().int().positive(),
  passages: z.array(NotePassageSchema).max(10)
})
export type NoteExcerpt = z.infer<typeof NoteExcerptSchema>

/** Body length is counted in UTF-16 units (String.length), as textarea maxlength does. */
export const NoteContentSchema = multilineText(NOTE_MAX_CHARS)

export const NoteObject = z.object({
  _id: IdSchema,
  kind: NoteKindSchema,
  title: lineText(60),
  /** What was studied: a book, a speech, a document. */
  source: lineText(100).optional(),
  /** 交流材料: the 专题学习研讨 this note was handed in for (a seminar of the author's branch they were expected at). */
  sessionId: IdSchema.optional(),
  content: NoteContentSchema,
  /** countNoteWords(content), as the server counted it. */
  words: z.number().int().nonnegative(),
  /** Words that count toward the quota after copied passages are taken out. */
  creditedWords: z.number().int().nonnegative(),
  /** Optimistic concurrency: a save must name the version it edited. */
  version: z.number().int().positive(),
  /** Shanghai calendar year the note counts for (the year it was first saved). */
  year: z.number().int().min(1970).max(2999),
  memberId: IdSchema,
  branchId: IdSchema,
  review: NoteReviewSchema,
  matches: z.array(NoteMatchSchema).max(20),
  /** Words quoted from a known source text (included in creditedWords). */
  excerptWords: z.number().int().nonnegative().optional(),
  /** Known source texts quoted, with where (notes saved before sources were known have none). */
  excerpts: z.array(NoteExcerptSchema).max(10).optional(),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
  /** Soft delete keeps the ledger explainable; deleted notes credit nothing. */
  deleted: z.boolean().optional()
})

export const NoteSchema = NoteObject.superRefine((n, ctx) => {
  if (n.creditedWords > n.words) {
    ctx.addIssue({ code: 'custom', message: 'creditedWords cannot exceed words', path: ['creditedWords'] })
  }
  if (n.updatedAt < n.createdAt) {
    ctx.addIssue({ code: 'custom', message: 'updatedAt precedes createdAt', path: ['updatedAt'] })
  }
})
export type Note = z.infer<typeof NoteSchema>

/** A note as the functions answer it (save, get, remove, review): its matches reduced to NoteMatchView. */
export const NoteViewSchema = NoteObject.extend({ matches: z.array(NoteMatchViewSchema).max(20) })
export type NoteView = z.infer<typeof NoteViewSchema>

export function matchView(m: NoteMatch): NoteMatchView {
  return { own: isOwnMatch(m), at: m.at, chars: m.chars, ...(m.passages ? { passages: m.passages.map((p) => ({ start: p.start, end: p.end })) } : {}) }
}

/** The one place a stored note becomes an answer: matches lose what would name another member. */
export function noteView(note: Note): NoteView {
  return { ...note, matches: note.matches.map(matchView) }
}

/** A note as lists show it: no body, so a year of notes stays a small payload. */
export const NoteSummarySchema = NoteObject.omit({ content: true, matches: true, excerpts: true }).extend({
  matchCount: z.number().int().nonnegative()
})
export type NoteSummary = z.infer<typeof NoteSummarySchema>
