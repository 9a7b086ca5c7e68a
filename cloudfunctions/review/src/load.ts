import { AppError } from '../../../src/core/errors'
import { ReviewSchema, type Review } from '../../../src/core/functions/review'
import type { Member } from '../../../src/core/schemas/member'
import { isBranchOfficer, requireMember } from '../../_shared/caller'
import type { Runtime } from '../../_shared/runtime'

export const NOT_YOURS = '您不在这次民主评议之中'
export const OFFICERS_ONLY = '只有本支部书记、支委可以办理'

export interface Access {
  caller: Member
  review: Review
  /** One of the people reviewed (and so a grader). */
  inReview: boolean
  /** The branch committee (secretary, 支委) or an admin above the branch. */
  officer: boolean
}

export function accessOf(caller: Member, review: Review): Access {
  return {
    caller,
    review,
    inReview: review.members.some((m) => m.id === caller._id),
    officer: isBranchOfficer(caller, { _id: review.branchId, path: review.orgPath })
  }
}

export async function readReview(rt: Runtime, reviewId: string): Promise<Review | null> {
  const { data } = await rt.db.collection('reviews').doc(reviewId).get()
  return data ? ReviewSchema.parse(data) : null
}

/**
 * The review when the caller is in it or is its branch's officer. A missing
 * id and another branch's review get the same refusal, so ids cannot be probed.
 */
export async function loadReview(rt: Runtime, reviewId: string, need: 'seen' | 'officer' | 'reviewed' = 'seen'): Promise<Access> {
  const caller = await requireMember(rt)
  const review = await readReview(rt, reviewId)
  const access = review ? accessOf(caller, review) : null
  if (!access || (!access.inReview && !access.officer)) throw new AppError('FORBIDDEN', NOT_YOURS)
  if (need === 'officer' && !access.officer) throw new AppError('FORBIDDEN', OFFICERS_ONLY)
  if (need === 'reviewed' && !access.inReview) throw new AppError('FORBIDDEN', NOT_YOURS)
  return access
}
