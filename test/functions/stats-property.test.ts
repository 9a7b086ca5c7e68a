/**
 * Property: whatever sequence of writes, retries, tallies, cancellations and
 * adjustments happens, (1) every aggregate's points equal the sum of the
 * ledger, and (2) a reconciliation from the raw facts finds nothing to
 * correct, i.e. the increments and the rebuild agree. Random sequences over
 * a small organisation, starting just before midnight on 31 March (Shanghai)
 * so periods roll over month and quarter in the middle of a run.
 */
import fc from 'fast-check'
import { issueCheckinToken } from '../../cloudfunctions/_shared/checkin-token'
import { MemberSchema } from '../../src/core/schemas/member'
import { OrgSchema } from '../../src/core/schemas/org'
import { SessionSchema } from '../../src/core/schemas/session'
import { TEST_SECRET, makeTestEnv, type TestEnv } from '../helpers/env'
import { expectLedgerMatchesAggregates, runCron } from './stats-support'

const MIN = 60 * 1000
const START = Date.parse('2026-03-31T15:20:00Z') // 23:20 in Shanghai

const A = ['a1', 'a2', 'a3', 'a4'] // a4 is exempt
const SECRETARY = 'sec_a'

async function smallOrg(env: TestEnv) {
  const t0 = START - 86400000
  const orgs = [
    { _id: 'org_p', type: 'committee', name: '测试党委', parentId: null, path: ['org_p'], closed: false, createdAt: t0 },
    { _id: 'br_a', type: 'branch', name: '甲支部', parentId: 'org_p', path: ['org_p', 'br_a'], closed: false, createdAt: t0 },
    { _id: 'br_b', type: 'branch', name: '乙支部', parentId: 'org_p', path: ['org_p', 'br_b'], closed: false, createdAt: t0 }
  ]
  for (const o of orgs) await env.db.collection('orgs').add({ data: OrgSchema.parse(o) })
  const person = (id: string, branchId: string, extra: Record<string, unknown> = {}) =>
    MemberSchema.parse({
      _id: id, name: `党员${id}`, openid: `dev_${id}`, branchId, groupId: null, orgPath: ['org_p', branchId], rank: 'staff', roles: [],
      leadingCadre: false, retired: false, exempt: null, joinedAt: t0, createdAt: t0, ...extra
    })
  const people = [
    person(SECRETARY, 'br_a', { roles: [{ role: 'secretary', orgId: 'br_a' }] }),
    person('a1', 'br_a'), person('a2', 'br_a', { rank: 'deputy_section_plus' }), person('a3', 'br_a'),
    person('a4', 'br_a', { exempt: { reason: 'age', since: t0 } }),
    person('b1', 'br_b')
  ]
  for (const p of people) await env.db.collection('members').add({ data: p })
}

type Cmd =
  | { k: 'session'; startIn: number; cancelled: boolean }
  | { k: 'checkin' | 'leave' | 'approve' | 'refuse' | 'proxy'; s: number; m: number }
  | { k: 'advance'; minutes: number }
  | { k: 'tally' }
  | { k: 'note'; m: number; words: number; essay: boolean }
  | { k: 'edit' | 'remove' | 'return' | 'pass'; n: number; words: number }
  | { k: 'adjust'; m: number; delta: number; retry: boolean }
  | { k: 'cancel'; s: number }

const idx = fc.nat({ max: 7 })
// Weighted towards attendance, the path with the most states (before/after tally, leave, proxy, cancel).
const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ k: fc.constant('session' as const), startIn: fc.integer({ min: -20, max: 40 }), cancelled: fc.constant(false) }) },
  { weight: 10, arbitrary: fc.record({ k: fc.constantFrom('checkin' as const, 'leave' as const, 'approve' as const, 'refuse' as const, 'proxy' as const), s: idx, m: idx }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('advance' as const), minutes: fc.integer({ min: 5, max: 240 }) }) },
  { weight: 2, arbitrary: fc.constant({ k: 'tally' as const }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('note' as const), m: idx, words: fc.integer({ min: 1, max: 4000 }), essay: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constantFrom('edit' as const, 'remove' as const, 'return' as const, 'pass' as const), n: idx, words: fc.integer({ min: 1, max: 4000 }) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('adjust' as const), m: idx, delta: fc.integer({ min: -5, max: 5 }).filter((d) => d !== 0), retry: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('cancel' as const), s: idx }) }
)

const body = (n: number, seed: number) => '学而时习之不亦说乎温故而知新可以为师矣'.repeat(Math.ceil(n / 18) + 1).slice(seed % 7, (seed % 7) + n)

async function play(env: TestEnv, cmds: Cmd[]) {
  const sessions: string[] = []
  const notes: { id: string; version: number; m: string; essay: boolean }[] = []
  const member = (i: number) => A[i % A.length]
  const pickS = (i: number) => sessions[i % Math.max(1, sessions.length)]
  let n = 0
  for (const c of cmds) {
    n++
    const now = env.clock.now()
    switch (c.k) {
      case 'session': {
        const startAt = now + c.startIn * MIN
        const s = SessionSchema.parse({
          _id: `s_p_${n}`, title: `活动${n}`, type: 'theme_day', branchId: 'br_a', orgPath: ['org_p', 'br_a'], startAt, endAt: startAt + 60 * MIN,
          venue: { name: '会议室' }, checkin: { opensAt: startAt - 30 * MIN, closesAt: startAt + 60 * MIN, lateAfter: startAt + 10 * MIN },
          audience: { kind: 'branch' }, allowOnlineWithoutQr: false, status: 'scheduled', createdBy: SECRETARY, createdAt: now, updatedAt: now
        })
        await env.db.collection('sessions').add({ data: s })
        sessions.push(s._id)
        break
      }
      case 'checkin': {
        const s = pickS(c.s)
        if (!s) break
        const token = issueCheckinToken(TEST_SECRET, s, now).token
        await env.call('checkin', 'checkIn', { sessionId: s, token }, member(c.m))
        break
      }
      case 'proxy':
        if (pickS(c.s)) await env.call('checkin', 'proxyCheckIn', { sessionId: pickS(c.s), memberId: member(c.m), reason: '补录' }, SECRETARY)
        break
      case 'leave':
        if (pickS(c.s)) await env.call('checkin', 'requestLeave', { sessionId: pickS(c.s), reason: '出差' }, member(c.m))
        break
      case 'approve':
      case 'refuse':
        if (pickS(c.s)) await env.call('checkin', 'decideLeave', { sessionId: pickS(c.s), memberId: member(c.m), approve: c.k === 'approve' }, SECRETARY)
        break
      case 'cancel':
        if (pickS(c.s)) await env.call('session', 'cancel', { sessionId: pickS(c.s), reason: '取消' }, SECRETARY)
        break
      case 'advance':
        env.clock.advance(c.minutes * MIN)
        break
      case 'tally':
        await runCron(env, 'tally')
        break
      case 'note': {
        const r = await env.call<{ note: { _id: string; version: number } }>('note', 'save', { kind: c.essay ? 'essay' : 'note', title: `笔记${n}`, content: body(c.words, n) }, member(c.m))
        if (r.ok) notes.push({ id: r.data.note._id, version: r.data.note.version, m: member(c.m), essay: c.essay })
        break
      }
      case 'edit':
      case 'remove': {
        const note = notes[c.n % Math.max(1, notes.length)]
        if (!note) break
        if (c.k === 'edit') {
          const r = await env.call<{ note: { version: number } }>('note', 'save', { id: note.id, version: note.version, kind: note.essay ? 'essay' : 'note', title: '改过', content: body(c.words, c.n) }, note.m)
          if (r.ok) note.version = r.data.note.version
        } else {
          const r = await env.call<{ note: { version: number } }>('note', 'remove', { noteId: note.id, version: note.version }, note.m)
          if (r.ok) note.version = r.data.note.version
        }
        break
      }
      case 'return':
      case 'pass': {
        const note = notes[c.n % Math.max(1, notes.length)]
        if (note) await env.call('note', 'review', { noteId: note.id, status: c.k === 'pass' ? 'passed' : 'returned', comment: '审阅' }, SECRETARY)
        break
      }
      case 'adjust': {
        const input = { memberId: member(c.m), delta: c.delta, reason: '调整', clientId: `adj_${n}` }
        await env.call('stats', 'adjustPoints', input, SECRETARY)
        if (c.retry) await env.call('stats', 'adjustPoints', input, SECRETARY)
        break
      }
    }
  }
}

test('ledger sums equal aggregates and reconciliation finds no drift, for random event sequences', async () => {
  // What the runs exercised, so a generator that stopped producing real writes fails the test.
  const seen = { entries: 0, corrections: 0, tallied: 0, okCalls: 0 }
  await fc.assert(
    fc.asyncProperty(fc.array(cmd, { minLength: 5, maxLength: 60, size: 'max' }), async (cmds) => {
      const env = await makeTestEnv({ seed: false })
      try {
        env.clock.set(START)
        await smallOrg(env)
        await play(env, cmds)
        seen.entries += await expectLedgerMatchesAggregates(env)
        seen.corrections += (await env.db.collection('ledger').where({ seq: env.db.command.gt(0) }).count()).total
        seen.tallied += (await env.db.collection('sessions').where({ talliedAt: env.db.command.exists(true) }).count()).total
        for (const year of [2026]) {
          const r = await runCron(env, 'reconcile', { year })
          expect(r.corrected).toBe(0)
        }
      } finally {
        env.close()
      }
    }),
    { numRuns: 80, seed: 20261122 }
  )
  expect(seen.entries).toBeGreaterThan(500)
  expect(seen.corrections).toBeGreaterThan(20)
  expect(seen.tallied).toBeGreaterThan(20)
}, 120_000)
