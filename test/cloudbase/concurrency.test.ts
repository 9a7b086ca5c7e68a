/**
 * A whole branch checking in at once, on "CloudBase": 100 members of one
 * branch scan the rotating code of one open session within about three
 * seconds, each through the deployable checkin bundle (real wx-server-sdk)
 * on the emulator, 10 ms per database call, write locks and conflicts
 * modelled. Required: 0 check-ins lost, 0 refused to a member because of a
 * conflict, and exact aggregates once the timer has tallied the session
 * (read back through the functions and from the emulator's file), with a
 * reconciliation finding nothing to correct. The figures (latency, calls per
 * check-in, transaction sizes) are printed.
 */
import { aggregateId, type Aggregate } from '../../src/core/schemas/aggregate'
import type { Session } from '../../src/core/schemas/session'
import { addLoadBranch, cbOk, endSessionSoon, makeCloudbaseEnv, percentile, reconcileYear, tickUntilDone, type CloudbaseEnv } from '../helpers/cloudbase-env'
import { testNow } from '../helpers/clock'
import { MIN, SEC, periodsOf } from './journeys.fixtures'

jest.setTimeout(150_000)

const BRANCH = 'br_cb100'
const SIZE = 100
const SPREAD_MS = 3000

let env: CloudbaseEnv
let branch: { id: string; secretary: string; members: string[] }
beforeAll(async () => {
  env = await makeCloudbaseEnv({
    latencyMs: 10,
    // CloudBase scales a function out to many instances; 20 warm ones carry ~35 check-ins a second at ~100 ms each.
    maxInstances: 20,
    prepare: async (db) => {
      branch = await addLoadBranch(db, BRANCH, SIZE, testNow() - 30 * 24 * 3600 * 1000)
    }
  })
})
afterAll(async () => {
  await env?.close()
})

type Tap = { duplicate: boolean; checkin: { _id: string; memberId: string; status: string } }

test('100 members of one branch check in within seconds: none lost, none refused for a conflict, aggregates exact', async () => {
  const now = testNow()
  const S = cbOk(
    await env.call<{ sessions: Session[] }>(
      'session',
      'create',
      {
        branchId: BRANCH,
        title: '全体党员集中学习（并发签到）',
        type: 'theme_day',
        startAt: now + 10 * SEC,
        endAt: now + 2 * 3600 * SEC,
        venue: { name: '大礼堂' },
        checkin: { opensAt: now - 10 * MIN, lateAfter: now + 30 * MIN, closesAt: now + 2 * 3600 * SEC }
      },
      branch.secretary
    )
  ).sessions[0]
  const { token } = cbOk(await env.call<{ token: string }>('checkin', 'token', { sessionId: S._id }, branch.secretary))

  // Warm the instances first, as a live function is: cold starts are not what this measures.
  await Promise.all(Array.from({ length: 20 }, (_, i) => env.call('checkin', 'mine', { year: Number(periodsOf(now).year) }, branch.members[i])))

  env.resetStats()
  const started = testNow()
  const taps = await Promise.all(
    branch.members.map(async (m, i) => {
      await new Promise((r) => setTimeout(r, Math.round((i * SPREAD_MS) / SIZE)))
      return env.call<Tap>('checkin', 'checkIn', { sessionId: S._id, token }, m)
    })
  )
  const wallMs = testNow() - started
  const stats = env.stats()

  const refused = taps.filter((t) => !t.ok).map((t) => (t.ok ? '' : `${t.error.code}: ${t.error.message.slice(0, 160)}`))
  expect(refused).toEqual([])
  expect(taps.map((t) => (t.ok ? t.data.duplicate : null))).toEqual(branch.members.map(() => false))
  expect(taps.map((t) => (t.ok ? t.data.checkin.memberId : null))).toEqual(branch.members)

  const ms = taps.map((t) => t.ms)
  const txOps = stats.txOps
  const figures = {
    checkins: SIZE,
    wallMs,
    p50: percentile(ms, 50),
    p95: percentile(ms, 95),
    max: Math.max(...ms),
    callsPerCheckin: +(stats.total / SIZE).toFixed(2),
    transactions: txOps.length,
    largestTransactionOps: Math.max(0, ...txOps),
    // More transactions than check-ins = whole-transaction retries after a write conflict.
    retriedTransactions: Math.max(0, (stats.calls['database.startTransaction'] ?? 0) - SIZE),
    calls: stats.calls
  }
  console.log(
    [
      '| 100 concurrent check-ins on the emulator (10 ms per call) | measured |',
      '|---|---|',
      `| wall time for all 100 (spread over ${SPREAD_MS / 1000} s) | ${figures.wallMs} ms |`,
      `| latency p50 / p95 / max | ${figures.p50} / ${figures.p95} / ${figures.max} ms |`,
      `| database calls per check-in | ${figures.callsPerCheckin} |`,
      `| transactions / largest (ops) / retried after a conflict | ${figures.transactions} / ${figures.largestTransactionOps} / ${figures.retriedTransactions} |`,
      `| calls by action | ${Object.entries(figures.calls).map(([k, v]) => `${k.replace('database.', '')} ${v}`).join(', ')} |`
    ].join('\n')
  )

  // A lost reply: every member taps again; nothing is added anywhere.
  const again = await Promise.all(branch.members.map((m) => env.call<Tap>('checkin', 'checkIn', { sessionId: S._id, token }, m)))
  expect(again.map((t) => (t.ok ? t.data.duplicate : t.error.code))).toEqual(branch.members.map(() => true))

  const roster = cbOk(await env.call<{ counts: Record<string, number> }>('session', 'roster', { sessionId: S._id }, branch.secretary))
  expect(roster.counts).toMatchObject({ expected: SIZE + 1, attended: SIZE, absent: 1 })

  // The meeting ends; the timer tallies it (the secretary, who did not check in, is the one absence).
  await endSessionSoon(env, branch.secretary, S)
  for (const tick of await tickUntilDone(env)) expect(tick.error).toBeUndefined()
  expect(cbOk(await env.call<{ session: Session }>('session', 'get', { sessionId: S._id }, branch.secretary)).session.talliedAt).toBeDefined()

  const reader = env.openReader()
  try {
    const periods = periodsOf(S.startAt)
    for (const period of [periods.month, periods.quarter, periods.year]) {
      const doc = (await reader.collection('aggregates').doc(aggregateId('branch', BRANCH, period)).get()).data as Aggregate | null
      expect([period, doc && { members: doc.members, expected: doc.expected, attended: doc.attended, absent: doc.absent, points: doc.points }]).toEqual([
        period,
        { members: SIZE + 1, expected: SIZE + 1, attended: SIZE, absent: 1, points: SIZE * 2 - 2 }
      ])
    }
    const members = (await reader.collection('aggregates').where({ scope: 'member', branchId: BRANCH, period: periods.month }).limit(1000).get()).data as Aggregate[]
    const byMember = new Map(members.map((a) => [a.scopeId, a]))
    for (const m of branch.members) expect([m, byMember.get(m)?.attended, byMember.get(m)?.points]).toEqual([m, 1, 2])
    expect([byMember.get(branch.secretary)?.absent, byMember.get(branch.secretary)?.points]).toEqual([1, -2])
    const lines = (await reader.collection('ledger').where({ branchId: BRANCH }).limit(1000).get()).data
    expect(lines.length).toBe(SIZE + 1)
    expect(lines.reduce((s, l) => s + Number(l.delta), 0)).toBe(SIZE * 2 - 2)
  } finally {
    reader.close()
  }
  // The same figures through the function a secretary reads them with.
  const ranking = cbOk(
    await env.call<{ rows: { memberId: string; attended: number; points: number }[] }>('stats', 'memberRanking', { branchId: BRANCH, period: periodsOf(S.startAt).month }, branch.secretary)
  )
  expect(ranking.rows.filter((r) => r.attended === 1 && r.points === 2)).toHaveLength(SIZE)

  // And the rebuild from the raw facts agrees with every increment.
  const { corrected, finished } = await reconcileYear(env, Number(periodsOf(S.startAt).year))
  expect(finished).toBe(true)
  expect(corrected).toBe(0)
})
