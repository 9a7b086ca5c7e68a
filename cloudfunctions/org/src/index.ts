import { AppError } from '../../../src/core/errors'
import { OrgInputs as OrgTreeInputs } from '../../../src/core/functions/org'
import { OrgSettingsInputs } from '../../../src/core/functions/settings'
import { OrgAdminInputs } from '../../../src/core/functions/org-admin'
import { OrgImportRosterInput, OrgRosterTemplateInput } from '../../../src/core/functions/org-import'
import { MemberSchema, summarizeMember, type Member } from '../../../src/core/schemas/member'
import { OrgSchema, type Org, type OrgNode } from '../../../src/core/schemas/org'
import { canSeeBranch, isAdminOver, loadBranchIf, requireMember } from '../../_shared/caller'
import { action, defineFunction } from '../../_shared/dispatch'
import { loadOrg } from '../../_shared/me'
import { fetchAll } from '../../_shared/paging'
import type { Runtime } from '../../_shared/runtime'
import { settingsAction, updateSettingsAction } from './settings'
import { confirmMemberAction, inviteAction, memberAction, pendingAction, setRoleAction, transferMemberAction, updateMemberAction } from './member-admin'
import { importRosterAction, rosterTemplateAction } from './roster-import'
import { notesToReviewAction, todoAction } from './todo'
import { closeOrgAction, createOrgAction, moveOrgAction, renameOrgAction } from './tree-admin'

/** The settings actions live in their own contract module; the org function serves both. */
const OrgInputs = { ...OrgTreeInputs, ...OrgSettingsInputs, ...OrgAdminInputs, importRoster: OrgImportRosterInput, rosterTemplate: OrgRosterTemplateInput }

/** The orgs a member may look down from: their admin orgs, else their own branch. */
function scopeRoots(member: Member): string[] {
  const adminOrgs = member.roles.filter((r) => r.role === 'admin').map((r) => r.orgId)
  return adminOrgs.length > 0 ? adminOrgs : [member.branchId]
}

async function countMembersByOrg(rt: Runtime, rootId: string): Promise<Map<string, number>> {
  const $ = rt.db.command.aggregate
  const counts = new Map<string, number>()
  // Unwinding the path credits each member to every org above them in one pass.
  const { list } = await rt.db
    .collection('members')
    .aggregate()
    .match({ orgPath: rootId, active: true })
    .unwind('$orgPath')
    .group({ _id: '$orgPath', n: $.sum(1) })
    .limit(5000)
    .end()
  for (const row of list) counts.set(String(row._id), Number(row.n))
  const groups = await rt.db
    .collection('members')
    .aggregate()
    .match({ orgPath: rootId, active: true, groupId: rt.db.command.neq(null) })
    .group({ _id: '$groupId', n: $.sum(1) })
    .limit(5000)
    .end()
  for (const row of groups.list) counts.set(String(row._id), Number(row.n))
  return counts
}

function buildTree(root: Org, orgs: Org[], counts: Map<string, number>): OrgNode {
  const byParent = new Map<string, Org[]>()
  for (const o of orgs) {
    if (!o.parentId) continue
    const list = byParent.get(o.parentId) ?? []
    list.push(o)
    byParent.set(o.parentId, list)
  }
  const toNode = (o: Org): OrgNode => ({
    _id: o._id,
    type: o.type,
    name: o.name,
    parentId: o.parentId,
    memberCount: counts.get(o._id) ?? 0,
    children: (byParent.get(o._id) ?? [])
      .filter((c) => !c.closed)
      .sort((a, b) => a.createdAt - b.createdAt || a._id.localeCompare(b._id))
      .map(toNode)
  })
  return toNode(root)
}

export const org = defineFunction('org', {
  tree: action(OrgInputs.tree, async (rt, input) => {
    const member = await requireMember(rt)
    let rootIds = scopeRoots(member)
    if (input.rootId) {
      const wanted = await loadOrg(rt, input.rootId)
      const allowed = isAdminOver(member, wanted) || wanted.path.includes(member.branchId) || wanted._id === member.branchId
      if (!allowed) throw new AppError('FORBIDDEN', '您只能查看自己所在组织的情况')
      rootIds = [wanted._id]
    }
    const roots: OrgNode[] = []
    for (const rootId of rootIds) {
      const docs = await fetchAll(rt.db.collection('orgs').where({ path: rootId }))
      const orgs = docs.map((d) => OrgSchema.parse(d))
      const root = orgs.find((o) => o._id === rootId)
      if (!root) continue
      roots.push(buildTree(root, orgs, await countMembersByOrg(rt, rootId)))
    }
    return { roots }
  }),

  members: action(OrgInputs.members, async (rt, input) => {
    const member = await requireMember(rt)
    const branch = await loadBranchIf(rt, input.branchId, (b) => canSeeBranch(member, b), '您只能查看自己支部的党员名单')
    const docs = await fetchAll(rt.db.collection('members').where({ branchId: branch._id, active: true }), { cap: 2000 })
    const members = docs
      .map((d) => summarizeMember(MemberSchema.parse(d)))
      .sort((a, b) => a.name.localeCompare(b.name, 'zh'))
    return { members }
  }),

  todo: action(OrgInputs.todo, todoAction),
  notesToReview: action(OrgInputs.notesToReview, notesToReviewAction),
  settings: action(OrgInputs.settings, settingsAction),
  updateSettings: action(OrgInputs.updateSettings, updateSettingsAction),
  createOrg: action(OrgInputs.createOrg, createOrgAction),
  renameOrg: action(OrgInputs.renameOrg, renameOrgAction),
  moveOrg: action(OrgInputs.moveOrg, moveOrgAction),
  closeOrg: action(OrgInputs.closeOrg, closeOrgAction),
  invite: action(OrgInputs.invite, inviteAction),
  pending: action(OrgInputs.pending, pendingAction),
  confirmMember: action(OrgInputs.confirmMember, confirmMemberAction),
  member: action(OrgInputs.member, memberAction),
  updateMember: action(OrgInputs.updateMember, updateMemberAction),
  transferMember: action(OrgInputs.transferMember, transferMemberAction),
  importRoster: action(OrgInputs.importRoster, importRosterAction),
  rosterTemplate: action(OrgInputs.rosterTemplate, rosterTemplateAction),
  setRole: action(OrgInputs.setRole, setRoleAction)
})
