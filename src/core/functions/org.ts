import { z } from '../zod'
import { IdSchema } from '../schemas/common'
import { MemberSummarySchema } from '../schemas/member'
import { OrgNodeSchema } from '../schemas/org'

/** Without rootId the tree starts at the top of the caller's own scope. */
export const OrgTreeInput = z.object({ rootId: IdSchema.optional() }).strict()
export const OrgTreeOutput = z.object({ roots: z.array(OrgNodeSchema) })

export const OrgMembersInput = z.object({ branchId: IdSchema }).strict()
export const OrgMembersOutput = z.object({ members: z.array(MemberSummarySchema) })

export const OrgInputs = {
  tree: OrgTreeInput,
  members: OrgMembersInput
} as const
