/**
 * Points and aggregates are written with the facts that earn them, through
 * the real functions on a real SQLite file: check-in, tally, leave, make-up,
 * notes, cancellation, manual adjustment, and reconciliation that finds no
 * drift afterwards (and does find it when an aggregate is tampered with).
 */
import { destinationPoint } from '../../src/core/checkin/geo'
import { periodKeysOf } from '../../src/core/period'
import { pointsKey } from '../../src/core/schemas/points'
import { issueCheckinToken } from '../../cloudfunctions/_shared/checkin-token'
import { TEST_SECRET, expectFail, expectOk, makeTestEnv, type TestEnv } from '../helpers/env'
import { BR2, HOUR, MIN, VENUE, addSession } from './checkin.fixtures'
import { aggregateOf, expectLedgerMatchesAggregates, ledgerOf, runCron } from './stats-support'
import { themeDay, type Created } from './session-support'
import { join } from 'path'
import { reconcileInParallel } from '../../server/reconcile-parallel'

let env: TestEnv
beforeAll(async () => {
  env = await makeTestEnv()
})
afterAll(() => env.close())
beforeEach(() => env.clock.set(Date.parse('2026-11-20T02:00:10Z')))

const here = { ...destinationPoint(VENUE, 20, 90), accuracyM: 15 }
const month = () => periodKeysOf(env.clock.now()).month

async function checkIn(sessionId: string, as: string) {
  const token = issueCheckinToken(TEST_SECRET, sessionId, env.clock.now()).token
  return env.call('checkin', 'checkIn', { sessionId, token, location: here }, as)
}

describe('points written with the fact', () => {
  it('a check-in earns its points once, with a reason, in the same period aggregates', async () => {
    const s = await addSession(env, { title: '学习党章' })
    const before = (await aggregateOf(env, 'member', BR2.member, month()))?.points ?? 0
    const branchBefore = (await aggregateOf(env, 'branch', 'br_2', month()))?.points ?? 0
    expectOk(await checkIn(s._id, BR2.member))
    expectOk(await checkIn(s._id, BR2.member)) // a retried tap
    const entries = (await ledgerOf(env, BR2.member)).filter((e) => e.key === pointsKey('attend', s._id, BR2.member))
    expect(entries).toHaveLength(1)
    expect(entries[0]).toMatchObject({ delta: 2, rule: 'attend', sourceType: 'checkin', seq: 0 })
    expect(entries[0].reason).toContain('主题党日「学习党章」 按时参加')
    expect((await aggregateOf(env, 'member', BR2.member, month()))!.points).toBe(before + 2)
    expect((await aggregateOf(env, 'branch', 'br_2', month()))!.points).toBe(branchBefore + 2)
    // Attendance counts wait for the tally: nothing is "attended" before the window closes.
    const attendedBefore = (await aggregateOf(env, 'member', BR2.member, month()))!.attended
    env.clock.set(s.checkin.closesAt + MIN)
    await runCron(env, 'tally')
    const after = (await aggregateOf(env, 'member', BR2.member, month()))!
    expect(after.attended).toBe(attendedBefore + 1)
    await expectLedgerMatchesAggregates(env)
  })

  it('the tally counts expected and unexcused absence once, and a late leave approval takes the deduction back', async () => {
    const s = await addSession(env, { title: '组织生活会' })
    const who = BR2.others[0]
    const before = (await aggregateOf(env, 'member', who, month())) ?? { expected: 0, absent: 0, leave: 0, points: 0 }
    expectOk(await env.call('checkin', 'requestLeave', { sessionId: s._id, reason: '出差' }, who))
    env.clock.set(s.checkin.closesAt + MIN)
    const first = await runCron(env, 'tally')
    expect(first.processed).toBeGreaterThanOrEqual(1)
    expect((await runCron(env, 'tally')).processed).toBe(0)
    let agg = (await aggregateOf(env, 'member', who, month()))!
    expect(agg.expected).toBe(before.expected + 1)
    expect(agg.absent).toBe(before.absent + 1)
    expect(agg.points).toBe(before.points - 2)
    const absentKey = pointsKey('absent', s._id, who)
    expect((await ledgerOf(env, who)).filter((e) => e.key === absentKey).map((e) => e.delta)).toEqual([-2])

    expectOk(await env.call('checkin', 'decideLeave', { sessionId: s._id, memberId: who, approve: true }, BR2.secretary))
    agg = (await aggregateOf(env, 'member', who, month()))!
    expect(agg.absent).toBe(before.absent)
    expect(agg.leave).toBe(before.leave + 1)
    expect(agg.points).toBe(before.points)
    const lines = (await ledgerOf(env, who)).filter((e) => e.key === absentKey).sort((a, b) => a.seq - b.seq)
    expect(lines.map((e) => e.delta)).toEqual([-2, 2])
    expect(lines[1].reason).toMatch(/^撤销：/)
    // Deciding the same way again writes nothing.
    expectOk(await env.call('checkin', 'decideLeave', { sessionId: s._id, memberId: who, approve: true }, BR2.secretary))
    expect((await ledgerOf(env, who)).filter((e) => e.key === absentKey)).toHaveLength(2)
    await expectLedgerMatchesAggregates(env)
  })

  it('a proxy check-in typed in after the tally turns the absence into attendance', async () => {
    const s = await addSession(env)
    const who = BR2.others[1]
    env.clock.set(s.checkin.closesAt + MIN)
    await runCron(env, 'tally')
    const mid = (await aggregateOf(env, 'member', who, month()))!
    expectOk(await env.call('checkin', 'proxyCheckIn', { sessionId: s._id, memberId: who, reason: '纸质签到补录' }, BR2.secretary))
    const after = (await aggregateOf(env, 'member', who, month()))!
    expect(after.attended).toBe(mid.attended + 1)
    expect(after.absent).toBe(mid.absent - 1)
    expect(after.points).toBe(mid.points + 2 + 2) // the −2 taken back, +2 for attending
    await expectLedgerMatchesAggregates(env)
  })

  it('cancelling a held session nobody attended takes its absences back', async () => {
    const s = await addSession(env)
    env.clock.set(s.checkin.closesAt + MIN)
    await runCron(env, 'tally')
    const who = BR2.others[2]
    const mid = (await aggregateOf(env, 'member', who, month()))!
    expectOk(await env.call('session', 'cancel', { sessionId: s._id, reason: '实际未召开' }, BR2.secretary))
    const after = (await aggregateOf(env, 'member', who, month()))!
    expect(after.expected).toBe(mid.expected - 1)
    expect(after.absent).toBe(mid.absent - 1)
    expect(after.points).toBe(mid.points + 2)
    await expectLedgerMatchesAggregates(env)
  })
})

describe('讲授党课', () => {
  it('the lecturer earns the lecture points when the 党课 is counted, once', async () => {
    const lecture = themeDay({ type: 'party_lecture', title: '专题党课：学习党章', lecturerId: BR2.others[0] })
    const { sessions } = expectOk(await env.call<Created>('session', 'create', lecture, BR2.secretary))
    const s = sessions[0]
    expect(s.lecturerId).toBe(BR2.others[0])
    const key = pointsKey('lecture', s._id, BR2.others[0])
    const lines = async () => (await ledgerOf(env, BR2.others[0])).filter((e) => e.key === key)
    expect(await lines()).toEqual([])
    env.clock.set(s.checkin.closesAt + MIN)
    await runCron(env, 'tally')
    await runCron(env, 'tally')
    const got = await lines()
    expect(got.map((e) => [e.delta, e.sourceType])).toEqual([[3, 'lecture']])
    expect(got[0].reason).toContain('讲授党课')
    // Counted: the lecturer is now part of the record.
    expectFail(await env.call('session', 'update', { sessionId: s._id, lecturerId: BR2.others[1] }, BR2.secretary), 'CONFLICT')
    await expectLedgerMatchesAggregates(env)
  })

  it('only a 党课 has a lecturer, and only a member of the branch', async () => {
    // The test above made others[0] this month's lecturer (one 党课 a month each, stats/lecture.ts), so others[3] lectures here.
    const lecturer = BR2.others[3]
    expectFail(await env.call('session', 'create', themeDay({ lecturerId: lecturer }), BR2.secretary), 'INVALID_INPUT')
    expectFail(await env.call('session', 'create', themeDay({ type: 'party_lecture', lecturerId: 'm_br_1_03' }), BR2.secretary), 'INVALID_INPUT')
    expectFail(await env.call('session', 'create', themeDay({ type: 'party_lecture', lecturerId: 'ghost' }), BR2.secretary), 'INVALID_INPUT')
    const { sessions } = expectOk(await env.call<Created>('session', 'create', themeDay({ type: 'party_lecture', lecturerId: lecturer }), BR2.secretary))
    const cleared = expectOk(await env.call<{ session: { lecturerId?: string } }>('session', 'update', { sessionId: sessions[0]._id, lecturerId: null }, BR2.secretary))
    expect(cleared.session.lecturerId).toBeUndefined()
    expectFail(await env.call('session', 'update', { sessionId: sessions[0]._id, lecturerId: BR2.others[1], type: 'theme_day' }, BR2.secretary), 'INVALID_INPUT')
    const { sessions: more } = expectOk(await env.call<Created>('session', 'create', themeDay({ type: 'party_lecture', lecturerId: lecturer }), BR2.secretary))
    const retyped = expectOk(await env.call<{ session: { type: string; lecturerId?: string } }>('session', 'update', { sessionId: more[0]._id, lecturerId: null, type: 'theme_day' }, BR2.secretary))
    expect(retyped.session).toMatchObject({ type: 'theme_day' })
    expect(retyped.session.lecturerId).toBeUndefined()
  })
})

describe('notes', () => {
  const text = (n: number) => '坚持学思用贯通知信行统一'.repeat(Math.ceil(n / 12)).slice(0, n)

  it('credited words move the month aggregate; each full 1,000 earns a point up to the monthly cap', async () => {
    const who = BR2.others[3]
    const base = (await aggregateOf(env, 'member', who, month())) ?? { creditedWords: 0, points: 0 }
    const key = pointsKey('note_1000', month(), who)
    const saved = expectOk(await env.call<{ note: { _id: string; version: number; creditedWords: number } }>('note', 'save', { kind: 'note', title: '读书笔记', content: text(2500), clientId: 'c1' }, who)).note
    let agg = (await aggregateOf(env, 'member', who, month()))!
    expect(agg.creditedWords).toBe(base.creditedWords + saved.creditedWords)
    const net = async () => (await ledgerOf(env, who)).filter((e) => e.key === key).reduce((s, e) => s + e.delta, 0)
    expect(await net()).toBe(Math.min(5, Math.floor(agg.creditedWords / 1000)))
    // Shrinking the note takes back what it no longer earns; deleting takes back the rest.
    const edited = expectOk(await env.call<{ note: { version: number } }>('note', 'save', { id: saved._id, version: saved.version, kind: 'note', title: '读书笔记', content: text(400) }, who)).note
    agg = (await aggregateOf(env, 'member', who, month()))!
    expect(await net()).toBe(Math.min(5, Math.floor(agg.creditedWords / 1000)))
    expectOk(await env.call('note', 'remove', { noteId: saved._id, version: edited.version }, who))
    agg = (await aggregateOf(env, 'member', who, month()))!
    expect(agg.creditedWords).toBe(base.creditedWords)
    await expectLedgerMatchesAggregates(env)
  })

  it('an essay earns its points, loses them when returned, and counts once', async () => {
    const who = BR2.others[4]
    const r = expectOk(await env.call<{ note: { _id: string } }>('note', 'save', { kind: 'essay', title: '学习心得', content: text(900) + '个人体会' }, who))
    const key = pointsKey('essay', r.note._id, who)
    const net = async () => (await ledgerOf(env, who)).filter((e) => e.key === key).reduce((s, e) => s + e.delta, 0)
    expect(await net()).toBe(2)
    expectOk(await env.call('note', 'review', { noteId: r.note._id, status: 'returned', comment: '请结合工作实际' }, BR2.secretary))
    expect(await net()).toBe(0)
    expectOk(await env.call('note', 'review', { noteId: r.note._id, status: 'passed' }, BR2.secretary))
    expect(await net()).toBe(2)
    await expectLedgerMatchesAggregates(env)
  })
})

describe('stats.adjustPoints', () => {
  it('records a reasoned, audited adjustment once per clientId', async () => {
    const who = BR2.others[5]
    const before = (await aggregateOf(env, 'member', who, month()))?.points ?? 0
    const input = { memberId: who, delta: 3, reason: '协助组织主题党日', clientId: 'adj-1' }
    const first = expectOk(await env.call<{ entry: { _id: string; delta: number; createdBy: string } }>('stats', 'adjustPoints', input, BR2.secretary))
    const again = expectOk(await env.call<{ entry: { _id: string } }>('stats', 'adjustPoints', input, BR2.secretary))
    expect(again.entry._id).toBe(first.entry._id)
    expect(first.entry).toMatchObject({ delta: 3, createdBy: BR2.secretary })
    expect((await aggregateOf(env, 'member', who, month()))!.points).toBe(before + 3)
    expectFail(await env.call('stats', 'adjustPoints', { ...input, delta: 4 }, BR2.secretary), 'CONFLICT')
    const { total } = await env.db.collection('audit').where({ action: 'points.adjust' }).count()
    expect(total).toBe(1)
  })

  it('refuses bad input, other branches, members and oneself', async () => {
    const ok = { memberId: BR2.others[5], delta: 1, reason: '表彰', clientId: 'adj-2' }
    for (const bad of [{}, { ...ok, delta: 0 }, { ...ok, delta: 1.5 }, { ...ok, delta: 99 }, { ...ok, reason: '' }, { ...ok, reason: 'x'.repeat(101) }, { ...ok, memberId: 42 }, { ...ok, extra: 1 }]) {
      expectFail(await env.call('stats', 'adjustPoints', bad, BR2.secretary), 'INVALID_INPUT')
    }
    expectFail(await env.call('stats', 'adjustPoints', ok, BR2.member), 'FORBIDDEN')
    expectFail(await env.call('stats', 'adjustPoints', ok, 'm_br_1_02'), 'FORBIDDEN')
    expectFail(await env.call('stats', 'adjustPoints', { ...ok, memberId: 'm_br_1_03' }, BR2.secretary), 'FORBIDDEN')
    expectFail(await env.call('stats', 'adjustPoints', { ...ok, memberId: BR2.secretary }, BR2.secretary), 'FORBIDDEN')
    expectFail(await env.call('stats', 'adjustPoints', { ...ok, at: env.clock.now() + HOUR }, BR2.secretary), 'INVALID_INPUT')
  })
})

describe('reconciliation', () => {
  it('finds no drift after the write paths, corrects a tampered aggregate, and is safe to run twice', async () => {
    const year = Number(periodKeysOf(env.clock.now()).year)
    expect((await runCron(env, 'reconcile', { year })).corrected).toBe(0)
    const id = (await aggregateOf(env, 'member', BR2.member, month()))!._id
    await env.db.collection('aggregates').doc(id).update({ data: { points: env.db.command.inc(7), attended: env.db.command.inc(1) } })
    expect((await runCron(env, 'reconcile', { year })).corrected).toBe(1)
    expect((await runCron(env, 'reconcile', { year })).corrected).toBe(0)
    await expectLedgerMatchesAggregates(env)
  })

  it('shards split the branches between them, and worker threads reconcile the same file in parallel', async () => {
    const year = Number(periodKeysOf(env.clock.now()).year)
    const parts = [0, 1, 2].map((index) => runCron(env, 'reconcile', { year, shard: { index, count: 3 } }))
    const done = await Promise.all(parts)
    expect(done.reduce((s, r) => s + r.processed, 0)).toBe(3)
    expectFail(await env.call('cron', 'reconcile', { year, shard: { index: 2, count: 2 } }, null), 'INVALID_INPUT')
    const id = (await aggregateOf(env, 'member', BR2.member, month()))!._id
    await env.db.collection('aggregates').doc(id).update({ data: { attended: env.db.command.inc(2) } })
    const r = await reconcileInParallel({ dbFile: join(env.dir, 'test.sqlite'), secret: TEST_SECRET, year, shards: 2, now: env.clock.now() })
    expect(r).toMatchObject({ shards: 2, processed: 3, corrected: 1 })
    expect((await runCron(env, 'reconcile', { year })).corrected).toBe(0)
  }, 60_000)

  it('cron is the platform\'s: refused to members and over HTTP-style calls with an identity', async () => {
    expectFail(await env.call('cron', 'tally', {}, BR2.secretary), 'FORBIDDEN')
    expectFail(await env.call('cron', 'reconcile', { year: 'x' }, null), 'INVALID_INPUT')
    const timer = await env.call('cron', 'ignored', {}, null)
    expect(timer.ok).toBe(false)
  })
})
