/**
 * Telling a member what was decided (leave, note review, make-up, join,
 * an answer to their 意见建议): one inbox entry, and a WeChat subscribe
 * message where they have an `outcome` subscription left.
 *
 * Called AFTER the decision's transaction has committed, never inside it:
 * CloudBase transactions hold a few documents for a short time, and a
 * notification that fails must not undo a decision. So every helper here
 * catches everything and logs it; the decision stands.
 *
 * The entry's id is derived from the decision (fact, outcome, decision time),
 * so a retried call adds nothing and pushes nothing a second time.
 *
 * The daily limit and quiet hours apply as for reminders, but only to the
 * WeChat copy: the inbox entry shows at once (it is the member's own
 * business, not a nag). When quiet hours hold the push, it goes into a
 * companion delivery that the inbox never shows (inApp.delivered false),
 * which the morning run (cron held.ts) sends at 07:00 like any held reminder.
 */
import { deriveId } from '../../src/core/ids'
import { admitReminder, shanghaiDay } from '../../src/core/remind/limits'
import { outcomeMessage, outcomeWechatData, type OutcomeEvent } from '../../src/core/remind/outcomes'
import type { LeaveRequest, Makeup } from '../../src/core/schemas/checkin'
import type { Review } from '../../src/core/functions/review'
import type { Note } from '../../src/core/schemas/note'
import { deliveryId, type Delivery } from '../../src/core/schemas/reminder'
import type { Session } from '../../src/core/schemas/session'
import { addIfAbsent } from './db'
import type { Runtime } from './runtime'
import { inBatches, pushWechat } from './wechat'

interface Links {
  sessionId?: string
  noteId?: string
  reviewId?: string
}

async function sentToday(rt: Runtime, memberId: string, now: number): Promise<number> {
  const _ = rt.db.command
  const { start, end } = shanghaiDay(now)
  const { data } = await rt.db
    .collection('deliveries')
    .where({ memberId, deliverAt: _.gte(start).and(_.lt(end)) })
    .field({ wechat: true })
    .limit(100)
    .get()
  return data.filter((d) => (d.wechat as { status?: string } | undefined)?.status !== 'rate_limited').length
}

async function deliver(rt: Runtime, memberId: string, event: OutcomeEvent, links: Links): Promise<void> {
  const { data: member } = await rt.db.collection('members').doc(memberId).get()
  if (!member) return
  const now = rt.clock.now()
  const msg = outcomeMessage(event)
  const reminderId = deriveId('oc', msg.key)
  const id = deliveryId(reminderId, memberId)
  const admit = admitReminder({ now, sentToday: await sentToday(rt, memberId, now), urgent: false })
  const wechatData = outcomeWechatData(msg, now)
  const base = {
    reminderId,
    memberId,
    branchId: String(member.branchId),
    title: msg.title,
    kind: msg.kind,
    ...(links.sessionId ? { sessionId: links.sessionId } : {}),
    ...(links.noteId ? { noteId: links.noteId } : {}),
    ...(links.reviewId ? { reviewId: links.reviewId } : {}),
    createdAt: now
  }
  const entry: Delivery = {
    ...base,
    _id: id,
    body: msg.body,
    inApp: { delivered: true },
    deliverAt: now,
    // held: the companion below carries the push (this entry must not look held, or the morning run
    // would claim it); rate_limited: no push today, the inbox has it.
    wechat: { status: admit.status === 'rate_limited' ? 'rate_limited' : 'not_attempted' }
  }
  // An entry already there means this decision was told before: nothing more, not even a push.
  if (!(await addIfAbsent(rt.db.collection('deliveries'), entry))) return
  if (admit.status === 'held') {
    await addIfAbsent(rt.db.collection('deliveries'), {
      ...base,
      _id: deliveryId(reminderId, `${memberId}.wx`),
      inApp: { delivered: false },
      deliverAt: admit.deliverAt,
      held: { template: 'outcome', data: wechatData },
      wechat: { status: 'held' }
    })
    return
  }
  if (admit.status !== 'now') return
  const openid = typeof member.openid === 'string' ? member.openid : null
  const wechat = await pushWechat(rt, { memberId, openid }, 'outcome', wechatData, now)
  if (wechat.status !== 'not_attempted') await rt.db.collection('deliveries').doc(id).update({ data: { wechat } })
}

/** Never throws: a decision already committed stands whatever happens to its message. */
export async function notifyOutcome(rt: Runtime, memberId: string, event: OutcomeEvent, links: Links = {}): Promise<void> {
  try {
    await deliver(rt, memberId, event, links)
  } catch (err) {
    rt.log('warn', 'outcome message not written', { memberId, kind: event.kind, error: err instanceof Error ? err.message : String(err) })
  }
}

/** decideLeave: approved or refused, with the officer's note. */
export function notifyLeave(rt: Runtime, leave: LeaveRequest, session: Pick<Session, '_id' | 'title' | 'startAt'>): Promise<void> {
  if ((leave.status !== 'approved' && leave.status !== 'refused') || leave.decidedAt === undefined) return Promise.resolve()
  const event: OutcomeEvent = { kind: 'leave', leaveId: leave._id, status: leave.status, sessionTitle: session.title, startAt: session.startAt, note: leave.decisionNote, decidedAt: leave.decidedAt }
  return notifyOutcome(rt, leave.memberId, event, { sessionId: session._id })
}

/** note.review: passed or returned, with the comment. */
export function notifyNoteReview(rt: Runtime, note: Pick<Note, '_id' | 'memberId' | 'title' | 'review'>): Promise<void> {
  const r = note.review
  if ((r.status !== 'passed' && r.status !== 'returned') || r.at === undefined) return Promise.resolve()
  return notifyOutcome(rt, note.memberId, { kind: 'note', noteId: note._id, status: r.status, noteTitle: note.title, comment: r.comment, at: r.at }, { noteId: note._id })
}

/** assignMakeUp: each member with work still to hand in hears of it and its deadline. */
export async function notifyMakeupsAssigned(rt: Runtime, makeups: readonly Makeup[], session: Pick<Session, '_id' | 'title'>): Promise<void> {
  const owed = makeups.filter((m) => m.status === 'assigned' || m.status === 'returned')
  await inBatches(owed, 10, (m) =>
    notifyOutcome(rt, m.memberId, { kind: 'makeup_assigned', makeupId: m._id, sessionTitle: session.title, deadline: m.deadline }, { sessionId: session._id })
  )
}

/** reviewMakeUp: accepted or returned, with the officer's note. */
export function notifyMakeupReview(rt: Runtime, makeup: Makeup, session: Pick<Session, '_id' | 'title'>, note?: string): Promise<void> {
  if ((makeup.status !== 'accepted' && makeup.status !== 'returned') || makeup.reviewedAt === undefined) return Promise.resolve()
  const event: OutcomeEvent = { kind: 'makeup_reviewed', makeupId: makeup._id, status: makeup.status, sessionTitle: session.title, note, at: makeup.reviewedAt }
  return notifyOutcome(rt, makeup.memberId, event, makeup.noteId ? { noteId: makeup.noteId } : { sessionId: session._id })
}

/** confirmMember (accept): welcome to the branch. */
export function notifyJoined(rt: Runtime, memberId: string, branch: { name: string }): Promise<void> {
  return notifyOutcome(rt, memberId, { kind: 'joined', memberId, branchName: branch.name })
}

/**
 * review.open: each member reviewed hears that the year's 民主评议 has begun,
 * except the officer who opened it. In batches of 10, as for make-ups.
 *
 * Cost (measured in test/functions/review-notices.test.ts): 5 database calls a
 * member, one after the other (member read, today's count, inbox entry,
 * subscription taken or found spent, WeChat result written), 6 where a push
 * goes out. For 100 members, 99 told, plus open's own 10 calls: at most
 * 10 + 99 x 6 = 604 calls, 6.0 s at 10 ms even one at a time; in batches of
 * 10 about (10 + 10 x 6) x 10 ms = 0.7 s. Either way inside review's 20 s.
 */
export async function notifyReviewOpened(rt: Runtime, review: Pick<Review, '_id' | 'year' | 'branchName' | 'members'>, openerId: string): Promise<void> {
  const told = review.members.filter((m) => m.id !== openerId)
  await inBatches(told, 10, (m) =>
    notifyOutcome(rt, m.id, { kind: 'review_opened', reviewId: review._id, year: review.year, branchName: review.branchName }, { reviewId: review._id })
  )
}

/**
 * review.decide: each member whose outcome was new or changed hears that it is
 * recorded (never what it is). The caller chooses who; the same cost as above.
 */
export async function notifyReviewDecided(
  rt: Runtime,
  review: Pick<Review, '_id' | 'year'>,
  decided: ReadonlyArray<{ memberId: string; decidedAt: number; changed: boolean }>
): Promise<void> {
  await inBatches(decided, 10, (d) =>
    notifyOutcome(
      rt,
      d.memberId,
      { kind: 'review_decided', reviewId: review._id, memberId: d.memberId, year: review.year, at: d.decidedAt, ...(d.changed ? { changed: true } : {}) },
      { reviewId: review._id }
    )
  )
}
