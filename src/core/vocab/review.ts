/**
 * 民主评议党员 words and limits, free of zod and of the error module so the
 * screens can show them and count 优秀 live (see vocab/note.ts for why).
 */
export const GRADES = ['excellent', 'qualified', 'basic', 'unqualified'] as const
export type Grade = (typeof GRADES)[number]

export const GRADE_LABELS: Record<Grade, string> = {
  excellent: '优秀',
  qualified: '合格',
  basic: '基本合格',
  unqualified: '不合格'
}

/** The usual ceiling on 优秀: a share of those graded; the 党委 may set its own. */
export const DEFAULT_EXCELLENT_SHARE = 0.3
/** Bounds of that setting: below 10% a small branch could name nobody, above 50% 优秀 stops meaning much. */
export const EXCELLENT_SHARE_MIN = 0.1
export const EXCELLENT_SHARE_MAX = 0.5

/**
 * How many 优秀 a sheet (or the committee) may give among `graded` people. At
 * least one where anyone is graded, or a branch of three could never name one.
 */
export function excellentLimit(graded: number, share: number): number {
  if (graded <= 0) return 0
  return Math.max(1, Math.floor(graded * share + 1e-9))
}

/** 基本合格 and 不合格 are recorded with the committee's reason; the others need none (the page asks before sending). */
export function outcomeNeedsReason(g: Grade | undefined): boolean {
  return g === 'basic' || g === 'unqualified'
}

/** 自我评价: long enough for a page of plain writing, short enough to read aloud at the meeting. */
export const SELF_TEXT_MAX = 3000
/** The committee's reason for 基本合格 / 不合格. */
export const OUTCOME_REASON_MAX = 300

/**
 * Fewer ballots than this and the tally is not shown at all: with one ballot
 * the tally IS that ballot, and the officers can see who voted, so the
 * grader would be known. Two still lets each of the two subtract their own.
 */
export const MIN_BALLOTS_FOR_TALLY = 3

export const REVIEW_STAGE_LABELS = { open: '评议进行中', closed: '评议已结束' } as const
