import { z } from '../zod'
import { IdSchema, lineText, multilineText } from '../schemas/common'
import { DeliverySchema, ReminderAudienceSchema, ReminderKindSchema } from '../schemas/reminder'

export const TemplateIdSchema = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/)

/** Secretary. `key` makes a resend of the same notice a no-op. */
export const RemindSendInput = z
  .object({
    branchId: IdSchema,
    audience: ReminderAudienceSchema,
    title: lineText(60),
    body: multilineText(500),
    kind: ReminderKindSchema.optional(),
    sessionId: IdSchema.optional(),
    noteId: IdSchema.optional(),
    key: z.string().min(1).max(80).regex(/^[A-Za-z0-9_.:-]+$/).optional()
  })
  .strict()
export const RemindSendOutput = z.object({
  reminderId: IdSchema,
  recipients: z.number().int().nonnegative(),
  wechatSent: z.number().int().nonnegative(),
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
 */
export const SUBSCRIBE_ANSWERS = ['accept', 'reject', 'ban', 'filter'] as const
export const RemindSubscribeInput = z
  .object({
    results: z
      .record(TemplateIdSchema, z.enum(SUBSCRIBE_ANSWERS))
      .refine((r) => {
        const n = Object.keys(r).length
        return n >= 1 && n <= 3
      }, { message: 'between 1 and 3 templates' })
  })
  .strict()

/** Secretary: who has no reminder permission left. Without branchId, the caller's own budget. */
export const RemindBudgetInput = z.object({ branchId: IdSchema.optional() }).strict()
export const RemindBudgetOutput = z.object({
  rows: z.array(
    z.object({
      memberId: IdSchema,
      name: z.string(),
      templates: z.record(TemplateIdSchema, z.number().int().nonnegative())
    })
  )
})

export const RemindInputs = {
  send: RemindSendInput,
  inbox: RemindInboxInput,
  markRead: RemindMarkReadInput,
  subscribe: RemindSubscribeInput,
  budget: RemindBudgetInput
} as const
