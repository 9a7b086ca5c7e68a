/** The vocabulary of members, free of zod (see vocab/note.ts for why). */

/** Rank decides the note quota: 10,000 words for staff, 15,000 for 副科级以上. */
export const RANKS = ['staff', 'deputy_section_plus'] as const
export type Rank = (typeof RANKS)[number]
export const RANK_LABELS: Record<Rank, string> = {
  staff: '一般工作人员',
  deputy_section_plus: '副科级以上干部'
}

/**
 * A role is always held within an org, so every permission check is a check
 * of the org path: an admin of one 党委 sees nothing of another.
 */
export const ROLE_NAMES = ['admin', 'secretary', 'committee'] as const
export type RoleName = (typeof ROLE_NAMES)[number]
export const ROLE_LABELS: Record<RoleName, string> = {
  admin: '党委管理员',
  secretary: '支部书记',
  committee: '支委委员'
}

export const EXEMPT_REASONS = ['age', 'long_illness', 'mobility', 'other'] as const
export const EXEMPT_REASON_LABELS: Record<(typeof EXEMPT_REASONS)[number], string> = {
  age: '年龄较大',
  long_illness: '长期病休',
  mobility: '行动不便',
  other: '其他原因'
}
