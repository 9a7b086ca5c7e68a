/**
 * 民主评议党员: each member grades the others of the branch, secretly, and the
 * branch committee then records one outcome per member. Secrecy is a storage
 * rule as much as a screen rule: a ballot is kept apart from the fact that
 * its grader voted (so no one, the secretary included, can link them), and
 * only the tally of ballots is ever read back (see tallyGrades).
 */
import { fail, ok, type Result } from '../errors'
import { DEFAULT_EXCELLENT_SHARE, GRADES, GRADE_LABELS, MIN_BALLOTS_FOR_TALLY, excellentLimit, outcomeNeedsReason, type Grade } from '../vocab/review'

export { DEFAULT_EXCELLENT_SHARE, GRADES, GRADE_LABELS, excellentLimit, outcomeNeedsReason, type Grade }

export type GradeSheet = Record<string, Grade>

/**
 * A member's ballot: every other member of the review graded once, nobody
 * else, not oneself, and 优秀 within the limit.
 */
export function checkGradeSheet(sheet: GradeSheet, o: { graderId: string; members: string[]; excellentShare: number }): Result<GradeSheet> {
  if (o.graderId in sheet) return fail('INVALID_INPUT', '不给自己评定等次')
  const others = o.members.filter((id) => id !== o.graderId)
  const strangers = Object.keys(sheet).filter((id) => !others.includes(id))
  if (strangers.length > 0) return fail('INVALID_INPUT', '只能评定本次评议的党员', { memberIds: strangers })
  const missing = others.filter((id) => !(id in sheet))
  if (missing.length > 0) return fail('INVALID_INPUT', `还有 ${missing.length} 位同志没有评定`, { memberIds: missing })
  const limit = excellentLimit(others.length, o.excellentShare)
  const excellent = others.filter((id) => sheet[id] === 'excellent').length
  if (excellent > limit) return fail('INVALID_INPUT', `评为“优秀”的最多 ${limit} 位，现在是 ${excellent} 位`, { limit })
  return ok(sheet)
}

export type GradeCounts = Record<Grade, number>

function zero(): GradeCounts {
  return { excellent: 0, qualified: 0, basic: 0, unqualified: 0 }
}

/** Per member, how many ballots gave each grade. Ballots carry no grader, and neither does this. */
export function tallyGrades(ballots: GradeSheet[], members: string[]): Record<string, GradeCounts> {
  const out: Record<string, GradeCounts> = {}
  for (const id of members) out[id] = zero()
  for (const b of ballots) for (const [id, g] of Object.entries(b)) if (out[id]) out[id][g]++
  return out
}


export interface Outcome {
  grade: Grade
  reason?: string
}

/** The committee's outcomes for the whole review: reasons where needed, 优秀 within the same limit. */
export function checkOutcomes(outcomes: Record<string, Outcome>, o: { members: string[]; excellentShare: number }): Result<Record<string, Outcome>> {
  const strangers = Object.keys(outcomes).filter((id) => !o.members.includes(id))
  if (strangers.length > 0) return fail('INVALID_INPUT', '只能记录本次评议的党员', { memberIds: strangers })
  const unexplained = Object.entries(outcomes)
    .filter(([, v]) => outcomeNeedsReason(v.grade) && !(v.reason ?? '').trim())
    .map(([id]) => id)
  if (unexplained.length > 0) return fail('INVALID_INPUT', '评为“基本合格”或“不合格”的，请写明理由', { memberIds: unexplained })
  const limit = excellentLimit(o.members.length, o.excellentShare)
  const excellent = Object.values(outcomes).filter((v) => v.grade === 'excellent').length
  if (excellent > limit) return fail('INVALID_INPUT', `评为“优秀”的最多 ${limit} 位，现在是 ${excellent} 位`, { limit })
  return ok(outcomes)
}

/**
 * Whether a closed review's tally may be shown. The officers know who voted,
 * so a tally of one ballot names its grader; below MIN_BALLOTS_FOR_TALLY the
 * committee decides from the meeting, not from the numbers.
 */
export function tallyShown(ballots: number): boolean {
  return ballots >= MIN_BALLOTS_FOR_TALLY
}
