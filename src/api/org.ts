import type { MemberRecordSchema, PendingMemberSchema } from '../core/functions/org-admin'
import type { Org, OrgType } from '../core/schemas/org'
import type { ExemptionSchema, Rank } from '../core/schemas/member'
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

export type MemberRecord = z.infer<typeof MemberRecordSchema>
export type PendingMember = z.infer<typeof PendingMemberSchema>
export type ExemptReason = z.infer<typeof ExemptionSchema>['reason']

/** Admin: a new org under `parentId`; the same clientId again returns the first one. */
export async function createOrg(parentId: string, type: Exclude<OrgType, 'committee'>, name: string, clientId: string): Promise<Org> {
  return (await call<{ org: Org }>('org', 'createOrg', { parentId, type, name: name.trim(), clientId })).org
}

export async function renameOrg(orgId: string, name: string): Promise<Org> {
  return (await call<{ org: Org }>('org', 'renameOrg', { orgId, name: name.trim() })).org
}

export function moveOrg(orgId: string, parentId: string): Promise<{ org: Org; orgsMoved: number; membersMoved: number }> {
  return call('org', 'moveOrg', { orgId, parentId })
}

export async function closeOrg(orgId: string, reason?: string): Promise<Org> {
  return (await call<{ org: Org }>('org', 'closeOrg', reason ? { orgId, reason } : { orgId })).org
}

/** Officer: the branch's invite code (made on first ask); `renew` retires the old one. */
export function inviteCode(branchId: string, renew = false): Promise<{ branchId: string; branchName: string; inviteCode: string }> {
  return call('org', 'invite', renew ? { branchId, renew } : { branchId })
}

export async function pendingMembers(branchId: string): Promise<PendingMember[]> {
  return (await call<{ members: PendingMember[] }>('org', 'pending', { branchId })).members ?? []
}

export function confirmMember(memberId: string, accept: boolean): Promise<unknown> {
  return call('org', 'confirmMember', { memberId, accept })
}

export async function memberRecord(memberId: string): Promise<MemberRecord> {
  return (await call<{ member: MemberRecord }>('org', 'member', { memberId })).member
}

export interface MemberChange {
  rank?: Rank
  retired?: boolean
  leadingCadre?: boolean
  exempt?: { reason: ExemptReason; note?: string } | null
  largeText?: boolean
  groupId?: string | null
  active?: boolean
}

export function updateMember(memberId: string, change: MemberChange): Promise<{ changed: string[] }> {
  return call('org', 'updateMember', { memberId, ...change })
}

export async function transferMember(memberId: string, toBranchId: string): Promise<MemberRecord> {
  return (await call<{ member: MemberRecord }>('org', 'transferMember', { memberId, toBranchId })).member
}

/** Admin: give (on) or take away a role; secretary / committee are of the member's own branch. */
export function setRole(memberId: string, role: 'admin' | 'secretary' | 'committee', orgId: string, on: boolean): Promise<{ changed: boolean }> {
  return call('org', 'setRole', { memberId, role, orgId, on })
}
