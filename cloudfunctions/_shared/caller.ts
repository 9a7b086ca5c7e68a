import { AppError } from '../../src/core/errors'
import { MemberSchema, type Member } from '../../src/core/schemas/member'
import { OrgSchema, type Org } from '../../src/core/schemas/org'
import type { Runtime } from './runtime'

/**
 * Loads the member behind the caller's identity. Identity comes from the
 * platform (OPENID) or the local session token, never from the payload.
 */
export async function findCaller(rt: Runtime): Promise<Member | null> {
  if (rt.identity.problem) throw needLogin(rt.identity.problem)
  const openid = rt.identity.openid
  if (!openid) throw needLogin()
  const { data } = await rt.db.collection('members').where({ openid }).limit(1).get()
  return data[0] ? MemberSchema.parse(data[0]) : null
}

export async function requireMember(rt: Runtime): Promise<Member> {
  const member = await findCaller(rt)
  if (!member) throw new AppError('FORBIDDEN', '您还没有加入支部，请先用邀请码加入', { join: true })
  if (!member.active) throw new AppError('FORBIDDEN', '您的账号已停用，请联系支部书记')
  if (member.joinStatus === 'pending') {
    throw new AppError('FORBIDDEN', '您的入支部申请正在等待支部书记确认', { pending: true })
  }
  return member
}

export function needLogin(problem?: 'expired' | 'invalid'): AppError {
  const message = problem === 'expired' ? '登录已过期，请重新登录' : '请先登录'
  return new AppError('FORBIDDEN', message, { login: true })
}

/** Admin of the org itself or of any org above it. */
export function isAdminOver(member: Member, org: Pick<Org, 'path'>): boolean {
  return member.roles.some((r) => r.role === 'admin' && org.path.includes(r.orgId))
}

/** Secretary or committee member of this branch, or an admin above it. */
export function isBranchOfficer(member: Member, branch: Pick<Org, '_id' | 'path'>): boolean {
  return (
    isAdminOver(member, branch) ||
    member.roles.some((r) => (r.role === 'secretary' || r.role === 'committee') && r.orgId === branch._id)
  )
}

/** Members see their own branch; officers and admins see what their roles cover. */
export function canSeeBranch(member: Member, branch: Pick<Org, '_id' | 'path'>): boolean {
  return member.branchId === branch._id || isBranchOfficer(member, branch)
}

/**
 * A branch by id when `allowed` says the caller may use it. A missing id, an
 * org that is not a branch and a branch out of scope all get the same
 * refusal, so ids cannot be probed.
 */
export async function loadBranchIf(rt: Runtime, branchId: string, allowed: (branch: Org) => boolean, refusal: string): Promise<Org> {
  const { data } = await rt.db.collection('orgs').doc(branchId).get()
  const branch = data ? OrgSchema.parse(data) : null
  if (!branch || branch.type !== 'branch' || !allowed(branch)) throw new AppError('FORBIDDEN', refusal)
  return branch
}

/** A branch the caller is an officer of (secretary, committee, or admin above it). */
export function loadOfficerBranch(rt: Runtime, officer: Member, branchId: string, refusal: string): Promise<Org> {
  return loadBranchIf(rt, branchId, (b) => isBranchOfficer(officer, b), refusal)
}
