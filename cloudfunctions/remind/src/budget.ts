/**
 * WeChat one-time subscriptions: one accepted request allows one message on
 * that template, so the budget is a counter per member and template key
 * (keys, not deployment template ids, so changing a template id keeps it).
 */
import { SUBSCRIBE_BUDGET_CEILING, TEMPLATE_KEYS, type RemindBudgetInput, type RemindSubscribeInput, type TemplateKey } from '../../../src/core/functions/remind'
import { subscriptionBudgetId } from '../../../src/core/schemas/reminder'
import type { z } from '../../../src/core/zod'
import { loadOfficerBranch, requireMember } from '../../_shared/caller'
import { fetchAll } from '../../_shared/paging'
import { withoutId } from '../../_shared/db'
import type { Runtime } from '../../_shared/runtime'
import { branchMemberDocs } from '../../_shared/remind-facts'

type Templates = Partial<Record<TemplateKey, number>>

/**
 * Records what wx.requestSubscribeMessage answered. 'accept' adds one, up to
 * SUBSCRIBE_BUDGET_CEILING;
 * reject/ban/filter are kept as lastAnswer (the secretary can see a member
 * turned reminders off) and leave the count alone.
 */
export async function subscribeAction(rt: Runtime, input: z.infer<typeof RemindSubscribeInput>) {
  const me = await requireMember(rt)
  const now = rt.clock.now()
  const templates: Templates = {}
  await rt.db.runTransaction(async (t) => {
    for (const [key, answer] of Object.entries(input.results) as [TemplateKey, string][]) {
      const ref = t.collection('subscription_budgets').doc(subscriptionBudgetId(me._id, key))
      const { data } = await ref.get()
      const had = typeof data?.remaining === 'number' && data.remaining > 0 ? Math.floor(data.remaining) : 0
      // One accepted template in one call is one message (the schema lets a template appear once,
      // three at most), and never past the ceiling: repeated reports cannot pile up grants WeChat
      // is unlikely to hold. A count above it (from before the ceiling) comes down to it.
      const remaining = Math.min(answer === 'accept' ? had + 1 : had, SUBSCRIBE_BUDGET_CEILING)
      await ref.set({
        data: {
          ...(data ? withoutId(data) : {}),
          memberId: me._id,
          templateId: key,
          remaining,
          lastAnswer: answer,
          ...(answer === 'accept' ? { lastAcceptedAt: now } : {}),
          updatedAt: now
        }
      })
      templates[key] = remaining
    }
  })
  return { templates }
}

async function budgetsOf(rt: Runtime, memberIds: string[]): Promise<Map<string, Templates>> {
  const out = new Map<string, Templates>()
  for (let i = 0; i < memberIds.length; i += 500) {
    const docs = await fetchAll(
      rt.db.collection('subscription_budgets').where({ memberId: rt.db.command.in(memberIds.slice(i, i + 500)) }),
      { cap: 50000 }
    )
    for (const d of docs) {
      const key = String(d.templateId) as TemplateKey
      if (!TEMPLATE_KEYS.includes(key)) continue
      const row = out.get(String(d.memberId)) ?? {}
      row[key] = Math.max(0, Number(d.remaining) || 0)
      out.set(String(d.memberId), row)
    }
  }
  return out
}

/** Every template listed, 0 where nothing was ever accepted, so "none left" reads plainly. */
function fill(t: Templates | undefined): Templates {
  return Object.fromEntries(TEMPLATE_KEYS.map((k) => [k, t?.[k] ?? 0])) as Templates
}

export async function budgetAction(rt: Runtime, input: z.infer<typeof RemindBudgetInput>) {
  const me = await requireMember(rt)
  if (!input.branchId) {
    const own = await budgetsOf(rt, [me._id])
    return { rows: [{ memberId: me._id, name: me.name, templates: fill(own.get(me._id)) }] }
  }
  const branch = await loadOfficerBranch(rt, me, input.branchId, '只有本支部的书记、支委可以查看提醒授权情况')
  const members = (await branchMemberDocs(rt, branch._id)).filter((m) => m.active && m.joinStatus !== 'pending')
  const budgets = await budgetsOf(rt, members.map((m) => m._id))
  const rows = members.map((m) => ({ memberId: m._id, name: m.name, templates: fill(budgets.get(m._id)) }))
  rows.sort((a, b) => a.name.localeCompare(b.name, 'zh-Hans-CN') || (a.memberId < b.memberId ? -1 : 1))
  return { rows }
}
