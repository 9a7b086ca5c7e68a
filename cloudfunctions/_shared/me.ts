import { AppError } from '../../src/core/errors'
import type { Me } from '../../src/core/functions/auth'
import type { Member } from '../../src/core/schemas/member'
import { OrgSchema, type Org } from '../../src/core/schemas/org'
import { isAdminOver, isBranchOfficer } from './caller'
import type { Runtime } from './runtime'

export async function loadOrg(rt: Runtime, id: string): Promise<Org> {
  const { data } = await rt.db.collection('orgs').doc(id).get()
  if (!data) throw new AppError('NOT_FOUND', '没有找到这个组织')
  return OrgSchema.parse(data)
}

/** The caller as the app shows them; one read for the branch, one for the path names. */
export async function describeMe(rt: Runtime, member: Member): Promise<Me> {
  const branch = await loadOrg(rt, member.branchId)
  const _ = rt.db.command
  const { data } = await rt.db.collection('orgs').where({ _id: _.in(branch.path) }).limit(10).get()
  const names = new Map(data.map((o) => [o._id, String(o.name)]))
  return {
    member,
    branch: { _id: branch._id, name: branch.name, type: branch.type },
    orgPathNames: branch.path.map((id) => names.get(id) ?? ''),
    isSecretary: isBranchOfficer(member, branch),
    isAdmin: member.roles.some((r) => r.role === 'admin' && isAdminOver(member, branch))
  }
}
