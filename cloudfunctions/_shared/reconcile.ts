/**
 * Reconciliation, the I/O half: read one branch's year of raw facts, rebuild
 * (src/core/stats/rebuild.ts), and write back only what differs — drifted
 * aggregates rewritten, ledger keys corrected by appended entries — so a run
 * over healthy data writes nothing and running it twice is harmless.
 */
import { exemptionOf } from '../../src/core/org/exemption'
import { monthsOfPeriod, periodBounds, quarterKey } from '../../src/core/period'
import { aggregateId, type Aggregate } from '../../src/core/schemas/aggregate'
import { MemberSchema, type Member } from '../../src/core/schemas/member'
import { OrgSchema, type Org } from '../../src/core/schemas/org'
import { SessionSchema } from '../../src/core/schemas/session'
import { emptiedAggregate, rebuildBranchYear, sameFigures, type BranchYearFacts } from '../../src/core/stats/rebuild'
import { eachLimit } from './each-limit'
import { fetchAll } from './paging'
import type { Runtime } from './runtime'
import { settingsFor } from './settings'
import { deadline, pendingSessions, settleSession } from './session-tally'
import { settleClaim } from './tally'

const BIG = { cap: 2_000_000 }
/** Writes of one branch started at once (the job's call limit bounds them all together). */
const WRITES_AT_ONCE = 8

export interface BranchReconcileResult {
  aggregatesChecked: number
  aggregatesCorrected: number
  pointsCorrected: number
}

/**
 * A branch's documents of a period, read month by month: each month is one
 * page (CloudBase returns at most 1,000 per get), where one query for the
 * year would page with skip and re-read the year for every page. `field`
 * keeps only what the caller needs.
 */
export async function byMonth(rt: Runtime, collection: string, branchId: string, period: string, field?: Record<string, boolean>) {
  const pages = await Promise.all(
    monthsOfPeriod(period).map((m) => {
      const q = rt.db.collection(collection).where({ branchId, 'periodKeys.month': m })
      return fetchAll(field ? q.field(field) : q, BIG)
    })
  )
  return pages.flat()
}

/** Today's members of a branch, and those transferred out, who still answer for the sessions they owed it. */
export async function branchPeople(rt: Runtime, branchId: string): Promise<Member[]> {
  const [now, former] = await Promise.all([
    fetchAll(rt.db.collection('members').where({ branchId }), BIG),
    fetchAll(rt.db.collection('members').where({ 'branchHistory.branchId': branchId }), BIG)
  ])
  return [...now, ...former.filter((m) => m.branchId !== branchId)].map((d) => MemberSchema.parse(d))
}

async function loadFacts(rt: Runtime, branch: Org, year: number): Promise<BranchYearFacts> {
  const _ = rt.db.command
  const y = String(year)
  const { start, end } = periodBounds(y)
  const byYear = { branchId: branch._id, 'periodKeys.year': y }
  const [settings, members, sessions, checkins, leaves, makeups, notes, ledger] = await Promise.all([
    settingsFor(rt, branch.path),
    branchPeople(rt, branch._id),
    fetchAll(rt.db.collection('sessions').where({ branchId: branch._id, startAt: _.gte(start).and(_.lt(end)) }), BIG),
    byMonth(rt, 'checkins', branch._id, y),
    fetchAll(rt.db.collection('leaves').where(byYear), BIG),
    fetchAll(rt.db.collection('makeups').where(byYear), BIG),
    // A note's text is most of its size and no figure needs it.
    fetchAll(rt.db.collection('notes').where({ branchId: branch._id, year }).field({ content: false, matches: false, excerpts: false }), BIG),
    byMonth(rt, 'ledger', branch._id, y)
  ])
  // Facts are our own writes, checked by their schemas when written; members and sessions decide who counts, so they are parsed.
  return {
    branch,
    year,
    settings,
    members,
    sessions: sessions.map((s) => SessionSchema.parse(s)),
    checkins: checkins as never,
    leaves: leaves as never,
    makeups: makeups as never,
    notes: notes as never,
    ledger: ledger as never
  }
}

function periodsOfYear(year: number): string[] {
  return [String(year), ...[1, 2, 3, 4].map((q) => quarterKey(year, q)), ...monthsOfPeriod(String(year))]
}

/** Rebuilds one branch's year and writes what differs, in idempotent steps of one document (or one ledger key). */
export async function reconcileBranch(rt: Runtime, branch: Org, year: number): Promise<BranchReconcileResult> {
  // A session whose tally or cancellation is still being counted member by member would be counted
  // twice (here from the facts, then again by the run that finishes it): finish it first, or leave
  // the branch to the next run.
  for (const s of await pendingSessions(rt, { branchId: branch._id }, 50)) {
    if (!(await settleSession(rt, s._id, deadline(10_000))).done) {
      rt.log('warn', 'reconcile skipped a branch with a session still being counted', { branchId: branch._id, sessionId: s._id })
      return { aggregatesChecked: 0, aggregatesCorrected: 0, pointsCorrected: 0 }
    }
  }
  const now = rt.clock.now()
  const facts = await loadFacts(rt, branch, year)
  const rebuilt = rebuildBranchYear(facts, now)
  // Every period of the year, not only those with facts: one whose only fact went still holds figures.
  const stored = await fetchAll(
    rt.db.collection('aggregates').where({
      scope: rt.db.command.in(['member', 'branch']),
      branchId: branch._id,
      period: rt.db.command.in(periodsOfYear(year))
    }),
    BIG
  )
  const storedById = new Map(stored.map((d) => [String(d._id), d as unknown as Aggregate]))
  const drifted = [...rebuilt.aggregates.values()].filter((a) => !sameFigures(storedById.get(a._id) ?? null, a))
  // Stored documents the facts no longer reach (a member who left, a session moved) are zeroed, not left stale.
  for (const [id, doc] of storedById) {
    if (rebuilt.aggregates.has(id) || !doc.period.startsWith(String(year))) continue
    if (doc.scope === 'member' && rebuilt.split.has(doc.scopeId)) continue
    const zero = emptiedAggregate(doc, facts, now)
    if (!sameFigures(doc, zero)) drifted.push(zero)
  }
  const corrections = [...rebuilt.claims.values()].filter((c) => c.points !== (rebuilt.nets.get(c.key) ?? 0))
  if (drifted.length === 0 && corrections.length === 0) {
    return { aggregatesChecked: rebuilt.aggregates.size, aggregatesCorrected: 0, pointsCorrected: 0 }
  }
  // No transaction holds the branch (a year from nothing is hundreds of aggregates, far over CloudBase's
  // 30 s): each aggregate is set whole to what the facts say, which a repeat leaves as it is, and each
  // ledger key is corrected in a transaction of its own (get, add, set), which a repeat finds settled.
  await eachLimit(drifted, WRITES_AT_ONCE, async (a) => {
    const { _id, ...body } = { ...a, updatedAt: now }
    await rt.db.collection('aggregates').doc(_id).set({ data: body })
  })
  const byMember = new Map(facts.members.map((m) => [m._id, m]))
  await eachLimit(corrections, WRITES_AT_ONCE, async (claim) => {
    const m = byMember.get(claim.memberId)
    const owner = { memberId: claim.memberId, branchId: branch._id, orgPath: branch.path, countsForBranch: !m || !exemptionOf(m, facts.settings, year).branchFigures }
    // The aggregates written above already include these corrections (no `inc`: nothing is incremented).
    await rt.db.runTransaction((t) => settleClaim(t, rt, owner, claim, now, { expectedNet: rebuilt.nets.get(claim.key) ?? 0 }))
  })
  return { aggregatesChecked: rebuilt.aggregates.size, aggregatesCorrected: drifted.length, pointsCorrected: corrections.length }
}

/** Branches under an org (or all), in id order, after a cursor: the unit of a reconcile chunk. */
export async function branchesAfter(rt: Runtime, orgId: string | undefined, cursor: string | undefined, limit: number): Promise<Org[]> {
  const _ = rt.db.command
  const where: Record<string, unknown> = { type: 'branch' }
  if (orgId) where.path = orgId
  if (cursor) where._id = _.gt(cursor)
  const { data } = await rt.db.collection('orgs').where(where).orderBy('_id', 'asc').limit(limit).get()
  return data.map((d) => OrgSchema.parse(d))
}

export { aggregateId }
