/**
 * A session's tally and cancellation counted member by member
 * (_shared/session-tally.ts): each member's transaction stays small, a run
 * that stops half-way (out of time, a crash) is finished by the next tick,
 * writes to a member in between count at that member's state, and nothing
 * is counted twice. A crash between a check-in's commit and its increments
 * neither doubles on retry nor survives the nightly reconciliation.
 */
import { pendingSessions, settleSession } from '../../cloudfunctions/_shared/session-tally'
import { SessionSchema, type Session } from '../../src/core/schemas/session'
import { makeLocalRuntime } from '../../server/local-runtime'
import type { Database } from '../../cloudfunctions/_shared/db'
import { CallCounter, countingDb } from '../helpers/counting-db'
import { TEST_SECRET, expectOk, makeTestEnv, type TestEnv } from '../helpers/env'
import { HOUR, addBranch, addOnlineSession, type Branch } from './call-budget.fixtures'
import { aggregateOf, expectLedgerMatchesAggregates, runCron } from './stats-support'

let env: TestEnv
let counter: CallCounter
/** When set, the next bulk increment of aggregates fails, as if the instance died right after a commit. */
let failNextIncrement = false

function failingIncrements(db: Database): Database {
  // Proxies, since the database's collections and queries are class instances.
  const query = (q: object): object =>
    new Proxy(q, {
      get(target, prop) {
        const v = Reflect.get(target, prop) as unknown
        if (typeof v !== 'function') return v
        if (prop === 'update') {
          return (o: unknown) => {
            if (!failNextIncrement) return (v as (o: unknown) => unknown).call(target, o)
            failNextIncrement = false
            return Promise.reject(new Error('instance gone'))
          }
        }
        if (prop === 'where') return (c: unknown) => query((v as (c: unknown) => object).call(target, c))
        return (v as (...a: unknown[]) => unknown).bind(target)
      }
    })
  return {
    command: db.command,
    runTransaction: (fn) => db.runTransaction(fn),
    createCollection: (name) => db.createCollection(name),
    collection: (name) => (name === 'aggregates' ? (query(db.collection(name)) as ReturnType<Database['collection']>) : db.collection(name))
  }
}

const rt = () => makeLocalRuntime({ db: env.db, secret: TEST_SECRET, production: false, clock: env.clock, log: () => undefined }, { openid: null, source: 'none' })
const stored = async (id: string): Promise<Session> => SessionSchema.parse((await env.db.collection('sessions').doc(id).get()).data)
/** Stops after roughly `n` members, as a tick that ran out of time. */
const after = (n: number) => {
  let calls = 0
  return () => calls++ >= n
}

beforeEach(async () => {
  counter = new CallCounter()
  env = await makeTestEnv({ wrapDb: (db) => countingDb(failingIncrements(db), counter) })
  env.clock.set(Date.parse('2026-12-01T02:00:00Z'))
})
afterEach(() => env.close())

async function heldSession(br: Branch): Promise<Session> {
  const s = await addOnlineSession(env, br)
  for (const m of br.members.slice(0, 10)) expectOk(await env.call('checkin', 'checkIn', { sessionId: s._id }, m))
  expectOk(await env.call('checkin', 'requestLeave', { sessionId: s._id, reason: '出差' }, br.members[10]))
  expectOk(await env.call('checkin', 'decideLeave', { sessionId: s._id, memberId: br.members[10], approve: true }, br.secretary))
  // Asked in time, decided only after the session.
  expectOk(await env.call('checkin', 'requestLeave', { sessionId: s._id, reason: '生病' }, br.members[37]))
  return s
}

test('a tally stopped half-way is finished by the next tick, counting each member once, in small transactions', async () => {
  const br = await addBranch(env, 'br_t', 40)
  const s = await heldSession(br)
  env.clock.advance(3 * HOUR)
  // Declared, then stopped after a few members (the tick's time ran out).
  await env.db.collection('sessions').doc(s._id).update({ data: { talliedAt: env.clock.now(), pendingFrom: { status: 'scheduled', tallied: false } } })
  const first = await settleSession(rt(), s._id, after(7))
  expect(first.done).toBe(false)
  expect((await stored(s._id)).pendingFrom).toBeDefined()
  expect((await pendingSessions(rt(), { branchId: br.id }, 10)).map((x) => x._id)).toEqual([s._id])

  // Meanwhile the secretary records a paper sign-in for someone not yet counted, and approves a late leave.
  const late = br.members[39]
  expectOk(await env.call('checkin', 'proxyCheckIn', { sessionId: s._id, memberId: late, reason: '纸质签到补录' }, br.secretary))
  expectOk(await env.call('checkin', 'decideLeave', { sessionId: s._id, memberId: br.members[37], approve: true }, br.secretary))

  counter.reset()
  await runCron(env, 'tally')
  expect((await stored(s._id)).pendingFrom).toBeUndefined()
  const tally = counter.get('')
  expect(tally.maxTxOps).toBeLessThanOrEqual(50)

  const month = await aggregateOf(env, 'branch', br.id, '2026-12')
  // 40 members and the secretary expected; 10 tapped, 1 proxied; 2 on leave; the rest absent.
  expect(month).toMatchObject({ expected: 41, attended: 11, leave: 2, absent: 28 })
  await expectLedgerMatchesAggregates(env)
  expect((await runCron(env, 'reconcile', { year: 2026 })).corrected).toBe(0)

  // Another tick finds nothing left.
  counter.reset()
  await runCron(env, 'tally')
  expect(counter.get('').transactions).toHaveLength(0)
}, 60_000)

test('cancelling a session whose tally is half counted takes everything back once, whatever order the runs come in', async () => {
  const br = await addBranch(env, 'br_c', 40)
  const s = await heldSession(br)
  env.clock.advance(3 * HOUR)
  await env.db.collection('sessions').doc(s._id).update({ data: { talliedAt: env.clock.now(), pendingFrom: { status: 'scheduled', tallied: false } } })
  await settleSession(rt(), s._id, after(12))
  counter.reset()
  // Ended and with check-ins: a cancel is refused; before the end it is allowed, so cancel a copy that has not ended.
  await env.db.collection('sessions').doc(s._id).update({ data: { endAt: env.clock.now() + HOUR } })
  const r = await env.call('session', 'cancel', { sessionId: s._id, reason: '上级通知改期' }, br.secretary)
  expectOk(r)
  expect(counter.get('').maxTxOps).toBeLessThanOrEqual(50)
  expect((await stored(s._id)).pendingFrom).toBeUndefined()
  const month = await aggregateOf(env, 'branch', br.id, '2026-12')
  expect(month).toMatchObject({ expected: 0, attended: 0, leave: 0, absent: 0, points: 0 })
  await expectLedgerMatchesAggregates(env)
  expect((await runCron(env, 'reconcile', { year: 2026 })).corrected).toBe(0)
}, 60_000)

test('a check-in whose instance dies after the commit: the retry adds nothing, reconciliation restores the counts', async () => {
  const br = await addBranch(env, 'br_x', 3)
  const s = await addOnlineSession(env, br)
  expectOk(await env.call('checkin', 'checkIn', { sessionId: s._id }, br.members[0]))
  failNextIncrement = true
  expect((await env.call('checkin', 'checkIn', { sessionId: s._id }, br.members[1])).ok).toBe(false)
  const retry = expectOk(await env.call<{ duplicate: boolean }>('checkin', 'checkIn', { sessionId: s._id }, br.members[1]))
  expect(retry.duplicate).toBe(true)
  expect((await env.db.collection('ledger').where({ branchId: br.id }).count()).total).toBe(2)
  // The increment was lost with the instance: the branch shows one check-in's points until the night.
  expect((await aggregateOf(env, 'branch', br.id, '2026-12'))?.points).toBe(2)
  expect((await runCron(env, 'reconcile', { year: 2026 })).corrected).toBeGreaterThan(0)
  expect((await aggregateOf(env, 'branch', br.id, '2026-12'))?.points).toBe(4)
  await expectLedgerMatchesAggregates(env)
}, 60_000)
