/**
 * Planning counter increments: which aggregate documents a fact's counters
 * land in, summed per document, then grouped so that documents taking the
 * very same increment are written by one bulk update (one database call on
 * CloudBase instead of one per document).
 */
import { periodKeysOf } from '../period'
import { aggregateId, type AggregateCounter, type AggregateScope } from '../schemas/aggregate'
import type { Counters } from './contributions'

export type IncrementScope = 'member' | 'branch'

export interface IncrementTarget {
  id: string
  scope: AggregateScope
  scopeId: string
  period: string
  /** The member whose fact it is (for a branch document, one of its members). */
  memberId: string
}

const LEVELS = ['year', 'quarter', 'month'] as const

/**
 * The documents an instant's counters land in: the member's, and the branch's when the member counts
 * for it (a function of the instant when that depends on the year, as an exemption by age does).
 */
export function incrementTargets(
  owner: { memberId: string; branchId: string; countsForBranch: boolean | ((at: number) => boolean) },
  at: number,
  scopes: readonly IncrementScope[] = ['member', 'branch']
): IncrementTarget[] {
  const keys = periodKeysOf(at)
  const out: IncrementTarget[] = []
  if (scopes.includes('member')) {
    for (const l of LEVELS) out.push({ id: aggregateId('member', owner.memberId, keys[l]), scope: 'member', scopeId: owner.memberId, period: keys[l], memberId: owner.memberId })
  }
  const counts = typeof owner.countsForBranch === 'function' ? owner.countsForBranch(at) : owner.countsForBranch
  if (scopes.includes('branch') && counts) {
    for (const l of LEVELS) out.push({ id: aggregateId('branch', owner.branchId, keys[l]), scope: 'branch', scopeId: owner.branchId, period: keys[l], memberId: owner.memberId })
  }
  return out
}

export interface PlannedIncrement extends IncrementTarget {
  counters: Counters
}

/** Adds counters to a document's planned increment (zeros dropped when the sum cancels out). */
export function planIncrement(plan: Map<string, PlannedIncrement>, target: IncrementTarget, counters: Counters): void {
  const entry = plan.get(target.id) ?? { ...target, counters: {} }
  for (const [k, v] of Object.entries(counters) as [AggregateCounter, number][]) {
    if (!v) continue
    const sum = (entry.counters[k] ?? 0) + v
    if (sum === 0) delete entry.counters[k]
    else entry.counters[k] = sum
  }
  plan.set(target.id, entry)
}

function countersKey(c: Counters): string {
  return JSON.stringify(Object.entries(c).filter(([, v]) => v).sort(([a], [b]) => (a < b ? -1 : 1)))
}

/** Documents with identical increments together; documents left with nothing to add dropped. */
export function groupIncrements(plan: Iterable<PlannedIncrement>): { counters: Counters; docs: PlannedIncrement[] }[] {
  const groups = new Map<string, { counters: Counters; docs: PlannedIncrement[] }>()
  for (const p of plan) {
    const key = countersKey(p.counters)
    if (key === '[]') continue
    const g = groups.get(key) ?? { counters: p.counters, docs: [] }
    g.docs.push(p)
    groups.set(key, g)
  }
  return [...groups.values()]
}
