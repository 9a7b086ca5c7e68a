import { z } from '../zod'
import { deriveId } from '../ids'
import { IdSchema, TimestampSchema, lineText } from './common'
import { PointsRuleKeySchema } from './points'

/** 每个工作人员全年笔记不少于1万字，副科级以上干部不少于1.5万字，心得体会4篇以上. */
export const QuotasSchema = z.object({
  staffWords: z.number().int().min(0).max(200000),
  deputyWords: z.number().int().min(0).max(200000),
  essays: z.number().int().min(0).max(50)
})
export type Quotas = z.infer<typeof QuotasSchema>

/**
 * A rule's value applies to facts dated in [from, to). Changing a value adds
 * a new dated rule instead of editing the old one, so last quarter's points
 * do not move when this quarter's rules change.
 */
export const PointsRuleSchema = z
  .object({
    rule: PointsRuleKeySchema,
    label: lineText(30),
    points: z.number().int().min(-100).max(100),
    from: TimestampSchema,
    to: TimestampSchema.optional()
  })
  .refine((r) => r.to === undefined || r.to > r.from, { message: 'to must follow from', path: ['to'] })
export type PointsRule = z.infer<typeof PointsRuleSchema>

/** Who may see a ranking. Members always see their own record whatever this says. */
export const VISIBILITY_LEVELS = ['admins', 'secretaries', 'members'] as const
export const VisibilityLevelSchema = z.enum(VISIBILITY_LEVELS)
export type VisibilityLevel = z.infer<typeof VisibilityLevelSchema>

export const VISIBILITY_LABELS: Record<VisibilityLevel, string> = {
  admins: '仅党委管理员',
  secretaries: '支部书记及以上',
  members: '全体党员'
}

export const VisibilitySchema = z.object({
  memberRanking: VisibilityLevelSchema,
  branchRanking: VisibilityLevelSchema
})
export type Visibility = z.infer<typeof VisibilitySchema>

/**
 * 双色预警 thresholds. Art. 9 makes six months without organisational life a
 * matter of leaving the Party, so the defaults warn at two and three months,
 * leaving the secretary time to act.
 */
export const WarningThresholdsSchema = z
  .object({
    yellowMonthsAbsent: z.number().int().min(1).max(6),
    redMonthsAbsent: z.number().int().min(1).max(6),
    /** Share of the pro-rata note quota below which a member is behind pace. */
    yellowPace: z.number().min(0).max(1),
    redPace: z.number().min(0).max(1)
  })
  .refine((w) => w.redMonthsAbsent > w.yellowMonthsAbsent, {
    message: 'red must need more absent months than yellow',
    path: ['redMonthsAbsent']
  })
  .refine((w) => w.redPace < w.yellowPace, { message: 'red pace must be below yellow pace', path: ['redPace'] })
export type WarningThresholds = z.infer<typeof WarningThresholdsSchema>

export const OrgSettingsValuesSchema = z.object({
  quotas: QuotasSchema,
  pointsRules: z.array(PointsRuleSchema).max(100),
  visibility: VisibilitySchema,
  warnings: WarningThresholdsSchema,
  /** Check GPS against the venue geofence on QR check-in. */
  requireLocation: z.boolean(),
  showPointsToMembers: z.boolean(),
  /** Members at or over this age are left out of quotas and warnings; null = nobody by age. */
  exemptAge: z.number().int().min(50).max(120).nullable()
})
export type OrgSettingsValues = z.infer<typeof OrgSettingsValuesSchema>

/** Settings of one org; a branch without its own reads its nearest ancestor's. */
export const OrgSettingsSchema = OrgSettingsValuesSchema.extend({
  _id: IdSchema,
  orgId: IdSchema,
  updatedBy: IdSchema,
  updatedAt: TimestampSchema
})
export type OrgSettings = z.infer<typeof OrgSettingsSchema>

/** One settings document per org at a known id, so a read needs no query. */
export function settingsId(orgId: string): string {
  return deriveId('st', orgId)
}

/** Rules take effect from the start of 2020 (Shanghai) unless an org dates its own. */
const RULES_FROM = Date.UTC(2020, 0, 1) - 8 * 60 * 60 * 1000

/**
 * Modest defaults: rankings seen by secretaries only, points shown to their
 * owner. GPS is off by default: the rotating QR and the time window are the
 * main guard, mock-location apps make GPS weak evidence, and asking older
 * members for location permission costs more than it proves.
 */
export const DEFAULT_SETTINGS: OrgSettingsValues = {
  quotas: { staffWords: 10000, deputyWords: 15000, essays: 4 },
  pointsRules: [
    { rule: 'attend', label: '按时参加组织生活', points: 2, from: RULES_FROM },
    { rule: 'attend_late', label: '迟到参加组织生活', points: 1, from: RULES_FROM },
    { rule: 'makeup', label: '完成补学', points: 1, from: RULES_FROM },
    { rule: 'note_1000', label: '学习笔记每满1000字', points: 1, from: RULES_FROM },
    { rule: 'essay', label: '心得体会每篇（审阅通过）', points: 2, from: RULES_FROM },
    { rule: 'lecture', label: '讲授党课', points: 3, from: RULES_FROM }
  ],
  visibility: { memberRanking: 'secretaries', branchRanking: 'secretaries' },
  warnings: { yellowMonthsAbsent: 2, redMonthsAbsent: 3, yellowPace: 0.8, redPace: 0.5 },
  requireLocation: false,
  showPointsToMembers: true,
  exemptAge: null
}

/**
 * The value of a points rule for a fact dated `at`: the latest rule of that
 * key whose window contains it, or 0 when none does.
 */
export function pointsFor(rules: readonly PointsRule[], rule: string, at: number): number {
  let best: PointsRule | undefined
  for (const r of rules) {
    if (r.rule !== rule || at < r.from || (r.to !== undefined && at >= r.to)) continue
    if (!best || r.from >= best.from) best = r
  }
  return best ? best.points : 0
}
