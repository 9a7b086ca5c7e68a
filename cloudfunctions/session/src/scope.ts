import { randomBytes } from 'crypto'
import { AppError } from '../../../src/core/errors'
import type { AuditEntry } from '../../../src/core/schemas/audit'
import { makeAuditEntry } from '../../_shared/audit'
import type { Member } from '../../../src/core/schemas/member'
import type { Org } from '../../../src/core/schemas/org'
import { SessionSchema, type Session } from '../../../src/core/schemas/session'
import { canSeeBranch, isBranchOfficer, loadBranchIf } from '../../_shared/caller'
import type { Runtime } from '../../_shared/runtime'

/**
 * Who may do what to a branch's sessions. Members see their own branch;
 * its secretary and committee, and admins above it, also manage it. A branch
 * of another scope answers the same as a missing one, so ids are not probed.
 */

export type Need = 'see' | 'manage'

const REFUSAL: Record<Need, string> = {
  see: '您只能查看本支部的活动',
  manage: '只有本支部书记、支委或上级党委管理员可以管理这个支部的活动'
}

function allowed(member: Member, branch: Pick<Org, '_id' | 'path'>, need: Need): boolean {
  return need === 'see' ? canSeeBranch(member, branch) : isBranchOfficer(member, branch)
}

/** The branch by id, if the caller may see or manage it; anything else is FORBIDDEN. */
export function branchInScope(rt: Runtime, member: Member, branchId: string, need: Need): Promise<Org> {
  return loadBranchIf(rt, branchId, (b) => allowed(member, b, need), REFUSAL[need])
}

/**
 * A session the caller may see or manage. A missing id is NOT_FOUND; a real
 * session outside the caller's scope is FORBIDDEN and reveals nothing of it.
 * The session carries its branch path, so no second read is needed.
 */
export async function sessionInScope(rt: Runtime, member: Member, sessionId: string, need: Need): Promise<Session> {
  const { data } = await rt.db.collection('sessions').doc(sessionId).get()
  if (!data) throw new AppError('NOT_FOUND', '没有找到这个活动，可能已被删除')
  const session = SessionSchema.parse(data)
  if (!allowed(member, { _id: session.branchId, path: session.orgPath }, need)) {
    throw new AppError('FORBIDDEN', REFUSAL[need])
  }
  return session
}

/**
 * Random ids for sessions and audit entries: two sessions of the same type at
 * the same time are legitimate (a cancelled one, then its replacement), so a
 * derived id would collide. Time first, so ids sort roughly by creation.
 */
export function newId(prefix: string, now: number): string {
  return `${prefix}_${now.toString(36)}${randomBytes(6).toString('hex')}`
}

export function auditEntry(
  rt: Runtime,
  actor: Member,
  action: string,
  session: Pick<Session, '_id' | 'branchId'>,
  detail?: Record<string, unknown>
): AuditEntry {
  return makeAuditEntry({
    actor: actor._id,
    action,
    target: { type: 'session', id: session._id },
    orgId: session.branchId,
    at: rt.clock.now(),
    ...(detail ? { detail } : {})
  })
}

/** Refuses with the first problem's own sentence and every problem's path, for the form. */
export function refuseTimes(problems: ReadonlyArray<{ path: string; message: string }>): void {
  if (problems.length === 0) return
  throw new AppError('INVALID_INPUT', problems[0].message, {
    issues: problems.map((p) => ({ path: p.path, code: 'custom' }))
  })
}
