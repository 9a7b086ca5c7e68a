/**
 * The nightly reconcile on CloudBase terms: several branches at once, yet
 * never more database calls in flight than RECONCILE_PARALLEL.calls (a basic
 * plan has 20 connections); no transaction over 50 operations, even when a
 * whole year of aggregates is written from nothing and ledger keys drifted;
 * the result as exact as before (ledger sums equal aggregates, a second run
 * finds nothing).
 */
import { RECONCILE_PARALLEL } from '../../cloudfunctions/cron/src/reconcile'
import { CallCounter, countingDb } from '../helpers/counting-db'
import { makeTestEnv, type TestEnv } from '../helpers/env'
import { latencyDb, type LatencyStats } from '../helpers/latency-db'
import { expectLedgerMatchesAggregates, runCron } from './stats-support'

/** The test clock's year (a fixed clock, never today's date); explicit, so each run is a whole pass. */
const YEAR = 2026
let env: TestEnv
let slow: LatencyStats
const counter = new CallCounter()
beforeAll(async () => {
  env = await makeTestEnv({
    wrapDb: (db) => {
      const w = latencyDb(countingDb(db, counter), { ms: 2 })
      slow = w.stats
      return w.db
    }
  })
  // The seed has tallied and reconciled (through the unwrapped database).
}, 60_000)
afterAll(() => env.close())

describe('reconcile with bounded parallel calls', () => {
  it('rebuilds every aggregate and drifted ledger keys within the call limit and small transactions', async () => {
    const periods = [String(YEAR), ...[1, 2, 3, 4].map((q) => `${YEAR}-Q${q}`), ...Array.from({ length: 12 }, (_, m) => `${YEAR}-${String(m + 1).padStart(2, '0')}`)]
    await env.db.collection('aggregates').where({ period: env.db.command.in(periods) }).remove()
    // Three ledger lines lost: their keys must be corrected.
    const lost = (await env.db.collection('ledger').where({ 'periodKeys.year': String(YEAR) }).orderBy('_id', 'asc').limit(3).get()).data
    for (const d of lost) await env.db.collection('ledger').doc(String(d._id)).remove()
    counter.reset()
    slow.maxInFlight = 0
    const first = await runCron(env, 'reconcile', { year: YEAR })
    expect(first.corrected).toBeGreaterThan(100)
    // It did run branches side by side, and never past the limit.
    expect(slow.maxInFlight).toBeGreaterThan(RECONCILE_PARALLEL.branches)
    expect(slow.maxInFlight).toBeLessThanOrEqual(RECONCILE_PARALLEL.calls)
    const f = counter.get()
    expect(f.transactions.length).toBeGreaterThanOrEqual(lost.length)
    expect(f.maxTxOps).toBeLessThanOrEqual(3)
    await expectLedgerMatchesAggregates(env)
    const again = await runCron(env, 'reconcile', { year: YEAR })
    expect(again.corrected).toBe(0)
  }, 120_000)
})
