/**
 * The per-fact glue between a write and applyChanges: how one member's
 * attendance at one session, or one note, is read inside a transaction and
 * turned into before/after contributions. Used by checkin, note, session
 * and the cron tally, so each path counts the same way.
 */
import { expectedAt } from '../../src/core/audience'
import { CheckinSchema, LeaveRequestSchema, MakeupSchema, checkinId, leaveId, makeupId, type Checkin, type LeaveRequest, type Makeup } from '../../src/core/schemas/checkin'
import { exemptionOf, exemptionYear } from '../../src/core/org/exemption'
import type { Member } from '../../src/core/schemas/member'
import type { Note } from '../../src/core/schemas/note'
import { SessionSchema, type Session } from '../../src/core/schemas/session'
import type { OrgSettingsValues } from '../../src/core/schemas/settings'
import { attendanceContribution, noteContribution, type Contribution } from '../../src/core/stats/contributions'
import { countedState, sessionAt, tallyMarkId, type CountedState } from '../../src/core/stats/counted-state'
import type { AggregateIncrements } from './aggregates'
import type { Transaction } from './db'
import type { Runtime } from './runtime'
import { applyChanges, instantsOf, ownerOf, type Change } from './tally'

/** Per (session, member): the session state the member's counts reflect (counted-state.ts). */
export const TALLY_MARKS = 'tally_marks'

export interface PairState {
  checkin: Checkin | null
  leave: LeaveRequest | null
  makeup: Makeup | null
}

type PairMember = Pick<Member, '_id' | 'branchId' | 'groupId' | 'roles' | 'active' | 'joinStatus' | 'exempt' | 'orgPath' | 'rank' | 'joinedAt' | 'branchHistory'> & { birthYear?: number | null }

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
      expected: expectedAt(session, member),
      exempt: exemptionOf(member, settings, exemptionYear(session.startAt)).absenceDeduction,
      checkin: state.checkin,
      leave: state.leave,
      makeup: state.makeup
    },
    settings.pointsRules
  )
}

export function pairChange(session: Session, member: PairMember, before: PairState, after: PairState, settings: OrgSettingsValues, sessionAfter = session): Change {
  return {
    owner: ownerOf(member, settings, { branchId: session.branchId, orgPath: session.orgPath }),
    before: pairContribution(session, member, before, settings),
    after: pairContribution(sessionAfter, member, after, settings)
  }
}

/** One member's mark at one session: the session state their counts reflect. */
async function readMark(t: Transaction, sessionId: string, memberId: string): Promise<CountedState | null> {
  const { data } = await t.collection(TALLY_MARKS).doc(tallyMarkId(sessionId, memberId)).get()
  return data ? { status: data.status as CountedState['status'], tallied: data.tallied === true } : null
}

export async function writeMark(t: Transaction, session: Pick<Session, '_id' | 'branchId'>, memberId: string, state: CountedState, now: number): Promise<void> {
  await t.collection(TALLY_MARKS).doc(tallyMarkId(session._id, memberId)).set({
    data: { sessionId: session._id, memberId, branchId: session.branchId, status: state.status, tallied: state.tallied, updatedAt: now }
  })
}

/**
 * Inside a transaction: apply a change to one member's attendance. `edit`
 * says what the state was and is around the caller's write, from what was
 * read (which may or may not already show that write, depending on when in
 * the transaction it is called). The session and the member's mark are read
 * here, so the change is counted at the state the member's counts are at
 * (counted-state.ts), and the mark is written back: a tally or cancellation
 * counting this member at the same time then conflicts instead of counting
 * from a stale view.
 */
export async function applyPairChange(
  t: Transaction,
  rt: Runtime,
  sessionId: string,
  member: Member,
  settings: OrgSettingsValues,
  edit: (read: PairState) => { before: PairState; after: PairState },
  inc: AggregateIncrements
) {
  const [session, mark, pair] = await Promise.all([readSession(t, sessionId), readMark(t, sessionId, member._id), readPair(t, sessionId, member._id)])
  const state = countedState(session, mark)
  const { before, after } = edit(pair)
  const written = await applyChanges(t, rt, [pairChange(sessionAt(session, state), member, before, after, settings)], { inc })
  await writeMark(t, session, member._id, state, rt.clock.now())
  return written
}

/**
 * Inside a transaction: a new check-in in a quiet window (isQuietWindow, read
 * before the transaction). Nothing but the check-in itself moves: no session,
 * mark, leave or make-up to read, and its points key has never had an entry
 * (StaleAssumption if it has: the caller retries with applyPairChange).
 */
export function applyFreshCheckin(t: Transaction, rt: Runtime, session: Session, member: Member, settings: OrgSettingsValues, checkin: Checkin, inc: AggregateIncrements) {
  const none: PairState = { checkin: null, leave: null, makeup: null }
  return applyChanges(t, rt, [pairChange(session, member, none, { ...none, checkin }, settings)], { inc, fresh: true })
}

/** The path of the branch a note was written in: the member's today unless they have moved since. */
async function noteBranch(t: Transaction, member: Member, note: Note): Promise<{ branchId: string; orgPath: string[] }> {
  if (note.branchId === member.branchId) return { branchId: member.branchId, orgPath: member.orgPath }
  const { data } = await t.collection('orgs').doc(note.branchId).get()
  const path = Array.isArray(data?.path) ? (data.path as string[]) : null
  // A branch that no longer exists has no figures left to keep: the member's own branch takes the change.
  return path ? { branchId: note.branchId, orgPath: path } : { branchId: member.branchId, orgPath: member.orgPath }
}

/** Inside a transaction: a note went from `before` to `after` (null = did not exist). */
export async function applyNoteChange(t: Transaction, rt: Runtime, member: Member, settings: OrgSettingsValues, before: Note | null, after: Note | null, inc: AggregateIncrements) {
  const change: Change = {
    owner: ownerOf(member, settings, await noteBranch(t, member, (after ?? before)!)),
    before: before ? noteContribution(before, settings.pointsRules, settings.essayMinWords) : null,
    after: after ? noteContribution(after, settings.pointsRules, settings.essayMinWords) : null
  }
  const sourceId = (after ?? before)!._id
  return applyChanges(t, rt, [change], { inc, monthWords: { settings, sourceId } })
}

export { instantsOf }
