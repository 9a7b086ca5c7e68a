/**
 * A session-wide change of state (its check-in window closed and it is
 * tallied; it is cancelled) moves the counts of everyone in its audience.
 *
 * One transaction for a whole audience would hold hundreds of documents for
 * far longer than CloudBase's 30 s, so the change is declared on the session
 * first (its new status / talliedAt, and `pendingFrom`, the state the members
 * not yet counted are at), then each member is counted in a transaction of
 * their own that also writes their mark (src/core/stats/counted-state.ts).
 * Counting a member whose mark already says the declared state does nothing,
 * so a retry, an overlapping run or the next timer tick simply carries on
 * where the last one stopped; once everyone is counted `pendingFrom` goes.
 */
import { expectedAt } from '../../src/core/audience'
import { MemberSchema, type Member } from '../../src/core/schemas/member'
import { SessionSchema, SESSION_STATUSES, type Session } from '../../src/core/schemas/session'
import type { OrgSettingsValues } from '../../src/core/schemas/settings'
import { countedState, declaredState, sameState, sessionAt, tallyMarkId, type CountedState } from '../../src/core/stats/counted-state'
import { transact } from './aggregates'
import { TALLY_MARKS, pairChange, readPair, readSession, writeMark } from './fact-changes'
import { fetchAll } from './paging'
import type { Runtime } from './runtime'
import { settingsFor } from './settings'
import { applyChanges } from './tally'

export { pendingFromFor } from '../../src/core/stats/counted-state'

/** Members counted at once; each is its own transaction on its own documents, so they never conflict. */
const PARALLEL = 4

/**
 * Members whose counts the change can touch: anyone who checked in (points
 * given at once), anyone already marked, and, when the session is or was
 * tallied, its audience.
 */
async function sessionPeople(rt: Runtime, session: Session, audience: boolean, marked: Iterable<string>): Promise<Member[]> {
  const _ = rt.db.command
  const [members, movedOut, checkins] = await Promise.all([
    audience ? fetchAll(rt.db.collection('members').where({ branchId: session.branchId }), { cap: 20000 }) : Promise.resolve([]),
    // Transferred out since: they still owed the sessions held while they were here.
    audience ? fetchAll(rt.db.collection('members').where({ 'branchHistory.branchId': session.branchId }), { cap: 20000 }) : Promise.resolve([]),
    fetchAll(rt.db.collection('checkins').where({ sessionId: session._id }).field({ memberId: true }), { cap: 20000 })
  ])
  const named = new Set([...checkins.map((c) => String(c.memberId)), ...marked])
  // The lecturer earns at the tally even when not in the audience.
  if (audience && session.lecturerId) named.add(session.lecturerId)
  const loaded = new Map([...members, ...movedOut].map((d) => [String(d._id), d]))
  const people = [...loaded.values()].map((m) => MemberSchema.parse(m)).filter((m) => expectedAt(session, m) || named.has(m._id))
  // Someone who checked in and has since left the branch still counts where they attended.
  const missing = [...named].filter((id) => !people.some((p) => p._id === id))
  if (missing.length > 0) {
    const more = await fetchAll(rt.db.collection('members').where({ _id: _.in(missing) }), { cap: 20000 })
    people.push(...more.map((m) => MemberSchema.parse(m)))
  }
  return people
}

/** Counts one member at the session's declared state, in one transaction; returns the ledger entries written. */
async function countMember(rt: Runtime, sessionId: string, member: Member, settings: OrgSettingsValues): Promise<number> {
  return transact(rt, settings, async (t, inc) => {
    const [session, markDoc, pair] = await Promise.all([
      readSession(t, sessionId),
      t.collection(TALLY_MARKS).doc(tallyMarkId(sessionId, member._id)).get(),
      readPair(t, sessionId, member._id)
    ])
    const target = declaredState(session)
    const mark = markDoc.data ? { status: markDoc.data.status as CountedState['status'], tallied: markDoc.data.tallied === true } : null
    const from = countedState(session, mark)
    if (sameState(from, target)) return 0
    const change = pairChange(sessionAt(session, from), member, pair, pair, settings, sessionAt(session, target))
    const written = await applyChanges(t, rt, [change], { inc })
    await writeMark(t, session, member._id, target, rt.clock.now())
    return written.length
  })
}

export interface SettleResult {
  done: boolean
  members: number
  entries: number
}

/**
 * Counts every member the session's declared change has not reached yet,
 * until done or `outOfTime()`; then, when all are counted, ends the change
 * (pendingFrom removed, the marks it no longer needs removed).
 */
export async function settleSession(rt: Runtime, sessionId: string, outOfTime: () => boolean): Promise<SettleResult> {
  const { data } = await rt.db.collection('sessions').doc(sessionId).get()
  const session = data ? SessionSchema.parse(data) : null
  if (!session?.pendingFrom) return { done: true, members: 0, entries: 0 }
  const from = session.pendingFrom
  const target = declaredState(session)
  const marks = new Map(
    (await fetchAll(rt.db.collection(TALLY_MARKS).where({ sessionId }), { cap: 20000 })).map((m) => [
      String(m.memberId),
      { status: m.status as CountedState['status'], tallied: m.tallied === true }
    ])
  )
  const people = await sessionPeople(rt, session, from.tallied || target.tallied, marks.keys())
  const todo = people.filter((p) => !sameState(marks.get(p._id) ?? from, target))
  const settings = await settingsFor(rt, session.orgPath)
  let next = 0
  let counted = 0
  let entries = 0
  const worker = async () => {
    while (next < todo.length && !outOfTime()) {
      const m = todo[next++]
      entries += await countMember(rt, sessionId, m, settings)
      counted++
    }
  }
  await Promise.all(Array.from({ length: Math.min(PARALLEL, todo.length) }, worker))
  if (counted < todo.length) return { done: false, members: counted, entries }
  const _ = rt.db.command
  const ended = await rt.db.runTransaction(async (t) => {
    const fresh = await readSession(t, sessionId)
    // Another change was declared meanwhile: its own run ends it.
    if (!fresh.pendingFrom || !sameState(declaredState(fresh), target)) return false
    await t.collection('sessions').doc(sessionId).update({ data: { pendingFrom: _.remove() } })
    return true
  })
  // With pendingFrom gone a member without a mark is counted at the declared state, so marks saying just that are redundant.
  if (ended) await rt.db.collection(TALLY_MARKS).where({ sessionId, status: target.status, tallied: target.tallied }).remove()
  return { done: ended, members: counted, entries }
}

/** Sessions whose declared change is not yet counted for everyone (a run that ran out of time, a crash). */
export async function pendingSessions(rt: Runtime, where: Record<string, unknown>, limit: number): Promise<Session[]> {
  const _ = rt.db.command
  const { data } = await rt.db
    .collection('sessions')
    .where({ ...where, 'pendingFrom.status': _.in([...SESSION_STATUSES]) })
    .limit(limit)
    .get()
  return data.map((d) => SessionSchema.parse(d))
}

/** A time budget for a run inside one call (wall time, well inside the function timeout). */
export function deadline(ms: number): () => boolean {
  const start = Date.now()
  return () => Date.now() - start >= ms
}
