import { createHash, randomBytes } from 'crypto'
import { AppError } from '../../../src/core/errors'
import { AuthInputs } from '../../../src/core/functions/auth'
import { MemberSchema, ROLE_LABELS, type Member } from '../../../src/core/schemas/member'
import { OrgSchema } from '../../../src/core/schemas/org'
import { findCaller, needLogin } from '../../_shared/caller'
import { addIfAbsent } from '../../_shared/db'
import { action, defineFunction } from '../../_shared/dispatch'
import { describeMe } from '../../_shared/me'
import { fetchAll } from '../../_shared/paging'
import type { Runtime } from '../../_shared/runtime'

/** Dev login exists only on the local runtime and never in production. */
function assertDevOnly(rt: Runtime): NonNullable<Runtime['issueSessionToken']> {
  if (rt.env.kind !== 'local' || rt.env.production || !rt.issueSessionToken) {
    throw new AppError('NOT_AVAILABLE', '演示登录只在本地试用环境中提供')
  }
  return rt.issueSessionToken
}

function roleLabel(m: Member): string {
  const top = m.roles.find((r) => r.role === 'admin') ?? m.roles.find((r) => r.role === 'secretary') ?? m.roles[0]
  if (top) return ROLE_LABELS[top.role]
  return m.retired ? '离退休党员' : '党员'
}

/** A joined member's id is derived from the openid, so a doubled tap cannot create two. */
function memberIdForOpenid(openid: string): string {
  return 'm_' + createHash('sha256').update(openid).digest('hex').slice(0, 24)
}

export const auth = defineFunction('auth', {
  devIdentities: action(AuthInputs.devIdentities, async (rt) => {
    assertDevOnly(rt)
    const [orgs, members] = await Promise.all([
      fetchAll(rt.db.collection('orgs').where({ type: 'branch' })),
      fetchAll(rt.db.collection('members').where({ active: true }), { cap: 2000 })
    ])
    const branchNames = new Map(orgs.map((o) => [o._id, String(o.name)]))
    const identities = members
      .map((d) => MemberSchema.parse(d))
      .map((m) => ({
        memberId: m._id,
        name: m.name,
        branchName: branchNames.get(m.branchId) ?? '',
        roleLabel: roleLabel(m),
        retired: m.retired,
        weight: m.roles.some((r) => r.role === 'admin') ? 0 : m.roles.length > 0 ? 1 : 2
      }))
      .sort((a, b) => a.branchName.localeCompare(b.branchName, 'zh') || a.weight - b.weight || a.memberId.localeCompare(b.memberId))
      .map(({ weight: _w, ...rest }) => rest)
    return { identities }
  }),

  devLogin: action(AuthInputs.devLogin, async (rt, input) => {
    const issue = assertDevOnly(rt)
    const members = rt.db.collection('members')
    const { data } = await members.doc(input.memberId).get()
    if (!data) throw new AppError('NOT_FOUND', '没有找到这个演示身份')
    let member = MemberSchema.parse(data)
    if (!member.active) throw new AppError('FORBIDDEN', '这个账号已停用')
    if (!member.openid) {
      // Local identities stand in for WeChat OPENIDs so the rest of the path is the same.
      await members.doc(member._id).update({ data: { openid: `dev_${member._id}` } })
      member = { ...member, openid: `dev_${member._id}` }
    }
    const { token, expiresAt } = issue(member.openid as string)
    return { token, expiresAt, me: await describeMe(rt, member) }
  }),

  whoami: action(AuthInputs.whoami, async (rt) => {
    const member = await findCaller(rt)
    if (!member) return { me: null }
    if (!member.active) throw new AppError('FORBIDDEN', '您的账号已停用，请联系支部书记')
    return { me: await describeMe(rt, member) }
  }),

  devNewcomer: action(AuthInputs.devNewcomer, async (rt) => {
    const issue = assertDevOnly(rt)
    // Random, so every try is a new person; only the local runtime's signed token carries it.
    return issue(`dev_new_${randomBytes(8).toString('hex')}`)
  }),

  updateMe: action(AuthInputs.updateMe, async (rt, input) => {
    // requireMember: a member waiting for confirmation may still switch 长辈模式 on for the waiting page.
    const member = await findCaller(rt)
    if (!member) throw new AppError('FORBIDDEN', '您还没有加入支部，请先用邀请码加入', { join: true })
    if (!member.active) throw new AppError('FORBIDDEN', '您的账号已停用，请联系支部书记')
    if (member.largeText !== input.largeText) {
      await rt.db.collection('members').doc(member._id).update({ data: { largeText: input.largeText } })
    }
    return { me: await describeMe(rt, { ...member, largeText: input.largeText }) }
  }),

  joinBranch: action(AuthInputs.joinBranch, async (rt, input) => {
    const openid = rt.identity.openid
    if (!openid || rt.identity.problem) throw needLogin(rt.identity.problem)
    const existing = await findCaller(rt)
    if (existing) {
      if (existing.branchId !== (await branchByCode(rt, input.inviteCode))._id) {
        throw new AppError('CONFLICT', '您已经是其他支部的党员；转接组织关系请联系支部书记')
      }
      return { me: await describeMe(rt, existing), pendingConfirmation: existing.joinStatus === 'pending' }
    }
    const branch = await branchByCode(rt, input.inviteCode)
    const now = rt.clock.now()
    // Someone the imported roster already lists, not yet on WeChat: the secretary's confirmation links the two.
    const { data: listed } = await rt.db.collection('members').where({ branchId: branch._id, name: input.name, openid: null, active: true }).limit(2).get()
    const member = MemberSchema.parse({
      ...(listed.length === 1 ? { claimsMemberId: String(listed[0]._id) } : {}),
      _id: memberIdForOpenid(openid),
      name: input.name,
      openid,
      branchId: branch._id,
      groupId: null,
      orgPath: branch.path,
      rank: 'staff',
      roles: [],
      leadingCadre: false,
      retired: false,
      exempt: null,
      largeText: false,
      active: true,
      joinStatus: 'pending',
      joinedAt: now,
      createdAt: now
    })
    // A doubled tap: the first request created the member; answer with it.
    await addIfAbsent(rt.db.collection('members'), member)
    const saved = await findCaller(rt)
    if (!saved) throw new AppError('INTERNAL')
    return { me: await describeMe(rt, saved), pendingConfirmation: saved.joinStatus === 'pending' }
  })
})

async function branchByCode(rt: Runtime, inviteCode: string) {
  const { data } = await rt.db.collection('orgs').where({ inviteCode, type: 'branch' }).limit(1).get()
  const branch = data[0] ? OrgSchema.parse(data[0]) : null
  if (!branch || branch.closed) throw new AppError('NOT_FOUND', '邀请码不正确或已失效，请向支部书记确认')
  return branch
}
