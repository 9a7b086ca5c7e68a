/**
 * Loading and permission helpers shared by the check-in actions. Every
 * refusal that could reveal whether a session exists in another branch
 * answers exactly as for a missing one, so ids cannot be probed.
 */
import { AppError } from '../../../src/core/errors'
import { MemberSchema, type Member } from '../../../src/core/schemas/member'
import { SessionSchema, type Session } from '../../../src/core/schemas/session'
import { isBranchOfficer } from '../../_shared/caller'
import { fetchAll } from '../../_shared/paging'
import type { Runtime } from '../../_shared/runtime'

export const NOT_MY_SESSION = '这不是您所在支部的活动'
export const NOT_MY_BRANCH_SESSION = '您只能管理本支部的活动'

async function findSession(rt: Runtime, id: string): Promise<Session | null> {
  const { data } = await rt.db.collection('sessions').doc(id).get()
  return data ? SessionSchema.parse(data) : null
}

/** A session of the caller's own branch, for member actions (check in, leave, make-up). */
export async function loadOwnSession(rt: Runtime, member: Member, sessionId: string, refusal = NOT_MY_SESSION): Promise<Session> {
  const session = await findSession(rt, sessionId)
  if (!session || session.branchId !== member.branchId) throw new AppError('FORBIDDEN', refusal)
  return session
}

/** The session's branch as the permission helpers see it: its id and path, copied on the session. */
export function branchOf(session: Pick<Session, 'branchId' | 'orgPath'>): { _id: string; path: string[] } {
  return { _id: session.branchId, path: session.orgPath }
}

/** A session the caller may manage: secretary/committee of its branch, or an admin above it. */
export async function loadManagedSession(rt: Runtime, officer: Member, sessionId: string): Promise<Session> {
  const session = await findSession(rt, sessionId)
  if (!session || !isBranchOfficer(officer, branchOf(session))) throw new AppError('FORBIDDEN', NOT_MY_BRANCH_SESSION)
  return session
}

/** Sessions by id, for list rows that show a session's title and start; one query per 1,000. */
export async function sessionsByIds(rt: Runtime, ids: Iterable<string>): Promise<Map<string, Session>> {
  const unique = [...new Set(ids)]
  if (unique.length === 0) return new Map()
  const docs = await fetchAll(rt.db.collection('sessions').where({ _id: rt.db.command.in(unique) }), { cap: 1000 })
  return new Map(docs.map((d) => { const s = SessionSchema.parse(d); return [s._id, s] }))
}

/** Members' names by id, for list rows an officer reads. */
export async function memberNamesByIds(rt: Runtime, ids: Iterable<string>): Promise<Map<string, string>> {
  const unique = [...new Set(ids)]
  if (unique.length === 0) return new Map()
  const docs = await fetchAll(rt.db.collection('members').where({ _id: rt.db.command.in(unique) }), { cap: 1000 })
  return new Map(docs.map((d) => { const m = MemberSchema.parse(d); return [m._id, m.name] }))
}

/** A member of the session's branch, named by an officer. */
export async function loadBranchMember(rt: Runtime, session: Pick<Session, 'branchId'>, memberId: string): Promise<Member> {
  const { data } = await rt.db.collection('members').doc(memberId).get()
  const member = data ? MemberSchema.parse(data) : null
  if (!member || member.branchId !== session.branchId) throw new AppError('NOT_FOUND', '本支部没有这位党员')
  return member
}

export function cancelledRefusal(session: Session): AppError {
  const why = session.cancelReason ? `（${session.cancelReason}）` : ''
  return new AppError('CHECKIN_CLOSED', `本次活动已取消${why}`)
}

/** Kept where the audit entry is made (_shared/audit.ts); re-exported for the make-up actions. */
export { idsForAudit } from '../../_shared/audit'
