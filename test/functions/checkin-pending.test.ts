/**
 * 待确认: a QR scan synced after its code rotated is dated by the phone alone,
 * which a photo of the venue screen replayed with curl can imitate. It is
 * recorded, counted nowhere, and counts once an officer of the branch
 * confirms it (checkin.pendingCheckins / confirmCheckins).
 */
import { destinationPoint } from '../../src/core/checkin/geo'
import { checkinId, type Checkin } from '../../src/core/schemas/checkin'
import { DEMO_PEOPLE } from '../../server/seed/people'
import { issueCheckinToken } from '../../cloudfunctions/_shared/checkin-token'
import { fetchAll } from '../../cloudfunctions/_shared/paging'
import { TEST_SECRET, expectFail, expectOk, makeTestEnv, type TestEnv } from '../helpers/env'
import { BR2, HOUR, MIN, VENUE, addSession } from './checkin.fixtures'
import { aggregateOf, ledgerOf, runCron } from './stats-support'

type CheckInOut = { checkin?: Checkin; pending?: { at: number; recordedAt: number }; duplicate: boolean }
type PendingRow = { memberId: string; name: string; at: number; recordedAt: number; distanceM?: number; self?: true }
type ConfirmOut = { confirmed: number; declined: number; rows: { memberId: string; outcome: string; message?: string }[] }
type RosterOut = { rows: { member: { _id: string }; state: string }[]; counts: { attended: number; late: number; absent: number; expected: number } }
type MineOut = { rows: { sessionId: string; state: string; at?: number; pendingAt?: number }[]; counts: { attended: number; absent: number } }

const T0 = Date.parse('2026-11-20T02:00:10Z')
const MONTH = '2026-11'

let env: TestEnv
beforeAll(async () => {
  env = await makeTestEnv()
})
afterAll(() => env.close())
beforeEach(() => env.clock.set(T0))

const here = (meters = 20) => ({ ...destinationPoint(VENUE, meters, 90), accuracyM: 15 })

/** The code on the screen at the session now (a photo of it keeps working only through the phone's clock). */
function photoOf(sessionId: string, at = env.clock.now()): string {
  return issueCheckinToken(TEST_SECRET, sessionId, at).token
}

function checkIn(sessionId: string, as: string, extra: Record<string, unknown>) {
  return env.call<CheckInOut>('checkin', 'checkIn', { sessionId, location: here(), ...extra }, as)
}
const pendingOf = (sessionId: string, as: string | null) => env.call<{ rows: PendingRow[] }>('checkin', 'pendingCheckins', { sessionId }, as)
const confirm = (sessionId: string, as: string, extra: Record<string, unknown> = {}) =>
  env.call<ConfirmOut>('checkin', 'confirmCheckins', { sessionId, accept: true, ...extra }, as)
const roster = async (sessionId: string) => expectOk(await env.call<RosterOut>('session', 'roster', { sessionId }, BR2.secretary))
const mineRow = async (sessionId: string, as: string) =>
  expectOk(await env.call<MineOut>('checkin', 'mine', { year: 2026 }, as)).rows.find((r) => r.sessionId === sessionId)
const checkinDoc = async (sessionId: string, memberId: string) => (await env.db.collection('checkins').doc(checkinId(sessionId, memberId)).get()).data
const attendLines = async (sessionId: string, memberId: string) =>
  (await ledgerOf(env, memberId)).filter((e) => e.sourceType === 'checkin' && e.sourceId === checkinId(sessionId, memberId) && e.delta > 0)

/** A session under way (started 5 min ago, on time until +10 min); the photo is taken now and replayed `later`. */
async function replayed(later = 3 * HOUR, who: string = BR2.member) {
  const s = await addSession(env, { startIn: -5 * MIN })
  const scannedAt = env.clock.now()
  const token = photoOf(s._id)
  env.clock.advance(later)
  const out = expectOk(await checkIn(s._id, who, { token, clientAt: scannedAt + 1000 }))
  return { s, scannedAt, token, out }
}

describe('a photo of the code replayed hours later', () => {
  it('is recorded as 待确认 and counted nowhere', async () => {
    const before = await aggregateOf(env, 'member', BR2.member, MONTH)
    const { s, scannedAt, out } = await replayed()
    expect(out.checkin).toBeUndefined()
    expect(out.pending).toEqual({ at: scannedAt + 1000, recordedAt: scannedAt + 3 * HOUR })
    expect(out.duplicate).toBe(false)
    expect(await checkinDoc(s._id, BR2.member)).toBeNull()
    // The member's page: 待确认 with the scan time, not 已到.
    const row = await mineRow(s._id, BR2.member)
    expect(row).toMatchObject({ state: 'absent', pendingAt: scannedAt + 1000 })
    expect(row!.at).toBeUndefined()
    // The roster: not 已到.
    const r = await roster(s._id)
    expect(r.rows.find((x) => x.member._id === BR2.member)!.state).toBe('absent')
    expect(r.counts.attended + r.counts.late).toBe(0)
    // The aggregates and the ledger: untouched.
    expect(await aggregateOf(env, 'member', BR2.member, MONTH)).toEqual(before)
    expect(await attendLines(s._id, BR2.member)).toHaveLength(0)
    // The officers see it, with the scan time and distance.
    const list = expectOk(await pendingOf(s._id, BR2.secretary)).rows
    expect(list).toEqual([{ memberId: BR2.member, name: expect.any(String), at: scannedAt + 1000, recordedAt: scannedAt + 3 * HOUR, distanceM: 20 }])
  })

  it('a re-send finds the same record (idempotent), the first time kept', async () => {
    const { s, scannedAt, token } = await replayed()
    env.clock.advance(10 * MIN)
    const again = expectOk(await checkIn(s._id, BR2.member, { token, clientAt: scannedAt + 5000 }))
    expect(again).toEqual({ pending: { at: scannedAt + 1000, recordedAt: scannedAt + 3 * HOUR }, duplicate: true })
    expect(expectOk(await pendingOf(s._id, BR2.secretary)).rows).toHaveLength(1)
    expect(await fetchAll(env.db.collection('pending_checkins').where({ sessionId: s._id }))).toHaveLength(1)
  })

  it('a live scan is still counted at once', async () => {
    const s = await addSession(env, { startIn: -5 * MIN })
    const out = expectOk(await checkIn(s._id, BR2.member, { token: photoOf(s._id), clientAt: env.clock.now() }))
    expect(out.checkin).toMatchObject({ status: 'attended', method: 'qr' })
    expect(out.pending).toBeUndefined()
    expect(expectOk(await pendingOf(s._id, BR2.secretary)).rows).toHaveLength(0)
  })

  it('after a counted check-in, a late re-send answers with the check-in (no pending)', async () => {
    const s = await addSession(env, { startIn: -5 * MIN })
    const scannedAt = env.clock.now()
    const token = photoOf(s._id)
    expectOk(await checkIn(s._id, BR2.member, { token, clientAt: scannedAt }))
    env.clock.advance(HOUR)
    const again = expectOk(await checkIn(s._id, BR2.member, { token, clientAt: scannedAt }))
    expect(again.checkin).toMatchObject({ memberId: BR2.member })
    expect(again.duplicate).toBe(true)
    expect(expectOk(await pendingOf(s._id, BR2.secretary)).rows).toHaveLength(0)
  })
})

describe('who may see and confirm', () => {
  it('members and officers of another branch cannot see or confirm; the member cannot confirm their own', async () => {
    const { s } = await replayed()
    for (const who of [BR2.member, BR2.others[0], DEMO_PEOPLE.secretary1, DEMO_PEOPLE.member1]) {
      expect(expectFail(await pendingOf(s._id, who), 'FORBIDDEN').message).toBe('您只能管理本支部的活动')
      expectFail(await confirm(s._id, who), 'FORBIDDEN')
      expectFail(await confirm(s._id, who, { memberIds: [BR2.member] }), 'FORBIDDEN')
    }
    expectFail(await pendingOf(s._id, null), 'FORBIDDEN')
    expect(expectOk(await pendingOf(s._id, BR2.secretary)).rows).toHaveLength(1)
    expect(await checkinDoc(s._id, BR2.member)).toBeNull()
  })

  it("an officer cannot confirm their own scan; another officer (or an admin above) does", async () => {
    const { s } = await replayed(3 * HOUR, BR2.committee)
    const mine = expectOk(await pendingOf(s._id, BR2.committee)).rows
    expect(mine).toEqual([expect.objectContaining({ memberId: BR2.committee, self: true })])
    // "All": passes over one's own, left waiting.
    const all = expectOk(await confirm(s._id, BR2.committee))
    expect(all).toMatchObject({ confirmed: 0, rows: [{ memberId: BR2.committee, outcome: 'self' }] })
    // Naming oneself: refused.
    expect(expectFail(await confirm(s._id, BR2.committee, { memberIds: [BR2.committee] }), 'FORBIDDEN').message).toContain('其他委员')
    expectFail(await confirm(s._id, BR2.committee, { memberIds: [BR2.committee], accept: false }), 'FORBIDDEN')
    expect(await checkinDoc(s._id, BR2.committee)).toBeNull()
    expect(expectOk(await confirm(s._id, DEMO_PEOPLE.admin)).confirmed).toBe(1)
    expect(await checkinDoc(s._id, BR2.committee)).toMatchObject({ confirmedBy: DEMO_PEOPLE.admin })
  })
})

describe('confirming', () => {
  it('one call moves all of a session\'s waiting scans, counted once; reconcile finds nothing to correct', async () => {
    const s = await addSession(env, { startIn: -5 * MIN })
    const scannedAt = env.clock.now()
    const token = photoOf(s._id)
    const who = [BR2.member, BR2.others[0], BR2.others[1]]
    env.clock.advance(HOUR)
    for (const m of who) expectOk(await checkIn(s._id, m, { token, clientAt: scannedAt }))
    const before = await aggregateOf(env, 'member', BR2.member, MONTH)
    const out = expectOk(await confirm(s._id, BR2.secretary))
    expect(out.confirmed).toBe(3)
    expect(out.rows.map((r) => r.outcome)).toEqual(['confirmed', 'confirmed', 'confirmed'])
    for (const m of who) {
      expect(await checkinDoc(s._id, m)).toMatchObject({ method: 'qr', status: 'attended', at: scannedAt, recordedAt: scannedAt + HOUR, confirmedBy: BR2.secretary, confirmedAt: scannedAt + HOUR })
      expect(await attendLines(s._id, m)).toHaveLength(1)
    }
    // Before the tally a check-in earns its points (attendance is counted with the tally, below).
    const after = await aggregateOf(env, 'member', BR2.member, MONTH)
    expect(after!.points).toBeGreaterThan(before?.points ?? 0)
    expect(expectOk(await pendingOf(s._id, BR2.secretary)).rows).toHaveLength(0)
    const r = await roster(s._id)
    expect(r.counts.attended).toBe(3)
    expect(await mineRow(s._id, BR2.member)).toMatchObject({ state: 'attended', at: scannedAt })
    // A second tap (a lost answer) changes nothing.
    expect(expectOk(await confirm(s._id, BR2.secretary))).toEqual({ confirmed: 0, declined: 0, rows: [] })
    expect(await attendLines(s._id, BR2.member)).toHaveLength(1)
    const audits = await fetchAll(env.db.collection('audit').where({ action: 'checkin.confirm', orgId: 'br_2' }))
    expect(audits.filter((a) => (a.detail as { sessionId: string }).sessionId === s._id)).toHaveLength(3)
    expect((await runCron(env, 'reconcile', { year: 2026 })).corrected).toBe(0)
    env.clock.set(s.checkin.closesAt + MIN)
    await runCron(env, 'tally')
    // Counted as attendance by the tally (other tests' sessions are tallied too: the rebuild is the judge).
    expect((await mineRow(s._id, BR2.member))!.state).toBe('attended')
    expect((await runCron(env, 'reconcile', { year: 2026 })).corrected).toBe(0)
  })

  it('a scan after the late mark is confirmed as late', async () => {
    const s = await addSession(env, { startIn: -20 * MIN })
    const scannedAt = env.clock.now()
    const token = photoOf(s._id)
    env.clock.advance(HOUR)
    expectOk(await checkIn(s._id, BR2.member, { token, clientAt: scannedAt }))
    expectOk(await confirm(s._id, BR2.secretary, { memberIds: [BR2.member] }))
    expect(await checkinDoc(s._id, BR2.member)).toMatchObject({ status: 'late', at: scannedAt })
  })

  it('after the session was tallied, confirming turns the absence into attendance', async () => {
    const { s } = await replayed()
    await runCron(env, 'tally')
    const before = await aggregateOf(env, 'member', BR2.member, MONTH)
    expect((await mineRow(s._id, BR2.member))!.state).toBe('absent')
    expectOk(await confirm(s._id, BR2.secretary))
    const after = await aggregateOf(env, 'member', BR2.member, MONTH)
    expect(after!.absent).toBe(before!.absent - 1)
    expect(after!.attended).toBe(before!.attended + 1)
    expect((await mineRow(s._id, BR2.member))!.state).toBe('attended')
    expect((await roster(s._id)).counts.absent).toBe((await roster(s._id)).counts.expected - 1)
    expect((await runCron(env, 'reconcile', { year: 2026 })).corrected).toBe(0)
  })

  it('a member who checked in meanwhile: confirming just removes the waiting scan', async () => {
    const s = await addSession(env, { startIn: -5 * MIN })
    const scannedAt = env.clock.now()
    const old = photoOf(s._id)
    env.clock.advance(30 * MIN)
    expectOk(await checkIn(s._id, BR2.member, { token: old, clientAt: scannedAt }))
    const live = expectOk(await checkIn(s._id, BR2.member, { token: photoOf(s._id) }))
    expect(live.checkin).toMatchObject({ at: env.clock.now() })
    expect(expectOk(await pendingOf(s._id, BR2.secretary)).rows).toHaveLength(0)
    const out = expectOk(await confirm(s._id, BR2.secretary))
    expect(out).toMatchObject({ confirmed: 0, rows: [{ memberId: BR2.member, outcome: 'already' }] })
    expect(await checkinDoc(s._id, BR2.member)).toMatchObject({ at: live.checkin!.at })
    expect(await attendLines(s._id, BR2.member)).toHaveLength(1)
    expect(await fetchAll(env.db.collection('pending_checkins').where({ sessionId: s._id }))).toHaveLength(0)
  })
})

describe('declining', () => {
  it('removes the scan, audited, leaving no trace in the counts', async () => {
    const { s } = await replayed()
    const before = await aggregateOf(env, 'member', BR2.member, MONTH)
    const out = expectOk(await confirm(s._id, BR2.secretary, { memberIds: [BR2.member], accept: false }))
    expect(out).toMatchObject({ confirmed: 0, declined: 1 })
    expect(await checkinDoc(s._id, BR2.member)).toBeNull()
    expect(expectOk(await pendingOf(s._id, BR2.secretary)).rows).toHaveLength(0)
    expect((await mineRow(s._id, BR2.member))!.pendingAt).toBeUndefined()
    expect(await aggregateOf(env, 'member', BR2.member, MONTH)).toEqual(before)
    expect(await attendLines(s._id, BR2.member)).toHaveLength(0)
    const audits = await fetchAll(env.db.collection('audit').where({ action: 'checkin.decline', orgId: 'br_2' }))
    expect(audits.some((a) => (a.detail as { memberId: string; sessionId: string }).sessionId === s._id)).toBe(true)
    expect((await runCron(env, 'reconcile', { year: 2026 })).corrected).toBe(0)
  })
})

describe('bad input', () => {
  it.each([
    [{}],
    [{ sessionId: '' }],
    [{ sessionId: 5 }],
    [{ sessionId: 's1', extra: 1 }],
    [{ sessionId: ['s1'] }]
  ])('pendingCheckins #%# is INVALID_INPUT', async (input) => {
    expectFail(await env.call('checkin', 'pendingCheckins', input, BR2.secretary), 'INVALID_INPUT')
  })

  it.each([
    [{}],
    [{ sessionId: 's1' }],
    [{ sessionId: 's1', accept: 'yes' }],
    [{ sessionId: 's1', accept: true, memberIds: [] }],
    [{ sessionId: 's1', accept: true, memberIds: 'm_br_2_05' }],
    [{ sessionId: 's1', accept: true, memberIds: [5] }],
    [{ sessionId: 's1', accept: true, memberIds: Array.from({ length: 201 }, (_, i) => `m_${i}`) }],
    [{ sessionId: 's1', accept: true, memberId: 'm_br_2_05' }],
    [{ sessionId: { $ne: null }, accept: true }]
  ])('confirmCheckins #%# is INVALID_INPUT', async (input) => {
    expectFail(await env.call('checkin', 'confirmCheckins', input, BR2.secretary), 'INVALID_INPUT')
  })

  it("another branch's session and a missing one answer alike", async () => {
    const other = await addSession(env, { branchId: 'br_1' })
    const a = expectFail(await confirm(other._id, BR2.secretary), 'FORBIDDEN')
    const b = expectFail(await confirm('s_missing', BR2.secretary), 'FORBIDDEN')
    expect(a).toEqual(b)
    expect(expectFail(await pendingOf(other._id, BR2.secretary), 'FORBIDDEN')).toEqual(expectFail(await pendingOf('s_missing', BR2.secretary), 'FORBIDDEN'))
  })
})
