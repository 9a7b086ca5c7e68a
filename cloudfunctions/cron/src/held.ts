/**
 * WeChat messages that quiet hours held: once their `deliverAt` (07:00
 * Shanghai) has passed, send what was prepared at send time. The in-app
 * copy has shown since 07:00 by itself (the inbox reads deliverAt).
 */
import { DeliverySchema } from '../../../src/core/schemas/reminder'
import type { Runtime } from '../../_shared/runtime'
import { inBatches, pushWechat } from '../../_shared/wechat'

const PAGE = 100

/**
 * Each delivery is claimed with a conditional update (held → not_attempted)
 * before WeChat is called, so two overlapping runs cannot both send it. A
 * run that dies between the claim and the send loses only the WeChat copy;
 * the inbox still has the message.
 */
async function claim(rt: Runtime, id: string): Promise<boolean> {
  const res = await rt.db
    .collection('deliveries')
    .where({ _id: id, 'wechat.status': 'held' })
    .update({ data: { wechat: { status: 'not_attempted' } } })
  return res.stats.updated === 1
}

export async function sendHeld(rt: Runtime, now: number, outOfTime: () => boolean): Promise<{ sent: number; done: boolean }> {
  const _ = rt.db.command
  let sent = 0
  for (;;) {
    const { data } = await rt.db
      .collection('deliveries')
      .where({ 'wechat.status': 'held', deliverAt: _.lte(now) })
      .orderBy('deliverAt', 'asc')
      .limit(PAGE)
      .get()
    if (data.length === 0) return { sent, done: true }
    const deliveries = data.map((d) => DeliverySchema.parse(d))
    const ids = [...new Set(deliveries.map((d) => d.memberId))]
    const { data: members } = await rt.db
      .collection('members')
      .where({ _id: _.in(ids) })
      .field({ openid: true })
      .limit(ids.length)
      .get()
    const openids = new Map(members.map((m) => [String(m._id), (m.openid as string | null) ?? null]))
    await inBatches(deliveries, 10, async (d) => {
      if (!(await claim(rt, d._id))) return
      if (!d.held) return
      const wechat = await pushWechat(rt, { memberId: d.memberId, openid: openids.get(d.memberId) ?? null }, d.held.template, d.held.data, now)
      if (wechat.status !== 'not_attempted') await rt.db.collection('deliveries').doc(d._id).update({ data: { wechat } })
      sent++
    })
    if (outOfTime()) return { sent, done: false }
  }
}
