/**
 * Loading and permission helpers shared by the check-in actions. Every
 * refusal that could reveal whether a session exists in another branch
 * answers exactly as for a missing one, so ids cannot be probed.
 */
import { AppError } from '../../../src/core/errors'
import { MemberSchema, type Member } from '../../../src/core/schemas/member'
import { SessionSchema, type Session } from '../../../src/core/schemas/session'
import { isBranchOfficer } from '../../_shared/caller'
import type { OrgSettingsValues } from '../../../src/core/schemas/settings'
import { transact, type AggregateIncrements } from '../../_shared/aggregates'
import { isDuplicateId, type Transaction } from '../../_shared/db'
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


/** Keeps an id list in an audit detail within its size bound (the count is always exact). */
export function idsForAudit(ids: readonly string[], budget = 1500): string[] {
  const out: string[] = []
  let used = 0
  for (const id of ids) {
    used += id.length + 3
    if (used > budget) break
    out.push(id)
  }
  return out
}

/**
 * Adds a document by its deterministic id unless it exists, in one
 * transaction, with whatever else must commit with it (points); counter
 * increments follow the commit (aggregates.ts). On CloudBase two racing
 * transactions can both see "missing"; the loser's add fails with
 * DUPLICATE_ID and the winner's document is read back instead, so either way
 * exactly one document exists. `blind` skips the read: the add itself is the
 * check, which saves a call when the document is almost never there (a tap).
 */
export async function addOnce<T extends object>(
  rt: Runtime,
  collection: string,
  id: string,
  /** Builds the (already validated) document; only called when none exists. */
  make: () => T,
  parse: (doc: unknown) => T,
  settings: OrgSettingsValues,
  alsoInTx?: (t: Transaction, doc: T, inc: AggregateIncrements) => Promise<void>,
  opts: { blind?: boolean } = {}
): Promise<{ doc: T; duplicate: boolean }> {
  try {
    return await transact(rt, settings, async (t, inc) => {
      if (!opts.blind) {
        const { data } = await t.collection(collection).doc(id).get()
        if (data) return { doc: parse(data), duplicate: true }
      }
      const doc = make()
      await t.collection(collection).add({ data: doc as Record<string, unknown> })
      if (alsoInTx) await alsoInTx(t, doc, inc)
      return { doc, duplicate: false }
    })
  } catch (err) {
    if (!isDuplicateId(err)) throw err
    const { data } = await rt.db.collection(collection).doc(id).get()
    if (!data) throw err
    return { doc: parse(data), duplicate: true }
  }
}
