/** The vocabulary of branch settings, free of zod (see vocab/note.ts for why). */

/** Who may see a ranking. Members always see their own record whatever this says. */
export const VISIBILITY_LEVELS = ['admins', 'secretaries', 'members'] as const
export type VisibilityLevel = (typeof VISIBILITY_LEVELS)[number]

export const VISIBILITY_LABELS: Record<VisibilityLevel, string> = {
  admins: '仅党委管理员',
  secretaries: '支部书记及以上',
  members: '全体党员'
}
