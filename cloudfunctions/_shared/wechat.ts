/**
 * One WeChat subscribe message per delivery, spending one of the member's
 * one-time subscriptions. Never throws: a WeChat outcome is recorded on the
 * delivery, and the in-app inbox has the message whatever WeChat said.
 */
import type { TemplateKey } from '../../src/core/functions/remind'
import { subscriptionBudgetId, type Delivery } from '../../src/core/schemas/reminder'
import type { Runtime, SubscribeMessage } from './runtime'

export type WechatOutcome = Delivery['wechat']

/**
 * What the local runtime's notifier answers 'logged' becomes: status 'sent'
 * with this errMsg, so the secretary's log shows the message reached the
 * local outbox (collection `wechat_outbox`) rather than a real phone.
 */
export const LOCAL_OUTBOX = 'local-outbox'

/** The deployment's template id for a key (env ZBDK_TEMPLATE_SESSION_SOON etc.), else the key itself. */
export function templateIdOf(key: TemplateKey): string {
  return process.env[`ZBDK_TEMPLATE_${key.toUpperCase()}`] ?? key
}

/** The inbox, where the message is waiting in full (a thing field carries only 20 characters). */
export const WECHAT_PAGE = 'pages/inbox/index'

/**
 * Takes one subscription atomically: the conditional update matches only
 * while remaining > 0, so two sends racing for the last one cannot both win
 * and the count never goes below zero.
 */
export async function takeBudget(rt: Runtime, memberId: string, key: TemplateKey, now: number): Promise<boolean> {
  const _ = rt.db.command
  const res = await rt.db
    .collection('subscription_budgets')
    .where({ _id: subscriptionBudgetId(memberId, key), remaining: _.gt(0) })
    .update({ data: { remaining: _.inc(-1), lastUsedAt: now, updatedAt: now } })
  return res.stats.updated === 1
}

export async function pushWechat(
  rt: Runtime,
  target: { memberId: string; openid: string | null },
  key: TemplateKey,
  data: SubscribeMessage['data'],
  now: number
): Promise<WechatOutcome> {
  if (!target.openid) return { status: 'not_attempted' }
  if (!(await takeBudget(rt, target.memberId, key, now))) return { status: 'no_budget' }
  try {
    const out = await rt.notifier.sendSubscribeMessage({ openid: target.openid, templateId: templateIdOf(key), page: WECHAT_PAGE, data })
    if (out.status === 'sent') return { status: 'sent', at: now }
    if (out.status === 'logged') return { status: 'sent', errMsg: LOCAL_OUTBOX, at: now }
    return { status: 'failed', errCode: Math.trunc(out.errCode), errMsg: String(out.errMsg).slice(0, 200), at: now }
  } catch (err) {
    // The contract says notifiers never throw; a broken one still must not cost the inbox.
    rt.log('warn', 'subscribe message threw', { error: err instanceof Error ? err.message : String(err) })
    return { status: 'failed', errMsg: 'notifier error', at: now }
  }
}

/** Runs `fn` over `items` at most `width` at a time, so 500 recipients stay within the function's timeout. */
export async function inBatches<T>(items: readonly T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += width) await Promise.all(items.slice(i, i + width).map(fn))
}
