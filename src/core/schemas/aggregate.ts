import { z } from '../zod'
import { deriveId } from '../ids'
import { IdSchema, PeriodKeySchema, TimestampSchema } from './common'

export const AGGREGATE_SCOPES = ['member', 'branch'] as const
export const AggregateScopeSchema = z.enum(AGGREGATE_SCOPES)
export type AggregateScope = z.infer<typeof AggregateScopeSchema>

/**
 * Writes `inc` into this id and reconciliation rebuilds it, so both must land
 * on the same document without a lookup.
 */
export function aggregateId(scope: AggregateScope, scopeId: string, period: string): string {
  return deriveId('agg', scope, scopeId, period)
}

const count = z.number().int().nonnegative()

/**
 * Precomputed totals of one member or one branch for one period (year,
 * quarter or month). Rankings read these; raw facts are never scanned on read.
 */
export const AggregateSchema = z.object({
  _id: IdSchema,
  scope: AggregateScopeSchema,
  scopeId: IdSchema,
  branchId: IdSchema,
  /** The branch's org path, so a 党委 can rank every branch beneath it in one query. */
  orgPath: z.array(IdSchema).min(1).max(8),
  period: PeriodKeySchema,
  /** Members counted (1 for a member); the denominator of per-member averages. */
  members: count,
  /** Sessions attended, late ones included. */
  attended: count,
  /** Sessions the member was in the audience of (not cancelled ones). */
  expected: count,
  /** Approved leaves; excused, so rates may leave them out of expected. */
  leave: count,
  /** Of attended, how many were late. */
  late: count,
  /** Expected, not attended, no approved leave (无故缺席). */
  absent: count,
  /** Make-up study accepted (补学). */
  makeups: count,
  creditedWords: count,
  essays: count,
  /** Points can be negative after deductions. */
  points: z.number().int(),
  /**
   * The year's word quota of the member, or the sum over the branch's
   * members (exempt members count 0). Set when the document is created and by
   * reconciliation, not by increments.
   */
  quotaWords: count,
  updatedAt: TimestampSchema
})
export type Aggregate = z.infer<typeof AggregateSchema>

/** The counters an increment may touch; everything else is identity. */
export const AGGREGATE_COUNTERS = [
  'members',
  'attended',
  'expected',
  'leave',
  'late',
  'absent',
  'makeups',
  'creditedWords',
  'essays',
  'points'
] as const
export type AggregateCounter = (typeof AGGREGATE_COUNTERS)[number]

/** A zeroed aggregate, the starting point for both upserts and reconciliation. */
export function emptyAggregate(
  scope: AggregateScope,
  scopeId: string,
  branchId: string,
  orgPath: string[],
  period: string,
  now: number,
  quotaWords = 0
): Aggregate {
  return {
    _id: aggregateId(scope, scopeId, period),
    scope,
    scopeId,
    branchId,
    orgPath,
    period,
    members: scope === 'member' ? 1 : 0,
    attended: 0,
    expected: 0,
    leave: 0,
    late: 0,
    absent: 0,
    makeups: 0,
    creditedWords: 0,
    essays: 0,
    points: 0,
    quotaWords,
    updatedAt: now
  }
}
