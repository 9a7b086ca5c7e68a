import { z } from '../zod'
import { IdSchema, TimestampSchema, lineText } from './common'
import { ORG_TYPES, type OrgType } from '../vocab/org'

export { ALLOWED_PARENT, ORG_TYPES, ORG_TYPE_LABELS, type OrgType } from '../vocab/org'
export const OrgTypeSchema = z.enum(ORG_TYPES)

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
