import { z } from '../zod'
import { deriveId } from '../ids'
import { IdSchema, PeriodKeysSchema, TimestampSchema, lineText } from './common'

/** What gave rise to an entry; sourceId points at that document. */
export const POINTS_SOURCE_TYPES = ['checkin', 'note', 'leave', 'makeup', 'manual', 'lecture'] as const
export const PointsSourceTypeSchema = z.enum(POINTS_SOURCE_TYPES)
export type PointsSourceType = z.infer<typeof PointsSourceTypeSchema>

export const POINTS_SOURCE_LABELS: Record<PointsSourceType, string> = {
  checkin: '参加活动',
  note: '学习笔记',
  leave: '请假',
  makeup: '补学',
  manual: '书记调整',
  lecture: '讲党课'
}

/** Rule keys are short snake_case names, e.g. `attend`, `note_words`. */
export const PointsRuleKeySchema = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/)

/**
 * One entry per (rule, source, member): awarding twice for the same fact
 * writes the same id, so a retry can never double the points. A correction is
 * a new entry with its own source (e.g. the manual adjustment's id).
 */
export function pointsEntryId(rule: string, sourceId: string, memberId: string): string {
  return deriveId('pt', rule, sourceId, memberId)
}

export const PointsEntryObject = z.object({
  _id: IdSchema,
  memberId: IdSchema,
  branchId: IdSchema,
  /** Append-only ledger: deductions are negative entries, never edits. */
  delta: z.number().int().min(-1000).max(1000),
  rule: PointsRuleKeySchema,
  sourceType: PointsSourceTypeSchema,
  sourceId: IdSchema,
  reason: lineText(200).optional(),
  periodKeys: PeriodKeysSchema,
  /** When the fact happened (decides the period), not when it was recorded. */
  at: TimestampSchema,
  /** Set when a person (not a rule) made the entry. */
  createdBy: IdSchema.optional(),
  createdAt: TimestampSchema
})

export const PointsEntrySchema = PointsEntryObject.superRefine((e, ctx) => {
  if (e.sourceType === 'manual' && (!e.reason || !e.createdBy)) {
    ctx.addIssue({ code: 'custom', message: 'a manual entry needs a reason and its author', path: ['reason'] })
  }
})
export type PointsEntry = z.infer<typeof PointsEntrySchema>
