import { judgeRoster } from '../../../src/core/checkin/roster'
import { branchPeople } from '../../_shared/reconcile'
import type { RosterRow, SessionGetInput, SessionListInput, SessionRosterInput } from '../../../src/core/functions/session'
import { SESSION_LIST_PAGE } from '../../../src/core/functions/session'
import { CheckinSchema, LeaveRequestSchema } from '../../../src/core/schemas/checkin'
import { summarizeMember } from '../../../src/core/schemas/member'
import type { Member } from '../../../src/core/schemas/member'
import { SessionSchema, type Session } from '../../../src/core/schemas/session'
import type { z } from '../../../src/core/zod'
import { isBranchOfficer, requireMember } from '../../_shared/caller'
import { settingsFor } from '../../_shared/settings'
import { fetchAll } from '../../_shared/paging'
import type { Runtime } from '../../_shared/runtime'
import { branchInScope, sessionInScope } from './scope'

/**
 * Where the organisation does not check location (the default), a member's
 * app is not shown the venue's fence, so it never asks an older member for
 * location permission it will not use. Officers see the session as stored.
 */
async function asSeenBy(rt: Runtime, member: Member, branch: { _id: string; path: string[] }, sessions: Session[]): Promise<Session[]> {
  if (isBranchOfficer(member, branch) || !sessions.some((s) => s.venue.geofence)) return sessions
  if ((await settingsFor(rt, branch.path)).requireLocation) return sessions
  return sessions.map((s) => {
    if (!s.venue.geofence) return s
    const { geofence: _fence, ...venue } = s.venue
    return { ...s, venue }
  })
}

/**
 * Sessions of a branch whose start lies in [from, to), by startAt then _id
 * (a stable order, so offsets page without gaps or repeats). One more row
 * than the page is read to know whether another page exists.
 */
export async function listSessions(rt: Runtime, input: z.infer<typeof SessionListInput>) {
  const member = await requireMember(rt)
  const branch = await branchInScope(rt, member, input.branchId, 'see')
  const _ = rt.db.command
  const offset = input.offset ?? 0
  const limit = input.limit ?? SESSION_LIST_PAGE
  const { data } = await rt.db
    .collection('sessions')
    .where({ branchId: branch._id, startAt: _.gte(input.from).and(_.lt(input.to)) })
    .orderBy('startAt', 'asc')
    .orderBy('_id', 'asc')
    .skip(offset)
    .limit(limit + 1)
    .get()
  const sessions = await asSeenBy(rt, member, branch, data.slice(0, limit).map((d) => SessionSchema.parse(d)))
  return { sessions, nextOffset: data.length > limit ? offset + limit : null }
}

export async function getSession(rt: Runtime, input: z.infer<typeof SessionGetInput>) {
  const member = await requireMember(rt)
  const session = await sessionInScope(rt, member, input.sessionId, 'see')
  const [shown] = await asSeenBy(rt, member, { _id: session.branchId, path: session.orgPath }, [session])
  return { session: shown }
}

/** Largest branch roster read in one call; far above any real 支部 (they split at 50). */
const ROSTER_CAP = 2000

/**
 * Where every expected member (应到) stands: a check-in wins over a leave
 * request (they came after all); a refused leave is an absence. Counts add
 * up to `expected`; only approved leave is excused from attendance rates.
 */
export async function sessionRoster(rt: Runtime, input: z.infer<typeof SessionRosterInput>) {
  const member = await requireMember(rt)
  const session = await sessionInScope(rt, member, input.sessionId, 'manage')
  return rosterOf(rt, session)
}

/** The roster of a session the caller was already allowed to read, as the 签到大屏 shows it. */
export async function rosterOf(rt: Runtime, session: Session) {
  const judged = await judgedRosterOf(rt, session)
  const rows: RosterRow[] = judged.rows.map((r) => ({
    member: summarizeMember(r.member),
    state: r.state,
    ...(r.checkin ? { at: r.checkin.at, method: r.checkin.method } : {})
  }))
  return { session, rows, counts: judged.counts }
}

/** The same judgement with the member documents and leave reasons, for the 会议纪实 (core/checkin/roster.ts). */
export async function judgedRosterOf(rt: Runtime, session: Session) {
  const [people, checkinDocs, leaveDocs] = await Promise.all([
    // Who belonged when it was held: a member transferred out since still owed it, one who joined since did not.
    branchPeople(rt, session.branchId),
    fetchAll(rt.db.collection('checkins').where({ sessionId: session._id }), { cap: ROSTER_CAP }),
    fetchAll(rt.db.collection('leaves').where({ sessionId: session._id }), { cap: ROSTER_CAP })
  ])
  return judgeRoster(
    session,
    people,
    checkinDocs.map((d) => CheckinSchema.parse(d)),
    leaveDocs.map((d) => LeaveRequestSchema.parse(d))
  )
}
