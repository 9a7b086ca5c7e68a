/**
 * Checks shared by the points/aggregates suites: run the cron jobs as the
 * platform would (no caller identity), and compare every aggregate with the
 * ledger and with a from-scratch rebuild.
 */
import { exemptionOf, type ExemptionSettings } from '../../src/core/org/exemption'
import { aggregateId, type Aggregate } from '../../src/core/schemas/aggregate'
import type { Member } from '../../src/core/schemas/member'
import type { PointsEntry } from '../../src/core/schemas/points'
import { fetchAll } from '../../cloudfunctions/_shared/paging'
import { expectOk, type TestEnv } from '../helpers/env'

type CronOut = { processed: number; corrected?: number; nextCursor?: string }

export async function runCron(env: TestEnv, job: 'tally' | 'reconcile', input: Record<string, unknown> = {}) {
  let processed = 0
  let corrected = 0
  let cursor: string | undefined
  do {
    const out = expectOk(await env.call<CronOut>('cron', job, { ...input, ...(cursor ? { cursor } : {}) }, null))
    processed += out.processed
    corrected += out.corrected ?? 0
    cursor = out.nextCursor && job === 'reconcile' ? out.nextCursor : undefined
  } while (cursor)
  return { processed, corrected }
}

export async function aggregateOf(env: TestEnv, scope: 'member' | 'branch', id: string, period: string): Promise<Aggregate | null> {
  const { data } = await env.db.collection('aggregates').doc(aggregateId(scope, id, period)).get()
  return data as Aggregate | null
}

export async function ledgerOf(env: TestEnv, memberId: string): Promise<PointsEntry[]> {
  return (await fetchAll(env.db.collection('ledger').where({ memberId }), { cap: 100000 })) as unknown as PointsEntry[]
}

/**
 * Every member aggregate's points equal the sum of that member's ledger in
 * the period, and every branch aggregate the sum over its counted members.
 */
export async function expectLedgerMatchesAggregates(env: TestEnv, settings: ExemptionSettings | ((branchId: string) => ExemptionSettings) = {}): Promise<number> {
  const settingsOf = typeof settings === 'function' ? settings : () => settings
  const ledger = (await fetchAll(env.db.collection('ledger'), { cap: 1_000_000 })) as unknown as PointsEntry[]
  const aggs = (await fetchAll(env.db.collection('aggregates'), { cap: 1_000_000 })) as unknown as Aggregate[]
  const members = new Map((await fetchAll(env.db.collection('members'), { cap: 100000 })).map((m) => [String(m._id), m as unknown as Member]))
  // Exempt members' points stay out of the branch's, by the one rule, for the entry's year.
  const outOfBranch = (e: PointsEntry) => {
    const m = members.get(e.memberId)
    return m !== undefined && exemptionOf(m, settingsOf(e.branchId), Number(e.periodKeys.year)).branchFigures
  }
  const sums = new Map<string, number>()
  const addTo = (id: string, d: number) => sums.set(id, (sums.get(id) ?? 0) + d)
  for (const e of ledger) {
    for (const p of [e.periodKeys.year, e.periodKeys.quarter, e.periodKeys.month]) {
      addTo(aggregateId('member', e.memberId, p), e.delta)
      if (!outOfBranch(e)) addTo(aggregateId('branch', e.branchId, p), e.delta)
    }
  }
  const mismatches: string[] = []
  for (const a of aggs) {
    const want = sums.get(a._id) ?? 0
    if (a.points !== want) mismatches.push(`${a._id}: aggregate ${a.points}, ledger ${want}`)
    sums.delete(a._id)
  }
  for (const [id, v] of sums) if (v !== 0) mismatches.push(`${id}: no aggregate, ledger ${v}`)
  expect(mismatches).toEqual([])
  return ledger.length
}
