/**
 * The organisation tree, administered: create, rename, move and close.
 * Admins act on their org and everything below it; a branch's officers may
 * also look after the 党小组 of their own branch. Closing keeps history: the
 * org stays in the records, takes no new members, and drops out of the tree.
 */
import { AppError } from '../../../src/core/errors'
import type { OrgCloseInput, OrgCreateInput, OrgMoveInput, OrgRenameInput } from '../../../src/core/functions/org-admin'
import { deriveId } from '../../../src/core/ids'
import { canPlace, inviteCodeFrom, planMove } from '../../../src/core/org/tree'
import type { Member } from '../../../src/core/schemas/member'
import { OrgSchema, type Org } from '../../../src/core/schemas/org'
import type { z } from '../../../src/core/zod'
import { randomBytes } from 'crypto'
import { addAudit } from '../../_shared/audit'
import { isAdminOver, isBranchOfficer, requireMember } from '../../_shared/caller'
import { isDuplicateId } from '../../_shared/db'
import { followMove, subtreeOf } from '../../_shared/org-move'
import type { Runtime } from '../../_shared/runtime'

export const TREE_REFUSED = '只有本级或上级党委管理员可以调整这个组织'

/** Admin over it; for a 党小组, also the officers of its branch. */
export function mayManage(member: Member, org: Org): boolean {
  if (isAdminOver(member, org)) return true
  return org.type === 'group' && org.parentId !== null && isBranchOfficer(member, { _id: org.parentId, path: org.path.slice(0, -1) })
}

/** One refusal for a missing org and one out of scope, so ids cannot be probed. */
async function loadManaged(rt: Runtime, member: Member, orgId: string, allowed: (o: Org) => boolean = (o) => mayManage(member, o)): Promise<Org> {
  const { data } = await rt.db.collection('orgs').doc(orgId).get()
  const parsed = data ? OrgSchema.safeParse(data) : null
  if (!parsed?.success || !allowed(parsed.data)) throw new AppError('FORBIDDEN', TREE_REFUSED)
  return parsed.data
}

/** A code no other branch holds (a clash among 32^8 codes is rare; a few tries settle it). */
export async function freshInviteCode(rt: Runtime): Promise<string> {
  for (let i = 0; i < 5; i++) {
    const code = inviteCodeFrom(randomBytes(8))
    const { data } = await rt.db.collection('orgs').where({ inviteCode: code }).limit(1).get()
    if (data.length === 0) return code
  }
  throw new AppError('INTERNAL', '暂时没能生成邀请码，请稍后再试')
}

export async function createOrgAction(rt: Runtime, input: z.infer<typeof OrgCreateInput>) {
  const admin = await requireMember(rt)
  // The would-be child decides who may create it: a group under a branch is its officers' to make.
  const parent = await loadManaged(rt, admin, input.parentId, (p) => isAdminOver(admin, p) || (input.type === 'group' && p.type === 'branch' && isBranchOfficer(admin, p)))
  const place = canPlace(input.type, parent)
  if (!place.ok) throw new AppError('INVALID_INPUT', place.message)
  const id = deriveId('org', parent._id, input.clientId)
  const { data: existing } = await rt.db.collection('orgs').doc(id).get()
  if (existing) return { org: OrgSchema.parse(existing) }
  const now = rt.clock.now()
  const org: Org = OrgSchema.parse({
    _id: id,
    type: input.type,
    name: input.name,
    parentId: parent._id,
    path: [...parent.path, id],
    ...(input.type === 'branch' ? { inviteCode: await freshInviteCode(rt) } : {}),
    closed: false,
    createdAt: now
  })
  try {
    await rt.db.runTransaction(async (t) => {
      await t.collection('orgs').add({ data: org })
      await addAudit(t, { actor: admin._id, action: 'org.create', target: { type: 'org', id }, orgId: parent._id, at: now, detail: { name: org.name, type: org.type } })
    })
  } catch (err) {
    if (!isDuplicateId(err)) throw err
  }
  return { org }
}

export async function renameOrgAction(rt: Runtime, input: z.infer<typeof OrgRenameInput>) {
  const admin = await requireMember(rt)
  const org = await loadManaged(rt, admin, input.orgId)
  if (org.name === input.name) return { org }
  const now = rt.clock.now()
  await rt.db.runTransaction(async (t) => {
    await t.collection('orgs').doc(org._id).update({ data: { name: input.name } })
    await addAudit(t, { actor: admin._id, action: 'org.rename', target: { type: 'org', id: org._id }, orgId: org._id, at: now, detail: { from: org.name, to: input.name } })
  })
  return { org: { ...org, name: input.name } }
}

/**
 * Moves an org (and everything under it) to another parent. A 2-operation
 * transaction puts the org in its new place with a `moving` mark and the
 * audit entry; then everything under it follows in idempotent steps
 * (_shared/org-move.ts) and the mark is cleared. A move cut short is
 * finished by trying again (same parent) or by the next timer tick.
 */
export async function moveOrgAction(rt: Runtime, input: z.infer<typeof OrgMoveInput>) {
  const admin = await requireMember(rt)
  const org = await loadManaged(rt, admin, input.orgId, (o) => isAdminOver(admin, o) && o.parentId !== null)
  const parent = await loadManaged(rt, admin, input.parentId, (p) => isAdminOver(admin, p))
  const subtree = await subtreeOf(rt, org._id)
  const planned = planMove(org, subtree, parent)
  if (!planned.ok) throw new AppError('INVALID_INPUT', planned.message)
  const { paths } = planned.plan
  const now = rt.clock.now()
  const _ = rt.db.command
  const moved = OrgSchema.parse({ ...org, parentId: parent._id, path: paths.get(org._id) })
  if (org.parentId !== parent._id) {
    moved.moving = { to: parent._id, at: now }
    await rt.db.runTransaction(async (t) => {
      await t.collection('orgs').doc(org._id).update({ data: { parentId: parent._id, path: _.set(moved.path), moving: _.set(moved.moving) } })
      await addAudit(t, { actor: admin._id, action: 'org.move', target: { type: 'org', id: org._id }, orgId: parent._id, at: now, detail: { from: org.parentId, to: parent._id } })
    })
  }
  // A retry (same parent) re-applies these, which is how an interrupted move finishes.
  const { membersMoved, sessionsMoved } = await followMove(rt, moved, subtree, paths)
  const { moving: _m, ...done } = moved
  return { org: done, orgsMoved: paths.size, membersMoved, sessionsMoved }
}

export async function closeOrgAction(rt: Runtime, input: z.infer<typeof OrgCloseInput>) {
  const admin = await requireMember(rt)
  const org = await loadManaged(rt, admin, input.orgId, (o) => mayManage(admin, o) && o.parentId !== null)
  if (org.closed) return { org }
  const _ = rt.db.command
  const openChildren = await rt.db.collection('orgs').where({ parentId: org._id, closed: _.neq(true) }).count()
  if (openChildren.total > 0) throw new AppError('CONFLICT', '下面还有没撤销的组织，请先撤销或移走它们')
  const members = await rt.db
    .collection('members')
    .where(org.type === 'group' ? { groupId: org._id, active: true } : { orgPath: org._id, active: true })
    .count()
  if (members.total > 0 && org.type !== 'group') throw new AppError('CONFLICT', `还有 ${members.total} 名党员在这个组织里，请先把他们转到其他支部`)
  const now = rt.clock.now()
  await rt.db.runTransaction(async (t) => {
    // A closed branch's code stops working at once; the records stay where they are.
    await t.collection('orgs').doc(org._id).update({ data: { closed: true, inviteCode: _.remove() } })
    await addAudit(t, { actor: admin._id, action: 'org.close', target: { type: 'org', id: org._id }, orgId: org._id, at: now, detail: input.reason ? { reason: input.reason } : {} })
  })
  // A closed group's members simply have no group any more.
  if (org.type === 'group') await rt.db.collection('members').where({ groupId: org._id }).update({ data: { groupId: null } })
  const { inviteCode: _code, ...rest } = org
  return { org: { ...rest, closed: true } }
}
