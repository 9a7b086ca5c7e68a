import { z } from '../zod'
import { IdSchema, TimestampSchema, lineText, multilineText } from '../schemas/common'
import { DeliverySchema, ReminderAudienceSchema, ReminderKindSchema, TemplateKeySchema, WechatDeliveryStatusSchema } from '../schemas/reminder'

export const TemplateIdSchema = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/)

/**
 * The common reminders, each bound to one WeChat subscribe-message template
 * (the template ids are deployment configuration; these keys are stable).
 */
export { TEMPLATE_KEYS, TemplateKeySchema, type TemplateKey } from '../schemas/reminder'

/**
 * Secretary. `preview: true` answers who would receive it and writes
 * nothing. `clientId` makes a resend of the same notice a no-op.
 */
export const RemindSendInput = z
  .object({
    branchId: IdSchema,
    audience: ReminderAudienceSchema,
    template: TemplateKeySchema.optional(),
    title: lineText(60),
    body: multilineText(500),
    sessionId: IdSchema.optional(),
    noteId: IdSchema.optional(),
    preview: z.boolean().optional(),
    clientId: IdSchema
  })
  .strict()

export const RecipientSchema = z.object({ memberId: IdSchema, name: z.string() })
export const RemindPreviewOutput = z.object({ count: z.number().int().nonnegative(), recipients: z.array(RecipientSchema) })
export const RemindSendOutput = z.object({
  reminderId: IdSchema,
  recipients: z.number().int().nonnegative(),
  /** Shown in the inbox now. */
  delivered: z.number().int().nonnegative(),
  /** Quiet hours: in the inbox and on WeChat from 07:00. */
  held: z.number().int().nonnegative(),
  /** Already had the day's reminders: not sent at all. */
  rateLimited: z.number().int().nonnegative(),
  wechatSent: z.number().int().nonnegative(),
  wechatFailed: z.number().int().nonnegative(),
  /** Reached only in the app inbox: no subscription left. */
  noBudget: z.number().int().nonnegative(),
  duplicate: z.boolean()
})

export const RemindInboxInput = z
  .object({
    unreadOnly: z.boolean().optional(),
    skip: z.number().int().min(0).max(10000).optional(),
    limit: z.number().int().min(1).max(50).optional()
  })
  .strict()
export const RemindInboxOutput = z.object({
  items: z.array(DeliverySchema.extend({ body: z.string() })),
  unread: z.number().int().nonnegative()
})

/** Either the listed deliveries or all of the caller's. */
export const RemindMarkReadInput = z
  .object({
    deliveryIds: z.array(IdSchema).min(1).max(100).optional(),
    all: z.literal(true).optional()
  })
  .strict()
  .refine((m) => (m.deliveryIds === undefined) !== (m.all === undefined), {
    message: 'give deliveryIds or all, not both',
    path: ['deliveryIds']
  })

/**
 * What wx.requestSubscribeMessage answered, per template (≤ 3 per call).
 * Only 'accept' adds to the budget; the others are recorded for the secretary.
 * One call is one requestSubscribeMessage, so it can grant at most what that
 * grants: one message per accepted template (a template appears once, as a
 * key), at most three templates; more is refused as INVALID_INPUT rather than
 * trimmed, since no real WeChat answer looks like that.
 */
export const SUBSCRIBE_TEMPLATES_PER_CALL = 3

/**
 * Highest budget kept per member and template. WeChat adds one grant per
 * accepted request and publishes no ceiling we could mirror, so the server
 * cannot know what WeChat really holds; it only believes what a member could
 * plausibly have granted by tapping. A member taps 接收微信提醒 a few times
 * around the meetings, and the busiest templates (活动明天 / 即将开始) spend
 * about one a week, so 20 is several months of reminders. Above it the count
 * is far more likely a replayed or forged report than real grants, and an
 * inflated count does harm: it hides the member from the secretary's 提醒授权
 * list of who will not get a WeChat message.
 */
export const SUBSCRIBE_BUDGET_CEILING = 20
export const SUBSCRIBE_ANSWERS = ['accept', 'reject', 'ban', 'filter'] as const
export const RemindSubscribeInput = z
  .object({
    results: z
      .partialRecord(TemplateKeySchema, z.enum(SUBSCRIBE_ANSWERS))
      .refine((r) => {
        const n = Object.keys(r).length
        return n >= 1 && n <= SUBSCRIBE_TEMPLATES_PER_CALL
      }, { message: `between 1 and ${SUBSCRIBE_TEMPLATES_PER_CALL} templates` })
  })
  .strict()

/** Secretary: who has no reminder permission left. Without branchId, the caller's own budget. */
export const RemindBudgetInput = z.object({ branchId: IdSchema.optional() }).strict()
export const RemindBudgetOutput = z.object({
  rows: z.array(
    z.object({
      memberId: IdSchema,
      name: z.string(),
      templates: z.partialRecord(TemplateKeySchema, z.number().int().nonnegative())
    })
  )
})

/** Secretary: the reminders a branch sent, newest first, and per reminder who got what. */
export const RemindSentInput = z.object({ branchId: IdSchema, limit: z.number().int().min(1).max(50).optional() }).strict()
export const RemindLogInput = z.object({ reminderId: IdSchema }).strict()
export const RemindLogOutput = z.object({
  reminder: z.object({ _id: IdSchema, title: z.string(), kind: ReminderKindSchema, createdAt: TimestampSchema, recipientCount: z.number().int() }),
  rows: z.array(
    z.object({
      memberId: IdSchema,
      name: z.string(),
      /** none: over the daily limit, never shown. */
      inApp: z.enum(['delivered', 'read', 'held', 'none']),
      wechat: WechatDeliveryStatusSchema,
      /** The platform's reason when WeChat refused, e.g. `43101 user refuse to accept the msg`. */
      detail: z.string().optional()
    })
  )
})

/**
 * 意见建议: a member's word about the app or how it is used, to the 党委's
 * admins. `anonymous` hides who wrote it from the branch's officers; the
 * 党委's admins always see the name (the form says so), so an answer can
 * reach the member and abuse can be followed up.
 */
export const FEEDBACK_MAX = 500
export const RemindFeedbackInput = z
  .object({
    text: multilineText(FEEDBACK_MAX),
    anonymous: z.boolean().optional(),
    /** The form's id for this message: a resend of the same one is a no-op. */
    clientId: IdSchema
  })
  .strict()
export const FeedbackSchema = z.object({
  _id: IdSchema,
  memberId: IdSchema,
  name: z.string(),
  branchId: IdSchema,
  branchName: z.string(),
  /** The branch's path: every admin above it may read and answer it. */
  orgPath: z.array(IdSchema),
  text: multilineText(FEEDBACK_MAX),
  anonymous: z.boolean(),
  reply: z.object({ text: multilineText(FEEDBACK_MAX), by: IdSchema, byName: z.string(), at: TimestampSchema }).optional(),
  createdAt: TimestampSchema
})
export type Feedback = z.infer<typeof FeedbackSchema>
/** My own messages and their answers. */
export const RemindFeedbackMineInput = z.object({}).strict()
/**
 * Admins: everything under the 党委s they administer (or one branch of it),
 * names shown. A branch's secretary or committee member: their branch's,
 * without the name (and without any id that leads to it) where the member asked.
 */
export const RemindFeedbackListInput = z.object({ branchId: IdSchema.optional(), limit: z.number().int().min(1).max(100).optional() }).strict()
export const FeedbackViewSchema = FeedbackSchema.omit({ memberId: true, name: true, orgPath: true }).extend({
  memberId: IdSchema.optional(),
  /** 匿名 where the member hid their name from the branch. */
  name: z.string()
})
export const RemindFeedbackListOutput = z.object({ items: z.array(FeedbackViewSchema), canReply: z.boolean() })
/** Admins: the answer, which reaches the member's 消息. Answering again replaces it and tells them again. */
export const RemindFeedbackReplyInput = z.object({ feedbackId: IdSchema, text: multilineText(FEEDBACK_MAX) }).strict()

export const RemindInputs = {
  send: RemindSendInput,
  inbox: RemindInboxInput,
  markRead: RemindMarkReadInput,
  subscribe: RemindSubscribeInput,
  budget: RemindBudgetInput,
  sent: RemindSentInput,
  log: RemindLogInput,
  feedback: RemindFeedbackInput,
  feedbackMine: RemindFeedbackMineInput,
  feedbackList: RemindFeedbackListInput,
  feedbackReply: RemindFeedbackReplyInput
} as const
