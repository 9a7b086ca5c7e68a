/** The vocabulary of the organisation tree, free of zod (see vocab/note.ts for why). */

/**
 * The organisation tree: 党委 → 党总支 → 党支部 → 党小组. A 党委 may also have
 * branches directly under it (no 总支 in between).
 */
export const ORG_TYPES = ['committee', 'general_branch', 'branch', 'group'] as const
export type OrgType = (typeof ORG_TYPES)[number]

export const ORG_TYPE_LABELS: Record<OrgType, string> = {
  committee: '党委',
  general_branch: '党总支',
  branch: '党支部',
  group: '党小组'
}

/** Which parent types each org type may sit under (null = a root). */
export const ALLOWED_PARENT: Record<OrgType, readonly (OrgType | null)[]> = {
  committee: [null, 'committee'],
  general_branch: ['committee'],
  branch: ['committee', 'general_branch'],
  group: ['branch']
}
