/**
 * Grading and the tally: where 民主评议's secrecy lives.
 *
 * A ballot is stored apart from the fact that its grader voted. The ballot
 * (review_ballots) holds the review id and the sheet — a random id (not
 * time-ordered, not derived from the voter), no grader, no timestamp. The
 * marker (review_voters, at a deterministic id from review and member) holds
 * only that this member voted. Both are written in one transaction, so a
 * member votes once and a ballot never exists without its marker; but once
 * written nothing joins them, and the secretary, reading the database
 * itself, sees a pile of unsigned sheets and a list of who took part — as
 * with a paper ballot box.
 *
 * What this does not hide: someone holding the raw database files could
 * compare the storage order of ballots and markers. That is an operator
 * with the whole database, outside what any answer can reach; no API
 * answer exposes either order (ballots are read by their random ids).
 *
 * The tally is read only after grading closes: while open, an officer who
 * read it before and after one member's vote could tell that member's sheet
 * by the difference. And it is withheld below MIN_BALLOTS_FOR_TALLY, where
 * the tally would be one or two people's sheets.
 */
import { randomBytes } from 'crypto'
import { AppError } from '../../../src/core/errors'
import { ReviewBallotSchema, memberDocId, type ReviewGradeInput, type ReviewIdInput } from '../../../src/core/functions/review'
import { checkGradeSheet, tallyGrades, tallyShown } from '../../../src/core/review/grades'
import { MIN_BALLOTS_FOR_TALLY } from '../../../src/core/vocab/review'
import type { z } from '../../../src/core/zod'
import { addAudit } from '../../_shared/audit'
import { fetchAll } from '../../_shared/paging'
import type { Runtime } from '../../_shared/runtime'
import { loadReview } from './load'

const CLOSED = '评议已经结束，不能再评定了'

export async function gradeAction(rt: Runtime, input: z.infer<typeof ReviewGradeInput>) {
  const { caller, review } = await loadReview(rt, input.reviewId, 'reviewed')
  if (review.status !== 'open') throw new AppError('CONFLICT', CLOSED)
  const checked = checkGradeSheet(input.sheet, { graderId: caller._id, members: review.members.map((m) => m.id), excellentShare: review.excellentShare })
  if (!checked.ok) throw new AppError(checked.error.code, checked.error.message, checked.error.details)
  const voterId = memberDocId('voted', review._id, caller._id)
  // Crypto-random: neither the time nor the voter can be read back out of it.
  const ballotId = `rb_${randomBytes(12).toString('hex')}`
  await rt.db.runTransaction(async (t) => {
    // Read inside the transaction: closing wins over a vote that arrives after it.
    const { data: now } = await t.collection('reviews').doc(review._id).get()
    if (!now || now.status !== 'open') throw new AppError('CONFLICT', CLOSED)
    const { data: voted } = await t.collection('review_voters').doc(voterId).get()
    if (voted) throw new AppError('CONFLICT', '您已经评定过了，每人只评定一次')
    await t.collection('review_voters').doc(voterId).set({ data: { reviewId: review._id, memberId: caller._id } })
    await t.collection('review_ballots').add({ data: { _id: ballotId, reviewId: review._id, sheet: checked.data } })
  })
  // Nothing about the ballot comes back: not its id, not the sheet.
  return { voted: true }
}

/** Ballots of a review, sheets only (they carry nothing else). Ordered by their random ids, i.e. in no telling order. */
export async function ballotsOf(rt: Runtime, reviewId: string) {
  const docs = await fetchAll(rt.db.collection('review_ballots').where({ reviewId }), { cap: 1000 })
  return docs.map((d) => ReviewBallotSchema.parse(d).sheet)
}

export async function votedCount(rt: Runtime, reviewId: string): Promise<number> {
  const { total } = await rt.db.collection('review_voters').where({ reviewId }).count()
  return total
}

export async function tallyAction(rt: Runtime, input: z.infer<typeof ReviewIdInput>) {
  const { caller, review } = await loadReview(rt, input.reviewId, 'officer')
  if (review.status !== 'closed') throw new AppError('CONFLICT', '评议结束后才能看到汇总')
  const sheets = await ballotsOf(rt, review._id)
  // Who read the branch's tally, and when, is on record like the officers' other steps.
  const at = rt.clock.now()
  await rt.db.runTransaction((t) => addAudit(t, { actor: caller._id, action: 'review.tally', target: { type: 'review', id: review._id }, orgId: review.branchId, at }))
  const members = review.members.map((m) => m.id)
  if (!tallyShown(sheets.length)) {
    return { ballots: sheets.length, shown: false, reason: `收回的评议票少于 ${MIN_BALLOTS_FOR_TALLY} 张，为保护评议人，不显示汇总`, rows: [] }
  }
  const counts = tallyGrades(sheets, members)
  return {
    ballots: sheets.length,
    shown: true,
    rows: review.members.map((m) => ({ memberId: m.id, name: m.name, counts: counts[m.id] }))
  }
}
