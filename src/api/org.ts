import type { z } from '../core/zod'
import type { OrgMembersOutput, OrgTreeOutput } from '../core/functions/org'
import type { MemberSummary } from '../core/schemas/member'
import type { OrgNode } from '../core/schemas/org'
import { call } from './index'

export type { MemberSummary, OrgNode }

/** The org tree from the top of the caller's scope (their branch, or what they administer). */
export async function tree(rootId?: string): Promise<OrgNode[]> {
  const out = await call<z.infer<typeof OrgTreeOutput>>('org', 'tree', rootId ? { rootId } : {})
  return out.roots
}

export async function members(branchId: string): Promise<MemberSummary[]> {
  const out = await call<z.infer<typeof OrgMembersOutput>>('org', 'members', { branchId })
  return out.members
}
