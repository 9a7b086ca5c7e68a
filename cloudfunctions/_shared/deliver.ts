/**
 * Delivering a reminder, whoever sent it (a secretary's `remind.send` or the
 * schedule's `cron.reminders`): the reminder and one delivery per recipient
 * commit together under the reminder's derived id, so a repeat is a no-op;
 * the daily limit and quiet hours are applied per recipient across every
 * source; WeChat is tried afterwards and whatever it answers is written back
 * to the delivery — the inbox never waits on it.
 */
import { admitReminder, shanghaiDay } from '../../src/core/remind/limits'
import type { AudienceMember } from '../../src/core/remind/audience'
import { wechatData } from '../../src/core/remind/templates'
import { deliveryId, type Delivery, type Reminder } from '../../src/core/schemas/reminder'
import type { Member } from '../../src/core/schemas/member'
import type { Session } from '../../src/core/schemas/session'
import { addAudit } from './audit'
import { addIfAbsent, isDuplicateId } from './db'
import { fetchAll } from './paging'
import type { Runtime } from './runtime'
import { inBatches, pushWechat } from './wechat'

const HOUR_MS = 60 * 60 * 1000

export interface SendSummary {
  reminderId: string
  recipients: number
  delivered: number
  held: number
  rateLimited: number
  wechatSent: number
  wechatFailed: number
  noBudget: number
  duplicate: boolean
}

/** The answer to a send, counted from its deliveries, so a resend answers exactly what the first send recorded. */
export function tally(reminderId: string, deliveries: Pick<Delivery, 'wechat'>[], duplicate: boolean): SendSummary {
  const count = (s: Delivery['wechat']['status']) => deliveries.filter((d) => d.wechat.status === s).length
  const held = count('held')
  const rateLimited = count('rate_limited')
  return {
    reminderId,
    recipients: deliveries.length,
    delivered: deliveries.length - held - rateLimited,
    held,
    rateLimited,
    wechatSent: count('sent'),
    wechatFailed: count('failed'),
    noBudget: count('no_budget'),
    duplicate
  }
}

/** What an earlier send under the same id recorded, or null when there was none. */
export async function previousSend(rt: Runtime, reminderId: string): Promise<SendSummary | null> {
  const { data } = await rt.db.collection('reminders').doc(reminderId).get()
  if (!data) return null
  const docs = await fetchAll(rt.db.collection('deliveries').where({ reminderId }), { cap: 20000 })
  return tally(reminderId, docs as unknown as Delivery[], true)
}

/** Reminders of a make-up carry its deadline; the earliest pending one when several. */
async function makeupDeadlines(rt: Runtime, branchId: string, sessionId: string | undefined): Promise<Map<string, number>> {
  const _ = rt.db.command
  const where = sessionId ? { sessionId, status: _.in(['assigned', 'returned']) } : { branchId, status: _.in(['assigned', 'returned']) }
  const docs = await fetchAll(rt.db.collection('makeups').where(where).field({ memberId: true, deadline: true }), { cap: 50000 })
  const out = new Map<string, number>()
  for (const d of docs) {
    const id = String(d.memberId)
    const at = Number(d.deadline)
    if (Number.isFinite(at) && (!out.has(id) || at < out.get(id)!)) out.set(id, at)
  }
  return out
}

/** Deliveries each recipient already has today (Shanghai), rate-limited ones not counted. */
async function sentToday(rt: Runtime, memberIds: string[], now: number): Promise<Map<string, number>> {
  const _ = rt.db.command
  const { start, end } = shanghaiDay(now)
  const out = new Map<string, number>()
  for (let i = 0; i < memberIds.length; i += 500) {
    const docs = await fetchAll(
      rt.db
        .collection('deliveries')
        .where({ memberId: _.in(memberIds.slice(i, i + 500)), deliverAt: _.gte(start).and(_.lt(end)) })
        .field({ memberId: true, wechat: true }),
      { cap: 50000 }
    )
    for (const d of docs) {
      if ((d.wechat as { status?: string } | undefined)?.status === 'rate_limited') continue
      out.set(String(d.memberId), (out.get(String(d.memberId)) ?? 0) + 1)
    }
  }
  return out
}

export interface DeliverInput {
  /** Everything but the recipient count, which is counted here. */
  reminder: Omit<Reminder, 'recipientCount'>
  recipients: AudienceMember[]
  /** The branch's member docs, for their openids. */
  members: Member[]
  session?: Session
  /** A secretary's send is audited; the schedule's is recorded by its key. */
  auditBy?: { actor: string; orgId: string; audience: string }
  now: number
}

/**
 * Records the reminder and its deliveries, then tries WeChat for those due
 * now. An empty audience is recorded too (recipientCount 0), so the schedule
 * does not re-ask the same question on every tick.
 */
export async function deliverReminder(rt: Runtime, input: DeliverInput): Promise<SendSummary> {
  const { recipients, members, session, now } = input
  const reminder: Reminder = { ...input.reminder, recipientCount: recipients.length }
  const reminderId = reminder._id
  const soon = session !== undefined && session.startAt >= now && session.startAt - now <= HOUR_MS
  const urgent = reminder.template === 'session_soon' || soon
  const today = await sentToday(rt, recipients.map((m) => m._id), now)
  const template = reminder.template
  const deadlines = template === 'makeup_due' ? await makeupDeadlines(rt, reminder.branchId, reminder.sessionId) : new Map<string, number>()
  const payload = (memberId: string) =>
    template
      ? wechatData(template, {
          title: reminder.title,
          body: reminder.body,
          startAt: session?.startAt,
          venue: session?.venue.name,
          deadline: deadlines.get(memberId)
        })
      : undefined

  const deliveries: Delivery[] = recipients.map((m) => {
    const admit = admitReminder({ now, sentToday: today.get(m._id) ?? 0, urgent })
    const status = admit.status === 'now' ? 'not_attempted' : admit.status
    const data = admit.status === 'held' ? payload(m._id) : undefined
    return {
      _id: deliveryId(reminderId, m._id),
      reminderId,
      memberId: m._id,
      branchId: reminder.branchId,
      title: reminder.title,
      kind: reminder.kind,
      inApp: { delivered: admit.status !== 'rate_limited' },
      deliverAt: admit.deliverAt,
      ...(reminder.sessionId ? { sessionId: reminder.sessionId } : {}),
      ...(reminder.noteId ? { noteId: reminder.noteId } : {}),
      ...(template && data ? { held: { template, data } } : {}),
      wechat: { status },
      createdAt: now
    }
  })

  // Deliveries first, each its own add under a deterministic id (a transaction holding them all would
  // grow with the branch: 100+ operations on CloudBase). The reminder is written last, with its audit,
  // as the mark that the send is complete: a retry or the next tick finds it missing, adds what is
  // missing (duplicates are what an earlier attempt already wrote) and then records it.
  const fresh = new Set<string>()
  await inBatches(deliveries, 10, async (d) => {
    if (await addIfAbsent(rt.db.collection('deliveries'), d)) fresh.add(d._id)
  })
  try {
    await rt.db.runTransaction(async (t) => {
      await t.collection('reminders').add({ data: reminder })
      if (input.auditBy) {
        await addAudit(t, {
          actor: input.auditBy.actor,
          action: 'remind.send',
          target: { type: 'reminder', id: reminderId },
          orgId: input.auditBy.orgId,
          at: now,
          detail: { count: recipients.length, audience: input.auditBy.audience, ...(template ? { template } : {}) }
        })
      }
    })
  } catch (err) {
    // A concurrent send under the same id committed first: answer what it recorded.
    if (isDuplicateId(err)) {
      const first = await previousSend(rt, reminderId)
      if (first) return first
    }
    throw err
  }
  if (template) {
    const openids = new Map(members.map((m) => [m._id, m.openid]))
    // Only deliveries this call wrote: one an earlier attempt wrote may have been pushed already.
    const due = deliveries.filter((d) => fresh.has(d._id) && d.wechat.status === 'not_attempted')
    await inBatches(due, 10, async (d) => {
      const wechat = await pushWechat(rt, { memberId: d.memberId, openid: openids.get(d.memberId) ?? null }, template, payload(d.memberId)!, now)
      d.wechat = wechat
      if (wechat.status !== 'not_attempted') await rt.db.collection('deliveries').doc(d._id).update({ data: { wechat } })
    })
  }
  return tally(reminderId, deliveries, false)
}
