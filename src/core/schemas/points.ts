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
 * A points key names one thing that can earn points: a rule applied to one
 * subject (a session, a note, a month of notes, a manual adjustment) for one
 * member. The ledger holds, per key, entries whose deltas sum to what the
 * facts earn today; when the facts change (a leave approved after an
 * absence) a correcting entry is appended, never an edit.
 */
export function pointsKey(rule: string, subjectId: string, memberId: string): string {
  return deriveId('pk', rule, subjectId, memberId)
}

/** Entry `seq` of a key: deterministic, so a retried write lands on the same id. */
export function pointsEntryId(key: string, seq: number): string {
  return `${key.replace(/^pk:/, 'pt:')}:${seq}`
}

export const PointsEntryObject = z.object({
  _id: IdSchema,
  memberId: IdSchema,
  branchId: IdSchema,
  /** Append-only ledger: deductions are negative entries, never edits. */
  delta: z.number().int().min(-1000).max(1000),
  rule: PointsRuleKeySchema,
  /** pointsKey(rule, subject, member); the entries of one key sum to what it earns now. */
  key: IdSchema,
  /** 0 for the first entry of a key, then 1, 2… for corrections. */
  seq: z.number().int().nonnegative(),
  sourceType: PointsSourceTypeSchema,
  sourceId: IdSchema,
  /** Why, in words a member reads: 7月12日 支部党员大会 按时参加. */
  reason: lineText(200),
  periodKeys: PeriodKeysSchema,
  /** When the fact happened (decides the period), not when it was recorded. */
  at: TimestampSchema,
  /** Set when a person (not a rule) made the entry. */
  createdBy: IdSchema.optional(),
  createdAt: TimestampSchema
})

export const PointsEntrySchema = PointsEntryObject.superRefine((e, ctx) => {
  if (e.sourceType === 'manual' && !e.createdBy) {
    ctx.addIssue({ code: 'custom', message: 'a manual entry needs its author', path: ['createdBy'] })
  }
})
export type PointsEntry = z.infer<typeof PointsEntrySchema>

/**
 * The running net of one points key, at id = the key. Transactions on
 * CloudBase can only read documents by id, so this is how a write learns
 * what a key has earned so far without querying the ledger.
 */
export const PointsNetSchema = z.object({
  _id: IdSchema,
  memberId: IdSchema,
  branchId: IdSchema,
  net: z.number().int(),
  /** Entries written so far; the next entry's seq. */
  entries: z.number().int().nonnegative(),
  updatedAt: TimestampSchema
})
export type PointsNet = z.infer<typeof PointsNetSchema>
