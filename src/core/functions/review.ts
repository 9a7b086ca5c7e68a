/**
 * The `review` function: 组织生活会 and 民主评议党员, once a year per branch.
 * The officers open the year's review (a snapshot of who is reviewed), each
 * member writes a 自我评价 and grades the others secretly, the officers close
 * the grading and read the tally, and the branch committee records one
 * outcome per member, which goes into the 个人档案.
 *
 * Secrecy is kept by storage, not by screens: a ballot (ReviewBallotSchema)
 * holds the sheet only, with a random id, no grader and no time; the fact
 * that a member voted is a separate marker. No answer carries a grader next
 * to a grade.
 */
import { z } from '../zod'
import { deriveId } from '../ids'
import { IdSchema, TimestampSchema, lineText, multilineText } from '../schemas/common'
import { GRADES, OUTCOME_REASON_MAX, SELF_TEXT_MAX, type Grade } from '../vocab/review'

export const GradeSchema = z.enum(GRADES)

/** At most this many people in one review: a branch is far smaller (党章: 50 and more split into branches). */
export const REVIEW_MAX_MEMBERS = 300

const Sheet = z
  .record(IdSchema, GradeSchema)
  .refine((s) => Object.keys(s).length <= REVIEW_MAX_MEMBERS, { message: 'too many entries' })

export const ReviewOpenInput = z.object({ branchId: IdSchema, year: z.number().int().min(2000).max(2999) }).strict()
export const ReviewIdInput = z.object({ reviewId: IdSchema }).strict()
export const ReviewCurrentInput = z.object({}).strict()
export const ReviewSaveSelfInput = z.object({ reviewId: IdSchema, text: multilineText(SELF_TEXT_MAX) }).strict()
export const ReviewGradeInput = z.object({ reviewId: IdSchema, sheet: Sheet }).strict()

export const OutcomeSchema = z.object({ grade: GradeSchema, reason: lineText(OUTCOME_REASON_MAX).optional() }).strict()
export const ReviewDecideInput = z
  .object({
    reviewId: IdSchema,
    /** Some or all of the review's members; a member sent again is corrected. */
    outcomes: z
      .record(IdSchema, OutcomeSchema)
      .refine((o) => Object.keys(o).length >= 1 && Object.keys(o).length <= REVIEW_MAX_MEMBERS, { message: 'one to 300 outcomes' })
  })
  .strict()
export const ReviewMineInput = z.object({}).strict()

export const ReviewInputs = {
  open: ReviewOpenInput,
  current: ReviewCurrentInput,
  get: ReviewIdInput,
  saveSelf: ReviewSaveSelfInput,
  grade: ReviewGradeInput,
  closeGrading: ReviewIdInput,
  tally: ReviewIdInput,
  decide: ReviewDecideInput,
  mine: ReviewMineInput
} as const

/** One branch's review of one year, at a deterministic id (reviewId), so a branch-year has one. */
export const ReviewSchema = z.object({
  _id: IdSchema,
  branchId: IdSchema,
  branchName: z.string(),
  orgPath: z.array(IdSchema).min(1).max(8),
  year: z.number().int(),
  status: z.enum(['open', 'closed']),
  /** Who is reviewed, as they were when it opened (a later transfer does not change the sheet). */
  members: z.array(z.object({ id: IdSchema, name: z.string() })).max(REVIEW_MAX_MEMBERS),
  /** The 优秀 share in force when it opened, so a settings change mid-way does not move the limit. */
  excellentShare: z.number(),
  openedBy: IdSchema,
  openedAt: TimestampSchema,
  closedBy: IdSchema.optional(),
  closedAt: TimestampSchema.optional(),
  /** The committee's outcomes, one per member decided (a list: member ids are not safe as field names). */
  outcomes: z.array(OutcomeSchema.extend({ memberId: IdSchema, decidedAt: TimestampSchema, decidedBy: IdSchema })).default([])
})
export type Review = z.infer<typeof ReviewSchema>

/** A ballot: the sheet and the review it belongs to. Deliberately nothing else (no grader, no time). */
export const ReviewBallotSchema = z.object({ _id: IdSchema, reviewId: IdSchema, sheet: z.record(IdSchema, GradeSchema) }).strict()

/** That a member has voted, at `${reviewId}:${memberId}`; says nothing of how. */
export const ReviewVoterSchema = z.object({ _id: IdSchema, reviewId: IdSchema, memberId: IdSchema }).strict()

/** A member's 自我评价, at `${reviewId}:${memberId}`. */
export const ReviewSelfSchema = z.object({
  _id: IdSchema,
  reviewId: IdSchema,
  memberId: IdSchema,
  text: z.string(),
  updatedAt: TimestampSchema,
  /** First saved (kept across edits): who wrote first, for the copy check. Absent on texts saved before it existed. */
  firstSavedAt: TimestampSchema.optional(),
  /** Words found in colleagues' 自我评价 first saved earlier (core/review/self-copy.ts), as of the last save. */
  copiedWords: z.number().int().nonnegative().optional()
})
export type ReviewSelf = z.infer<typeof ReviewSelfSchema>

export function reviewId(branchId: string, year: number): string {
  return deriveId('rv', branchId, String(year))
}

/** A member's marker or 自我评价 in a review; `kind` keeps the two id spaces apart. */
export function memberDocId(kind: 'voted' | 'self', reviewId: string, memberId: string): string {
  return deriveId(kind, reviewId.replace(/:/g, '.'), memberId)
}

/** What review.get / review.current answer (views.ts): no ballot, no grader anywhere in it. */
export interface ReviewView {
  reviewId: string
  branchId: string
  branchName: string
  year: number
  status: 'open' | 'closed'
  members: Array<{ id: string; name: string }>
  excellentShare: number
  /** 优秀 allowed on one sheet: the others of the review, not oneself. */
  sheetExcellentLimit: number
  /** 优秀 allowed in the committee's outcomes: everyone reviewed. */
  outcomeExcellentLimit: number
  /** How many have graded. */
  voted: number
  /** The branch's 组织生活会 of this year (sessions of type life_meeting), whose 会议记录 goes with the review. */
  meetings: Array<{ sessionId: string; title: string; startAt: number }>
  /** The caller's own part; null when they are not reviewed (an admin above the branch). */
  me: { memberId: string; voted: boolean; selfText: string | null; selfCopiedWords: number; outcome: { grade: Grade; reason?: string } | null } | null
  /** The branch committee's view; null for everyone else. */
  officer: {
    notYet: Array<{ id: string; name: string }>
    selves: Array<{ memberId: string; name: string; text: string; copiedWords: number }>
    outcomes: Array<{ memberId: string; grade: Grade; reason?: string }>
  } | null
}
