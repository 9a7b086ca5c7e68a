/**
 * Member records, kept by the officers of the member's branch: invite code
 * and join confirmation, rank and flags (离退休, 领导干部, exemption with its
 * reason), 长辈模式, the 党小组. A transfer (组织关系转接) needs an admin over
 * both branches and keeps history: past facts stay with the old branch.
 *
 * Whoever acts on a member's record ranks strictly above them and is not
 * them (src/core/org/authority.ts): a 支委 cannot switch off their
 * secretary, a secretary cannot touch the 党委's admin, nobody exempts
 * themselves or edits their own rank. And no org loses its last active admin.
 */
import { AppError } from '../../../src/core/errors'
import type {
  OrgConfirmInput,
  OrgInviteInput,
  OrgMemberInput,
  OrgPendingInput,
  OrgSetRoleInput,
  OrgTransferInput,
  OrgUpdateMemberInput
} from '../../../src/core/functions/org-admin'
import { adminOrgsOutside, lastAdminOf, mayActOn, mayRevokeAdmin, superiorRefusal } from '../../../src/core/org/authority'
import { transferChanges, type TransferChanges } from '../../../src/core/org/membership'
import { MemberSchema, type Member } from '../../../src/core/schemas/member'
import { OrgSchema, type Org } from '../../../src/core/schemas/org'
import type { z } from '../../../src/core/zod'
import { addAudit } from '../../_shared/audit'
import { isAdminOver, isBranchOfficer, loadOfficerBranch, requireMember } from '../../_shared/caller'
import { countJoinedMembers } from '../../_shared/joined'
import { recountNow } from '../../_shared/recount'
import { fetchAll } from '../../_shared/paging'
import type { Runtime } from '../../_shared/runtime'
import { notifyJoined } from '../../_shared/notify-outcome'
import { freshInviteCode } from './tree-admin'

const NOT_OFFICER = '只有本支部的书记、支委或上级管理员可以办理'
/** One answer for a missing member and one outside the caller's branches. */
const NO_SUCH_MEMBER = '没有找到这名党员，或您无权查看'

/** A transfer as an update: arrays are set whole, never merged with the old ones. */
export function transferData(rt: Runtime, c: TransferChanges): Record<string, unknown> {
  const _ = rt.db.command
  return { branchId: c.branchId, orgPath: _.set(c.orgPath), groupId: c.groupId, roles: _.set(c.roles), branchHistory: _.set(c.branchHistory) }
}

/** A member of a branch the caller is an officer of, with that branch. */
/** Fields whose change moves the member's figures (exemption, quota, who counts), not a fact. */
const FIGURE_FIELDS = new Set(['rank', 'retired', 'birthYear', 'active', 'exempt'])

async function loadOfficersMember(rt: Runtime, officer: Member, memberId: string): Promise<{ member: Member; branch: Org }> {
  const { data } = await rt.db.collection('members').doc(memberId).get()
  const member = data ? MemberSchema.safeParse(data) : null
  if (!member?.success) throw new AppError('FORBIDDEN', NO_SUCH_MEMBER)
  const { data: b } = await rt.db.collection('orgs').doc(member.data.branchId).get()
  const branch = b ? OrgSchema.parse(b) : null
  if (!branch || !isBranchOfficer(officer, branch)) throw new AppError('FORBIDDEN', NO_SUCH_MEMBER)
  return { member: member.data, branch }
}

/**
 * Refuses unless `actor` may act on `target` in `branch` (mayActOn): not
 * themselves (`self` says so in words), and strictly above them there and
 * wherever else the target is an admin.
 */
async function requireAuthority(rt: Runtime, actor: Member, target: Member, branch: Pick<Org, '_id' | 'path'>, self: string): Promise<void> {
  if (actor._id === target._id) throw new AppError('FORBIDDEN', self)
  const outside = adminOrgsOutside(target, branch)
  const elsewhere = outside.length === 0 ? [] : (await fetchAll(rt.db.collection('orgs').where({ _id: rt.db.command.in(outside) }), { cap: 20 })).map((o) => OrgSchema.parse(o))
  // An admin role over an org that no longer exists covers nothing; one still there must be outranked too.
  if (!mayActOn(actor, target, branch, elsewhere)) throw new AppError('FORBIDDEN', superiorRefusal(target, branch))
}

/** Refuses a change that takes `orgIds`' admin roles from `target` when one of those orgs would be left without an active admin. */
async function keepAnAdmin(rt: Runtime, target: Member, orgIds: string[]): Promise<void> {
  if (orgIds.length === 0 || !target.active) return
  const _ = rt.db.command
  const holders = (await fetchAll(rt.db.collection('members').where({ active: true, roles: _.elemMatch({ role: 'admin', orgId: _.in(orgIds) }) }), { cap: 1000 })).map((d) => MemberSchema.parse(d))
  const orphaned = lastAdminOf(target, orgIds, holders)
  if (orphaned.length === 0) return
  const { data } = await rt.db.collection('orgs').doc(orphaned[0]).get()
  const name = data ? OrgSchema.parse(data).name : '这个组织'
  throw new AppError('FORBIDDEN', `${target.name}是${name}唯一在用的管理员，请先另设一位管理员再办理`, { orgIds: orphaned })
}

export async function inviteAction(rt: Runtime, input: z.infer<typeof OrgInviteInput>) {
  const officer = await requireMember(rt)
  const branch = await loadOfficerBranch(rt, officer, input.branchId, NOT_OFFICER)
  if (branch.closed) throw new AppError('CONFLICT', '这个支部已撤销，不能再邀请新党员')
  let code = branch.inviteCode
  if (!code || input.renew) {
    code = await freshInviteCode(rt)
    const now = rt.clock.now()
    await rt.db.runTransaction(async (t) => {
      await t.collection('orgs').doc(branch._id).update({ data: { inviteCode: code } })
      await addAudit(t, { actor: officer._id, action: 'org.invite', target: { type: 'org', id: branch._id }, orgId: branch._id, at: now, detail: { renewed: !!branch.inviteCode } })
    })
  }
  return { branchId: branch._id, branchName: branch.name, inviteCode: code }
}

export async function pendingAction(rt: Runtime, input: z.infer<typeof OrgPendingInput>) {
  const officer = await requireMember(rt)
  const branch = await loadOfficerBranch(rt, officer, input.branchId, NOT_OFFICER)
  const { data } = await rt.db.collection('members').where({ branchId: branch._id, joinStatus: 'pending', active: true }).orderBy('joinedAt', 'asc').limit(200).get()
  return { members: data.map((d) => MemberSchema.parse(d)).map((m) => ({ _id: m._id, name: m.name, joinedAt: m.joinedAt, inRoster: !!m.claimsMemberId })) }
}

/**
 * Accepting makes the person a member; declining removes the request (a
 * pending member has no records yet), so they can ask again with the right code.
 */
export async function confirmMemberAction(rt: Runtime, input: z.infer<typeof OrgConfirmInput>) {
  const officer = await requireMember(rt)
  const { member, branch } = await loadOfficersMember(rt, officer, input.memberId)
  if (member.joinStatus !== 'pending') throw new AppError('CONFLICT', '这名党员已经确认过了')
  const now = rt.clock.now()
  const claimed = input.accept && member.claimsMemberId ? await rosterEntry(rt, member, branch._id) : null
  await rt.db.runTransaction(async (t) => {
    if (claimed) {
      // The roster's record becomes theirs: its history and settings stay, the request goes.
      await t.collection('members').doc(claimed._id).update({ data: { openid: member.openid } })
      await t.collection('members').doc(member._id).remove()
    } else if (input.accept) await t.collection('members').doc(member._id).update({ data: { joinStatus: 'confirmed', joinedAt: now } })
    else await t.collection('members').doc(member._id).remove()
    await addAudit(t, { actor: officer._id, action: input.accept ? 'member.confirm' : 'member.decline', target: { type: 'member', id: member._id }, orgId: branch._id, at: now, detail: { name: member.name } })
  })
  // A member from confirmation on (joinedAt): in the branch's figures from this period, expected from the next session.
  if (input.accept && !claimed) await countJoinedMembers(rt, [{ ...member, joinStatus: 'confirmed', joinedAt: now }], now)
  if (input.accept) await notifyJoined(rt, claimed ? claimed._id : member._id, branch)
  return { memberId: claimed ? claimed._id : member._id, accepted: input.accept, linked: !!claimed }
}

/** The roster entry a join request claims, if it is still unclaimed and in the same branch. */
async function rosterEntry(rt: Runtime, request: Member, branchId: string): Promise<Member | null> {
  const { data } = await rt.db.collection('members').doc(request.claimsMemberId!).get()
  const parsed = data ? MemberSchema.safeParse(data) : null
  const m = parsed?.success ? parsed.data : null
  return m && m.openid === null && m.branchId === branchId && m.active ? m : null
}

export async function memberAction(rt: Runtime, input: z.infer<typeof OrgMemberInput>) {
  const officer = await requireMember(rt)
  const { member, branch } = await loadOfficersMember(rt, officer, input.memberId)
  const { openid: _o, rosterKey: _k, ...record } = member
  return { member: { ...record, branchName: branch.name } }
}

type Update = z.infer<typeof OrgUpdateMemberInput>

export async function updateMemberAction(rt: Runtime, input: Update) {
  const officer = await requireMember(rt)
  const { member, branch } = await loadOfficersMember(rt, officer, input.memberId)
  const self =
    input.exempt !== undefined
      ? '不能为自己设置“不计入定额和预警”，请由其他支委或上级办理'
      : input.active === false
        ? '不能停用自己的账号，请由其他支委或上级办理'
        : '不能修改自己的党员信息，请由其他支委或上级办理'
  await requireAuthority(rt, officer, member, branch, self)
  const now = rt.clock.now()
  const data: Record<string, unknown> = {}
  const changed: string[] = []
  const put = (field: keyof Member, value: unknown) => {
    if (JSON.stringify(member[field] ?? null) === JSON.stringify(value)) return
    data[field] = value
    changed.push(field)
  }
  if (input.rank !== undefined) put('rank', input.rank)
  if (input.retired !== undefined) put('retired', input.retired)
  if (input.leadingCadre !== undefined) put('leadingCadre', input.leadingCadre)
  if (input.largeText !== undefined) put('largeText', input.largeText)
  if (input.birthYear !== undefined) put('birthYear', input.birthYear)
  if (input.active !== undefined) {
    if (!input.active && member.active) await keepAnAdmin(rt, member, member.roles.filter((r) => r.role === 'admin').map((r) => r.orgId))
    put('active', input.active)
  }
  if (input.exempt !== undefined) {
    // The same reason again keeps its date: `since` records when it began, not the last edit.
    const e = input.exempt
    const same = e && member.exempt && member.exempt.reason === e.reason
    const next = e ? { reason: e.reason, ...(e.note ? { note: e.note } : {}), since: same ? member.exempt!.since : now } : null
    put('exempt', next)
  }
  if (input.groupId !== undefined) {
    if (input.groupId !== null) {
      const { data: g } = await rt.db.collection('orgs').doc(input.groupId).get()
      const group = g ? OrgSchema.safeParse(g) : null
      if (!group?.success || group.data.type !== 'group' || group.data.parentId !== branch._id || group.data.closed) {
        throw new AppError('INVALID_INPUT', '请选择本支部的党小组')
      }
    }
    put('groupId', input.groupId)
  }
  if (changed.length === 0) return { member: MemberSchema.parse(member), changed }
  // Objects and nulls are set whole, so an old exemption note cannot linger in a merge.
  const _ = rt.db.command
  const writes = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, v !== null && typeof v === 'object' ? _.set(v) : v]))
  await rt.db.runTransaction(async (t) => {
    await t.collection('members').doc(member._id).update({ data: writes })
    await addAudit(t, { actor: officer._id, action: 'member.update', target: { type: 'member', id: member._id }, orgId: branch._id, at: now, detail: { fields: changed } })
  })
  // Who counts for the branch, and for what, changed for the whole year: rebuilt now, not overnight.
  if (changed.some((f) => FIGURE_FIELDS.has(f))) await recountNow(rt, branch._id)
  return { member: MemberSchema.parse({ ...member, ...data }), changed }
}

export async function transferMemberAction(rt: Runtime, input: z.infer<typeof OrgTransferInput>) {
  const admin = await requireMember(rt)
  const { data } = await rt.db.collection('members').doc(input.memberId).get()
  const parsed = data ? MemberSchema.safeParse(data) : null
  const member = parsed?.success ? parsed.data : null
  const [from, to] = await Promise.all(
    [member?.branchId, input.toBranchId].map(async (id) => {
      if (!id) return null
      const { data: o } = await rt.db.collection('orgs').doc(id).get()
      return o ? OrgSchema.parse(o) : null
    })
  )
  if (!member || !from || !isAdminOver(admin, from)) throw new AppError('FORBIDDEN', NO_SUCH_MEMBER)
  if (!to || to.type !== 'branch' || !isAdminOver(admin, to)) throw new AppError('FORBIDDEN', '只能转到您管理范围内的支部')
  if (to.closed) throw new AppError('CONFLICT', '这个支部已撤销，不能转入')
  if (to._id === from._id) throw new AppError('INVALID_INPUT', '已经在这个支部了')
  if (!member.active || member.joinStatus === 'pending') throw new AppError('CONFLICT', '只能转接已确认的在册党员')
  // A transfer keeps admin roles (transferChanges), so no org loses its admin; it needs authority over the person.
  await requireAuthority(rt, admin, member, from, '不能转接自己的组织关系，请由其他管理员或上级办理')
  const now = rt.clock.now()
  const change = transferChanges(member, to, now)
  const next: Member = MemberSchema.parse({ ...member, ...change })
  await rt.db.runTransaction(async (t) => {
    await t.collection('members').doc(member._id).update({ data: transferData(rt, change) })
    await addAudit(t, { actor: admin._id, action: 'member.transfer', target: { type: 'member', id: member._id }, orgId: to._id, at: now, detail: { from: from._id, to: to._id } })
  })
  // The old branch keeps its periods with them; the new one counts them from this period on.
  await countJoinedMembers(rt, [next], now)
  await recountNow(rt, [from._id, to._id])
  const { openid: _o, rosterKey: _k, ...record } = next
  return { member: { ...record, branchName: to.name } }
}

export async function setRoleAction(rt: Runtime, input: z.infer<typeof OrgSetRoleInput>) {
  const admin = await requireMember(rt)
  const { data } = await rt.db.collection('members').doc(input.memberId).get()
  const parsed = data ? MemberSchema.safeParse(data) : null
  const member = parsed?.success ? parsed.data : null
  const { data: o } = await rt.db.collection('orgs').doc(input.orgId).get()
  const org = o ? OrgSchema.parse(o) : null
  const { data: b } = member ? await rt.db.collection('orgs').doc(member.branchId).get() : { data: null }
  const branch = b ? OrgSchema.parse(b) : null
  if (!member || !org || !branch || !isAdminOver(admin, branch) || !isAdminOver(admin, org)) throw new AppError('FORBIDDEN', NO_SUCH_MEMBER)
  if (input.role !== 'admin' && org._id !== member.branchId) throw new AppError('INVALID_INPUT', '支部书记和支委只能在党员所在的支部担任')
  if (input.role === 'admin' && org.type !== 'committee' && org.type !== 'general_branch') throw new AppError('INVALID_INPUT', '党委管理员设在党委或党总支')
  if (!input.on && input.role === 'admin' && member._id === admin._id) throw new AppError('INVALID_INPUT', '不能取消自己的管理员身份，请另一位管理员办理')
  if (!member.active || member.joinStatus === 'pending') throw new AppError('CONFLICT', '只有已确认的在册党员可以担任')
  const has = member.roles.some((r) => r.role === input.role && r.orgId === org._id)
  if (has === input.on) return { member: { _id: member._id, roles: member.roles }, changed: false }
  if (!input.on && input.role === 'admin') {
    // At the top nobody is above, so an admin of the same org may do it; the org keeps another admin.
    if (!mayRevokeAdmin(admin, member, org)) throw new AppError('FORBIDDEN', superiorRefusal(member, org))
    await keepAnAdmin(rt, member, [org._id])
  } else if (member._id !== admin._id) {
    // Appointing oneself adds nothing an admin over the branch does not already have; anyone else must rank below.
    await requireAuthority(rt, admin, member, branch, '')
  }
  const roles = input.on ? [...member.roles, { role: input.role, orgId: org._id }] : member.roles.filter((r) => !(r.role === input.role && r.orgId === org._id))
  if (roles.length > 10) throw new AppError('INVALID_INPUT', '一位党员最多担任 10 个职务')
  const now = rt.clock.now()
  await rt.db.runTransaction(async (t) => {
    await t.collection('members').doc(member._id).update({ data: { roles: rt.db.command.set(roles) } })
    await addAudit(t, { actor: admin._id, action: 'member.role', target: { type: 'member', id: member._id }, orgId: org._id, at: now, detail: { role: input.role, on: input.on } })
  })
  return { member: { _id: member._id, roles }, changed: true }
}
