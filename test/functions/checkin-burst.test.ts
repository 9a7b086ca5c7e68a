/**
 * Hot documents: a whole branch checking in at once. On CloudBase a document
 * written inside a transaction is locked until commit and a second
 * transaction writing it fails at once, so no two members' check-in
 * transactions may write the same document (the branch's aggregates are
 * incremented after the commit instead). Proven with the counting wrapper's
 * record of what each transaction wrote, and the figures checked exactly.
 */
import { aggregateId } from '../../src/core/schemas/aggregate'
import type { Checkin } from '../../src/core/schemas/checkin'
import type { CallCounter } from '../helpers/counting-db'
import { expectOk, type TestEnv } from '../helpers/env'
import { addBranch, addOnlineSession, countedEnv } from './call-budget.fixtures'
import { aggregateOf, expectLedgerMatchesAggregates, runCron } from './stats-support'

let env: TestEnv
let counter: CallCounter
beforeAll(async () => {
  ;({ env, counter } = await countedEnv())
  // A month nothing has happened in yet, so the burst also creates every aggregate it touches.
  env.clock.set(Date.parse('2026-12-01T02:00:00Z'))
})
afterAll(() => env.close())

type Out = { checkin: Checkin; duplicate: boolean }

test('100 members of one branch at once: none lost or doubled, no document shared between their transactions, exact aggregates', async () => {
  const br = await addBranch(env, 'br_burst', 100)
  const s = await addOnlineSession(env, br)
  const tap = (m: string) => counter.run(m, () => env.call<Out>('checkin', 'checkIn', { sessionId: s._id }, m))

  const first = await Promise.all(br.members.map(tap))
  expect(first.map((r) => expectOk(r).duplicate)).toEqual(br.members.map(() => false))

  // Who wrote each document inside a committed transaction.
  const writers = new Map<string, Set<string>>()
  for (const m of br.members) {
    const txs = counter.get(m).transactions.filter((t) => t.committed)
    expect(txs).toHaveLength(1)
    for (const d of txs[0].wrote) writers.set(d, (writers.get(d) ?? new Set()).add(m))
  }
  expect([...writers].filter(([, w]) => w.size > 1).map(([d]) => d)).toEqual([])
  expect(writers.size).toBe(300) // each member's check-in, ledger entry and points net

  // Every member taps again (a lost reply): nothing is added anywhere.
  const ledgerBefore = (await env.db.collection('ledger').where({ branchId: br.id }).count()).total
  const again = await Promise.all(br.members.map(tap))
  expect(again.map((r) => expectOk(r).duplicate)).toEqual(br.members.map(() => true))
  expect((await env.db.collection('ledger').where({ branchId: br.id }).count()).total).toBe(ledgerBefore)
  expect(ledgerBefore).toBe(100)

  for (const period of ['2026', '2026-Q4', '2026-12']) {
    const branch = await aggregateOf(env, 'branch', br.id, period)
    // 100 members and their secretary
    expect([period, branch?.points, branch?.members]).toEqual([period, 200, 101])
  }
  for (const m of br.members.slice(0, 5)) expect((await aggregateOf(env, 'member', m, '2026-12'))?.points).toBe(2)
  expect((await env.db.collection('aggregates').where({ _id: aggregateId('branch', br.id, '2026-12') }).count()).total).toBe(1)
  await expectLedgerMatchesAggregates(env)
  expect((await runCron(env, 'reconcile', { year: 2026 })).corrected).toBe(0)
}, 60_000)
