/**
 * What each caller may see of a review. A reviewed member: the people to
 * grade, whether they have graded (yes/no), their own 自我评价 and, once
 * decided, their own outcome. The branch committee besides: how many have
 * graded and who has not yet, everyone's 自我评价 (read at the 组织生活会
 * before deciding) and the outcomes. Nobody: a ballot, or who gave what.
 */
import { AppError } from '../../../src/core/errors'
import { ReviewSchema, ReviewSelfSchema, memberDocId, type Review, type ReviewSaveSelfInput, type ReviewSelf, type ReviewView } from '../../../src/core/functions/review'
import { selfCopiedWords } from '../../../src/core/review/self-copy'
import { lifeMeetingSpan, lifeMeetingsOf } from '../../../src/core/review/meetings'
import { excellentLimit } from '../../../src/core/vocab/review'
import type { z } from '../../../src/core/zod'
import { requireMember } from '../../_shared/caller'
import { fetchAll } from '../../_shared/paging'
import type { Runtime } from '../../_shared/runtime'
import { accessOf, loadReview, type Access } from './load'

async function selfDoc(rt: Runtime, review: Review, memberId: string): Promise<ReviewSelf | null> {
  const { data } = await rt.db.collection('review_selves').doc(memberDocId('self', review._id, memberId)).get()
  return data ? ReviewSelfSchema.parse(data) : null
}

async function selfText(rt: Runtime, review: Review, memberId: string): Promise<string | null> {
  return (await selfDoc(rt, review, memberId))?.text ?? null
}

function outcomeOf(review: Review, memberId: string) {
  const o = review.outcomes.find((x) => x.memberId === memberId)
  return o ? { grade: o.grade, ...(o.reason ? { reason: o.reason } : {}) } : null
}

/** The branch's 组织生活会 of the review's year: where its 会议记录 is kept. */
async function meetingsOf(rt: Runtime, review: Review): Promise<ReviewView['meetings']> {
  const { start, end } = lifeMeetingSpan(review.year)
  const _ = rt.db.command
  const sessions = await fetchAll(
    rt.db.collection('sessions').where({ branchId: review.branchId, startAt: _.gte(start).and(_.lt(end)) }).field({ type: true, status: true, startAt: true, title: true }),
    { cap: 1000 }
  )
  return lifeMeetingsOf(sessions as Array<{ _id: string; type: string; status: string; startAt: number; title: string }>, review.year).map((s) => ({
    sessionId: s._id,
    title: s.title,
    startAt: s.startAt
  }))
}

async function view(rt: Runtime, a: Access): Promise<ReviewView> {
  const { review, caller } = a
  const [voters, meetings] = await Promise.all([
    fetchAll(rt.db.collection('review_voters').where({ reviewId: review._id }).field({ memberId: true }), { cap: 1000 }),
    meetingsOf(rt, review)
  ])
  const voterIds = new Set(voters.map((d) => String(d.memberId)))
  const base = {
    reviewId: review._id,
    branchId: review.branchId,
    branchName: review.branchName,
    year: review.year,
    status: review.status,
    members: review.members,
    excellentShare: review.excellentShare,
    sheetExcellentLimit: excellentLimit(review.members.length - 1, review.excellentShare),
    outcomeExcellentLimit: excellentLimit(review.members.length, review.excellentShare),
    voted: voterIds.size,
    meetings
  }
  const own = a.inReview ? await selfDoc(rt, review, caller._id) : null
  const me = a.inReview
    ? { memberId: caller._id, voted: voterIds.has(caller._id), selfText: own?.text ?? null, selfCopiedWords: own?.copiedWords ?? 0, outcome: outcomeOf(review, caller._id) }
    : null
  if (!a.officer) return { ...base, me, officer: null }
  // Who has not graded yet is shown to the committee while grading is open so
  // they can remind people in person, as at a ballot box where everyone sees
  // who has put in a paper. It cannot link anyone to a sheet: no sheet and no
  // tally is readable until grading closes, and after that only counts are.
  const notYet = review.status === 'open' ? review.members.filter((m) => !voterIds.has(m.id)) : []
  const selves = await fetchAll(rt.db.collection('review_selves').where({ reviewId: review._id }), { cap: 1000 })
  const texts = new Map(selves.map((d) => ReviewSelfSchema.parse(d)).map((s) => [s.memberId, s]))
  return {
    ...base,
    me,
    officer: {
      notYet,
      selves: review.members.filter((m) => texts.has(m.id)).map((m) => ({ memberId: m.id, name: m.name, text: texts.get(m.id)!.text, copiedWords: texts.get(m.id)!.copiedWords ?? 0 })),
      outcomes: review.outcomes.map((o) => ({ memberId: o.memberId, grade: o.grade, ...(o.reason ? { reason: o.reason } : {}) }))
    }
  }
}

export async function getAction(rt: Runtime, input: { reviewId: string }) {
  return { review: await view(rt, await loadReview(rt, input.reviewId)) }
}

/** The latest review of the caller's branch, if it concerns them (reviewed, or its officer). */
export async function currentAction(rt: Runtime) {
  const caller = await requireMember(rt)
  const { data } = await rt.db.collection('reviews').where({ branchId: caller.branchId }).orderBy('year', 'desc').limit(1).get()
  if (!data[0]) return { review: null }
  const a = accessOf(caller, ReviewSchema.parse(data[0]))
  if (!a.inReview && !a.officer) return { review: null }
  return { review: await view(rt, a) }
}

export async function saveSelfAction(rt: Runtime, input: z.infer<typeof ReviewSaveSelfInput>) {
  const { caller, review } = await loadReview(rt, input.reviewId, 'reviewed')
  if (outcomeOf(review, caller._id)) throw new AppError('CONFLICT', '评议结果已经记录，自我评价不能再修改')
  const now = rt.clock.now()
  const id = memberDocId('self', review._id, caller._id)
  // A review's 自我评价 are few and short (≤ REVIEW_MAX_MEMBERS × SELF_TEXT_MAX): compared directly, no index.
  const all = (await fetchAll(rt.db.collection('review_selves').where({ reviewId: review._id }), { cap: 1000 })).map((d) => ReviewSelfSchema.parse(d))
  const before = all.find((s) => s.memberId === caller._id)
  const firstSavedAt = before ? before.firstSavedAt ?? before.updatedAt : now
  const others = all.filter((s) => s.memberId !== caller._id).map((s) => ({ memberId: s.memberId, text: s.text, firstSavedAt: s.firstSavedAt ?? s.updatedAt }))
  const copiedWords = selfCopiedWords(input.text, firstSavedAt, others)
  await rt.db
    .collection('review_selves')
    .doc(id)
    .set({ data: { reviewId: review._id, memberId: caller._id, text: input.text, updatedAt: now, firstSavedAt, copiedWords } })
  return { savedAt: now, copiedWords }
}

/** The caller's own 民主评议 of every year: outcome (once decided) and 自我评价. */
export async function mineAction(rt: Runtime) {
  const caller = await requireMember(rt)
  const branchIds = [...new Set([caller.branchId, ...(caller.branchHistory ?? []).map((h) => h.branchId)])]
  const { data } = await rt.db
    .collection('reviews')
    .where({ branchId: rt.db.command.in(branchIds) })
    .orderBy('year', 'desc')
    .limit(50)
    .get()
  const mine = data.map((d) => ReviewSchema.parse(d)).filter((r) => r.members.some((m) => m.id === caller._id))
  const years = await Promise.all(
    mine.map(async (r) => ({
      reviewId: r._id,
      year: r.year,
      branchName: r.branchName,
      status: r.status,
      outcome: outcomeOf(r, caller._id),
      selfText: await selfText(rt, r, caller._id)
    }))
  )
  return { years }
}
