/**
 * Which branch a member belonged to when. A member belongs to a branch from
 * joining (`joinedAt`: the secretary's confirmation of an invite-code join,
 * or the roster import that listed them) or from the transfer that
 * brought them in, until the transfer that took them out. A transfer keeps
 * history: past check-ins, notes and points stay with the branch they
 * happened in, and a session of the old branch held before the transfer
 * still expected them. Nobody is expected at a session held before they
 * belonged: a newcomer is not absent from last spring's meetings.
 */
import type { Member, Role } from '../schemas/member'

export interface PastMembership {
  branchId: string
  from: number
  /** Exclusive: the transfer's instant. */
  to: number
  /** The 党小组 and offices held there, so that branch's past sessions still expected them as they were. */
  groupId?: string | null
  roles?: Role[]
}

type WithHistory = Pick<Member, 'branchId' | 'joinedAt'> & { branchHistory?: readonly PastMembership[] }

/** When the current membership began: the last transfer, else joining. */
export function currentSince(m: WithHistory): number {
  const h = m.branchHistory ?? []
  return h.length > 0 ? h[h.length - 1].to : m.joinedAt
}

/** The past membership of `branchId` that covers the instant, if any. */
function pastSpan(m: WithHistory, branchId: string, at: number): PastMembership | undefined {
  return (m.branchHistory ?? []).find((p) => p.branchId === branchId && at >= p.from && at < p.to)
}

/** Was the member in `branchId` at the instant: joined or transferred in by then, not yet transferred out? */
export function memberOfBranchAt(m: WithHistory, branchId: string, at: number): boolean {
  if (m.branchId === branchId && at >= currentSince(m)) return true
  return pastSpan(m, branchId, at) !== undefined
}

/** Did the member belong to `branchId` at any moment of [start, end)? */
export function memberOfBranchDuring(m: WithHistory, branchId: string, start: number, end: number): boolean {
  if (m.branchId === branchId && currentSince(m) < end) return true
  return (m.branchHistory ?? []).some((p) => p.branchId === branchId && p.from < end && p.to > start)
}

/** Did the member change branch inside [start, end)? Their year then spans two branches. */
export function transferredWithin(m: WithHistory, start: number, end: number): boolean {
  return (m.branchHistory ?? []).some((p) => p.to >= start && p.to < end)
}

/** The history after moving to another branch at `at`. */
export function historyAfterTransfer(m: WithHistory & Pick<Member, 'groupId' | 'roles'>, at: number): PastMembership[] {
  const past = m.branchHistory ?? []
  const from = past.length > 0 ? past[past.length - 1].to : m.joinedAt
  const roles = m.roles.filter((r) => r.orgId === m.branchId)
  return [...past, { branchId: m.branchId, from, to: at, groupId: m.groupId, ...(roles.length ? { roles } : {}) }]
}

/**
 * The member as they were in `branchId` at the instant (that branch, its
 * group and offices), or null when they were not in it then.
 */
export function memberAsOf<M extends WithHistory & Pick<Member, 'groupId' | 'roles'>>(m: M, branchId: string, at: number): M | null {
  if (m.branchId === branchId && at >= currentSince(m)) return m
  const h = pastSpan(m, branchId, at)
  if (!h) return null
  return { ...m, branchId, groupId: h.groupId ?? null, roles: [...m.roles, ...(h.roles ?? [])] }
}

export interface TransferChanges {
  branchId: string
  orgPath: string[]
  groupId: string | null
  roles: Role[]
  branchHistory: PastMembership[]
}

/**
 * What a transfer (组织关系转接) changes on the member: the new branch and its
 * path, the group given (none by default), offices of the old branch ended
 * (an admin role is over an org, not a branch, and stays), the old branch
 * kept in the history.
 */
export function transferChanges(
  m: WithHistory & Pick<Member, 'groupId' | 'roles'>,
  to: { _id: string; path: string[] },
  at: number,
  groupId: string | null = null
): TransferChanges {
  return { branchId: to._id, orgPath: to.path, groupId, roles: m.roles.filter((r) => r.role === 'admin'), branchHistory: historyAfterTransfer(m, at) }
}
