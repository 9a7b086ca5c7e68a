/**
 * Writing counter increments into the aggregates (the I/O half of
 * src/core/stats/increments.ts).
 *
 * Branch aggregates are touched by every member of the branch; on CloudBase
 * a document written inside a transaction is locked until commit and a second
 * transaction writing it fails at once. So no member's transaction writes
 * them: their increments are applied after the commit as plain bulk `inc`
 * updates, which CloudBase applies atomically per document and which wait
 * for a lock instead of failing. Attendance increments of the member's own
 * aggregates go the same way (one bulk update covers the member's three
 * periods and the branch's three). Only note writes keep the member's own
 * aggregates inside their transaction, since the monthly-words points are
 * computed from the month's figure read there.
 *
 * Nothing creates an aggregate ahead of time: the first increment an
 * instance makes to a document it has not seen looks it up and creates it
 * empty when missing (a new month, a new member); after that the instance
 * knows it exists and increments it with no lookup. A crash between a commit
 * and its increments leaves a drift that the nightly reconciliation finds and
 * rewrites (and reports).
 */
import { memberNoteQuota } from '../../src/core/notes/prorate'
import { exemptionOf, exemptionYear, type ExemptionSettings } from '../../src/core/org/exemption'
import { periodBounds } from '../../src/core/period'
import { emptyAggregate, type Aggregate, type AggregateCounter } from '../../src/core/schemas/aggregate'
import type { Member } from '../../src/core/schemas/member'
import type { OrgSettingsValues } from '../../src/core/schemas/settings'
import type { Counters } from '../../src/core/stats/contributions'
import { groupIncrements, incrementTargets, planIncrement, type PlannedIncrement } from '../../src/core/stats/increments'
import { branchBasisOf } from '../../src/core/stats/rebuild'
import { addIfAbsent, type Transaction } from './db'
import { fetchAll } from './paging'
import type { Runtime } from './runtime'

/** Whose aggregates a change touches. */
export interface AggregateOwner {
  memberId: string
  branchId: string
  orgPath: string[]
  /** Exempt members keep their own figures but are left out of the branch's (per year: exemptionOf). */
  countsForBranch: boolean | ((at: number) => boolean)
  /**
   * The member's branch today, when the fact is another branch's (a session or note of the branch they
   * left): their own aggregates are filed under it, the branch figures and ledger lines under the fact's.
   */
  home?: { branchId: string; orgPath: string[] }
  /** What the member's yearly word quota is computed from, should their aggregate have to be created. */
  quota?: Pick<Member, 'rank' | 'exempt' | 'joinedAt'> & { birthYear?: number | null; retired: boolean }
}

/**
 * @param factBranch the branch the fact belongs to (a session's, a note's), when it may not be the
 *   member's today: a change made after a transfer to a fact of the old branch is that branch's, as
 *   the nightly rebuild counts it.
 */
export function ownerOf(
  // `retired` picks the 离退休 quota; every caller passes a stored member, which has it.
  member: Pick<Member, '_id' | 'branchId' | 'orgPath' | 'exempt' | 'rank' | 'joinedAt'> & { birthYear?: number | null; retired?: boolean },
  settings: ExemptionSettings,
  factBranch?: { branchId: string; orgPath: string[] }
): AggregateOwner {
  const elsewhere = factBranch !== undefined && factBranch.branchId !== member.branchId
  return {
    memberId: member._id,
    branchId: elsewhere ? factBranch.branchId : member.branchId,
    orgPath: elsewhere ? factBranch.orgPath : member.orgPath,
    ...(elsewhere ? { home: { branchId: member.branchId, orgPath: member.orgPath } } : {}),
    countsForBranch: (at) => !exemptionOf(member, settings, exemptionYear(at)).branchFigures,
    quota: { rank: member.rank, exempt: member.exempt, joinedAt: member.joinedAt, birthYear: member.birthYear ?? null, retired: member.retired === true }
  }
}

/**
 * In-flight basis reads by branch and period: when a burst of check-ins opens
 * a new month, the first requests would otherwise each read the whole
 * roster; they share one read instead.
 */
const basisInFlight = new Map<string, Promise<{ members: number; quotaWords: number }>>()

/** What a branch's aggregate for a period starts with: its counted members then and the sum of their quotas (branchBasisOf). */
export async function branchBasis(rt: Runtime, branchId: string, settings: OrgSettingsValues, period: string) {
  const [current, movedOut] = await Promise.all([
    fetchAll(rt.db.collection('members').where({ branchId, active: true }), { cap: 20000 }),
    // Transferred out since: still counted in the periods they were here.
    fetchAll(rt.db.collection('members').where({ 'branchHistory.branchId': branchId, active: true }), { cap: 20000 })
  ])
  const members = new Map([...current, ...movedOut].map((d) => [String(d._id), d as unknown as Member]))
  return branchBasisOf([...members.values()], branchId, settings, Number(period.slice(0, 4)), periodBounds(period))
}

function sharedBasis(rt: Runtime, branchId: string, settings: OrgSettingsValues, period: string) {
  const key = `${branchId}|${period}`
  let p = basisInFlight.get(key)
  if (!p) {
    p = branchBasis(rt, branchId, settings, period).finally(() => basisInFlight.delete(key))
    basisInFlight.set(key, p)
  }
  return p
}

/**
 * Aggregates this instance has seen exist, per database handle (one per
 * instance on CloudBase, one per process locally, one per test database).
 * Nothing removes an aggregate (reconciliation rewrites, never deletes), so
 * the steady path is a single bulk update; bounded, so a long-lived process
 * stays small.
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

function incs(rt: Runtime, counters: Counters, now: number): Record<string, unknown> {
  const _ = rt.db.command
  const data: Record<string, unknown> = { updatedAt: now }
  for (const [k, v] of Object.entries(counters) as [AggregateCounter, number][]) if (v) data[k] = _.inc(v)
  return data
}

function withCounters(doc: Aggregate, counters: Counters): Aggregate {
  const out = { ...doc }
  for (const [k, v] of Object.entries(counters) as [AggregateCounter, number][]) if (v) out[k] = (out[k] ?? 0) + v
  return out
}

/**
 * The increments one transaction's changes make, collected while it runs
 * and written as described above. Create one per transaction attempt (a
 * retried transaction starts again with an empty one).
 */
export class AggregateIncrements {
  private plan = new Map<string, PlannedIncrement>()
  private owners = new Map<string, AggregateOwner>()

  /**
   * @param memberInTx note writes: the member's own aggregates are written by flushInTx, inside the transaction.
   */
  constructor(
    private readonly settings: OrgSettingsValues,
    private readonly memberInTx = false
  ) {}

  add(owner: AggregateOwner, at: number, counters: Counters): void {
    this.owners.set(owner.memberId, owner)
    for (const target of incrementTargets(owner, at)) planIncrement(this.plan, target, counters)
  }

  /** Note writes: the member's own increments, inside the transaction (a missing document is created there). */
  async flushInTx(t: Transaction, rt: Runtime): Promise<void> {
    if (!this.memberInTx) return
    const now = rt.clock.now()
    for (const p of [...this.plan.values()].filter((x) => x.scope === 'member')) {
      this.plan.delete(p.id)
      if (Object.keys(p.counters).length === 0) continue
      const ref = t.collection('aggregates').doc(p.id)
      const res = await ref.update({ data: incs(rt, p.counters, now) })
      if (res.stats.updated > 0) continue
      const { _id: _omit, ...body } = withCounters(await this.emptyDoc(rt, p, now), p.counters)
      await ref.set({ data: { ...body } })
    }
  }

  /** After the commit: every remaining increment, one bulk update per distinct increment. */
  async applyAfterCommit(rt: Runtime): Promise<void> {
    const now = rt.clock.now()
    const groups = groupIncrements(this.plan.values())
    this.plan.clear()
    await Promise.all(groups.map((g) => this.bump(rt, g.docs, g.counters, now)))
  }

  private async bump(rt: Runtime, docs: PlannedIncrement[], counters: Counters, now: number): Promise<void> {
    const _ = rt.db.command
    const ids = docs.map((d) => d.id)
    await this.ensureExist(rt, docs, now)
    const res = await rt.db.collection('aggregates').where({ _id: _.in(ids) }).update({ data: incs(rt, counters, now) })
    if (res.stats.updated < ids.length) {
      // Only if a document vanished (nothing removes them): reconciliation rebuilds it.
      const known = knownIn(rt.db)
      for (const id of ids) known.delete(id)
      rt.log('warn', 'aggregate increment missed documents; left to reconciliation', { ids, updated: res.stats.updated })
    }
  }

  /**
   * Creates (empty) the documents this instance has not yet seen exist, so
   * that the bulk increment that follows reaches every one of them: an
   * increment carried by a create would race with other writers' updates.
   */
  private async ensureExist(rt: Runtime, docs: PlannedIncrement[], now: number): Promise<void> {
    const known = knownIn(rt.db)
    const unknown = docs.filter((d) => !known.has(d.id))
    if (unknown.length === 0) return
    const col = rt.db.collection('aggregates')
    const found = await col.where({ _id: rt.db.command.in(unknown.map((d) => d.id)) }).field({ _id: true }).limit(unknown.length).get()
    for (const d of found.data) remember(known, String(d._id))
    for (const d of unknown.filter((x) => !known.has(x.id))) {
      await addIfAbsent(col, await this.emptyDoc(rt, d, now))
      remember(known, d.id)
    }
  }

  private async emptyDoc(rt: Runtime, p: PlannedIncrement, now: number): Promise<Aggregate> {
    const owner = this.owners.get(p.memberId)!
    const year = Number(p.period.slice(0, 4))
    if (p.scope === 'member') {
      const quota = owner.quota ? memberNoteQuota(owner.quota, this.settings, year)?.words ?? 0 : 0
      const home = owner.home ?? owner
      return emptyAggregate('member', owner.memberId, home.branchId, home.orgPath, p.period, now, quota)
    }
    const basis = await sharedBasis(rt, owner.branchId, this.settings, p.period)
    return { ...emptyAggregate('branch', owner.branchId, owner.branchId, owner.orgPath, p.period, now, basis.quotaWords), members: basis.members }
  }
}

/**
 * Runs a transaction and applies its increments once it has committed.
 * `fn` may run more than once (a retried conflict): each run gets a fresh
 * collector, so only the committed run's increments are applied.
 */
export async function transact<T>(
  rt: Runtime,
  settings: OrgSettingsValues,
  fn: (t: Transaction, inc: AggregateIncrements) => Promise<T>,
  opts: { memberInTx?: boolean } = {}
): Promise<T> {
  let inc!: AggregateIncrements
  const out = await rt.db.runTransaction(async (t) => {
    inc = new AggregateIncrements(settings, opts.memberInTx)
    const result = await fn(t, inc)
    await inc.flushInTx(t, rt)
    return result
  })
  await inc.applyAfterCommit(rt)
  return out
}
