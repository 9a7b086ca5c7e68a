/**
 * Who may see what in `stats`, and the reads every action shares. Every
 * refusal that could reveal another organisation's data answers alike.
 */
import { AppError } from '../../../src/core/errors'
import type { Aggregate } from '../../../src/core/schemas/aggregate'
import { MemberSchema, type Member } from '../../../src/core/schemas/member'
import { OrgSchema, type Org } from '../../../src/core/schemas/org'
import type { Viewer } from '../../../src/core/stats/visibility'
import { isAdminOver, isBranchOfficer } from '../../_shared/caller'
import { fetchAll } from '../../_shared/paging'
import type { Runtime } from '../../_shared/runtime'
import { memberAggregates } from '../../_shared/member-warnings'

export { memberAggregates }

export const OUT_OF_SCOPE = '您只能查看本组织的统计'

export async function loadOrgInScope(rt: Runtime, caller: Member, orgId: string): Promise<Org> {
  const { data } = await rt.db.collection('orgs').doc(orgId).get()
  const org = data ? OrgSchema.parse(data) : null
  // Anyone under the org (by their branch's path) or an admin above it.
  if (!org || !(caller.orgPath.includes(org._id) || isAdminOver(caller, org))) throw new AppError('FORBIDDEN', OUT_OF_SCOPE)
  return org
}

export function branchViewer(caller: Member, branch: Org): Viewer {
  return { admin: isAdminOver(caller, branch), officer: isBranchOfficer(caller, branch), member: caller.branchId === branch._id }
}

/** For an org-wide view: an officer of any branch beneath it counts as an officer. */
export function orgViewer(caller: Member, org: Org): Viewer {
  const officer = caller.roles.some((r) => r.role !== 'admin') && caller.orgPath.includes(org._id)
  return { admin: isAdminOver(caller, org), officer: officer || isAdminOver(caller, org), member: true }
}

/** The branch's current members a ranking lists (confirmed, active). */
export async function branchMembers(rt: Runtime, branchId: string): Promise<Member[]> {
  const docs = await fetchAll(rt.db.collection('members').where({ branchId }), { cap: 20000 })
  return docs.map((d) => MemberSchema.parse(d)).filter((m) => m.active && m.joinStatus !== 'pending')
}

/** Branch aggregates of one period under an org (the ranking's one read). */
export async function branchAggregates(rt: Runtime, orgId: string, period: string): Promise<Map<string, Aggregate>> {
  const docs = await fetchAll(rt.db.collection('aggregates').where({ scope: 'branch', period, orgPath: orgId }), { cap: 20000 })
  return new Map(docs.map((d) => [String(d.scopeId), d as unknown as Aggregate]))
}

/** Branches under an org, open ones only. */
export async function branchesUnder(rt: Runtime, orgId: string): Promise<Org[]> {
  const docs = await fetchAll(rt.db.collection('orgs').where({ type: 'branch', path: orgId }), { cap: 20000 })
  return docs.map((d) => OrgSchema.parse(d)).filter((o) => !o.closed)
}
