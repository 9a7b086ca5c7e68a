/**
 * 民主评议党员 through the `review` function (types only from src/core), and
 * the member's unsaved 自我评价 and grade sheet kept on the phone until the
 * server has them.
 */
import type { ReviewView } from '../core/functions/review'
import { GRADES, type Grade } from '../core/vocab/review'
import { clearStoredDraft, readStoredDraft, writeStoredDraft } from './drafts'
import { call } from './index'

export type { ReviewView }
export type ReviewOutcome = { grade: Grade; reason?: string }

export interface TallyResult {
  ballots: number
  shown: boolean
  reason?: string
  rows: Array<{ memberId: string; name: string; counts: Record<Grade, number> }>
}

export interface MyReviewYear {
  reviewId: string
  year: number
  branchName: string
  status: 'open' | 'closed'
  outcome: ReviewOutcome | null
  selfText: string | null
}

export async function currentReview(): Promise<ReviewView | null> {
  return (await call<{ review: ReviewView | null }>('review', 'current', {})).review
}

export async function getReview(reviewId: string): Promise<ReviewView> {
  return (await call<{ review: ReviewView }>('review', 'get', { reviewId })).review
}

export function openReview(branchId: string, year: number): Promise<{ reviewId: string; members: number }> {
  return call('review', 'open', { branchId, year })
}

export function saveSelfEvaluation(reviewId: string, text: string): Promise<{ savedAt: number; copiedWords: number }> {
  return call('review', 'saveSelf', { reviewId, text })
}

export function submitGrades(reviewId: string, sheet: Record<string, Grade>): Promise<{ voted: true }> {
  return call('review', 'grade', { reviewId, sheet })
}

export function closeGrading(reviewId: string): Promise<{ closed: true; voted: number }> {
  return call('review', 'closeGrading', { reviewId })
}

export function reviewTally(reviewId: string): Promise<TallyResult> {
  return call('review', 'tally', { reviewId })
}

export function decideOutcomes(reviewId: string, outcomes: Record<string, ReviewOutcome>): Promise<{ decided: number; of: number }> {
  return call('review', 'decide', { reviewId, outcomes })
}

export async function myReviews(): Promise<MyReviewYear[]> {
  return (await call<{ years: MyReviewYear[] }>('review', 'mine', {})).years
}

const selfKey = (reviewId: string) => `review.self.${reviewId}`
const isText = (v: unknown): v is string => typeof v === 'string' && v.length > 0

export const readSelfDraft = (reviewId: string): string | null => readStoredDraft(selfKey(reviewId), isText)
export const writeSelfDraft = (reviewId: string, text: string): void => writeStoredDraft(selfKey(reviewId), text)
export const clearSelfDraft = (reviewId: string): void => clearStoredDraft(selfKey(reviewId))

/**
 * A sheet half filled is kept on the phone too (a branch of thirty is a few
 * minutes' work), and cleared once submitted: it is the member's own choice
 * on the member's own phone, never sent anywhere but with the ballot.
 */
const sheetKey = (reviewId: string) => `review.sheet.${reviewId}`
const isSheet = (v: unknown): v is Record<string, Grade> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((g) => typeof g === 'string' && (GRADES as readonly string[]).includes(g))

export const readSheetDraft = (reviewId: string): Record<string, Grade> | null => readStoredDraft(sheetKey(reviewId), isSheet)
export const writeSheetDraft = (reviewId: string, sheet: Record<string, Grade>): void => writeStoredDraft(sheetKey(reviewId), sheet)
export const clearSheetDraft = (reviewId: string): void => clearStoredDraft(sheetKey(reviewId))
