/**
 * The `remind` cloud function, typed from the zod schemas in src/core:
 * the secretary's targeted reminders, the member's inbox and the WeChat
 * subscribe-message budget. Only types are imported from the schemas, so no
 * schema code is bundled here.
 */
import type { z } from '../core/zod'
import type {
  RemindBudgetOutput,
  RemindInboxOutput,
  RemindLogOutput,
  RemindPreviewOutput,
  RemindSendInput,
  RemindSendOutput,
  SUBSCRIBE_ANSWERS,
  TemplateKey
} from '../core/functions/remind'
import type { Delivery, Reminder, ReminderAudience, ReminderKind, WechatDeliveryStatus } from '../core/schemas/reminder'
import { call } from './index'

export type { Delivery, Reminder, ReminderAudience, ReminderKind, TemplateKey, WechatDeliveryStatus }
export type RemindSend = z.input<typeof RemindSendInput>
export type RemindPreview = z.infer<typeof RemindPreviewOutput>
export type RemindResult = z.infer<typeof RemindSendOutput>
export type Inbox = z.infer<typeof RemindInboxOutput>
export type InboxItem = Inbox['items'][number]
export type RemindLog = z.infer<typeof RemindLogOutput>
export type RemindLogRow = RemindLog['rows'][number]
export type RemindBudget = z.infer<typeof RemindBudgetOutput>
export type SubscribeAnswer = (typeof SUBSCRIBE_ANSWERS)[number]

function sendPayload(input: RemindSend, preview: boolean): Record<string, unknown> {
  const payload: Record<string, unknown> = {
    branchId: input.branchId,
    audience: input.audience,
    title: input.title.trim(),
    body: input.body.trim(),
    clientId: input.clientId
  }
  if (input.template) payload.template = input.template
  if (input.sessionId) payload.sessionId = input.sessionId
  if (input.noteId) payload.noteId = input.noteId
  if (preview) payload.preview = true
  return payload
}

/** Secretary: who would receive it; nothing is written. */
export async function previewReminder(input: RemindSend): Promise<RemindPreview> {
  const out = await call<RemindPreview>('remind', 'send', sendPayload(input, true))
  return { count: out.count ?? 0, recipients: out.recipients ?? [] }
}

/** Secretary: sends it. The same clientId again answers the first send (duplicate: true). */
export function sendReminder(input: RemindSend): Promise<RemindResult> {
  return call<RemindResult>('remind', 'send', sendPayload(input, false))
}

/** My inbox, newest first, with the unread count. */
export async function inbox(opts: { unreadOnly?: boolean; skip?: number; limit?: number } = {}): Promise<Inbox> {
  const input: Record<string, unknown> = {}
  if (opts.unreadOnly) input.unreadOnly = true
  if (opts.skip) input.skip = opts.skip
  if (opts.limit) input.limit = opts.limit
  const out = await call<Inbox>('remind', 'inbox', input)
  return { items: out.items ?? [], unread: out.unread ?? 0 }
}

/** Only the unread count: one item is the smallest page the server allows. */
export async function unreadCount(): Promise<number> {
  return (await inbox({ unreadOnly: true, limit: 1 })).unread
}

export function markRead(deliveryIds: string[]): Promise<unknown> {
  return call('remind', 'markRead', { deliveryIds: deliveryIds.slice(0, 100) })
}

export function markAllRead(): Promise<unknown> {
  return call('remind', 'markRead', { all: true })
}

/** What wx.requestSubscribeMessage answered, per template key (1 to 3). */
export function reportSubscribe(results: Partial<Record<TemplateKey, SubscribeAnswer>>): Promise<unknown> {
  return call('remind', 'subscribe', { results })
}

/** Secretary: reminder permissions left per member (without branchId: my own). */
export async function budget(branchId?: string): Promise<RemindBudget> {
  const out = await call<RemindBudget>('remind', 'budget', branchId ? { branchId } : {})
  return { rows: out.rows ?? [] }
}

/** Secretary: the reminders the branch sent, newest first. */
export async function sentReminders(branchId: string, limit = 50): Promise<Reminder[]> {
  const out = await call<{ reminders?: Reminder[]; items?: Reminder[] } | Reminder[]>('remind', 'sent', { branchId, limit })
  // The output shape is not pinned in the contract: accept a bare list or either field name.
  if (Array.isArray(out)) return out
  return out.reminders ?? out.items ?? []
}

/** Secretary: per recipient, what the inbox and WeChat did with one reminder. */
export async function reminderLog(reminderId: string): Promise<RemindLog> {
  const out = await call<RemindLog>('remind', 'log', { reminderId })
  return { ...out, rows: out.rows ?? [] }
}
