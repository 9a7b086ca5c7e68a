/**
 * Applies a fact's change to the aggregates and the points ledger, inside the
 * transaction that writes the fact, so points and counters can never drift
 * from what was acknowledged. The rules themselves are pure
 * (src/core/stats/contributions.ts); this module is only the I/O.
 *
 * Transactions on CloudBase can only read and write documents by id, so
 * everything here is addressed by deterministic ids: aggregates by
 * (scope, id, period), a key's running net in `points_nets` by the key, and
 * the key's n-th ledger entry by (key, n).
 */
import { noteQuota } from '../../src/core/notes/quota'
import { periodKeysOf } from '../../src/core/period'
import { aggregateId, emptyAggregate, type AggregateCounter } from '../../src/core/schemas/aggregate'
import type { Member } from '../../src/core/schemas/member'
import { PointsEntrySchema, pointsEntryId, type PointsEntry } from '../../src/core/schemas/points'
import type { OrgSettingsValues } from '../../src/core/schemas/settings'
import {
  contributionDelta,
  monthWordsClaim,
  type Contribution,
  type Counters,
  type PointsClaim
} from '../../src/core/stats/contributions'
import { countsInBranch } from '../../src/core/stats/rebuild'
import { DbError, type Transaction } from './db'
import { fetchAll } from './paging'
import type { Runtime } from './runtime'

/** Whose aggregates a change touches. */
export interface AggregateOwner {
  memberId: string
  branchId: string
  orgPath: string[]
  /** Exempt members keep their own figures but are left out of the branch's. */
  countsForBranch: boolean
}

export function ownerOf(member: Pick<Member, '_id' | 'branchId' | 'orgPath' | 'exempt'>): AggregateOwner {
  return { memberId: member._id, branchId: member.branchId, orgPath: member.orgPath, countsForBranch: !member.exempt }
}

export interface Change {
  owner: AggregateOwner
  before: Contribution | null
  after: Contribution | null
}

type Level = 'year' | 'quarter' | 'month'
const LEVELS: Level[] = ['year', 'quarter', 'month']

/** The aggregate ids an instant's facts land in for this owner. */
export function aggregateTargets(owner: AggregateOwner, at: number): string[] {
  const keys = periodKeysOf(at)
  const ids = LEVELS.map((l) => aggregateId('member', owner.memberId, keys[l]))
  if (owner.countsForBranch) ids.push(...LEVELS.map((l) => aggregateId('branch', owner.branchId, keys[l])))
  return ids
}

/**
 * In-flight basis reads by branch and year: when a burst of check-ins opens
 * a new month, the first thousand requests would otherwise each read the
 * whole roster; they share one read instead.
 */
const basisInFlight = new Map<string, Promise<{ members: number; quotaWords: number }>>()

function sharedBasis(rt: Runtime, branchId: string, settings: OrgSettingsValues, year: number) {
  const key = `${branchId}|${year}`
  let p = basisInFlight.get(key)
  if (!p) {
    p = branchBasis(rt, branchId, settings, year).finally(() => basisInFlight.delete(key))
    basisInFlight.set(key, p)
  }
  return p
}

/** What a branch's aggregate starts with: its counted members and the sum of their quotas. */
export async function branchBasis(rt: Runtime, branchId: string, settings: OrgSettingsValues, year: number) {
  const docs = await fetchAll(rt.db.collection('members').where({ branchId, active: true }), { cap: 20000 })
  let members = 0
  let quotaWords = 0
  for (const m of docs as unknown as Member[]) {
    if (!countsInBranch(m)) continue
    members++
    quotaWords += noteQuota(m, settings, year)?.words ?? 0
  }
  return { members, quotaWords }
}

/**
 * Creates, outside the transaction, any aggregate a change will increment.
 * `add` with the deterministic id means two racing writers create it once;
 * creating with `set` could wipe an increment made in between.
 */
export async function ensureAggregates(
  rt: Runtime,
  owner: AggregateOwner,
  instants: readonly number[],
  settings: OrgSettingsValues,
  member: Pick<Member, 'rank' | 'exempt'> & { birthYear?: number | null }
): Promise<void> {
  const now = rt.clock.now()
  const basisByYear = new Map<number, Promise<{ members: number; quotaWords: number }>>()
  const wanted = new Map<string, () => Promise<Record<string, unknown>>>()
  for (const at of instants) {
    const keys = periodKeysOf(at)
    const year = Number(keys.year)
    for (const l of LEVELS) {
      const period = keys[l]
      const quota = noteQuota(member, settings, year)?.words ?? 0
      wanted.set(aggregateId('member', owner.memberId, period), async () =>
        emptyAggregate('member', owner.memberId, owner.branchId, owner.orgPath, period, now, quota)
      )
      if (!owner.countsForBranch) continue
      wanted.set(aggregateId('branch', owner.branchId, period), async () => {
        if (!basisByYear.has(year)) basisByYear.set(year, sharedBasis(rt, owner.branchId, settings, year))
        const basis = await basisByYear.get(year)!
        return { ...emptyAggregate('branch', owner.branchId, owner.branchId, owner.orgPath, period, now, basis.quotaWords), members: basis.members }
      })
    }
  }
  const col = rt.db.collection('aggregates')
  const known = knownIn(rt.db)
  await Promise.all(
    [...wanted].map(async ([id, make]) => {
      if (known.has(id)) return
      const { data } = await col.doc(id).get()
      if (data) return remember(known, id)
      try {
        await col.add({ data: await make() })
      } catch (err) {
        if (!(err instanceof DbError && err.code === 'DUPLICATE_ID')) throw err
      }
      remember(known, id)
    })
  )
}

/**
 * Aggregates known to exist, per database handle. Nothing ever deletes one
 * (reconciliation rewrites, never removes), so a check-in burst need not
 * look each of its six up again; bounded, so a long-lived process stays small.
 */
const knownAggregates = new WeakMap<object, Set<string>>()
function knownIn(db: object): Set<string> {
  let set = knownAggregates.get(db)
  if (!set) knownAggregates.set(db, (set = new Set()))
  return set
}
function remember(known: Set<string>, id: string): void {
  if (known.size >= 100_000) known.clear()
  known.add(id)
}

/** The instants whose aggregates a list of changes touches (for ensureAggregates). */
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

async function incAggregates(t: Transaction, rt: Runtime, owner: AggregateOwner, at: number, counters: Counters, now: number) {
  const _ = rt.db.command
  const data: Record<string, unknown> = { updatedAt: now }
  for (const [k, v] of Object.entries(counters) as [AggregateCounter, number][]) if (v) data[k] = _.inc(v)
  for (const id of aggregateTargets(owner, at)) {
    const res = await t.collection('aggregates').doc(id).update({ data })
    // ensureAggregates ran first; a missing document means a caller skipped it.
    if (res.stats.updated === 0) throw new Error(`aggregate ${id} missing: call ensureAggregates before the transaction`)
  }
}

export interface LedgerOptions {
  createdBy?: string
  /** Reconciliation rewrites the aggregates itself, corrections included. */
  skipAggregates?: boolean
  /** Reconciliation's reading of the key's net from the ledger, which wins over a drifted net document. */
  expectedNet?: number
}

/**
 * Brings one key's ledger to what its claim says it earns now, by appending
 * the difference. A retried write sees the net already moved and adds
 * nothing; this is what makes points idempotent.
 */
export async function settleClaim(
  t: Transaction,
  rt: Runtime,
  owner: AggregateOwner,
  claim: PointsClaim,
  now: number,
  opts: LedgerOptions = {}
): Promise<PointsEntry | null> {
  const netRef = t.collection('points_nets').doc(claim.key)
  const { data } = await netRef.get()
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
  await t.collection('ledger').add({ data: entry })
  await netRef.set({
    data: { memberId: owner.memberId, branchId: owner.branchId, net: claim.points, entries: entries + 1, updatedAt: now }
  })
  if (!opts.skipAggregates) await incAggregates(t, rt, owner, claim.at, { points: delta }, now)
  return entry
}

/** Claims a change settles: the after-state's, or the before-state's at zero when the fact is gone. */
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
 * Applies changes inside the caller's transaction: counter deltas by `inc`,
 * then every points key settled against its net. Returns the ledger entries
 * written (empty when nothing moved).
 */
export async function applyChanges(
  t: Transaction,
  rt: Runtime,
  changes: readonly Change[],
  opts: LedgerOptions & { monthWords?: { settings: OrgSettingsValues; sourceId: string } } = {}
): Promise<PointsEntry[]> {
  const now = rt.clock.now()
  const written: PointsEntry[] = []
  for (const change of changes) {
    const deltas = contributionDelta(change.before, change.after)
    const wordMonths = new Map<string, number>()
    for (const d of deltas) {
      if (opts.monthWords && d.counters.creditedWords) {
        // Read before the increment: a transaction's reads need not see its own writes on every backend.
        const month = periodKeysOf(d.at).month
        const id = aggregateId('member', change.owner.memberId, month)
        const base = wordMonths.has(month) ? wordMonths.get(month)! : Number((await t.collection('aggregates').doc(id).get()).data?.creditedWords ?? 0)
        wordMonths.set(month, base + d.counters.creditedWords)
      }
      await incAggregates(t, rt, change.owner, d.at, d.counters, now)
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
