/**
 * A session-wide change of state (its check-in window closed and it is
 * tallied; it is cancelled) moves the counts of everyone in its audience.
 * Prepared outside the transaction (who, settings, aggregates exist), then
 * applied inside it, each member's facts re-read there.
 */
import { isExpected } from '../../src/core/audience'
import { MemberSchema, type Member } from '../../src/core/schemas/member'
import type { Session } from '../../src/core/schemas/session'
import type { Transaction } from './db'
import { pairChange, readPair } from './fact-changes'
import { fetchAll } from './paging'
import type { Runtime } from './runtime'
import { settingsFor } from './settings'
import { applyChanges, ensureAggregates, ownerOf } from './tally'

/**
 * Members whose counts the change can touch: anyone who checked in (points
 * given at once) and, when the session is or becomes tallied, its audience.
 */
async function sessionPeople(rt: Runtime, session: Session, audience: boolean): Promise<Member[]> {
  const _ = rt.db.command
  const [members, checkins] = await Promise.all([
    audience ? fetchAll(rt.db.collection('members').where({ branchId: session.branchId }), { cap: 20000 }) : Promise.resolve([]),
    fetchAll(rt.db.collection('checkins').where({ sessionId: session._id }).field({ memberId: true }), { cap: 20000 })
  ])
  const checkedIn = new Set(checkins.map((c) => String(c.memberId)))
  // The lecturer earns at the tally even when not in the audience.
  if (audience && session.lecturerId) checkedIn.add(session.lecturerId)
  const people = members.map((m) => MemberSchema.parse(m)).filter((m) => isExpected(session, m) || checkedIn.has(m._id))
  // Someone who checked in and has since left the branch still counts where they attended.
  const missing = [...checkedIn].filter((id) => !people.some((p) => p._id === id))
  if (missing.length > 0) {
    const more = await fetchAll(rt.db.collection('members').where({ _id: _.in(missing) }), { cap: 20000 })
    people.push(...more.map((m) => MemberSchema.parse(m)))
  }
  return people
}

/**
 * Returns the in-transaction step that moves every affected member from the
 * session as it is to `next`. The caller writes the session itself.
 */
export async function prepareSessionTransition(rt: Runtime, session: Session, next: Session) {
  const people = await sessionPeople(rt, session, session.talliedAt !== undefined || next.talliedAt !== undefined)
  const settings = await settingsFor(rt, session.orgPath)
  for (const m of people) await ensureAggregates(rt, ownerOf(m), [session.startAt], settings, m)
  return async (t: Transaction, stored: Session) => {
    // Only the state fields move; the rest is the session as stored in this transaction.
    const after: Session = { ...stored, status: next.status, ...(next.talliedAt !== undefined ? { talliedAt: next.talliedAt } : {}) }
    let entries = 0
    for (const m of people) {
      const state = await readPair(t, session._id, m._id)
      const written = await applyChanges(t, rt, [pairChange(stored, m, state, state, settings, after)])
      entries += written.length
    }
    return { members: people.length, entries }
  }
}
