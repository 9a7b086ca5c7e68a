/**
 * The secretary's view of what was sent: the branch's reminders, and per
 * reminder who got what, with WeChat's own reason when it refused.
 */
import { AppError } from '../../../src/core/errors'
import type { RemindLogInput, RemindSentInput } from '../../../src/core/functions/remind'
import { DeliverySchema, ReminderSchema, type Delivery } from '../../../src/core/schemas/reminder'
import type { z } from '../../../src/core/zod'
import { loadOfficerBranch, requireMember } from '../../_shared/caller'
import { fetchAll } from '../../_shared/paging'
import type { Runtime } from '../../_shared/runtime'
import { NOT_OFFICER } from './send'
import { LOCAL_OUTBOX } from '../../_shared/wechat'

export async function sentAction(rt: Runtime, input: z.infer<typeof RemindSentInput>) {
  const me = await requireMember(rt)
  const branch = await loadOfficerBranch(rt, me, input.branchId, NOT_OFFICER)
  const { data } = await rt.db
    .collection('reminders')
    .where({ branchId: branch._id })
    .orderBy('createdAt', 'desc')
    .orderBy('_id', 'desc')
    .limit(input.limit ?? 20)
    .get()
  return { reminders: data.map((d) => ReminderSchema.parse(d)) }
}

/** inApp as the secretary reads it: a rate-limited delivery never reached the inbox, so it shows as held back. */
function inAppOf(d: Delivery, now: number): 'delivered' | 'read' | 'held' | 'none' {
  if (d.wechat.status === 'rate_limited') return 'none'
  if (!d.inApp.delivered || d.deliverAt > now) return 'held'
  return d.inApp.readAt !== undefined ? 'read' : 'delivered'
}

function detailOf(d: Delivery): string | undefined {
  const w = d.wechat
  if (w.status === 'failed') return [w.errCode, w.errMsg].filter((x) => x !== undefined && x !== '').join(' ') || undefined
  if (w.status === 'sent' && w.errMsg === LOCAL_OUTBOX) return '本地运行：已写入本地发件箱'
  if (w.status === 'rate_limited') return '今天已收到足够多的提醒，这条没有发出'
  if (w.status === 'held') return '夜间免打扰，早上 7 点送达'
  if (w.status === 'no_budget') return '没有剩余的订阅次数，只在小程序消息里'
  return undefined
}

export async function logAction(rt: Runtime, input: z.infer<typeof RemindLogInput>) {
  const me = await requireMember(rt)
  const refusal = '没有找到这条提醒，或您不是这个支部的书记、支委'
  const { data } = await rt.db.collection('reminders').doc(input.reminderId).get()
  const parsed = data ? ReminderSchema.safeParse(data) : null
  if (!parsed?.success) throw new AppError('FORBIDDEN', refusal)
  const reminder = parsed.data
  // Same refusal for a missing reminder and another branch's, so ids cannot be probed.
  await loadOfficerBranch(rt, me, reminder.branchId, refusal)
  const now = rt.clock.now()
  const deliveries = (await fetchAll(rt.db.collection('deliveries').where({ reminderId: reminder._id }), { cap: 20000 })).map((d) =>
    DeliverySchema.parse(d)
  )
  const ids = deliveries.map((d) => d.memberId)
  const names = new Map<string, string>()
  for (let i = 0; i < ids.length; i += 500) {
    const docs = await fetchAll(rt.db.collection('members').where({ _id: rt.db.command.in(ids.slice(i, i + 500)) }).field({ name: true }), {
      cap: 1000
    })
    for (const m of docs) names.set(String(m._id), String(m.name))
  }
  const rows = deliveries.map((d) => {
    const detail = detailOf(d)
    return {
      memberId: d.memberId,
      name: names.get(d.memberId) ?? '（已不在册）',
      inApp: inAppOf(d, now),
      wechat: d.wechat.status,
      ...(detail ? { detail } : {})
    }
  })
  rows.sort((a, b) => a.name.localeCompare(b.name, 'zh-Hans-CN') || (a.memberId < b.memberId ? -1 : 1))
  return {
    reminder: { _id: reminder._id, title: reminder.title, kind: reminder.kind, createdAt: reminder.createdAt, recipientCount: reminder.recipientCount },
    rows
  }
}
