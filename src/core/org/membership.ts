/**
 * Which branch a member belonged to when. A transfer keeps history: past
 * check-ins, notes and points stay with the branch they happened in, and a
 * session of the old branch held before the transfer still expected them.
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
  return h.length > 0 ? h[h.length - 1].to : Number.NEGATIVE_INFINITY
}

/** Was the member in `branchId` at the instant? Before any transfer, the first branch counts from the start. */
export function memberOfBranchAt(m: WithHistory, branchId: string, at: number): boolean {
  if (m.branchId === branchId && at >= currentSince(m)) return true
  return (m.branchHistory ?? []).some((p) => p.branchId === branchId && at < p.to && (at >= p.from || p === m.branchHistory![0]))
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
  if (!memberOfBranchAt(m, branchId, at)) return null
  const h = (m.branchHistory ?? []).find((p) => p.branchId === branchId && at < p.to && (at >= p.from || p === m.branchHistory![0]))
  return { ...m, branchId, groupId: h?.groupId ?? null, roles: [...m.roles, ...(h?.roles ?? [])] }
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
