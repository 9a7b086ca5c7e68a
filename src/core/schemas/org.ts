import { z } from '../zod'
import { IdSchema, TimestampSchema, lineText } from './common'

/**
 * The organisation tree: 党委 → 党总支 → 党支部 → 党小组. A 党委 may also have
 * branches directly under it (no 总支 in between).
 */
export const ORG_TYPES = ['committee', 'general_branch', 'branch', 'group'] as const
export const OrgTypeSchema = z.enum(ORG_TYPES)
export type OrgType = z.infer<typeof OrgTypeSchema>

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

export const OrgSchema = z.object({
  _id: IdSchema,
  type: OrgTypeSchema,
  name: lineText(60),
  parentId: IdSchema.nullable(),
  /** Ancestors from the root down to and including this org; scope checks use it. */
  path: z.array(IdSchema).min(1).max(8),
  /** Only branches have one; a new member joins with it (auth.joinBranch). */
  inviteCode: z.string().regex(/^[A-Z0-9]{6,12}$/).optional(),
  /** Closing keeps history; a closed org takes no new members or sessions. */
  closed: z.boolean().default(false),
  /**
   * Set on a moved org until everything under it (orgs, members, sessions,
   * aggregates) carries its new path; a retry or the next timer tick finishes it.
   */
  moving: z.object({ to: IdSchema, at: TimestampSchema }).optional(),
  createdAt: TimestampSchema
})
export type Org = z.infer<typeof OrgSchema>

export interface OrgNode {
  _id: string
  type: OrgType
  name: string
  parentId: string | null
  memberCount: number
  children: OrgNode[]
}

export const OrgNodeSchema: z.ZodType<OrgNode> = z.lazy(() =>
  z.object({
    _id: IdSchema,
    type: OrgTypeSchema,
    name: z.string(),
    parentId: IdSchema.nullable(),
    memberCount: z.number().int().nonnegative(),
    children: z.array(OrgNodeSchema)
  })
)
