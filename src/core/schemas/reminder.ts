import { z } from '../zod'
import { deriveId } from '../ids'
import { IdSchema, TimestampSchema, lineText, multilineText } from './common'
import { REMINDER_AUDIENCE_KINDS, REMINDER_KINDS, TEMPLATE_KEYS } from '../vocab/reminder'

export {
  REMINDER_AUDIENCE_KINDS,
  REMINDER_AUDIENCE_LABELS,
  REMINDER_KINDS,
  REMINDER_KIND_LABELS,
  TEMPLATE_KEYS,
  type ReminderAudienceKind,
  type ReminderKind,
  type TemplateKey
} from '../vocab/reminder'
export const ReminderKindSchema = z.enum(REMINDER_KINDS)
export const TemplateKeySchema = z.enum(TEMPLATE_KEYS)

// Audience kinds (who a reminder reaches) are described in vocab/reminder.ts.
export const ReminderAudienceSchema = z
  .object({
    kind: z.enum(REMINDER_AUDIENCE_KINDS),
    memberIds: z.array(IdSchema).min(1).max(500).optional(),
    sessionId: IdSchema.optional(),
    level: z.enum(['yellow', 'red']).optional()
  })
  .strict()
  .superRefine((a, ctx) => {
    if (a.kind === 'members' && !a.memberIds) {
      ctx.addIssue({ code: 'custom', message: 'a members audience needs memberIds', path: ['memberIds'] })
    }
    if (a.kind === 'not_checked_in' && !a.sessionId) {
      ctx.addIssue({ code: 'custom', message: 'not_checked_in needs sessionId', path: ['sessionId'] })
    }
  })
export type ReminderAudience = z.infer<typeof ReminderAudienceSchema>

/**
 * With an idempotency key (e.g. `session-start:<sessionId>` from cron) the id
 * is derived from it, so a rerun job cannot send the same reminder twice.
 */
export function reminderIdFromKey(branchId: string, key: string): string {
  return deriveId('rm', branchId, key)
}

export function deliveryId(reminderId: string, memberId: string): string {
  return deriveId('dl', reminderId, memberId)
}

export function subscriptionBudgetId(memberId: string, templateId: string): string {
  return deriveId('sb', memberId, templateId)
}

export const ReminderSchema = z.object({
  _id: IdSchema,
  branchId: IdSchema,
  audience: ReminderAudienceSchema,
  /** The WeChat template's thing.* fields take 20 characters; the notifier truncates. */
  title: lineText(60),
  body: multilineText(500),
  kind: ReminderKindSchema,
  sessionId: IdSchema.optional(),
  noteId: IdSchema.optional(),
  /** A member id, or `system` for cron. */
  createdBy: IdSchema,
  createdAt: TimestampSchema,
  key: z.string().min(1).max(80).regex(/^[A-Za-z0-9_.:-]+$/).optional(),
  /** The subscribe-message template it goes out on, if any. */
  template: TemplateKeySchema.optional(),
  /** Sent by a secretary, or by the schedule (cron). */
  source: z.enum(['secretary', 'schedule']).default('secretary'),
  /** Members the audience resolved to when sent. */
  recipientCount: z.number().int().nonnegative()
})
export type Reminder = z.infer<typeof ReminderSchema>

/**
 * sent/failed: WeChat answered (failed keeps the platform's errCode, e.g.
 * 43101 refused); no_budget: no one-time subscription left for this
 * template; not_attempted: in-app only (no template, or the local runtime
 * logged it); held: quiet hours, sent by cron after `deliverAt`;
 * rate_limited: over the member's daily count, not sent at all.
 */
export const WECHAT_DELIVERY_STATUSES = ['sent', 'failed', 'no_budget', 'not_attempted', 'held', 'rate_limited'] as const
export const WechatDeliveryStatusSchema = z.enum(WECHAT_DELIVERY_STATUSES)
export type WechatDeliveryStatus = z.infer<typeof WechatDeliveryStatusSchema>

/** One per (reminder, member): the in-app inbox always gets it, whatever WeChat said. */
export const DeliverySchema = z.object({
  _id: IdSchema,
  reminderId: IdSchema,
  memberId: IdSchema,
  branchId: IdSchema,
  /** Copied from the reminder so the inbox reads one collection. */
  title: lineText(60),
  kind: ReminderKindSchema,
  inApp: z.object({
    delivered: z.boolean(),
    readAt: TimestampSchema.optional()
  }),
  /** When it shows in the inbox: now, or 07:00 after quiet hours (Asia/Shanghai). */
  deliverAt: TimestampSchema,
  /**
   * An outcome message (leave decided, note reviewed, …) carries its own text:
   * it has no reminder document, so the secretary's sent list never shows it.
   */
  body: multilineText(1000).optional(),
  /** What it opens: the session, the note or the 民主评议. */
  sessionId: IdSchema.optional(),
  noteId: IdSchema.optional(),
  reviewId: IdSchema.optional(),
  /**
   * For a message held by quiet hours: the template and its data as they
   * were at send time, so the morning run sends exactly what would have gone.
   */
  held: z
    .object({ template: TemplateKeySchema, data: z.record(z.string().max(20), z.object({ value: z.string().max(40) })) })
    .optional(),
  wechat: z.object({
    status: WechatDeliveryStatusSchema,
    errCode: z.number().int().optional(),
    errMsg: z.string().max(200).optional(),
    at: TimestampSchema.optional()
  }),
  createdAt: TimestampSchema
})
export type Delivery = z.infer<typeof DeliverySchema>

/**
 * One-time subscribe messages: each accepted request allows exactly one
 * message on that template, so the budget is a counter per member and template.
 */
export const SubscriptionBudgetSchema = z.object({
  _id: IdSchema,
  memberId: IdSchema,
  templateId: z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/),
  remaining: z.number().int().nonnegative(),
  lastAcceptedAt: TimestampSchema.optional(),
  lastUsedAt: TimestampSchema.optional(),
  /** The member's latest answer to the permission request (reject / ban / filter leave `remaining` as it was). */
  lastAnswer: z.enum(['accept', 'reject', 'ban', 'filter']).optional(),
  updatedAt: TimestampSchema
})
export type SubscriptionBudget = z.infer<typeof SubscriptionBudgetSchema>
