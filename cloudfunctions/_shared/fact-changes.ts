/**
 * The per-fact glue between a write and applyChanges: how one member's
 * attendance at one session, or one note, is read inside a transaction and
 * turned into before/after contributions. Used by checkin, note, session
 * and the cron tally, so each path counts the same way.
 */
import { isExpected } from '../../src/core/audience'
import { CheckinSchema, LeaveRequestSchema, MakeupSchema, checkinId, leaveId, makeupId, type Checkin, type LeaveRequest, type Makeup } from '../../src/core/schemas/checkin'
import type { Member } from '../../src/core/schemas/member'
import type { Note } from '../../src/core/schemas/note'
import { SessionSchema, type Session } from '../../src/core/schemas/session'
import type { OrgSettingsValues } from '../../src/core/schemas/settings'
import { attendanceContribution, noteContribution, type Contribution } from '../../src/core/stats/contributions'
import type { Transaction } from './db'
import type { Runtime } from './runtime'
import { settingsFor } from './settings'
import { applyChanges, ensureAggregates, instantsOf, ownerOf, type Change } from './tally'

export interface PairState {
  checkin: Checkin | null
  leave: LeaveRequest | null
  makeup: Makeup | null
}

type PairMember = Pick<Member, '_id' | 'branchId' | 'groupId' | 'roles' | 'active' | 'joinStatus' | 'exempt' | 'orgPath'>

/** A member's check-in, leave and make-up for one session, read in the transaction. */
export async function readPair(t: Transaction, sessionId: string, memberId: string): Promise<PairState> {
  const [c, l, m] = await Promise.all([
    t.collection('checkins').doc(checkinId(sessionId, memberId)).get(),
    t.collection('leaves').doc(leaveId(sessionId, memberId)).get(),
    t.collection('makeups').doc(makeupId(sessionId, memberId)).get()
  ])
  return {
    checkin: c.data ? CheckinSchema.parse(c.data) : null,
    leave: l.data ? LeaveRequestSchema.parse(l.data) : null,
    makeup: m.data ? MakeupSchema.parse(m.data) : null
  }
}

/** The session as stored now (talliedAt may have been set since the caller read it). */
export async function readSession(t: Transaction, sessionId: string): Promise<Session> {
  const { data } = await t.collection('sessions').doc(sessionId).get()
  return SessionSchema.parse(data)
}

export function pairContribution(session: Session, member: PairMember, state: PairState, settings: OrgSettingsValues): Contribution {
  return attendanceContribution(
    {
      session,
      memberId: member._id,
      expected: isExpected(session, member),
      exempt: member.exempt !== null,
      checkin: state.checkin,
      leave: state.leave,
      makeup: state.makeup
    },
    settings.pointsRules
  )
}

export function pairChange(session: Session, member: PairMember, before: PairState, after: PairState, settings: OrgSettingsValues, sessionAfter = session): Change {
  return {
    owner: ownerOf(member),
    before: pairContribution(session, member, before, settings),
    after: pairContribution(sessionAfter, member, after, settings)
  }
}

/**
 * What a write to one member's attendance needs before its transaction:
 * the settings in force and the aggregates it may increment.
 */
export async function prepareAttendance(rt: Runtime, session: Pick<Session, 'startAt'>, member: Member, known?: OrgSettingsValues): Promise<OrgSettingsValues> {
  const settings = known ?? (await settingsFor(rt, member.orgPath))
  await ensureAggregates(rt, ownerOf(member), [session.startAt], settings, member)
  return settings
}

/**
 * Inside a transaction: apply a change to one member's attendance. `edit`
 * says what the state was and is around the caller's write, from what was
 * read (which may or may not already show that write, depending on when in
 * the transaction it is called).
 */
export async function applyPairChange(
  t: Transaction,
  rt: Runtime,
  sessionId: string,
  member: Member,
  settings: OrgSettingsValues,
  edit: (read: PairState) => { before: PairState; after: PairState },
  known?: Session
) {
  // Only the tally sets talliedAt, and only once check-in has closed: before that the session read outside is current.
  const session = known && known.checkin.closesAt > rt.clock.now() ? known : await readSession(t, sessionId)
  const { before, after } = edit(await readPair(t, sessionId, member._id))
  return applyChanges(t, rt, [pairChange(session, member, before, after, settings)])
}

/** Before a note write: settings and aggregates for the note's date. */
export async function prepareNote(rt: Runtime, member: Member, at: number): Promise<OrgSettingsValues> {
  const settings = await settingsFor(rt, member.orgPath)
  await ensureAggregates(rt, ownerOf(member), [at], settings, member)
  return settings
}

/** Inside a transaction: a note went from `before` to `after` (null = did not exist). */
export function applyNoteChange(t: Transaction, rt: Runtime, member: Member, settings: OrgSettingsValues, before: Note | null, after: Note | null) {
  const change: Change = {
    owner: ownerOf(member),
    before: before ? noteContribution(before, settings.pointsRules) : null,
    after: after ? noteContribution(after, settings.pointsRules) : null
  }
  const sourceId = (after ?? before)!._id
  return applyChanges(t, rt, [change], { monthWords: { settings, sourceId } })
}

export { instantsOf }
