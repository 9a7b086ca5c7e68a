/**
 * Who is exempt from what. PRODUCT: "members over an age or marked
 * 长期病休/行动不便 can be excluded from quotas and warnings, and the secretary
 * can record activity on their behalf." One rule for every reader — the note
 * quota and pace, the member ranking, 双色预警 and the Art. 9 alert, the
 * deduction for an unexcused absence, and the branch's own figures (its
 * counted members, the sum of their quotas and its counters: the
 * denominators of per-member averages and rates) — so no page can leave a
 * member out of one and count them in another.
 *
 * Two causes, one outcome: the secretary's mark (member.exempt, any reason),
 * from the calendar year it was set, or reaching the organisation's
 * exemptAge in the year judged (only when the birth year is known). Judged
 * per Shanghai calendar year: a member who turns 80 this year is exempt for
 * this year's figures, not for last year's.
 *
 * An exempt member still takes part: they check in (or the secretary signs
 * them in), write notes, earn points for what they do and see their own
 * record. Nothing is taken from them and nobody is compared with them.
 */
import { SHANGHAI_OFFSET_MS } from '../period'
import type { EXEMPT_REASONS } from '../vocab/member'

export type ExemptionCause = (typeof EXEMPT_REASONS)[number] | 'over_age'

export interface ExemptFrom {
  /** Why, or null when the member is judged like everyone else. */
  cause: ExemptionCause | null
  /** No word or 心得 quota and no pace (noteQuota answers null). */
  quota: boolean
  /** Left out of the member ranking (counted apart, never listed). */
  ranking: boolean
  /** No 双色预警 and no Art. 9 alert. */
  warnings: boolean
  /** No points taken for an unexcused absence. */
  absenceDeduction: boolean
  /** Not one of the branch's counted members: left out of its member count, quota sum and counters. */
  branchFigures: boolean
}

/** What the rule reads of a member: the mark and the birth year. */
export interface ExemptionFacts {
  exempt: { reason: (typeof EXEMPT_REASONS)[number]; since: number } | null
  birthYear?: number | null
}

/** What the rule reads of the settings in force for the member's branch. */
export interface ExemptionSettings {
  exemptAge?: number | null
}

const NONE: ExemptFrom = { cause: null, quota: false, ranking: false, warnings: false, absenceDeduction: false, branchFigures: false }

function all(cause: ExemptionCause): ExemptFrom {
  return { cause, quota: true, ranking: true, warnings: true, absenceDeduction: true, branchFigures: true }
}

/** The Shanghai calendar year of an instant (the year an exemption is judged for). */
export function exemptionYear(at: number): number {
  return new Date(at + SHANGHAI_OFFSET_MS).getUTCFullYear()
}

export function exemptionOf(member: ExemptionFacts, settings: ExemptionSettings, year: number): ExemptFrom {
  const mark = member.exempt
  // A mark set in a later year does not rewrite the years before it.
  if (mark && exemptionYear(mark.since) <= year) return all(mark.reason)
  const age = settings.exemptAge
  if (age != null && member.birthYear != null && year - member.birthYear >= age) return all('over_age')
  return NONE
}

/** Exempt from everything for `year` (today both causes exempt from the same things). */
export function isExempt(member: ExemptionFacts, settings: ExemptionSettings, year: number): boolean {
  return exemptionOf(member, settings, year).cause !== null
}
