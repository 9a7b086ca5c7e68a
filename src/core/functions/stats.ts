import { z } from '../zod'
import { IdSchema, PeriodKeySchema } from '../schemas/common'

export const MemberRankingInput = z.object({ branchId: IdSchema, period: PeriodKeySchema }).strict()
export const BranchRankingInput = z.object({ orgId: IdSchema, period: PeriodKeySchema }).strict()
export const WarningsInput = z.object({ branchId: IdSchema }).strict()
export const ReportInput = z.object({ orgId: IdSchema, period: PeriodKeySchema }).strict()

/** Rebuild aggregates from raw facts; without arguments, the caller's scope and the current year. */
export const ReconcileInput = z
  .object({ orgId: IdSchema.optional(), period: PeriodKeySchema.optional() })
  .strict()

/** 签到台账, 笔记台账, 积分台账 for year-end inspection. */
export const LEDGER_KINDS = ['checkins', 'notes', 'points'] as const
export const LedgerInput = z
  .object({ branchId: IdSchema, kind: z.enum(LEDGER_KINDS), period: PeriodKeySchema })
  .strict()

const rate = z.number().min(0).max(1)
const count = z.number().int().nonnegative()

/** Rates and per-member figures only, never raw activity totals (fair to small branches). */
export const MemberRankingRowSchema = z.object({
  rank: z.number().int().positive(),
  memberId: IdSchema,
  name: z.string(),
  attendanceRate: rate,
  creditedWords: count,
  essays: count,
  points: z.number().int()
})
export const MemberRankingOutput = z.object({
  period: PeriodKeySchema,
  rows: z.array(MemberRankingRowSchema),
  /** Exempt members are left out and counted here so the list is honest. */
  exemptCount: count
})

export const BranchRankingRowSchema = z.object({
  rank: z.number().int().positive(),
  branchId: IdSchema,
  name: z.string(),
  members: count,
  attendanceRate: rate,
  wordsPerMember: z.number().nonnegative(),
  essaysPerMember: z.number().nonnegative(),
  pointsPerMember: z.number()
})
export const BranchRankingOutput = z.object({ period: PeriodKeySchema, rows: z.array(BranchRankingRowSchema) })

export const WARNING_LEVELS = ['yellow', 'red'] as const
export const WARNING_REASONS = ['absent_months', 'note_pace', 'essays', 'cadre_dual_life'] as const
export const WarningSchema = z.object({
  memberId: IdSchema,
  name: z.string(),
  level: z.enum(WARNING_LEVELS),
  reason: z.enum(WARNING_REASONS),
  /** A sentence a secretary can act on, e.g. 已连续3个月未参加组织生活. */
  message: z.string(),
  /** Consecutive months absent, for the Art. 9 six-month risk. */
  monthsAbsent: count.optional()
})
export type Warning = z.infer<typeof WarningSchema>
export const WarningsOutput = z.object({ warnings: z.array(WarningSchema) })

export const StatsInputs = {
  memberRanking: MemberRankingInput,
  branchRanking: BranchRankingInput,
  warnings: WarningsInput,
  report: ReportInput,
  reconcile: ReconcileInput,
  ledger: LedgerInput
} as const
