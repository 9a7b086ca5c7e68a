/**
 * Applies a fact's change to the points ledger and the aggregates' counters,
 * inside the transaction that writes the fact, so points can never drift
 * from what was acknowledged. The rules themselves are pure
 * (src/core/stats/contributions.ts); this module is only the I/O.
 *
 * Transactions on CloudBase can only read and write documents by id, so
 * everything here is addressed by deterministic ids: a key's running net in
 * `points_nets` by the key, and the key's n-th ledger entry by (key, n).
 * Counter increments are collected (aggregates.ts) and written after the
 * commit, so no member's transaction holds a document another member needs.
 */
import { periodKeysOf } from '../../src/core/period'
import { aggregateId } from '../../src/core/schemas/aggregate'
import { PointsEntrySchema, pointsEntryId, type PointsEntry } from '../../src/core/schemas/points'
import type { OrgSettingsValues } from '../../src/core/schemas/settings'
import {
  contributionDelta,
  monthWordsClaim,
  noteContribution,
  type Contribution,
  type PointsClaim
} from '../../src/core/stats/contributions'
import { essayCounts, essayPointEarners, type EssayRankFacts } from '../../src/core/notes/essay'
import { periodBounds } from '../../src/core/period'
import { isDuplicateId, type Transaction } from './db'
import { ownerOf, type AggregateIncrements, type AggregateOwner } from './aggregates'
import type { Runtime } from './runtime'

export { ownerOf, type AggregateOwner }

export interface Change {
  owner: AggregateOwner
  before: Contribution | null
  after: Contribution | null
}

/**
 * Thrown inside a transaction run on the assumption that a points key had no
 * entry yet (a first check-in) when its first entry turned out to exist: the
 * caller runs the transaction again reading the key's net.
 */
export class StaleAssumption extends Error {
  constructor(key: string) {
    super(`points key ${key} already has entries`)
    this.name = 'StaleAssumption'
  }
}

/** The instants whose aggregates a list of changes touches. */
export function instantsOf(changes: readonly Change[]): number[] {
  const out = new Set<number>()
  for (const c of changes) {
    if (c.before) out.add(c.before.at)
    if (c.after) {
      out.add(c.after.at)
      for (const claim of c.after.claims) out.add(claim.at)
    }
  }
  return [...out]
}

export interface LedgerOptions {
  createdBy?: string
  /** Where counter increments go; absent only for reconciliation, which rewrites the aggregates itself. */
  inc?: AggregateIncrements
  /** Reconciliation's reading of the key's net from the ledger, which wins over a drifted net document. */
  expectedNet?: number
  /**
   * The keys have never had an entry (a first check-in: nothing could have earned under them), so
   * their nets are not read. The first entry's deterministic id is the check: should it exist after
   * all, StaleAssumption is thrown and the caller retries without this.
   */
  fresh?: boolean
}

/**
 * Brings one key's ledger to what its claim says it earns now, by appending
 * the difference. A retried write sees the net already moved and adds
 * nothing; this is what makes points idempotent.
 */
export async function settleClaim(
  t: Transaction,
  _rt: Runtime,
  owner: AggregateOwner,
  claim: PointsClaim,
  now: number,
  opts: LedgerOptions = {}
): Promise<PointsEntry | null> {
  const netRef = t.collection('points_nets').doc(claim.key)
  const data = opts.fresh ? null : (await netRef.get()).data
  const net = opts.expectedNet ?? (typeof data?.net === 'number' ? data.net : 0)
  const entries = typeof data?.entries === 'number' ? data.entries : 0
  const delta = claim.points - net
  if (delta === 0) return null
  const reason = entries === 0 ? claim.reason : `${claim.points === 0 ? '撤销' : '更正'}：${claim.reason}`
  const keys = periodKeysOf(claim.at)
  const entry = PointsEntrySchema.parse({
    _id: pointsEntryId(claim.key, entries),
    memberId: owner.memberId,
    branchId: owner.branchId,
    delta,
    rule: claim.rule,
    key: claim.key,
    seq: entries,
    sourceType: claim.sourceType,
    sourceId: claim.sourceId,
    reason: reason.slice(0, 200),
    periodKeys: { year: keys.year, quarter: keys.quarter, month: keys.month },
    at: claim.at,
    ...(opts.createdBy ? { createdBy: opts.createdBy } : {}),
    createdAt: now
  })
  try {
    await t.collection('ledger').add({ data: entry })
  } catch (err) {
    if (opts.fresh && isDuplicateId(err)) throw new StaleAssumption(claim.key)
    throw err
  }
  await netRef.set({
    data: { memberId: owner.memberId, branchId: owner.branchId, net: claim.points, entries: entries + 1, updatedAt: now }
  })
  opts.inc?.add(owner, claim.at, { points: delta })
  return entry
}

/**
 * The claims whose worth the change moves: the only keys whose net needs
 * reading. A key the change leaves alone keeps whatever it holds; if that
 * ever drifted from the facts, the nightly reconciliation settles it.
 */
function claimsOf(change: Change): PointsClaim[] {
  const before = new Map((change.before?.claims ?? []).map((c) => [c.key, c.points]))
  if (!change.after) return (change.before?.claims ?? []).filter((c) => c.points !== 0).map((c) => ({ ...c, points: 0 }))
  return change.after.claims.filter((c) => (before.has(c.key) ? before.get(c.key) !== c.points : c.points !== 0))
}

/**
 * Applies changes inside the caller's transaction: counter deltas into
 * `opts.inc`, then every points key settled against its net. Returns the
 * ledger entries written (empty when nothing moved).
 */
export async function applyChanges(
  t: Transaction,
  rt: Runtime,
  changes: readonly Change[],
  opts: LedgerOptions & { inc: AggregateIncrements; monthWords?: { settings: OrgSettingsValues; sourceId: string } }
): Promise<PointsEntry[]> {
  const now = rt.clock.now()
  const written: PointsEntry[] = []
  for (const original of changes) {
    // A note's change: its essay claim as the quarter's cap allows, and the other essays it moves in or out of the points.
    const capped = opts.monthWords ? await capEssayPoints(rt, original, opts.monthWords.settings) : { change: original, others: [] }
    const change = capped.change
    for (const claim of capped.others) {
      const e = await settleClaim(t, rt, change.owner, claim, now, opts)
      if (e) written.push(e)
    }
    const deltas = contributionDelta(change.before, change.after)
    const wordMonths = new Map<string, number>()
    for (const d of deltas) {
      if (opts.monthWords && d.counters.creditedWords) {
        // The month's words before this change, as committed (note writes keep the member's aggregates in their transaction).
        const month = periodKeysOf(d.at).month
        const id = aggregateId('member', change.owner.memberId, month)
        const base = wordMonths.has(month) ? wordMonths.get(month)! : Number((await t.collection('aggregates').doc(id).get()).data?.creditedWords ?? 0)
        wordMonths.set(month, base + d.counters.creditedWords)
      }
      opts.inc.add(change.owner, d.at, d.counters)
    }
    for (const claim of claimsOf(change)) {
      const e = await settleClaim(t, rt, change.owner, claim, now, opts)
      if (e) written.push(e)
    }
    if (opts.monthWords) {
      const { settings, sourceId } = opts.monthWords
      for (const [month, words] of wordMonths) {
        const claim = monthWordsClaim(change.owner.memberId, month, words, settings.pointsRules, settings.notePointsMonthlyCap, sourceId)
        const e = await settleClaim(t, rt, change.owner, claim, now, opts)
        if (e) written.push(e)
      }
    }
  }
  return written
}

/**
 * The essay cap on the write path (essayPointEarners, the rule the nightly
 * rebuild applies): the member's other essays of the note's quarter in its
 * branch are read (a query, so outside the transaction's snapshot: the note
 * being written is taken from the change, never from the read), the essays
 * earning before and after the change are ranked, and the note's claim is
 * set by its rank. An essay that the change moves into or out of the first
 * `cap` (a deletion or return lets the next one earn) is settled too.
 * Two of one member's essays written at the very same moment could each miss
 * the other; the nightly reconciliation then settles who earns.
 */
async function capEssayPoints(rt: Runtime, change: Change, settings: OrgSettingsValues): Promise<{ change: Change; others: PointsClaim[] }> {
  const essayOf = (c: Contribution | null) => c?.claims.find((x) => x.rule === 'essay')
  const before = essayOf(change.before)
  const after = essayOf(change.after)
  const claim = after ?? before
  const countsBefore = change.before?.counters.essays === 1
  const countsAfter = change.after?.counters.essays === 1
  // Neither state takes a place among the quarter's earners: nothing to rank.
  if (!claim || (!countsBefore && !countsAfter)) return { change, others: [] }
  const _ = rt.db.command
  const quarter = periodKeysOf(claim.at).quarter
  const { start, end } = periodBounds(quarter)
  const { data } = await rt.db
    .collection('notes')
    // The notes index is (memberId, year): a member's year of notes is a few dozen documents.
    .where({ memberId: change.owner.memberId, year: Number(periodKeysOf(claim.at).year), branchId: change.owner.branchId, kind: 'essay', createdAt: _.gte(start).and(_.lt(end)) })
    .field({ content: false, matches: false, excerpts: false })
    .limit(1000)
    .get()
  const others = (data as unknown as EssayRankFacts[]).filter((n) => n._id !== claim.sourceId && essayCounts(n, settings.essayMinWords))
  // The note itself, in either state, by what its contribution counted (the same judge); the others
  // are already judged, so the ranking below judges nothing again (minimum 0).
  const self = (counts: boolean): EssayRankFacts[] =>
    counts ? [{ _id: claim.sourceId, memberId: change.owner.memberId, createdAt: claim.at, kind: 'essay', words: 1, creditedWords: 1, review: { status: 'pending' } }] : []
  const rank = (counts: boolean) => essayPointEarners([...others, ...self(counts)], 0, settings.essayPointsQuarterlyCap, (at) => periodKeysOf(at).quarter)
  const earnedBefore = rank(countsBefore)
  const earnedAfter = rank(countsAfter)
  const within = (c: Contribution | null, earned: Set<string>): Contribution | null =>
    c && { ...c, claims: c.claims.map((x) => (x.rule === 'essay' && !earned.has(claim.sourceId) ? { ...x, points: 0 } : x)) }
  const moved = others
    .filter((n) => earnedBefore.has(n._id) !== earnedAfter.has(n._id))
    .flatMap((n) => noteContribution(n as Parameters<typeof noteContribution>[0], settings.pointsRules, settings.essayMinWords, earnedAfter.has(n._id)).claims)
  return { change: { ...change, before: within(change.before, earnedBefore), after: within(change.after, earnedAfter) }, others: moved }
}
