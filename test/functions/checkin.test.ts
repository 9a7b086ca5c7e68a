import { destinationPoint } from '../../src/core/checkin/geo'
import { QR_SLOT_MS, slotOf, slotStart } from '../../src/core/checkin/qr-slot'
import { CheckInOutput, CheckinTokenOutput } from '../../src/core/functions/checkin'
import { checkinId, type Checkin } from '../../src/core/schemas/checkin'
import { DEMO_PEOPLE } from '../../server/seed/people'
import { issueCheckinToken } from '../../cloudfunctions/_shared/checkin-token'
import { TEST_SECRET, expectFail, expectOk, makeTestEnv, type TestEnv } from '../helpers/env'
import { BR2, HOUR, MIN, VENUE, addSession, callWithSecret } from './checkin.fixtures'

type Out = { checkin: Checkin; duplicate: boolean }
let env: TestEnv
beforeAll(async () => {
  env = await makeTestEnv()
})
afterAll(() => env.close())
beforeEach(() => {
  // Each test starts in the middle of a slot, so "the previous slot" is a clear step.
  env.clock.set(Date.parse('2026-11-20T02:00:10Z'))
})

const here = (meters = 0, bearing = 90) => ({ ...destinationPoint(VENUE, meters, bearing), accuracyM: 15 })
async function tokenOf(sessionId: string, as: string = BR2.secretary): Promise<string> {
  return expectOk(await env.call<{ token: string }>('checkin', 'token', { sessionId }, as)).token
}
function checkIn(sessionId: string, as: string, extra: Record<string, unknown> = {}) {
  return env.call<Out>('checkin', 'checkIn', { sessionId, location: here(20), ...extra }, as)
}

describe('checkin.token', () => {
  it('gives the branch officers the current token, its slot and when to rotate', async () => {
    const s = await addSession(env)
    const now = env.clock.now()
    for (const officer of [BR2.secretary, BR2.committee, DEMO_PEOPLE.admin]) {
      const out = CheckinTokenOutput.parse(expectOk(await env.call('checkin', 'token', { sessionId: s._id }, officer)))
      expect(out.slot).toBe(slotOf(now))
      expect(out.token).toMatch(new RegExp(`^ci\\.${s._id}\\.${out.slot}\\.[A-Za-z0-9_-]{16}$`))
      expect(out.expiresAt).toBe(slotStart(out.slot) + QR_SLOT_MS)
      expect(out.validUntil).toBe(slotStart(out.slot) + 2 * QR_SLOT_MS)
      expect(out.serverNow).toBe(now)
    }
  })

  it('refuses members, other branches and unknown sessions alike', async () => {
    const s = await addSession(env)
    for (const who of [BR2.member, DEMO_PEOPLE.secretary1, DEMO_PEOPLE.secretary3]) {
      expect(expectFail(await env.call('checkin', 'token', { sessionId: s._id }, who), 'FORBIDDEN').message).toBe('您只能管理本支部的活动')
    }
    expectFail(await env.call('checkin', 'token', { sessionId: 'nope' }, BR2.secretary), 'FORBIDDEN')
    expectFail(await env.call('checkin', 'token', { sessionId: s._id }, null), 'FORBIDDEN')
  })

  it('refuses a cancelled session', async () => {
    const s = await addSession(env, { status: 'cancelled', cancelReason: '与上级会议冲突' })
    expect(expectFail(await env.call('checkin', 'token', { sessionId: s._id }, BR2.secretary), 'CHECKIN_CLOSED').message).toContain('与上级会议冲突')
  })

  it('refuses to sign with an empty or short secret and says what to set', async () => {
    const s = await addSession(env)
    for (const secret of ['', 'short']) {
      const r = await callWithSecret(env, secret, 'checkin', 'token', { sessionId: s._id }, BR2.secretary)
      expect(expectFail(r, 'NOT_AVAILABLE').message).toContain('ZBDK_SECRET')
    }
    const token = issueCheckinToken(TEST_SECRET, s._id, env.clock.now()).token
    const r = await callWithSecret(env, '', 'checkin', 'checkIn', { sessionId: s._id, token, location: here() }, BR2.member)
    expectFail(r, 'NOT_AVAILABLE')
  })
})

describe('checkin.checkIn: happy path and idempotency', () => {
  it('checks in on time with the QR token and location', async () => {
    const s = await addSession(env)
    const token = await tokenOf(s._id)
    const out = CheckInOutput.parse(expectOk(await checkIn(s._id, BR2.member, { token })))
    expect(out.duplicate).toBe(false)
    expect(out.checkin).toMatchObject({
      _id: checkinId(s._id, BR2.member),
      memberId: BR2.member,
      branchId: 'br_2',
      status: 'attended',
      method: 'qr',
      qrSlot: slotOf(env.clock.now()),
      at: env.clock.now(),
      recordedAt: env.clock.now(),
      distanceM: 20,
      periodKeys: { year: '2026', quarter: '2026-Q4', month: '2026-11' }
    })
  })

  it('records late after lateAfter', async () => {
    const s = await addSession(env)
    env.clock.advance(20 * MIN + 1)
    const out = expectOk(await checkIn(s._id, BR2.member, { token: await tokenOf(s._id) }))
    expect(out.checkin.status).toBe('late')
  })

  it('a second call returns the existing check-in, not an error, even once the code has expired', async () => {
    const s = await addSession(env)
    const token = await tokenOf(s._id)
    const first = expectOk(await checkIn(s._id, BR2.member, { token }))
    const again = expectOk(await checkIn(s._id, BR2.member, { token }))
    expect(again).toEqual({ checkin: first.checkin, duplicate: true })
    env.clock.advance(10 * QR_SLOT_MS)
    expect(expectOk(await checkIn(s._id, BR2.member, { token }))).toEqual({ checkin: first.checkin, duplicate: true })
  })

  it('50 concurrent identical calls leave exactly one check-in', async () => {
    const s = await addSession(env)
    const token = await tokenOf(s._id)
    const results = await Promise.all(Array.from({ length: 50 }, () => checkIn(s._id, BR2.member, { token })))
    const outs = results.map((r) => expectOk(r))
    expect(outs.filter((o) => !o.duplicate)).toHaveLength(1)
    expect(new Set(outs.map((o) => JSON.stringify(o.checkin))).size).toBe(1)
    const { total } = await env.db.collection('checkins').where({ sessionId: s._id }).count()
    expect(total).toBe(1)
  })

  it('an online session takes a check-in without QR; the fence does not apply to it', async () => {
    const s = await addSession(env, { allowOnlineWithoutQr: true })
    const out = expectOk(await env.call<Out>('checkin', 'checkIn', { sessionId: s._id }, BR2.member))
    expect(out.checkin).toMatchObject({ method: 'online', status: 'attended', at: env.clock.now() })
    expect(out.checkin.qrSlot).toBeUndefined()
    const far = expectOk(await env.call<Out>('checkin', 'checkIn', { sessionId: s._id, location: here(5000) }, BR2.others[0]))
    expect(far.checkin).toMatchObject({ method: 'online', distanceM: 5000 })
  })

  it('a QR-only session refuses a check-in without token', async () => {
    const s = await addSession(env)
    const e = expectFail(await checkIn(s._id, BR2.member), 'INVALID_INPUT')
    expect(e.message).toBe('本次活动需要在现场扫描大屏上的二维码签到')
    expect(e.details).toMatchObject({ needQr: true })
  })
})

describe('checkin.checkIn: window edges', () => {
  it('accepts exactly at opensAt, refuses 1 ms before, and exactly at closesAt', async () => {
    const s = await addSession(env, { startIn: 30 * MIN })
    const opens = s.checkin.opensAt
    env.clock.set(opens - 1)
    const early = expectFail(await checkIn(s._id, BR2.member, { token: await tokenOf(s._id) }), 'CHECKIN_CLOSED')
    expect(early.message).toBe('签到将于 10:00 开始，请稍后再来')
    env.clock.set(opens)
    expect(expectOk(await checkIn(s._id, BR2.member, { token: await tokenOf(s._id) })).checkin.at).toBe(opens)
    env.clock.set(s.checkin.closesAt)
    const closed = expectFail(await checkIn(s._id, BR2.others[0], { token: await tokenOf(s._id) }), 'CHECKIN_CLOSED')
    expect(closed.message).toMatch(/^签到已于 12:30 结束/)
    env.clock.set(s.checkin.closesAt - 1)
    expect(expectOk(await checkIn(s._id, BR2.others[0], { token: await tokenOf(s._id) })).checkin.status).toBe('late')
  })

  it('a cancelled session is closed', async () => {
    const s = await addSession(env, { status: 'cancelled' })
    const token = issueCheckinToken(TEST_SECRET, s._id, env.clock.now()).token
    expect(expectFail(await checkIn(s._id, BR2.member, { token }), 'CHECKIN_CLOSED').message).toBe('本次活动已取消，无需签到')
  })
})

describe('checkin.checkIn: token slots', () => {
  it('accepts the current and the previous slot, refuses two slots ago with the expired message', async () => {
    const s = await addSession(env)
    const token = await tokenOf(s._id)
    const slot = slotOf(env.clock.now())
    env.clock.set(slotStart(slot + 1) + 5000) // previous slot now
    const prev = expectOk(await checkIn(s._id, BR2.member, { token }))
    expect(prev.checkin).toMatchObject({ qrSlot: slot, at: slotStart(slot + 1) - 1 })
    env.clock.set(slotStart(slot + 2))
    const e = expectFail(await checkIn(s._id, BR2.others[0], { token }), 'QR_EXPIRED')
    expect(e.message).toBe('签到码已过期，请扫描现场大屏上的最新二维码')
  })

  it("refuses another session's token, a tampered signature, a foreign secret and garbage", async () => {
    const s = await addSession(env)
    const other = await addSession(env)
    const token = await tokenOf(s._id)
    const otherToken = await tokenOf(other._id)
    expect(expectFail(await checkIn(s._id, BR2.member, { token: otherToken }), 'QR_EXPIRED').details).toMatchObject({ reason: 'other_session' })
    const sig = token.slice(-16)
    const flipped = token.slice(0, -16) + (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1)
    expect(expectFail(await checkIn(s._id, BR2.member, { token: flipped }), 'QR_EXPIRED').details).toMatchObject({ reason: 'invalid' })
    // The same slot number moved to another session keeps its signature: refused.
    const moved = token.replace(`.${s._id}.`, `.${other._id}.`)
    expectFail(await checkIn(other._id, BR2.member, { token: moved }), 'QR_EXPIRED')
    const foreign = issueCheckinToken('another-secret-0123456789', s._id, env.clock.now()).token
    expectFail(await checkIn(s._id, BR2.member, { token: foreign }), 'QR_EXPIRED')
    for (const garbage of ['hello-world', 'ci.x.1.AAAAAAAAAAAAAAAA', `ci.${s._id}.abc.${sig}`]) {
      expect(expectFail(await checkIn(s._id, BR2.member, { token: garbage }), 'QR_EXPIRED').message).toBe('这不是有效的签到码，请扫描现场大屏上的二维码')
    }
    expectFail(await checkIn(s._id, BR2.member, { token: 'has space in it' }), 'INVALID_INPUT')
  })
})

describe('checkin.checkIn: geofence', () => {
  // Location is checked only where the organisation asks for it (off by default).
  beforeEach(async () => {
    expectOk(await env.call('org', 'updateSettings', { orgId: 'org_demo', requireLocation: true }, 'm_br_1_01'))
  })

  it('is not checked when the organisation does not require location: a far position is only recorded', async () => {
    expectOk(await env.call('org', 'updateSettings', { orgId: 'org_demo', requireLocation: false }, 'm_br_1_01'))
    const s = await addSession(env)
    const token = await tokenOf(s._id)
    const far = expectOk(await checkIn(s._id, BR2.member, { token, location: here(12_345) }))
    expect(far.checkin.distanceM).toBe(12345)
    expectOk(await env.call('checkin', 'checkIn', { sessionId: s._id, token }, BR2.others[0]))
  })

  it('accepts exactly at the radius and refuses just outside, with the distance', async () => {
    const s = await addSession(env)
    const token = await tokenOf(s._id)
    const edge = expectOk(await checkIn(s._id, BR2.member, { token, location: here(200, 33) }))
    expect(edge.checkin.distanceM).toBe(200)
    const out = expectFail(await checkIn(s._id, BR2.others[0], { token, location: here(200.6, 33) }), 'OUT_OF_RANGE')
    expect(out.message).toBe('您距离活动地点约 201 米，需在 200 米内签到')
    expect(out.details).toMatchObject({ distanceM: 201, radiusM: 200 })
    const far = expectFail(await checkIn(s._id, BR2.others[0], { token, location: here(356, 200) }), 'OUT_OF_RANGE')
    expect(far.message).toBe('您距离活动地点约 356 米，需在 200 米内签到')
    expect(expectFail(await checkIn(s._id, BR2.others[0], { token, location: here(12_345) }), 'OUT_OF_RANGE').message).toContain('约 12.3 公里')
  })

  it('needs a location when the session has a fence, and not when it has none', async () => {
    const s = await addSession(env)
    const e = expectFail(await env.call('checkin', 'checkIn', { sessionId: s._id, token: await tokenOf(s._id) }, BR2.member), 'OUT_OF_RANGE')
    expect(e.details).toMatchObject({ needLocation: true })
    const open = await addSession(env, { geofence: null })
    const out = expectOk(await env.call<Out>('checkin', 'checkIn', { sessionId: open._id, token: await tokenOf(open._id) }, BR2.member))
    expect(out.checkin.distanceM).toBeUndefined()
  })
})

describe('checkin.checkIn: offline scans (clientAt)', () => {
  it('judges an old scan by its slot, not by the upload (waiting for an officer, then counted at the scan time)', async () => {
    const s = await addSession(env, { startIn: -5 * MIN })
    const scannedAt = env.clock.now()
    const token = await tokenOf(s._id)
    env.clock.advance(5 * HOUR) // the session is long over when the phone finds a network
    const out = expectOk(await env.call<{ checkin?: Checkin; pending?: { at: number; recordedAt: number } }>('checkin', 'checkIn', { sessionId: s._id, location: here(20), token, clientAt: scannedAt + 2000 }, BR2.member))
    // Dated by the phone alone: recorded as 待确认 (checkin-pending.test.ts), not counted.
    expect(out.checkin).toBeUndefined()
    expect(out.pending).toEqual({ at: scannedAt + 2000, recordedAt: scannedAt + 5 * HOUR })
    expectOk(await env.call('checkin', 'confirmCheckins', { sessionId: s._id, accept: true }, BR2.secretary))
    const { data } = await env.db.collection('checkins').doc(checkinId(s._id, BR2.member)).get()
    expect(data).toMatchObject({ status: 'attended', at: scannedAt + 2000, recordedAt: scannedAt + 5 * HOUR, qrSlot: slotOf(scannedAt), confirmedBy: BR2.secretary })
  })

  it('refuses a clientAt outside the token slot, from the future, or older than a day', async () => {
    const s = await addSession(env, { startIn: -5 * MIN })
    const scannedAt = env.clock.now()
    const token = await tokenOf(s._id)
    env.clock.advance(2 * HOUR)
    const now = env.clock.now()
    expectFail(await checkIn(s._id, BR2.member, { token }), 'QR_EXPIRED')
    expectFail(await checkIn(s._id, BR2.member, { token, clientAt: now }), 'QR_EXPIRED')
    expectFail(await checkIn(s._id, BR2.member, { token, clientAt: scannedAt + 3 * QR_SLOT_MS }), 'QR_EXPIRED')
    const future = expectFail(await checkIn(s._id, BR2.member, { token, clientAt: now + 2 * MIN + 1 }), 'QR_EXPIRED')
    expect(future.details).toMatchObject({ reason: 'client_clock' })
    env.clock.set(scannedAt + 24 * HOUR + 1)
    const stale = expectFail(await checkIn(s._id, BR2.member, { token, clientAt: scannedAt }), 'QR_EXPIRED')
    expect(stale.message).toContain('24 小时')
  })
})

describe('checkin.checkIn: who may check in', () => {
  it('a committee meeting refuses an ordinary member and takes the committee', async () => {
    const s = await addSession(env, { audience: { kind: 'committee' } })
    const token = await tokenOf(s._id)
    expect(expectFail(await checkIn(s._id, BR2.member, { token }), 'FORBIDDEN').message).toBe('您不在本次活动的应到名单中，无需签到')
    expectOk(await checkIn(s._id, BR2.committee, { token }))
  })

  it("another branch's session answers like a missing one", async () => {
    const s = await addSession(env)
    const token = await tokenOf(s._id)
    const a = expectFail(await checkIn(s._id, DEMO_PEOPLE.member1, { token }), 'FORBIDDEN')
    const b = expectFail(await checkIn('s_missing', DEMO_PEOPLE.member1, { token }), 'FORBIDDEN')
    expect(a).toEqual(b)
    expect(a.message).toBe('这不是您所在支部的活动，无法签到')
  })

  it('the payload cannot choose the member', async () => {
    const s = await addSession(env)
    const token = await tokenOf(s._id)
    expectFail(await checkIn(s._id, BR2.member, { token, memberId: BR2.others[1] }), 'INVALID_INPUT')
    const out = expectOk(await checkIn(s._id, BR2.member, { token, userInfo: { openId: `dev_${BR2.others[1]}` } }))
    expect(out.checkin.memberId).toBe(BR2.member)
    expect((await env.db.collection('checkins').doc(checkinId(s._id, BR2.others[1])).get()).data).toBeNull()
    expectFail(await checkIn(s._id, null as unknown as string, { token }), 'FORBIDDEN')
  })
})

describe('checkin.checkIn: bad input', () => {
  it.each([
    [{}],
    [{ sessionId: 123 }],
    [{ sessionId: '' }],
    [{ sessionId: 's'.repeat(500) }],
    [{ sessionId: 's1', token: 5 }],
    [{ sessionId: 's1', token: 'x'.repeat(201) }],
    [{ sessionId: 's1', location: { lat: 'north', lng: 1 } }],
    [{ sessionId: 's1', location: { lat: 91, lng: 1 } }],
    [{ sessionId: 's1', clientAt: -1 }],
    [{ sessionId: 's1', clientAt: 'yesterday' }],
    [{ sessionId: ['s1'] }]
  ])('bad input #%# is INVALID_INPUT', async (input) => {
    expectFail(await env.call('checkin', 'checkIn', input, BR2.member), 'INVALID_INPUT')
  })

  it('unknown actions and non-object events are refused', async () => {
    expectFail(await env.call('checkin', 'nope', {}, BR2.member), 'INVALID_INPUT')
  })
})

describe('session reads and the location setting', () => {
  it('members are not shown the fence unless the organisation checks location; officers always are', async () => {
    expectOk(await env.call('org', 'updateSettings', { orgId: 'org_demo', requireLocation: false }, 'm_br_1_01'))
    const s = await addSession(env)
    const asMember = expectOk(await env.call<{ session: { venue: { geofence?: unknown } } }>('session', 'get', { sessionId: s._id }, BR2.member))
    expect(asMember.session.venue.geofence).toBeUndefined()
    const list = expectOk(await env.call<{ sessions: { _id: string; venue: { geofence?: unknown } }[] }>('session', 'list', { branchId: 'br_2', from: s.startAt - 1, to: s.startAt + 1 }, BR2.member))
    expect(list.sessions.find((x) => x._id === s._id)!.venue.geofence).toBeUndefined()
    const asSecretary = expectOk(await env.call<{ session: { venue: { geofence?: unknown } } }>('session', 'get', { sessionId: s._id }, BR2.secretary))
    expect(asSecretary.session.venue.geofence).toMatchObject({ radiusM: 200 })
    expectOk(await env.call('org', 'updateSettings', { orgId: 'org_demo', requireLocation: true }, 'm_br_1_01'))
    const now = expectOk(await env.call<{ session: { venue: { geofence?: unknown } } }>('session', 'get', { sessionId: s._id }, BR2.member))
    expect(now.session.venue.geofence).toMatchObject({ radiusM: 200 })
  })
})
