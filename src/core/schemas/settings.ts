import { z } from '../zod'
import { deriveId } from '../ids'
import { DEFAULT_ESSAY_MIN_WORDS, DEFAULT_ESSAY_POINTS_QUARTERLY_CAP } from '../notes/essay'
import { IdSchema, TimestampSchema, lineText } from './common'
import { PointsRuleKeySchema } from './points'
import { SessionTypeSchema } from './session'
import { VISIBILITY_LEVELS } from '../vocab/settings'
import { DEFAULT_EXCELLENT_SHARE, EXCELLENT_SHARE_MAX, EXCELLENT_SHARE_MIN } from '../vocab/review'

/** 优秀's share in 民主评议, in whole percents' steps so the page's stepper and the stored value agree. */
export const ExcellentShareSchema = z
  .number()
  .min(EXCELLENT_SHARE_MIN)
  .max(EXCELLENT_SHARE_MAX)
  .refine((v) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-9, { message: 'a whole percent' })

/**
 * 离退休党员's quota, one for every former rank. The seed text asks its
 * figures of serving people: "每个工作人员全年笔记不少于1万字，副科级以上干部
 * 不少于1.5万字，同时撰写心得体会4篇以上，年终进行检查，纳入年终考核" — 工作人员
 * and 干部 whose notes count in the year-end 考核 of their post. Retired
 * members hold no post and are not in that 考核, yet keep studying with
 * their branch; the speeches warn against study as a burden (一读了事、
 * 突击抓). So by default half the staff figure and half the essays: a steady
 * 5,000 characters (about 100 a week) and 2 心得 a year. An organisation may
 * set its own, or 0 for none.
 */
export const RetiredQuotaSchema = z.object({
  words: z.number().int().min(0).max(200000),
  essays: z.number().int().min(0).max(50)
})
export type RetiredQuota = z.infer<typeof RetiredQuotaSchema>
export const DEFAULT_RETIRED_QUOTA: RetiredQuota = { words: 5000, essays: 2 }

/** 在职 by rank: 每个工作人员全年笔记不少于1万字，副科级以上干部不少于1.5万字，心得体会4篇以上; 离退休 apart. */
export const QuotasSchema = z.object({
  staffWords: z.number().int().min(0).max(200000),
  deputyWords: z.number().int().min(0).max(200000),
  essays: z.number().int().min(0).max(50),
  /** Documents saved before the categories existed read the default, never the staff figure. */
  retired: RetiredQuotaSchema.default(DEFAULT_RETIRED_QUOTA)
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

export { VISIBILITY_LABELS, VISIBILITY_LEVELS, type VisibilityLevel } from '../vocab/settings'
export const VisibilityLevelSchema = z.enum(VISIBILITY_LEVELS)

export const VisibilitySchema = z.object({
  memberRanking: VisibilityLevelSchema,
  branchRanking: VisibilityLevelSchema
})
export type Visibility = z.infer<typeof VisibilitySchema>

/**
 * 双色预警 thresholds, per member per quarter. Art. 9 of the Constitution
 * treats six months without organisational life as leaving the Party, so the
 * separate alert starts at three months, leaving the secretary time to act.
 */
export const WarningThresholdsSchema = z
  .object({
    /** Unexcused absences in the quarter that raise yellow / red. */
    yellowAbsences: z.number().int().min(1).max(20),
    redAbsences: z.number().int().min(1).max(20),
    /** Yellow when the quarter's points are below this; null = no points rule. */
    yellowPointsBelow: z.number().int().min(-100).max(100).nullable(),
    /** Share of the pro-rata note quota below which a member is behind pace. */
    yellowPace: z.number().min(0).max(1),
    /** Far behind pace; raises red in the fourth quarter. */
    redPace: z.number().min(0).max(1),
    /** Consecutive months with no organisational life (leave excluded) that raise the Art. 9 alert. */
    alertMonthsAbsent: z.number().int().min(1).max(5)
  })
  .refine((w) => w.redAbsences > w.yellowAbsences, {
    message: 'red must need more absences than yellow',
    path: ['redAbsences']
  })
  .refine((w) => w.redPace < w.yellowPace, { message: 'red pace must be below yellow pace', path: ['redPace'] })
export type WarningThresholds = z.infer<typeof WarningThresholdsSchema>

/**
 * Scheduled reminders. Offsets are minutes before a session starts; each
 * type may have its own (a 支委会 of five people may want none). The pace
 * and make-up reminders can be switched off (null): a branch that reminds in
 * person should not have the app nag on top.
 */
export const ReminderScheduleSchema = z.object({
  /** Minutes before the start, per session type; [] = no scheduled reminder for that type. */
  sessionOffsets: z.partialRecord(SessionTypeSchema, z.array(z.number().int().min(10).max(7 * 24 * 60)).max(3)),
  /** Offsets for a type not listed above. */
  defaultSessionOffsets: z.array(z.number().int().min(10).max(7 * 24 * 60)).max(3),
  /** Day of the month (Shanghai) on which those behind their note pace get one reminder; null = never. */
  paceDay: z.number().int().min(1).max(28).nullable(),
  /** Days before a make-up's deadline to remind whoever has not handed it in; null = never. */
  makeupDaysBefore: z.number().int().min(1).max(14).nullable()
})
export type ReminderSchedule = z.infer<typeof ReminderScheduleSchema>

/** The defaults: 1 day and 1 hour before every session, pace on the 20th, make-ups 2 days ahead. */
export const DEFAULT_REMINDER_SCHEDULE: ReminderSchedule = {
  sessionOffsets: {},
  defaultSessionOffsets: [24 * 60, 60],
  paceDay: 20,
  makeupDaysBefore: 2
}

export const OrgSettingsValuesSchema = z.object({
  quotas: QuotasSchema,
  pointsRules: z.array(PointsRuleSchema).max(100),
  /** At most this many `note_1000` points per member per month, so a burst of writing before an inspection (突击) earns no more than steady work. */
  notePointsMonthlyCap: z.number().int().min(0).max(100),
  visibility: VisibilitySchema,
  warnings: WarningThresholdsSchema,
  /** Check GPS against the venue geofence on QR check-in. */
  requireLocation: z.boolean(),
  showPointsToMembers: z.boolean(),
  /** Members at or over this age are left out of quotas and warnings; null = nobody by age. */
  exemptAge: z.number().int().min(50).max(120).nullable(),
  /** Documents saved before reminders existed read the defaults instead of failing to parse. */
  reminders: ReminderScheduleSchema.default(DEFAULT_REMINDER_SCHEDULE),
  // 心得体会 length (notes/essay.ts), kept apart from the quotas: an essay with fewer credited words
  // does not count toward the four nor earn its points. Older documents read the default.
  essayMinWords: z.number().int().min(0).max(5000).default(DEFAULT_ESSAY_MIN_WORDS),
  // At most this many 心得 a quarter earn points (notes/essay.ts essayPointEarners); counting toward
  // the four is not capped. Older documents read the default.
  essayPointsQuarterlyCap: z.number().int().min(0).max(20).default(DEFAULT_ESSAY_POINTS_QUARTERLY_CAP),
  // 民主评议: at most this share of those graded may be 优秀, on a ballot and in the committee's outcomes
  // (review/grades.ts excellentLimit). Older documents read the default.
  reviewExcellentShare: ExcellentShareSchema.default(DEFAULT_EXCELLENT_SHARE)
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
  quotas: { staffWords: 10000, deputyWords: 15000, essays: 4, retired: DEFAULT_RETIRED_QUOTA },
  pointsRules: [
    { rule: 'attend', label: '按时参加组织生活', points: 2, from: RULES_FROM },
    { rule: 'attend_late', label: '迟到参加组织生活', points: 1, from: RULES_FROM },
    { rule: 'absent', label: '无故缺席组织生活', points: -2, from: RULES_FROM },
    { rule: 'makeup', label: '完成补学', points: 1, from: RULES_FROM },
    { rule: 'note_1000', label: '学习笔记每满1000字', points: 1, from: RULES_FROM },
    { rule: 'essay', label: '撰写心得体会每篇', points: 2, from: RULES_FROM },
    { rule: 'lecture', label: '讲授党课', points: 3, from: RULES_FROM }
  ],
  notePointsMonthlyCap: 5,
  visibility: { memberRanking: 'secretaries', branchRanking: 'secretaries' },
  warnings: { yellowAbsences: 2, redAbsences: 3, yellowPointsBelow: 0, yellowPace: 0.8, redPace: 0.5, alertMonthsAbsent: 3 },
  requireLocation: false,
  showPointsToMembers: true,
  exemptAge: null,
  reminders: DEFAULT_REMINDER_SCHEDULE,
  essayMinWords: DEFAULT_ESSAY_MIN_WORDS,
  essayPointsQuarterlyCap: DEFAULT_ESSAY_POINTS_QUARTERLY_CAP,
  reviewExcellentShare: DEFAULT_EXCELLENT_SHARE
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
