/**
 * Records made after the fact, through the real handlers on a real SQLite
 * file: leave asked after the session (补请假), leave an officer enters for a
 * member (补录请假), and a meeting held without the app recorded with its
 * attendance (补录一场活动). Each must count exactly as the same fact entered
 * in time: aggregates, points (an absence deduction taken back), the
 * member's record and the nightly reconciliation agree.
 */
import { CheckinMineOutput, LeaveOutput, LeavesOutput, RecordLeaveOutput } from '../../src/core/functions/checkin'
import { SessionRecordOutput } from '../../src/core/functions/session'
import { periodKeysOf } from '../../src/core/period'
import { checkinId, leaveId } from '../../src/core/schemas/checkin'
import { pointsKey } from '../../src/core/schemas/points'
import { fetchAll } from '../../cloudfunctions/_shared/paging'
import { DEMO_PEOPLE } from '../../server/seed/people'
import { expectFail, expectOk, makeTestEnv, type TestEnv } from '../helpers/env'
import { BR2, HOUR, MIN, addSession } from './checkin.fixtures'
import { aggregateOf, ledgerOf, runCron } from './stats-support'
import { addOtherOrg, sh } from './session-support'

const DAY = 24 * HOUR
const T0 = Date.parse('2026-11-20T02:00:10Z')
const YEAR = 2026
let env: TestEnv

beforeAll(async () => {
  env = await makeTestEnv()
  await addOtherOrg(env)
  env.clock.set(T0)
  // Whatever the seed left for the nightly run is healed first, so every later check sees only these suites' writes.
  await runCron(env, 'tally')
  await runCron(env, 'reconcile', { year: YEAR })
})
afterAll(() => env.close())
beforeEach(() => env.clock.set(T0))

const month = (at: number) => periodKeysOf(at).month
const netOf = async (memberId: string, key: string) => (await ledgerOf(env, memberId)).filter((e) => e.key === key).reduce((s, e) => s + e.delta, 0)
const auditOf = async (action: string, targetId: string) => (await env.db.collection('audit').where({ action, 'target.id': targetId }).get()).data

/** The branch's points for the month equal its members' ledger lines (br_2 has no exempt member). */
async function expectBranchLedgerMatches(branchId: string, m: string) {
  const lines = await fetchAll(env.db.collection('ledger').where({ branchId, 'periodKeys.month': m }), { cap: 100000 })
  const sum = lines.reduce((s, e) => s + Number(e.delta), 0)
  expect((await aggregateOf(env, 'branch', branchId, m))!.points).toBe(sum)
}

/** A session of br_2 that ended `agoMs` ago, tallied by the timer as it would be. */
async function heldSession(agoMs: number, title?: string) {
  const s = await addSession(env, { startIn: -agoMs - 2 * HOUR, durationMs: 2 * HOUR, geofence: null, ...(title ? { title } : {}) })
  await runCron(env, 'tally')
  return s
}

describe('补请假: leave asked after the session', () => {
  it('is asked within a week, decided by the secretary, and turns the absence and its deduction into leave', async () => {
    const s = await heldSession(DAY, '十一月支部党员大会')
    const who = BR2.others[0]
    const absentKey = pointsKey('absent', s._id, who)
    expect(await netOf(who, absentKey)).toBe(-2)
    const before = (await aggregateOf(env, 'member', who, month(s.startAt)))!
    expect(before.absent).toBeGreaterThan(0)

    const asked = LeaveOutput.parse(expectOk(await env.call('checkin', 'requestLeave', { sessionId: s._id, reason: '那天发烧在家，事后补假' }, who)))
    expect(asked.leave).toMatchObject({ status: 'pending', memberId: who })
    // The secretary's list can tell it came after the session.
    const listed = LeavesOutput.parse(expectOk(await env.call('checkin', 'leaves', { branchId: 'br_2', status: 'pending' }, BR2.secretary)))
    const mineRow = listed.rows.find((r) => r.leave._id === asked.leave._id)
    expect(mineRow?.sessionEndAt).toBe(s.endAt)
    expect(asked.leave.createdAt).toBeGreaterThan(s.endAt)
    // Pending changes nothing yet: still an absence.
    expect(await netOf(who, absentKey)).toBe(-2)
    const mine = CheckinMineOutput.parse(expectOk(await env.call('checkin', 'mine', { year: YEAR }, who)))
    expect(mine.rows.find((r) => r.sessionId === s._id)).toMatchObject({ state: 'absent', leaveStatus: 'pending' })

    expectOk(await env.call('checkin', 'decideLeave', { sessionId: s._id, memberId: who, approve: true }, BR2.secretary))
    expect(await netOf(who, absentKey)).toBe(0)
    const lines = (await ledgerOf(env, who)).filter((e) => e.key === absentKey)
    expect(lines.map((e) => e.delta)).toEqual([-2, 2])
    const after = (await aggregateOf(env, 'member', who, month(s.startAt)))!
    expect(after.absent).toBe(before.absent - 1)
    expect(after.leave).toBe(before.leave + 1)
    expect(after.points).toBe(before.points + 2)
    const mineAfter = CheckinMineOutput.parse(expectOk(await env.call('checkin', 'mine', { year: YEAR }, who)))
    expect(mineAfter.rows.find((r) => r.sessionId === s._id)).toMatchObject({ state: 'leave', leaveStatus: 'approved' })
    expect(mineAfter.rows.find((r) => r.sessionId === s._id)?.leaveRecorded).toBeUndefined()
  })

  it('is refused after seven days, when checked in, by strangers and with bad input', async () => {
    const s = await heldSession(0)
    // The paper list typed in the same day (a 代签 is taken only then).
    expectOk(await env.call('checkin', 'proxyCheckIn', { sessionId: s._id, memberId: BR2.others[2], reason: '纸质签到表' }, BR2.secretary))
    env.clock.set(s.endAt + 7 * DAY)
    const late = expectFail(await env.call('checkin', 'requestLeave', { sessionId: s._id, reason: '生病' }, BR2.others[1]), 'CHECKIN_CLOSED')
    expect(late.message).toContain('超过 7 天')
    env.clock.set(s.endAt + 7 * DAY - 1)
    expectOk(await env.call('checkin', 'requestLeave', { sessionId: s._id, reason: '生病' }, BR2.others[1]))
    expect(expectFail(await env.call('checkin', 'requestLeave', { sessionId: s._id, reason: '生病' }, BR2.others[2]), 'CONFLICT').message).toBe('您已签到，无需请假')
    expectFail(await env.call('checkin', 'requestLeave', { sessionId: s._id, reason: '生病' }, DEMO_PEOPLE.member1), 'FORBIDDEN')
    expectFail(await env.call('checkin', 'requestLeave', { sessionId: s._id, reason: '生病', memberId: BR2.others[3] }, BR2.others[4]), 'INVALID_INPUT')
    expectFail(await env.call('checkin', 'requestLeave', { sessionId: s._id, reason: '' }, BR2.others[3]), 'INVALID_INPUT')
    expectFail(await env.call('checkin', 'requestLeave', { sessionId: s._id, reason: 7 }, BR2.others[3]), 'INVALID_INPUT')
  })

  it('an officer never decides their own leave', async () => {
    const s = await heldSession(HOUR)
    expectOk(await env.call('checkin', 'requestLeave', { sessionId: s._id, reason: '在外开会' }, BR2.committee))
    expect(expectFail(await env.call('checkin', 'decideLeave', { sessionId: s._id, memberId: BR2.committee, approve: true }, BR2.committee), 'FORBIDDEN').message).toContain('不能审批自己的请假')
    expectOk(await env.call('checkin', 'decideLeave', { sessionId: s._id, memberId: BR2.committee, approve: true }, BR2.secretary))
  })
})

describe('补录请假: an officer enters leave for a member', () => {
  it('approves at once, takes the deduction back, is audited once and idempotent', async () => {
    const s = await heldSession(2 * DAY, '十一月党小组学习')
    const who = BR2.others[3]
    const absentKey = pointsKey('absent', s._id, who)
    expect(await netOf(who, absentKey)).toBe(-2)
    const before = (await aggregateOf(env, 'member', who, month(s.startAt)))!
    const branchBefore = (await aggregateOf(env, 'branch', 'br_2', month(s.startAt)))!
    const input = { sessionId: s._id, memberId: who, reason: '住院治疗，家属电话告知' }
    const out = RecordLeaveOutput.parse(expectOk(await env.call('checkin', 'recordLeave', input, BR2.committee)))
    expect(out.duplicate).toBe(false)
    expect(out.leave).toMatchObject({ status: 'approved', recordedBy: BR2.committee, decidedBy: BR2.committee, reason: input.reason })
    expect(await netOf(who, absentKey)).toBe(0)
    const after = (await aggregateOf(env, 'member', who, month(s.startAt)))!
    expect([after.absent, after.leave, after.points]).toEqual([before.absent - 1, before.leave + 1, before.points + 2])
    const branchAfter = (await aggregateOf(env, 'branch', 'br_2', month(s.startAt)))!
    expect([branchAfter.absent, branchAfter.leave]).toEqual([branchBefore.absent - 1, branchBefore.leave + 1])

    const again = RecordLeaveOutput.parse(expectOk(await env.call('checkin', 'recordLeave', input, BR2.secretary)))
    expect(again.duplicate).toBe(true)
    expect(await auditOf('leave.record', leaveId(s._id, who))).toHaveLength(1)
    expect((await ledgerOf(env, who)).filter((e) => e.key === absentKey)).toHaveLength(2)

    const mine = CheckinMineOutput.parse(expectOk(await env.call('checkin', 'mine', { year: YEAR }, who)))
    expect(mine.rows.find((r) => r.sessionId === s._id)).toMatchObject({ state: 'leave', leaveStatus: 'approved', leaveRecorded: true })
  })

  it('also before the session, for a member without a smartphone', async () => {
    const s = await addSession(env, { startIn: DAY, geofence: null })
    const out = RecordLeaveOutput.parse(expectOk(await env.call('checkin', 'recordLeave', { sessionId: s._id, memberId: BR2.others[4], reason: '没有智能手机，电话请假' }, BR2.secretary)))
    expect(out.leave.status).toBe('approved')
    env.clock.set(s.checkin.closesAt + MIN)
    await runCron(env, 'tally')
    expect(await netOf(BR2.others[4], pointsKey('absent', s._id, BR2.others[4]))).toBe(0)
  })

  it('refuses oneself, strangers, other branches, the checked in, pending requests, old sessions and bad input', async () => {
    const s = await heldSession(HOUR)
    const ok = { sessionId: s._id, memberId: BR2.others[5], reason: '外出' }
    expect(expectFail(await env.call('checkin', 'recordLeave', { ...ok, memberId: BR2.secretary }, BR2.secretary), 'FORBIDDEN').message).toContain('不能为自己登记请假')
    for (const who of [BR2.member, DEMO_PEOPLE.secretary1, DEMO_PEOPLE.secretary3, 'm_x_1']) {
      expectFail(await env.call('checkin', 'recordLeave', ok, who), 'FORBIDDEN')
    }
    expectFail(await env.call('checkin', 'recordLeave', ok, null), 'FORBIDDEN')
    expectFail(await env.call('checkin', 'recordLeave', { ...ok, memberId: DEMO_PEOPLE.member1 }, BR2.secretary), 'NOT_FOUND')
    expectFail(await env.call('checkin', 'recordLeave', { ...ok, memberId: 'm_x_2' }, BR2.secretary), 'NOT_FOUND')
    for (const bad of [{}, { ...ok, reason: '' }, { ...ok, reason: '   ' }, { ...ok, reason: '因'.repeat(201) }, { ...ok, memberId: 5 }, { ...ok, approve: true }, { ...ok, sessionId: '' }]) {
      expectFail(await env.call('checkin', 'recordLeave', bad, BR2.secretary), 'INVALID_INPUT')
    }
    expectOk(await env.call('checkin', 'proxyCheckIn', { sessionId: s._id, memberId: BR2.others[6], reason: '纸质签到表' }, BR2.secretary))
    expect(expectFail(await env.call('checkin', 'recordLeave', { ...ok, memberId: BR2.others[6] }, BR2.secretary), 'CONFLICT').message).toContain('已签到')
    expectOk(await env.call('checkin', 'requestLeave', { sessionId: s._id, reason: '出差' }, BR2.others[5]))
    expect(expectFail(await env.call('checkin', 'recordLeave', ok, BR2.secretary), 'CONFLICT').message).toContain('请假审批')

    const old = await heldSession(31 * DAY)
    expect(expectFail(await env.call('checkin', 'recordLeave', { ...ok, sessionId: old._id }, BR2.secretary), 'CHECKIN_CLOSED').message).toContain('30 天')
    const cancelled = await addSession(env, { startIn: DAY, status: 'cancelled', cancelReason: '改期' })
    expectFail(await env.call('checkin', 'recordLeave', { ...ok, sessionId: cancelled._id }, BR2.secretary), 'CHECKIN_CLOSED')
  })
})

describe('补录一场活动: a meeting held without the app', () => {
  const start = sh('2026-11-13T14:30')
  const base = (over: Record<string, unknown> = {}) => ({
    clientId: 'rec-20261113-a',
    branchId: 'br_2',
    title: '专题学习研讨：基层减负',
    type: 'seminar',
    startAt: start,
    endAt: start + 2 * HOUR,
    venue: { name: '二楼小会议室' },
    attendance: [
      { memberId: BR2.secretary, state: 'attended' },
      { memberId: BR2.committee, state: 'attended' },
      { memberId: BR2.member, state: 'late' },
      { memberId: BR2.others[0], state: 'leave', reason: '在外地出差' }
    ],
    ...over
  })

  it('creates the session with its attendance, counted like one held in the app, and a resend changes nothing', async () => {
    const m = month(start)
    const absentee = BR2.others[1]
    const aggBefore = (await aggregateOf(env, 'branch', 'br_2', m))!
    const out = SessionRecordOutput.parse(expectOk(await env.call('session', 'record', base(), BR2.secretary)))
    const s = out.session
    expect(out.duplicate).toBe(false)
    expect(out.counted).toBe(true)
    expect(s).toMatchObject({ recorded: true, createdBy: BR2.secretary, status: 'scheduled', type: 'seminar', venue: { name: '二楼小会议室' } })
    expect(s.talliedAt).toBeDefined()
    expect(s.pendingFrom).toBeUndefined()
    expect(out.counts).toEqual({ expected: 12, attended: 2, late: 1, leave: 1, absent: 8 })

    const c = (await env.db.collection('checkins').doc(checkinId(s._id, BR2.member)).get()).data
    expect(c).toMatchObject({ method: 'proxy', proxyBy: BR2.secretary, status: 'late', recordedAt: T0 })
    expect((c as unknown as { at: number }).at).toBeGreaterThanOrEqual(s.startAt)
    const l = (await env.db.collection('leaves').doc(leaveId(s._id, BR2.others[0])).get()).data
    expect(l).toMatchObject({ status: 'approved', recordedBy: BR2.secretary, reason: '在外地出差' })
    const audit = await auditOf('session.record', s._id)
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({ actor: BR2.secretary, orgId: 'br_2', detail: { attended: 2, late: 1, leave: 1 } })

    // Points exactly as in the app: +2 on time, +1 late, 0 on leave, −2 absent.
    expect(await netOf(BR2.committee, pointsKey('attend', s._id, BR2.committee))).toBe(2)
    expect(await netOf(BR2.member, pointsKey('attend_late', s._id, BR2.member))).toBe(1)
    expect(await netOf(BR2.others[0], pointsKey('absent', s._id, BR2.others[0]))).toBe(0)
    expect(await netOf(absentee, pointsKey('absent', s._id, absentee))).toBe(-2)
    const agg = (await aggregateOf(env, 'branch', 'br_2', m))!
    expect(agg.expected - aggBefore.expected).toBe(12)
    expect(agg.attended - aggBefore.attended).toBe(3)
    expect(agg.late - aggBefore.late).toBe(1)
    expect(agg.leave - aggBefore.leave).toBe(1)
    expect(agg.absent - aggBefore.absent).toBe(8)

    // The member's own record says so, and 补录.
    const mine = CheckinMineOutput.parse(expectOk(await env.call('checkin', 'mine', { year: YEAR }, BR2.member)))
    expect(mine.rows.find((r) => r.sessionId === s._id)).toMatchObject({ state: 'late', method: 'proxy', recorded: true })
    const onLeave = CheckinMineOutput.parse(expectOk(await env.call('checkin', 'mine', { year: YEAR }, BR2.others[0])))
    expect(onLeave.rows.find((r) => r.sessionId === s._id)).toMatchObject({ state: 'leave', leaveRecorded: true, recorded: true })

    // The cadence sees the seminar held.
    const cadence = expectOk(await env.call<{ items: Array<{ type: string; held: number }> }>('session', 'cadence', { branchId: 'br_2', period: '2026-Q4' }, BR2.secretary))
    expect(cadence.items.find((i) => i.type === 'seminar')?.held).toBeGreaterThanOrEqual(1)

    // A resend, even by another officer, is the same meeting: nothing doubles.
    const ledgerCount = (await fetchAll(env.db.collection('ledger').where({ branchId: 'br_2' }), { cap: 100000 })).length
    const again = SessionRecordOutput.parse(expectOk(await env.call('session', 'record', base(), BR2.committee)))
    expect(again.duplicate).toBe(true)
    expect(again.session._id).toBe(s._id)
    expect((await env.db.collection('sessions').where({ branchId: 'br_2', recorded: true, startAt: start }).get()).data).toHaveLength(1)
    expect((await env.db.collection('checkins').where({ sessionId: s._id }).get()).data).toHaveLength(3)
    expect((await fetchAll(env.db.collection('ledger').where({ branchId: 'br_2' }), { cap: 100000 })).length).toBe(ledgerCount)
    expect(await auditOf('session.record', s._id)).toHaveLength(1)
    expect((await aggregateOf(env, 'branch', 'br_2', m))!.expected).toBe(agg.expected)

    // The timer finds nothing left to count, and the nightly rebuild agrees with every count.
    await runCron(env, 'tally')
    expect((await runCron(env, 'reconcile', { year: YEAR })).corrected).toBe(0)
    await expectBranchLedgerMatches('br_2', m)

    // Later, the absentee's leave is entered too; counts follow, the rebuild still agrees.
    expectOk(await env.call('checkin', 'recordLeave', { sessionId: s._id, memberId: absentee, reason: '家中有事，事后告知' }, BR2.secretary))
    expect(await netOf(absentee, pointsKey('absent', s._id, absentee))).toBe(0)
    expect((await runCron(env, 'reconcile', { year: YEAR })).corrected).toBe(0)
  })

  it('refuses meetings not yet over, too old, already on the calendar, and a closed window of names', async () => {
    const now = env.clock.now()
    const future = expectFail(await env.call('session', 'record', base({ clientId: 'rec-f', startAt: now - HOUR, endAt: now + HOUR }), BR2.secretary), 'INVALID_INPUT')
    expect(future.message).toContain('还没有结束')
    const old = expectFail(await env.call('session', 'record', base({ clientId: 'rec-o', startAt: now - 32 * DAY, endAt: now - 32 * DAY + HOUR }), BR2.secretary), 'INVALID_INPUT')
    expect(old.message).toContain('30 天')
    expectFail(await env.call('session', 'record', base({ clientId: 'rec-long', startAt: now - 10 * DAY, endAt: now - DAY }), BR2.secretary), 'INVALID_INPUT')
    // The seminar recorded above is there already: a second one over the same hours is refused.
    const twin = expectFail(await env.call('session', 'record', base({ clientId: 'rec-twin', startAt: start + HOUR, endAt: start + 3 * HOUR }), BR2.secretary), 'CONFLICT')
    expect(twin.message).toContain('代签')
    // Someone who is not expected at it (another branch's member, a committee meeting's non-member).
    const stranger = expectFail(await env.call('session', 'record', base({ clientId: 'rec-s', startAt: start - 3 * DAY, endAt: start - 3 * DAY + HOUR, attendance: [{ memberId: DEMO_PEOPLE.member1, state: 'attended' }] }), BR2.secretary), 'INVALID_INPUT')
    expect(stranger.details?.memberIds).toEqual([DEMO_PEOPLE.member1])
    const committee = base({ clientId: 'rec-c', type: 'committee_meeting', startAt: start - 4 * DAY, endAt: start - 4 * DAY + HOUR, attendance: [{ memberId: BR2.secretary, state: 'attended' }, { memberId: BR2.others[2], state: 'attended' }] })
    expectFail(await env.call('session', 'record', committee, BR2.secretary), 'INVALID_INPUT')
    // Someone who joined since was not expected then: not on the list, and no leave to enter for them.
    const now2 = env.clock.now()
    await env.db.collection('members').add({ data: { _id: 'm_br_2_new', name: '新同志', openid: 'dev_m_br_2_new', branchId: 'br_2', groupId: null, orgPath: ['org_demo', 'br_2'], rank: 'staff', roles: [], leadingCadre: false, retired: false, exempt: null, largeText: false, active: true, joinStatus: 'confirmed', joinedAt: now2 - DAY, createdAt: now2 - DAY } })
    const newcomer = expectFail(await env.call('session', 'record', base({ clientId: 'rec-n', startAt: start - 3 * DAY, endAt: start - 3 * DAY + HOUR, attendance: [{ memberId: BR2.member, state: 'attended' }, { memberId: 'm_br_2_new', state: 'attended' }] }), BR2.secretary), 'INVALID_INPUT')
    expect(newcomer.details?.memberIds).toEqual(['m_br_2_new'])
    const [recorded] = (await env.db.collection('sessions').where({ branchId: 'br_2', recorded: true }).get()).data
    expectFail(await env.call('checkin', 'recordLeave', { sessionId: recorded._id, memberId: 'm_br_2_new', reason: '入党前的活动' }, BR2.secretary), 'FORBIDDEN')
    expect((await env.db.collection('sessions').where({ branchId: 'br_2', recorded: true }).get()).data).toHaveLength(1)
  })

  it('is for officers of the branch only; leave for oneself is refused; bad input never reaches the database', async () => {
    const ok = base({ clientId: 'rec-p', startAt: start - 5 * DAY, endAt: start - 5 * DAY + HOUR })
    for (const who of [BR2.member, DEMO_PEOPLE.secretary1, 'm_x_1']) expectFail(await env.call('session', 'record', ok, who), 'FORBIDDEN')
    expectFail(await env.call('session', 'record', ok, null), 'FORBIDDEN')
    expectFail(await env.call('session', 'record', { ...ok, branchId: 'br_x' }, BR2.secretary), 'FORBIDDEN')
    const self = { ...ok, attendance: [{ memberId: BR2.committee, state: 'attended' }, { memberId: BR2.secretary, state: 'leave', reason: '自己有事' }] }
    expect(expectFail(await env.call('session', 'record', self, BR2.secretary), 'FORBIDDEN').message).toContain('不能为自己登记请假')
    const many = Array.from({ length: 301 }, (_, i) => ({ memberId: `m_${i}`, state: 'attended' }))
    const bads: Record<string, unknown>[] = [
      {},
      { ...ok, clientId: '' },
      { ...ok, title: '' },
      { ...ok, title: '题'.repeat(61) },
      { ...ok, type: 'party_day' },
      { ...ok, startAt: 'yesterday' },
      { ...ok, endAt: ok.startAt },
      { ...ok, venue: { name: '会议室', geofence: { lat: 1, lng: 2 } } },
      { ...ok, attendance: [] },
      { ...ok, attendance: many },
      { ...ok, attendance: [{ memberId: BR2.member, state: 'leave' }] },
      { ...ok, attendance: [{ memberId: BR2.member, state: 'attended' }, { memberId: BR2.member, state: 'late' }] },
      { ...ok, attendance: [{ memberId: BR2.member, state: 'absent' }] },
      { ...ok, attendance: [{ memberId: BR2.member, state: 'leave', reason: '病假' }] },
      { ...ok, attendance: 'everyone' },
      { ...ok, extra: true }
    ]
    for (const bad of bads) expectFail(await env.call('session', 'record', bad, BR2.secretary), 'INVALID_INPUT')
    expect((await env.db.collection('sessions').where({ branchId: 'br_2', recorded: true }).get()).data).toHaveLength(1)
  })
})
