/**
 * The member's own inbox: every reminder addressed to them that is due
 * (deliverAt ≤ now, so a message held over quiet hours appears at 07:00),
 * rate-limited ones never; outcome messages (leave decided, note reviewed, …)
 * at once. Identity is the caller's, never an input.
 */
import type { RemindInboxInput, RemindMarkReadInput } from '../../../src/core/functions/remind'
import { DeliverySchema } from '../../../src/core/schemas/reminder'
import type { z } from '../../../src/core/zod'
import { requireMember } from '../../_shared/caller'
import type { DocData } from '../../_shared/db'
import type { Runtime } from '../../_shared/runtime'

function visible(rt: Runtime, memberId: string, now: number): DocData {
  // Rate-limited deliveries are recorded with inApp.delivered false: the log shows them, the inbox does not.
  return { memberId, 'inApp.delivered': true, deliverAt: rt.db.command.lte(now) }
}

export async function inboxAction(rt: Runtime, input: z.infer<typeof RemindInboxInput>) {
  const me = await requireMember(rt)
  const now = rt.clock.now()
  const _ = rt.db.command
  const base = visible(rt, me._id, now)
  const unreadWhere = { ...base, 'inApp.readAt': _.exists(false) }
  const [page, unread] = await Promise.all([
    rt.db
      .collection('deliveries')
      .where(input.unreadOnly ? unreadWhere : base)
      .orderBy('deliverAt', 'desc')
      .orderBy('_id', 'desc')
      .skip(input.skip ?? 0)
      .limit(input.limit ?? 20)
      .get(),
    rt.db.collection('deliveries').where(unreadWhere).count()
  ])
  const deliveries = page.data.map((d) => DeliverySchema.parse(d))
  // An outcome message carries its own body; only reminders' bodies live on the reminder.
  const ids = [...new Set(deliveries.filter((d) => d.body === undefined).map((d) => d.reminderId))]
  const bodies = new Map<string, string>()
  if (ids.length > 0) {
    const { data } = await rt.db.collection('reminders').where({ _id: _.in(ids) }).field({ body: true }).limit(ids.length).get()
    for (const r of data) bodies.set(String(r._id), String(r.body ?? ''))
  }
  return { items: deliveries.map((d) => ({ ...d, body: d.body ?? bodies.get(d.reminderId) ?? '' })), unread: unread.total }
}

/**
 * Marks the caller's own deliveries read. Ids of anyone else's simply match
 * nothing (the memberId condition), so the answer cannot reveal they exist.
 */
export async function markReadAction(rt: Runtime, input: z.infer<typeof RemindMarkReadInput>) {
  const me = await requireMember(rt)
  const now = rt.clock.now()
  const _ = rt.db.command
  const where: DocData = { ...visible(rt, me._id, now), 'inApp.readAt': _.exists(false) }
  if (input.deliveryIds) where._id = _.in([...new Set(input.deliveryIds)])
  const res = await rt.db.collection('deliveries').where(where).update({ data: { inApp: { readAt: now } } })
  const unread = await rt.db
    .collection('deliveries')
    .where({ ...visible(rt, me._id, now), 'inApp.readAt': _.exists(false) })
    .count()
  return { updated: res.stats.updated, unread: unread.total }
}
