import { z } from '../zod'
import { IdSchema } from '../schemas/common'
import {
  ExcellentShareSchema,
  OrgSettingsSchema,
  OrgSettingsValuesSchema,
  PointsRuleSchema,
  QuotasSchema,
  ReminderScheduleSchema,
  RetiredQuotaSchema,
  VisibilitySchema,
  WarningThresholdsSchema
} from '../schemas/settings'

/**
 * The `org` function's settings actions (org.settings / org.updateSettings).
 * Kept apart from functions/org.ts so OrgInputs can adopt them when wired.
 */
export const OrgSettingsInput = z.object({ orgId: IdSchema }).strict()
export const OrgSettingsOutput = z.object({
  settings: OrgSettingsValuesSchema,
  /** The org whose document supplied them: this one, an ancestor, or null for the defaults. */
  inheritedFrom: IdSchema.nullable(),
  updatedAt: z.number().int().nonnegative().nullable()
})

/** Any section may be sent alone; a section sent replaces that section whole. */
export const OrgUpdateSettingsInput = z
  .object({
    orgId: IdSchema,
    /** Sent without `retired` (an app from before the categories): the 离退休 quota in force is kept. */
    quotas: QuotasSchema.extend({ retired: RetiredQuotaSchema.strict().optional() }).strict().optional(),
    pointsRules: z.array(PointsRuleSchema).max(100).optional(),
    notePointsMonthlyCap: z.number().int().min(0).max(100).optional(),
    visibility: VisibilitySchema.strict().optional(),
    warnings: WarningThresholdsSchema.optional(),
    requireLocation: z.boolean().optional(),
    showPointsToMembers: z.boolean().optional(),
    exemptAge: z.number().int().min(50).max(120).nullable().optional(),
    reminders: ReminderScheduleSchema.strict().optional(),
    essayMinWords: z.number().int().min(0).max(5000).optional(),
    essayPointsQuarterlyCap: z.number().int().min(0).max(20).optional(),
    reviewExcellentShare: ExcellentShareSchema.optional()
  })
  .strict()
export const OrgUpdateSettingsOutput = z.object({ settings: OrgSettingsSchema })

export const OrgSettingsInputs = {
  settings: OrgSettingsInput,
  updateSettings: OrgUpdateSettingsInput
} as const
