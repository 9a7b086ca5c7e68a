import { z } from '../zod'
import { RecordTalkInput, TalkShownSchema } from './talks'
import { IdSchema, PeriodKeySchema, TimestampSchema, lineText } from '../schemas/common'
import { PointsSourceTypeSchema } from '../schemas/points'
import { RANK_BY, WARNING_LEVELS } from '../vocab/stats'

export { RANK_BY, RANK_BY_LABELS, WARNING_LEVELS, WARNING_LEVEL_LABELS, type RankBy, type WarningLevel } from '../vocab/stats'
export const RankBySchema = z.enum(RANK_BY)

const QuarterKeySchema = z.string().regex(/^\d{4}-Q[1-4]$/, '请选择季度，如 2026-Q3')

export const MemberRankingInput = z
  .object({ branchId: IdSchema, period: PeriodKeySchema, by: RankBySchema.default('points') })
  .strict()
export const BranchRankingInput = z
  .object({ orgId: IdSchema, period: PeriodKeySchema, by: RankBySchema.default('points') })
  .strict()
/** Without a quarter: the current one (Asia/Shanghai). */
export const WarningsInput = z.object({ branchId: IdSchema, quarter: QuarterKeySchema.optional() }).strict()
export const ReportInput = z.object({ orgId: IdSchema, period: QuarterKeySchema }).strict()
/** A member's own ledger; an officer may name a member of their branch. */
export const PointsInput = z.object({ memberId: IdSchema.optional(), period: PeriodKeySchema }).strict()
export const AdjustPointsInput = z
  .object({
    memberId: IdSchema,
    delta: z.number().int().min(-20).max(20).refine((d) => d !== 0, { message: '调整分值不能为 0' }),
    reason: lineText(100).refine((r) => r.length >= 2, { message: '请写明调整原因' }),
    /** Lets a retried tap land on the same entry. */
    clientId: IdSchema,
    /** The day the adjustment belongs to (defaults to now); decides its period. */
    at: TimestampSchema.optional()
  })
  .strict()

/** Rebuild aggregates and correct the ledger from raw facts, one chunk of branches per call. */
export const ReconcileInput = z
  .object({ orgId: IdSchema.optional(), year: z.number().int().min(2000).max(2999).optional(), cursor: z.string().max(200).optional() })
  .strict()

/** 签到台账, 笔记台账, 积分台账 for year-end inspection (issue 7). */
export const LEDGER_KINDS = ['checkins', 'notes', 'points'] as const
export const LedgerInput = z
  .object({ branchId: IdSchema, kind: z.enum(LEDGER_KINDS), period: PeriodKeySchema })
  .strict()

const rate = z.number().min(0).max(1)
const count = z.number().int().nonnegative()

/** A member's figures for a period, as read from their aggregate. */
export const MemberFiguresSchema = z.object({
  memberId: IdSchema,
  name: z.string(),
  /** attended / (expected − leave); null when nothing was expected. */
  attendanceRate: rate.nullable(),
  attended: count,
  expected: count,
  leave: count,
  absent: count,
  creditedWords: count,
  /** creditedWords / the pro-rata quota of the period, capped at 1; null when exempt. */
  quotaRate: rate.nullable(),
  essays: count,
  points: z.number().int(),
  exempt: z.boolean()
})
export type MemberFigures = z.infer<typeof MemberFiguresSchema>

export const MemberRankingRowSchema = MemberFiguresSchema.extend({
  rank: z.number().int().positive(),
  /** Rank in the previous period of the same kind; null when unranked then. */
  previousRank: z.number().int().positive().nullable()
})
export type MemberRankingRow = z.infer<typeof MemberRankingRowSchema>

/** Why a ranking is not shown to this caller, in words. */
const hidden = z.object({ visible: z.boolean(), hiddenReason: z.string().optional() })

export const MemberRankingOutput = hidden.extend({
  period: PeriodKeySchema,
  previousPeriod: PeriodKeySchema,
  by: RankBySchema,
  branchName: z.string(),
  rows: z.array(MemberRankingRowSchema),
  /** The caller's own figures, always (members always see their own record). */
  me: MemberRankingRowSchema.partial({ rank: true, previousRank: true }).nullable(),
  /** Exempt members are left out and counted here so the list is honest. */
  exemptCount: count,
  /** Organisation setting: when false, points are left out for members. */
  showPoints: z.boolean()
})
export type MemberRankingResult = z.infer<typeof MemberRankingOutput>

export const BranchRankingRowSchema = z.object({
  rank: z.number().int().positive(),
  previousRank: z.number().int().positive().nullable(),
  branchId: IdSchema,
  name: z.string(),
  /** Members counted (exempt ones left out). */
  members: count,
  attendanceRate: rate.nullable(),
  quotaRate: rate.nullable(),
  wordsPerMember: z.number().nonnegative(),
  essaysPerMember: z.number().nonnegative(),
  pointsPerMember: z.number()
})
export type BranchRankingRow = z.infer<typeof BranchRankingRowSchema>

export const BranchRankingOutput = hidden.extend({
  period: PeriodKeySchema,
  previousPeriod: PeriodKeySchema,
  by: RankBySchema,
  orgName: z.string(),
  rows: z.array(BranchRankingRowSchema),
  /** The caller's branch, to highlight its row. */
  myBranchId: IdSchema.nullable()
})
export type BranchRankingResult = z.infer<typeof BranchRankingOutput>

export const WARNING_REASONS = ['absences', 'points', 'note_pace', 'months_absent'] as const
export type WarningReason = (typeof WARNING_REASONS)[number]

/** One fact that raised a warning, e.g. 本季度无故缺席 2 次（7月5日支委会、8月2日主题党日）. */
export const WarningFactSchema = z.object({ reason: z.enum(WARNING_REASONS), level: z.enum(WARNING_LEVELS), text: z.string() })
export type WarningFact = z.infer<typeof WarningFactSchema>

/** Art. 9: six months without organisational life is treated as leaving the Party. */
export const AbsenceAlertSchema = z.object({
  /** Consecutive whole months with no organisational life and no approved leave. */
  months: z.number().int().min(1).max(120),
  /** 3 / 4 / 5+ months: 关注 / 警示 / 紧急. */
  severity: z.enum(['notice', 'warning', 'urgent']),
  text: z.string()
})
export type AbsenceAlert = z.infer<typeof AbsenceAlertSchema>

export const MemberWarningSchema = z.object({
  memberId: IdSchema,
  name: z.string(),
  /** Highest level raised; null when only the absence alert applies. */
  level: z.enum(WARNING_LEVELS).nullable(),
  facts: z.array(WarningFactSchema),
  alert: AbsenceAlertSchema.nullable(),
  /** What the secretary can do, e.g. 谈心谈话, 安排补学. */
  actions: z.array(z.string()),
  /** The latest 谈心谈话 recorded in the quarter (officers' view only). */
  talk: TalkShownSchema.optional()
})
export type MemberWarning = z.infer<typeof MemberWarningSchema>

export const WarningsOutput = z.object({
  quarter: z.string(),
  branchName: z.string(),
  warnings: z.array(MemberWarningSchema),
  exemptCount: count
})

/** The cadence check of the quarter as the report counts it (src/core/stats/report.ts summarizeMeetings). */
export const ReportMeetingsSchema = z.object({
  /** Requirements whose time has come (met, or their month / quarter is over). */
  due: count,
  met: count,
  /** Not held in time, e.g. 8月支委会. */
  missed: z.array(z.string()),
  /** Not held yet, time still left. */
  pending: z.array(z.string())
})
export const RED_FLAG_STATUSES = ['candidate', 'qualified', 'not_qualified'] as const
export const ReportBranchRowSchema = BranchRankingRowSchema.extend({
  yellow: count,
  red: count,
  alerts: count,
  /** Members with any warning or alert (one member may have both). */
  warnedMembers: count,
  meetings: ReportMeetingsSchema,
  /** 红旗党支部 composite, 0–100, unrounded (ranks compare it as is; screens round it). */
  score: z.number().min(0).max(100),
  /** Named a candidate, qualified but not among the best, or not qualified (see reasons). */
  redFlag: z.enum(RED_FLAG_STATUSES),
  /** Why the branch cannot be a candidate; empty when it qualifies. */
  reasons: z.array(z.string())
})
export type ReportBranchRow = z.infer<typeof ReportBranchRowSchema>
export const ReportOutput = z.object({
  period: z.string(),
  orgName: z.string(),
  generatedAt: TimestampSchema,
  branches: z.array(ReportBranchRowSchema),
  totals: z.object({
    branches: count,
    members: count,
    attendanceRate: rate.nullable(),
    quotaRate: rate.nullable(),
    yellow: count,
    red: count,
    alerts: count
  }),
  /** The quarter was still running when the report was made: figures so far, candidates provisional. */
  provisional: z.boolean(),
  /** Top qualifying branches by the composite, as 红旗党支部 candidates, best first. */
  redFlag: z.array(z.object({ branchId: IdSchema, name: z.string(), score: z.number() })),
  /** At most this many candidates (a third of the branches compared, at least one). */
  candidateLimit: count,
  /** The criteria, one paragraph each, printed with the report so nobody has to guess. */
  criteria: z.array(z.string()),
  /** The same criteria as one text. */
  scoreRule: z.string(),
  /** Members with warnings; names only for branches the caller may see by name. */
  warned: z.array(
    z.object({ branchId: IdSchema, branchName: z.string(), name: z.string().nullable(), level: z.enum(WARNING_LEVELS).nullable(), facts: z.array(z.string()) })
  )
})
export type ReportResult = z.infer<typeof ReportOutput>

export const PointsLineSchema = z.object({
  _id: IdSchema,
  delta: z.number().int(),
  rule: z.string(),
  /** The rule's name in the settings, e.g. 按时参加组织生活. */
  label: z.string(),
  reason: z.string(),
  sourceType: PointsSourceTypeSchema,
  sourceId: IdSchema,
  at: TimestampSchema,
  createdAt: TimestampSchema,
  /** A correction of an earlier entry (seq > 0). */
  correction: z.boolean(),
  createdByName: z.string().nullable()
})
export type PointsLine = z.infer<typeof PointsLineSchema>
export const PointsOutput = z.object({
  memberId: IdSchema,
  name: z.string(),
  period: PeriodKeySchema,
  total: z.number().int(),
  lines: z.array(PointsLineSchema),
  /** The rules in force now, so a member can see what earns what. */
  rules: z.array(z.object({ rule: z.string(), label: z.string(), points: z.number().int() }))
})
export type PointsResult = z.infer<typeof PointsOutput>

export const ReconcileOutput = z.object({
  year: z.number().int(),
  branches: count,
  aggregatesChecked: count,
  /** Aggregates that differed from the raw facts and were rewritten. */
  aggregatesCorrected: count,
  /** Points keys whose ledger did not match the facts; a correcting entry was appended for each. */
  pointsCorrected: count,
  nextCursor: z.string().optional()
})
export type ReconcileResult = z.infer<typeof ReconcileOutput>

export const StatsInputs = {
  memberRanking: MemberRankingInput,
  branchRanking: BranchRankingInput,
  warnings: WarningsInput,
  report: ReportInput,
  points: PointsInput,
  adjustPoints: AdjustPointsInput,
  reconcile: ReconcileInput,
  recordTalk: RecordTalkInput
} as const
