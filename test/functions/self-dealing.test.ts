/**
 * Self-dealing, through the local runtime: an officer never decides their
 * own case (leave, 代签, 补学, lecture points); another officer or the level
 * above does. A 代签 is taken only while the window is open or that same day,
 * and only for someone the session expected when it was held. Each refusal
 * is asserted with its code and with nothing written.
 */
import { checkinId, leaveId, makeupId } from '../../src/core/schemas/checkin'
import { pointsKey } from '../../src/core/schemas/points'
import { MemberSchema } from '../../src/core/schemas/member'
import { DEMO_PEOPLE } from '../../server/seed/people'
import { expectFail, expectOk, makeTestEnv, type TestEnv } from '../helpers/env'
import { BR2, HOUR, MIN, addSession } from './checkin.fixtures'
import { ledgerOf, runCron } from './stats-support'
import { sh, themeDay, type Created } from './session-support'

const DAY = 24 * HOUR
/** 10:00:10 on Friday 20 November 2026 in Shanghai. */
const T0 = Date.parse('2026-11-20T02:00:10Z')
const NOTE = '通过补学本次主题党日的内容，我认真学习了会议精神，深刻认识到加强理论学习的重要性。今后要把学习成果转化为推动工作的实际行动，做到学思用贯通、知信行统一。'
/** Another officer's own make-up (a make-up is checked for copying like any note). */
const NOTE_2 = '这次活动我因为值班没能参加，会后找来会议记录认真学习，体会到基层党员更要在平凡岗位上守初心、担使命，今后我要把学习和本职工作结合起来。'

let env: TestEnv
beforeAll(async () => {
  env = await makeTestEnv()
})
afterAll(() => env.close())
beforeEach(() => env.clock.set(T0))

const doc = async (collection: string, id: string) => (await env.db.collection(collection).doc(id).get()).data

describe('leave: nobody decides or records their own', () => {
  it('the secretary asks leave; approving it themselves is refused, the 支委 approves it', async () => {
    const s = await addSession(env, { startIn: DAY })
    expectOk(await env.call('checkin', 'requestLeave', { sessionId: s._id, reason: '到党校学习' }, BR2.secretary))
    const e = expectFail(await env.call('checkin', 'decideLeave', { sessionId: s._id, memberId: BR2.secretary, approve: true }, BR2.secretary), 'FORBIDDEN')
    expect(e.message).toMatch(/^不能审批自己的请假/)
    expect(await doc('leaves', leaveId(s._id, BR2.secretary))).toMatchObject({ status: 'pending' })
    expectFail(await env.call('checkin', 'decideLeave', { sessionId: s._id, memberId: BR2.secretary, approve: false }, BR2.secretary), 'FORBIDDEN')
    expect(await doc('leaves', leaveId(s._id, BR2.secretary))).toMatchObject({ status: 'pending' })
    const out = expectOk(await env.call<{ leave: { status: string; decidedBy: string } }>('checkin', 'decideLeave', { sessionId: s._id, memberId: BR2.secretary, approve: true }, BR2.committee))
    expect(out.leave).toMatchObject({ status: 'approved', decidedBy: BR2.committee })
  })

  it('an officer cannot record leave for themselves; the admin above can', async () => {
    const s = await addSession(env, { startIn: DAY })
    expectFail(await env.call('checkin', 'recordLeave', { sessionId: s._id, memberId: BR2.committee, reason: '出差' }, BR2.committee), 'FORBIDDEN')
    expect(await doc('leaves', leaveId(s._id, BR2.committee))).toBeNull()
    expectOk(await env.call('checkin', 'recordLeave', { sessionId: s._id, memberId: BR2.committee, reason: '出差' }, DEMO_PEOPLE.admin))
    expect(await doc('leaves', leaveId(s._id, BR2.committee))).toMatchObject({ status: 'approved' })
  })
})

describe('代签', () => {
  it('never of oneself: another officer signs the secretary in', async () => {
    const s = await addSession(env)
    const e = expectFail(await env.call('checkin', 'proxyCheckIn', { sessionId: s._id, memberId: BR2.secretary, reason: '手机没电' }, BR2.secretary), 'FORBIDDEN')
    expect(e.message).toBe('不能为自己代签，请由其他支委或上级代签')
    expect(await doc('checkins', checkinId(s._id, BR2.secretary))).toBeNull()
    expect((await env.db.collection('audit').where({ action: 'checkin.proxy', 'target.id': checkinId(s._id, BR2.secretary) }).count()).total).toBe(0)
    const out = expectOk(await env.call<{ checkin: { proxyBy: string; proxyReason: string } }>('checkin', 'proxyCheckIn', { sessionId: s._id, memberId: BR2.secretary, reason: '手机没电' }, BR2.committee))
    expect(out.checkin).toMatchObject({ proxyBy: BR2.committee, proxyReason: '手机没电' })
  })

  it('while the window is open, or later the same day in Shanghai, with its reason; not the day after', async () => {
    const s = await addSession(env)
    const input = (memberId: string) => ({ sessionId: s._id, memberId, reason: '纸质签到表' })
    // 23:50 the same day: the paper list typed in after the meeting.
    env.clock.set(sh('2026-11-20T23:50'))
    expectOk(await env.call('checkin', 'proxyCheckIn', input(BR2.others[0]), BR2.secretary))
    expectFail(await env.call('checkin', 'proxyCheckIn', { ...input(BR2.others[1]), reason: '' }, BR2.secretary), 'INVALID_INPUT')
    // Midnight: the next day, refused, nothing written.
    env.clock.set(sh('2026-11-21T00:00'))
    const e = expectFail(await env.call('checkin', 'proxyCheckIn', input(BR2.others[1]), BR2.secretary), 'CHECKIN_CLOSED')
    expect(e.message).toMatch(/^代签只能在签到时间内或活动当天办理（11月20日的活动已过）/)
    expect(await doc('checkins', checkinId(s._id, BR2.others[1]))).toBeNull()
    // Months later, as the issue found it done: refused.
    env.clock.set(T0 + 90 * DAY)
    expectFail(await env.call('checkin', 'proxyCheckIn', input(BR2.committee), BR2.secretary), 'CHECKIN_CLOSED')
    expect(await doc('checkins', checkinId(s._id, BR2.committee))).toBeNull()
  })

  it('not for a newcomer who joined after the session began', async () => {
    const s = await addSession(env, { startIn: -HOUR })
    const base = MemberSchema.parse((await doc('members', BR2.member))!)
    await env.db.collection('members').add({
      data: { ...base, _id: 'm_br_2_new', name: '新同志', openid: 'dev_m_br_2_new', roles: [], joinedAt: s.startAt + 10 * MIN, createdAt: s.startAt + 10 * MIN }
    })
    const e = expectFail(await env.call('checkin', 'proxyCheckIn', { sessionId: s._id, memberId: 'm_br_2_new', reason: '纸质签到表' }, BR2.secretary), 'FORBIDDEN')
    expect(e.message).toBe('新同志不在本次活动的应到名单中')
    expect(await doc('checkins', checkinId(s._id, 'm_br_2_new'))).toBeNull()
    // Someone who was a member then is still taken.
    expectOk(await env.call('checkin', 'proxyCheckIn', { sessionId: s._id, memberId: BR2.others[3], reason: '纸质签到表' }, BR2.secretary))
  })
})

describe('补学: never one’s own', () => {
  it('assigning oneself is refused (nothing assigned); the 支委 assigns, the secretary hands in, only the 支委 reviews', async () => {
    const s = await addSession(env, { startIn: -3 * HOUR, durationMs: HOUR })
    const deadline = T0 + 7 * DAY
    const e = expectFail(await env.call('checkin', 'assignMakeUp', { sessionId: s._id, memberIds: [BR2.others[4], BR2.secretary], deadline }, BR2.secretary), 'FORBIDDEN')
    expect(e.message).toBe('不能给自己安排补学，请由其他支委或上级安排')
    for (const m of [BR2.others[4], BR2.secretary]) expect(await doc('makeups', makeupId(s._id, m))).toBeNull()

    expectOk(await env.call('checkin', 'assignMakeUp', { sessionId: s._id, memberIds: [BR2.secretary], deadline }, BR2.committee))
    expectOk(await env.call('checkin', 'makeUp', { sessionId: s._id, content: NOTE }, BR2.secretary))
    for (const accept of [true, false]) {
      const r = expectFail(await env.call('checkin', 'reviewMakeUp', { sessionId: s._id, memberId: BR2.secretary, accept }, BR2.secretary), 'FORBIDDEN')
      expect(r.message).toBe('不能审阅自己的补学，请由其他支委或上级审阅')
    }
    expect(await doc('makeups', makeupId(s._id, BR2.secretary))).toMatchObject({ status: 'submitted' })
    const ok = expectOk(await env.call<{ makeup: { status: string; reviewedBy: string } }>('checkin', 'reviewMakeUp', { sessionId: s._id, memberId: BR2.secretary, accept: true }, BR2.committee))
    expect(ok.makeup).toMatchObject({ status: 'accepted', reviewedBy: BR2.committee })
  })

  it('a make-up an officer once set themselves is not taken until another officer assigns it again', async () => {
    const s = await addSession(env, { startIn: -3 * HOUR, durationMs: HOUR })
    const id = makeupId(s._id, BR2.committee)
    await env.db.collection('makeups').add({
      data: { _id: id, sessionId: s._id, memberId: BR2.committee, branchId: 'br_2', assignedBy: BR2.committee, deadline: T0 + 7 * DAY, status: 'assigned', periodKeys: { year: '2026', quarter: '2026-Q4', month: '2026-11' }, createdAt: T0, updatedAt: T0 }
    })
    expectFail(await env.call('checkin', 'makeUp', { sessionId: s._id, content: NOTE }, BR2.committee), 'FORBIDDEN')
    expect(await doc('makeups', id)).toMatchObject({ status: 'assigned' })
    expectOk(await env.call('checkin', 'assignMakeUp', { sessionId: s._id, memberIds: [BR2.committee], deadline: T0 + 7 * DAY }, BR2.secretary))
    expectOk(await env.call('checkin', 'makeUp', { sessionId: s._id, content: NOTE_2 }, BR2.committee))
    expect(await doc('makeups', id)).toMatchObject({ status: 'submitted', assignedBy: BR2.secretary })
  })
})

describe('讲授党课: naming oneself stays allowed, the points need a real lecture', () => {
  // A database of its own: the nightly rebuild below must find nothing to correct.
  let shared: TestEnv
  beforeAll(async () => {
    shared = env
    env = await makeTestEnv()
  })
  afterAll(() => {
    env.close()
    env = shared
  })
  const lecture = (startAt: string, minutes: number, over: Record<string, unknown> = {}) =>
    themeDay({ type: 'party_lecture', title: '书记讲党课', startAt: sh(startAt), endAt: sh(startAt) + minutes * MIN, lecturerId: BR2.secretary, ...over })
  const lecturePoints = async (sessionId: string) => (await ledgerOf(env, BR2.secretary)).filter((e) => e.key === pointsKey('lecture', sessionId, BR2.secretary)).reduce((a, e) => a + e.delta, 0)

  it('a 2-minute 党课 earns nothing; an hour earns the points; a second in the month is refused', async () => {
    const short = expectOk(await env.call<Created>('session', 'create', lecture('2026-11-23T09:00', 2), BR2.secretary)).sessions[0]
    expect(short.lecturerId).toBe(BR2.secretary)
    // A second 党课 the same month with the same lecturer: refused, nothing created.
    const count = async () => (await env.db.collection('sessions').where({ lecturerId: BR2.secretary }).count()).total
    const before = await count()
    const e = expectFail(await env.call('session', 'create', lecture('2026-11-26T09:00', 60), BR2.secretary), 'CONFLICT')
    expect(e.message).toMatch(/已是11月23日党课「书记讲党课」的讲课人；同一位同志每月只担任一次讲课人/)
    expect(await count()).toBe(before)
    // Another month is fine; so is another lecturer the same month.
    const real = expectOk(await env.call<Created>('session', 'create', lecture('2026-12-03T09:00', 90), BR2.secretary)).sessions[0]
    expectOk(await env.call<Created>('session', 'create', lecture('2026-11-26T09:00', 60, { lecturerId: BR2.committee }), BR2.secretary))
    // Moving the December one into November is the same second lecture.
    expectFail(await env.call('session', 'update', { sessionId: real._id, startAt: sh('2026-11-27T09:00'), endAt: sh('2026-11-27T10:30') }, BR2.secretary), 'CONFLICT')

    env.clock.set(short.checkin.closesAt + MIN)
    await runCron(env, 'tally')
    expect(await lecturePoints(short._id)).toBe(0)
    env.clock.set(real.checkin.closesAt + MIN)
    await runCron(env, 'tally')
    expect(await lecturePoints(real._id)).toBe(3)
    // The nightly rebuild agrees with what the tally wrote.
    expect((await runCron(env, 'reconcile')).corrected).toBe(0)
  })

  it('a series with the same lecturer twice in a month is refused as a whole', async () => {
    const e = expectFail(
      await env.call('session', 'create', { ...lecture('2027-01-05T09:00', 60, { lecturerId: BR2.others[5] }), recurrence: { every: 'week', count: 3 } }, BR2.secretary),
      'INVALID_INPUT'
    )
    expect(e.message).toMatch(/^同一位同志每月只担任一次党课讲课人/)
    expect((await env.db.collection('sessions').where({ lecturerId: BR2.others[5] }).count()).total).toBe(0)
  })
})
