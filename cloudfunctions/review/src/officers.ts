/**
 * The branch committee's steps: open the year's review, close the grading,
 * record the outcomes. Each is audited; none touches a ballot.
 */
import { AppError } from '../../../src/core/errors'
import { reviewId, type Review, type ReviewDecideInput, type ReviewIdInput, type ReviewOpenInput } from '../../../src/core/functions/review'
import { periodKeysOf } from '../../../src/core/period'
import { checkOutcomes, type Outcome } from '../../../src/core/review/grades'
import { MemberSchema } from '../../../src/core/schemas/member'
import type { z } from '../../../src/core/zod'
import { addAudit } from '../../_shared/audit'
import { loadOfficerBranch, requireMember } from '../../_shared/caller'
import { withoutId } from '../../_shared/db'
import { notifyReviewDecided, notifyReviewOpened } from '../../_shared/notify-outcome'
import { fetchAll } from '../../_shared/paging'
import type { Runtime } from '../../_shared/runtime'
import { settingsFor } from '../../_shared/settings'
import { votedCount } from './ballots'
import { loadReview, OFFICERS_ONLY } from './load'

/**
 * Who is reviewed: every confirmed, active member of the branch when it
 * opens. Nobody is left out for an exemption (org/exemption.ts): those
 * spare a member quotas, warnings and rankings, while 民主评议 is every
 * member's right and duty under the 党章; a member who cannot take part in
 * person is still graded, and may grade from the phone or not at all.
 */
export async function openAction(rt: Runtime, input: z.infer<typeof ReviewOpenInput>) {
  const officer = await requireMember(rt)
  const branch = await loadOfficerBranch(rt, officer, input.branchId, OFFICERS_ONLY)
  const now = rt.clock.now()
  const thisYear = Number(periodKeysOf(now).year)
  // The review of a year is usually held early in the next one (the 组织生活会 in January or February).
  if (input.year !== thisYear && input.year !== thisYear - 1) {
    throw new AppError('INVALID_INPUT', `只能开启 ${thisYear - 1} 或 ${thisYear} 年度的民主评议`, { field: 'year' })
  }
  // `active` and `joinStatus` are read after parsing: documents from before those fields hold neither and mean yes.
  const docs = await fetchAll(rt.db.collection('members').where({ branchId: branch._id }), { cap: 1000 })
  const members = docs
    .map((d) => MemberSchema.parse(d))
    .filter((m) => m.active && m.joinStatus !== 'pending')
    .sort((a, b) => a.name.localeCompare(b.name, 'zh-Hans-CN') || (a._id < b._id ? -1 : 1))
    .map((m) => ({ id: m._id, name: m.name }))
  if (members.length < 2) throw new AppError('INVALID_INPUT', '支部至少要有两名党员才能开展互评')
  const settings = await settingsFor(rt, branch.path)
  const review: Review = {
    _id: reviewId(branch._id, input.year),
    branchId: branch._id,
    branchName: branch.name,
    orgPath: branch.path,
    year: input.year,
    status: 'open',
    members,
    excellentShare: settings.reviewExcellentShare,
    openedBy: officer._id,
    openedAt: now,
    outcomes: []
  }
  await rt.db.runTransaction(async (t) => {
    const { data } = await t.collection('reviews').doc(review._id).get()
    if (data) throw new AppError('CONFLICT', `${input.year} 年度的民主评议已经开启过了`)
    await t.collection('reviews').doc(review._id).set({ data: withoutId(review) })
    await addAudit(t, { actor: officer._id, action: 'review.open', target: { type: 'review', id: review._id }, orgId: branch._id, at: now, detail: { members: members.length } })
  })
  // Only once the open has committed: a refused or failed open tells nobody (a CONFLICT has thrown above).
  await notifyReviewOpened(rt, review, officer._id)
  return { reviewId: review._id, members: members.length }
}

export async function closeGradingAction(rt: Runtime, input: z.infer<typeof ReviewIdInput>) {
  const { caller, review } = await loadReview(rt, input.reviewId, 'officer')
  const now = rt.clock.now()
  await rt.db.runTransaction(async (t) => {
    const { data } = await t.collection('reviews').doc(review._id).get()
    if (!data || data.status !== 'open') throw new AppError('CONFLICT', '评议已经结束了')
    await t.collection('reviews').doc(review._id).update({ data: { status: 'closed', closedBy: caller._id, closedAt: now } })
    await addAudit(t, { actor: caller._id, action: 'review.close', target: { type: 'review', id: review._id }, orgId: review.branchId, at: now })
  })
  return { closed: true, voted: await votedCount(rt, review._id) }
}

export async function decideAction(rt: Runtime, input: z.infer<typeof ReviewDecideInput>) {
  const { caller, review } = await loadReview(rt, input.reviewId, 'officer')
  if (review.status !== 'closed') throw new AppError('CONFLICT', '请先结束评议，再记录评议结果')
  const now = rt.clock.now()
  const ids = review.members.map((m) => m.id)
  const saved = await rt.db.runTransaction(async (t) => {
    // The outcomes in force, read inside the transaction so two officers saving at once cannot both pass the 优秀 limit.
    const { data } = await t.collection('reviews').doc(review._id).get()
    const before = (data?.outcomes as Review['outcomes'] | undefined) ?? []
    const merged: Record<string, Outcome> = {}
    for (const o of before) merged[o.memberId] = { grade: o.grade, ...(o.reason ? { reason: o.reason } : {}) }
    for (const [id, o] of Object.entries(input.outcomes)) merged[id] = { grade: o.grade, ...(o.reason ? { reason: o.reason } : {}) }
    const checked = checkOutcomes(merged, { members: ids, excellentShare: review.excellentShare })
    if (!checked.ok) throw new AppError(checked.error.code, checked.error.message, checked.error.details)
    const prior = new Map(before.map((o) => [o.memberId, o]))
    // The committee's page saves every row each time: a row sent again as it was is no new decision,
    // so it keeps its time and author, and its member is not told again.
    const same = (id: string) => {
      const p = prior.get(id)
      return p !== undefined && p.grade === merged[id].grade && (p.reason ?? '') === (merged[id].reason ?? '')
    }
    const moved = Object.keys(input.outcomes).filter((id) => !same(id))
    const movedSet = new Set(moved)
    const kept = before.filter((o) => !movedSet.has(o.memberId))
    const added = moved.map((memberId) => ({ memberId, ...merged[memberId], decidedAt: now, decidedBy: caller._id }))
    // In the review's member order, so the page and the archive read them the same way.
    const outcomes = [...kept, ...added].sort((a, b) => ids.indexOf(a.memberId) - ids.indexOf(b.memberId))
    if (moved.length > 0) await t.collection('reviews').doc(review._id).update({ data: { outcomes } })
    await addAudit(t, {
      actor: caller._id,
      action: 'review.decide',
      target: { type: 'review', id: review._id },
      orgId: review.branchId,
      at: now,
      detail: { members: Object.keys(input.outcomes).length, corrected: moved.filter((id) => prior.has(id)).length }
    })
    return { outcomes, moved: moved.map((memberId) => ({ memberId, decidedAt: now, changed: prior.has(memberId) })) }
  })
  // After the commit, and not to the officer saving their own outcome: they know it already.
  await notifyReviewDecided(rt, review, saved.moved.filter((d) => d.memberId !== caller._id))
  return { decided: saved.outcomes.length, of: ids.length }
}
