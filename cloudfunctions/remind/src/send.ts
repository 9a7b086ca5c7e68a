/**
 * send: the secretary's targeted reminder. The reminder, its audit entry and
 * one delivery per recipient commit together (the reminder's derived id makes
 * a resend a no-op); WeChat is tried afterwards, per delivery, and whatever it
 * answers is written back to the delivery — the inbox never waits on it.
 */
import { AppError } from '../../../src/core/errors'
import type { RemindSendInput, TemplateKey } from '../../../src/core/functions/remind'
import { admitReminder, shanghaiDay } from '../../../src/core/remind/limits'
import { selectRecipients } from '../../../src/core/remind/audience'
import { wechatData } from '../../../src/core/remind/templates'
import { deliveryId, reminderIdFromKey, type Delivery, type Reminder, type ReminderKind } from '../../../src/core/schemas/reminder'
import type { Session } from '../../../src/core/schemas/session'
import type { z } from '../../../src/core/zod'
import { addAudit } from '../../_shared/audit'
import { loadOfficerBranch, requireMember } from '../../_shared/caller'
import { DbError } from '../../_shared/db'
import { fetchAll } from '../../_shared/paging'
import type { Runtime } from '../../_shared/runtime'
import { settingsFor } from '../../_shared/settings'
import { gatherFacts, loadBranchSession } from './facts'
import { inBatches, pushWechat } from './wechat'

type SendInput = z.infer<typeof RemindSendInput>

const HOUR_MS = 60 * 60 * 1000
export const NOT_OFFICER = '只有本支部的书记、支委可以发送提醒'

export function kindOf(template: TemplateKey | undefined): ReminderKind {
  if (template === 'session_tomorrow' || template === 'session_soon') return 'session_upcoming'
  if (template === 'notes_behind') return 'note_pace'
  if (template === 'makeup_due') return 'makeup'
  return 'custom'
}

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

async function previousSend(rt: Runtime, reminderId: string): Promise<SendSummary | null> {
  const { data } = await rt.db.collection('reminders').doc(reminderId).get()
  if (!data) return null
  const docs = await fetchAll(rt.db.collection('deliveries').where({ reminderId }), { cap: 20000 })
  return tally(reminderId, docs as unknown as Delivery[], true)
}

/** The session the reminder is about: the one the audience names, or the one it links to (never two different ones). */
async function sessionOf(rt: Runtime, input: SendInput): Promise<Session | undefined> {
  const a = input.audience.sessionId
  const b = input.sessionId
  if (a && b && a !== b) throw new AppError('INVALID_INPUT', '提醒对象和提醒内容指向了不同的活动，请重新选择')
  const id = a ?? b
  return id ? loadBranchSession(rt, input.branchId, id) : undefined
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

export async function sendAction(rt: Runtime, input: SendInput) {
  const officer = await requireMember(rt)
  const branch = await loadOfficerBranch(rt, officer, input.branchId, NOT_OFFICER)
  const now = rt.clock.now()
  const session = await sessionOf(rt, input)
  const settings = await settingsFor(rt, branch.path)
  const { facts, members } = await gatherFacts(rt, { branchId: branch._id, audience: input.audience, session, settings, now })
  const recipients = selectRecipients(input.audience, facts)
  if (input.preview) return { count: recipients.length, recipients: recipients.map((m) => ({ memberId: m._id, name: m.name })) }

  const reminderId = reminderIdFromKey(branch._id, input.clientId)
  const before = await previousSend(rt, reminderId)
  if (before) return before
  if (recipients.length === 0) throw new AppError('INVALID_INPUT', '按这个范围，目前没有需要提醒的党员')

  const reminder: Reminder = {
    _id: reminderId,
    branchId: branch._id,
    audience: input.audience,
    title: input.title,
    body: input.body,
    kind: kindOf(input.template),
    ...(input.sessionId ?? input.audience.sessionId ? { sessionId: input.sessionId ?? input.audience.sessionId } : {}),
    ...(input.noteId ? { noteId: input.noteId } : {}),
    createdBy: officer._id,
    createdAt: now,
    recipientCount: recipients.length
  }
  const soon = session !== undefined && session.startAt >= now && session.startAt - now <= HOUR_MS
  const urgent = input.template === 'session_soon' || soon
  const today = await sentToday(rt, recipients.map((m) => m._id), now)
  const deliveries: Delivery[] = recipients.map((m) => {
    const admit = admitReminder({ now, sentToday: today.get(m._id) ?? 0, urgent })
    const status = admit.status === 'now' ? 'not_attempted' : admit.status
    return {
      _id: deliveryId(reminderId, m._id),
      reminderId,
      memberId: m._id,
      branchId: branch._id,
      title: reminder.title,
      kind: reminder.kind,
      inApp: { delivered: admit.status !== 'rate_limited' },
      deliverAt: admit.deliverAt,
      ...(reminder.sessionId ? { sessionId: reminder.sessionId } : {}),
      ...(reminder.noteId ? { noteId: reminder.noteId } : {}),
      wechat: { status },
      createdAt: now
    }
  })

  try {
    await rt.db.runTransaction(async (t) => {
      await t.collection('reminders').add({ data: reminder })
      for (const d of deliveries) await t.collection('deliveries').add({ data: d })
      await addAudit(t, {
        actor: officer._id,
        action: 'remind.send',
        target: { type: 'reminder', id: reminderId },
        orgId: branch._id,
        at: now,
        detail: { count: recipients.length, audience: input.audience.kind, ...(input.template ? { template: input.template } : {}) }
      })
    })
  } catch (err) {
    // A concurrent resend of the same clientId committed first: answer what it recorded.
    if (err instanceof DbError && err.code === 'DUPLICATE_ID') {
      const first = await previousSend(rt, reminderId)
      if (first) return first
    }
    throw err
  }

  const template = input.template
  if (template) {
    const deadlines = template === 'makeup_due' ? await makeupDeadlines(rt, branch._id, reminder.sessionId) : new Map<string, number>()
    const byId = new Map(recipients.map((m) => [m._id, m]))
    const openids = new Map(members.map((m) => [m._id, m.openid]))
    const due = deliveries.filter((d) => d.wechat.status === 'not_attempted' && byId.has(d.memberId))
    await inBatches(due, 10, async (d) => {
      const data = wechatData(template, {
        title: reminder.title,
        body: reminder.body,
        startAt: session?.startAt,
        venue: session?.venue.name,
        deadline: deadlines.get(d.memberId)
      })
      const wechat = await pushWechat(rt, { memberId: d.memberId, openid: openids.get(d.memberId) ?? null }, template, data, now)
      d.wechat = wechat
      if (wechat.status !== 'not_attempted') await rt.db.collection('deliveries').doc(d._id).update({ data: { wechat } })
    })
  }
  return tally(reminderId, deliveries, false)
}
