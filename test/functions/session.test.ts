/**
 * @jest-environment <rootDir>/test/core/support/tz-environment.ts
 */
import { formatShanghai } from '../../src/core/period'
import { AuditEntrySchema } from '../../src/core/schemas/audit'
import { SessionSchema, type Session } from '../../src/core/schemas/session'
import { DEMO_PEOPLE } from '../../server/seed/people'
import { expectFail, expectOk, makeTestEnv, type TestEnv } from '../helpers/env'
import { DAY, H, MIN, addOtherOrg, sh, themeDay, type Created } from './session-support'

let env: TestEnv
beforeAll(async () => {
  env = await makeTestEnv()
  await addOtherOrg(env)
})
afterAll(() => env.close())

async function auditOf(sessionId: string) {
  const { data } = await env.db.collection('audit').where({ 'target.id': sessionId }).get()
  return data.map((d) => AuditEntrySchema.parse(d)).sort((a, b) => a.at - b.at)
}

async function stored(id: string): Promise<Session> {
  const { data } = await env.db.collection('sessions').doc(id).get()
  return SessionSchema.parse(data)
}

describe('session.create', () => {
  it('fills the defaults: window, geofence radius, branch audience, offline check-in off; audited', async () => {
    const { sessions, notices } = expectOk(await env.call<Created>('session', 'create', themeDay(), DEMO_PEOPLE.secretary2))
    expect(notices).toBeUndefined()
    expect(sessions).toHaveLength(1)
    const s = sessions[0]
    const start = sh('2026-11-25T14:30')
    expect(s).toMatchObject({
      branchId: 'br_2',
      orgPath: ['org_demo', 'br_2'],
      status: 'scheduled',
      audience: { kind: 'branch' },
      allowOnlineWithoutQr: false,
      venue: { name: '第二党支部活动室', geofence: { lat: 39.9087, lng: 116.3975, radiusM: 200 } },
      checkin: { opensAt: start - 30 * MIN, lateAfter: start + 10 * MIN, closesAt: sh('2026-11-25T16:30') },
      createdBy: DEMO_PEOPLE.secretary2,
      createdAt: env.clock.now()
    })
    expect(s.recurrenceId).toBeUndefined()
    expect(await stored(s._id)).toEqual(s)
    const audit = await auditOf(s._id)
    expect(audit.map((a) => [a.action, a.actor, a.orgId])).toEqual([['session.create', DEMO_PEOPLE.secretary2, 'br_2']])
  })

  it('gives a 支委会 the committee, and a 党小组会 needs a group of its own branch', async () => {
    const committee = expectOk(await env.call<Created>('session', 'create', themeDay({ type: 'committee_meeting', title: '12月支委会' }), DEMO_PEOPLE.secretary2))
    expect(committee.sessions[0].audience).toEqual({ kind: 'committee' })
    const group = { ...themeDay({ branchId: 'br_3', type: 'group_meeting', title: '第一党小组学习会' }) }
    const noGroup = expectFail(await env.call('session', 'create', group, DEMO_PEOPLE.secretary3), 'INVALID_INPUT')
    expect(noGroup.message).toBe('党小组会需要选择参加的党小组')
    expectFail(await env.call('session', 'create', { ...group, audience: { kind: 'branch' } }, DEMO_PEOPLE.secretary3), 'INVALID_INPUT')
    const ok = expectOk(await env.call<Created>('session', 'create', { ...group, audience: { kind: 'group', groupId: 'br_3_g2' } }, DEMO_PEOPLE.secretary3))
    expect(ok.sessions[0].audience).toEqual({ kind: 'group', groupId: 'br_3_g2' })
    // A group of another branch, an unknown group, and a branch id posing as a group.
    for (const groupId of ['br_3_g1', 'no_such_group', 'br_1']) {
      const e = expectFail(await env.call('session', 'create', themeDay({ audience: { kind: 'group', groupId } }), DEMO_PEOPLE.secretary2), 'INVALID_INPUT')
      expect(e.message).toBe('所选党小组不属于本支部')
    }
  })

  it('takes a chosen list only of active members of the branch, once each', async () => {
    const ok = expectOk(await env.call<Created>('session', 'create', themeDay({ audience: { kind: 'list', memberIds: ['m_br_2_03', 'm_br_2_04', 'm_br_2_03'] } }), DEMO_PEOPLE.secretary2))
    expect(ok.sessions[0].audience).toEqual({ kind: 'list', memberIds: ['m_br_2_03', 'm_br_2_04'] })
    for (const stranger of ['m_br_1_03', 'm_x_1', 'nobody']) {
      const e = expectFail(await env.call('session', 'create', themeDay({ audience: { kind: 'list', memberIds: ['m_br_2_03', stranger] } }), DEMO_PEOPLE.secretary2), 'INVALID_INPUT')
      expect(e.details?.memberIds).toEqual([stranger])
    }
  })

  it('refuses a session that has already ended, an endless one, and a window outside the session', async () => {
    const past = expectFail(await env.call('session', 'create', themeDay({ startAt: sh('2026-11-19T14:30'), endAt: sh('2026-11-19T16:30') }), DEMO_PEOPLE.secretary2), 'INVALID_INPUT')
    expect(past.message).toContain('已过')
    expectFail(await env.call('session', 'create', themeDay({ endAt: sh('2026-11-25T14:30') + 8 * DAY }), DEMO_PEOPLE.secretary2), 'INVALID_INPUT')
    const start = sh('2026-11-25T14:30')
    const late = { opensAt: start - 30 * MIN, closesAt: start + 3 * H, lateAfter: start }
    expectFail(await env.call('session', 'create', themeDay({ checkin: late }), DEMO_PEOPLE.secretary2), 'INVALID_INPUT')
    const custom = { opensAt: start - 60 * MIN, closesAt: start + H, lateAfter: start }
    const ok = expectOk(await env.call<Created>('session', 'create', themeDay({ checkin: custom }), DEMO_PEOPLE.secretary2))
    expect(ok.sessions[0].checkin).toEqual(custom)
  })
})

describe.each([['UTC'], ['America/New_York']])('recurrence with process TZ=%s', (zone) => {
  beforeAll(() => {
    process.env.TZ = zone
  })

  it('creates 12 monthly 主题党日 on the 15th at 14:30 Shanghai with one recurrenceId, in one go', async () => {
    expect(new Date(2026, 0, 1).getTimezoneOffset()).toBe(zone === 'UTC' ? 0 : 300)
    const input = themeDay({ title: '主题党日', startAt: sh('2026-12-15T14:30'), endAt: sh('2026-12-15T16:30'), recurrence: { every: 'month', count: 12, dayOfMonth: 15 } })
    const { sessions } = expectOk(await env.call<Created>('session', 'create', input, DEMO_PEOPLE.secretary2))
    expect(sessions).toHaveLength(12)
    const months = ['2026-12', ...Array.from({ length: 11 }, (_, i) => `2027-${String(i + 1).padStart(2, '0')}`)]
    expect(sessions.map((s) => formatShanghai(s.startAt, 'YYYY-MM-DD HH:mm'))).toEqual(months.map((m) => `${m}-15 14:30`))
    expect(sessions.map((s) => s.startAt)).toEqual(months.map((m) => sh(`${m}-15T14:30`)))
    const rid = sessions[0].recurrenceId
    expect(rid).toBeDefined()
    expect(new Set(sessions.map((s) => s.recurrenceId))).toEqual(new Set([rid]))
    expect(new Set(sessions.map((s) => s._id)).size).toBe(12)
    for (const s of sessions) expect(s.checkin).toEqual({ opensAt: s.startAt - 30 * MIN, lateAfter: s.startAt + 10 * MIN, closesAt: s.endAt })
    const { total } = await env.db.collection('sessions').where({ recurrenceId: rid }).count()
    expect(total).toBe(12)
    // One audit entry for the series, naming it.
    const audit = await auditOf(sessions[0]._id)
    expect(audit[0].detail).toMatchObject({ count: 12, recurrenceId: rid, every: 'month' })
  })
})

describe('recurrence edges', () => {
  it('puts the 31st of February on its last day and says so', async () => {
    const input = themeDay({ type: 'committee_meeting', title: '月末支委会', startAt: sh('2027-01-31T09:00'), endAt: sh('2027-01-31T10:00'), recurrence: { every: 'month', count: 3, dayOfMonth: 31 } })
    const { sessions, notices } = expectOk(await env.call<Created>('session', 'create', input, DEMO_PEOPLE.secretary2))
    expect(sessions.map((s) => formatShanghai(s.startAt, 'YYYY-MM-DD HH:mm'))).toEqual(['2027-01-31 09:00', '2027-02-28 09:00', '2027-03-31 09:00'])
    expect(notices).toEqual([{ code: 'day_clamped', index: 1, message: '2027年2月没有31日，已安排在该月最后一天（28日）' }])
  })

  it('goes weekly to the end of the Shanghai year, and refuses a series reaching past two years', async () => {
    const input = themeDay({ type: 'group_study', title: '周五集中学习', startAt: sh('2026-11-27T19:00'), endAt: sh('2026-11-27T20:30'), recurrence: { every: 'week', until: 'year_end' } })
    const { sessions } = expectOk(await env.call<Created>('session', 'create', input, DEMO_PEOPLE.secretary2))
    expect(sessions.map((s) => formatShanghai(s.startAt, 'MM-DD dddd'))).toEqual(['11-27 星期五', '12-04 星期五', '12-11 星期五', '12-18 星期五', '12-25 星期五'])
    const far = themeDay({ startAt: sh('2028-06-15T14:30'), endAt: sh('2028-06-15T16:30'), recurrence: { every: 'month', count: 12 } })
    expectFail(await env.call('session', 'create', far, DEMO_PEOPLE.secretary2), 'INVALID_INPUT')
    // Nothing of the refused series was written.
    const { total } = await env.db.collection('sessions').where({ startAt: sh('2028-06-15T14:30') }).count()
    expect(total).toBe(0)
  })
})

describe('session.update and session.cancel on one occurrence', () => {
  let series: Session[]
  beforeAll(async () => {
    const input = themeDay({ title: '党课', type: 'party_lecture', startAt: sh('2026-12-10T15:00'), endAt: sh('2026-12-10T17:00'), recurrence: { every: 'month', count: 4 } })
    series = expectOk(await env.call<Created>('session', 'create', input, DEMO_PEOPLE.secretary2)).sessions
  })

  it('moves one occurrence, its window with it, and audits before and after', async () => {
    const target = series[1]
    const startAt = target.startAt + 2 * DAY + H
    const { session } = expectOk(await env.call<{ session: Session }>('session', 'update', { sessionId: target._id, title: '党课（改期）', startAt, endAt: startAt + 2 * H }, 'm_br_2_02'))
    expect(session).toMatchObject({ title: '党课（改期）', startAt, endAt: startAt + 2 * H, recurrenceId: target.recurrenceId, updatedAt: env.clock.now() })
    expect(session.checkin).toEqual({ opensAt: startAt - 30 * MIN, lateAfter: startAt + 10 * MIN, closesAt: startAt + 2 * H })
    expect(await stored(target._id)).toEqual(session)
    for (const other of [series[0], series[2], series[3]]) expect(await stored(other._id)).toEqual(other)
    const audit = await auditOf(target._id)
    expect(audit.map((a) => a.action)).toEqual(['session.update'])
    expect(audit[0].detail).toMatchObject({ fields: expect.arrayContaining(['title', 'startAt', 'endAt', 'checkin']), before: { startAt: target.startAt } })
    // The same update again changes nothing and writes nothing.
    expectOk(await env.call('session', 'update', { sessionId: target._id, title: '党课（改期）' }, DEMO_PEOPLE.secretary2))
    expect(await auditOf(target._id)).toHaveLength(1)
  })

  it('rechecks times against the stored ones', async () => {
    const target = series[2]
    const e = expectFail(await env.call('session', 'update', { sessionId: target._id, endAt: target.startAt - H }, DEMO_PEOPLE.secretary2), 'INVALID_INPUT')
    expect(e.message).toBe('结束时间必须晚于开始时间')
    expectFail(await env.call('session', 'update', { sessionId: target._id, checkin: { opensAt: target.endAt + MIN, closesAt: target.endAt + H, lateAfter: target.endAt + MIN } }, DEMO_PEOPLE.secretary2), 'INVALID_INPUT')
    expectFail(await env.call('session', 'update', { sessionId: target._id, startAt: sh('2026-11-01T09:00'), endAt: sh('2026-11-01T10:00') }, DEMO_PEOPLE.secretary2), 'INVALID_INPUT')
    expectFail(await env.call('session', 'update', { sessionId: target._id, type: 'group_meeting' }, DEMO_PEOPLE.secretary2), 'INVALID_INPUT')
    expect(await stored(target._id)).toEqual(target)
  })

  it('cancels one occurrence with its reason, once; a cancelled one cannot be edited', async () => {
    const target = series[3]
    const first = expectOk(await env.call<{ session: Session; alreadyCancelled: boolean }>('session', 'cancel', { sessionId: target._id, reason: '与上级会议冲突' }, DEMO_PEOPLE.secretary2))
    expect(first.alreadyCancelled).toBe(false)
    expect(first.session).toMatchObject({ status: 'cancelled', cancelReason: '与上级会议冲突' })
    const again = expectOk(await env.call<{ alreadyCancelled: boolean }>('session', 'cancel', { sessionId: target._id, reason: '重复点击' }, DEMO_PEOPLE.secretary2))
    expect(again.alreadyCancelled).toBe(true)
    expect((await stored(target._id)).cancelReason).toBe('与上级会议冲突')
    expect((await auditOf(target._id)).map((a) => [a.action, a.detail?.reason])).toEqual([['session.cancel', '与上级会议冲突']])
    expect((await stored(series[0]._id)).status).toBe('scheduled')
    expectFail(await env.call('session', 'update', { sessionId: target._id, title: '恢复' }, DEMO_PEOPLE.secretary2), 'CONFLICT')
  })

  it('cancels once under concurrent taps, and an edit racing a cancel does not revive it', async () => {
    const { sessions } = expectOk(await env.call<Created>('session', 'create', themeDay({ title: '并发取消' }), DEMO_PEOPLE.secretary2))
    const id = sessions[0]._id
    const results = await Promise.all([
      ...Array.from({ length: 6 }, () => env.call<{ alreadyCancelled: boolean }>('session', 'cancel', { sessionId: id, reason: '临时取消' }, DEMO_PEOPLE.secretary2)),
      env.call('session', 'update', { sessionId: id, title: '并发修改' }, 'm_br_2_02')
    ])
    // Each call either did the cancel, found it done, or lost a race to the edit (CONFLICT, retry).
    const outcomes = results.map((r) => (r.ok ? ((r.data as { alreadyCancelled?: boolean }).alreadyCancelled === false ? 'cancelled' : 'ok') : r.error.code))
    expect(outcomes.filter((o) => o === 'cancelled')).toHaveLength(1)
    expect(outcomes.every((o) => o === 'cancelled' || o === 'ok' || o === 'CONFLICT')).toBe(true)
    expect((await auditOf(id)).filter((a) => a.action === 'session.cancel')).toHaveLength(1)
    expect((await stored(id)).status).toBe('cancelled')
  })

  it('freezes an ended session: times and audience refused, title allowed; held sessions cannot be cancelled', async () => {
    const held = 's_br_2_202611_theme_day'
    const s = await stored(held)
    expect(s.endAt).toBeLessThan(env.clock.now())
    expectFail(await env.call('session', 'update', { sessionId: held, endAt: s.endAt + H }, DEMO_PEOPLE.secretary2), 'CONFLICT')
    expectFail(await env.call('session', 'update', { sessionId: held, audience: { kind: 'committee' } }, DEMO_PEOPLE.secretary2), 'CONFLICT')
    const { session } = expectOk(await env.call<{ session: Session }>('session', 'update', { sessionId: held, title: '11月主题党日（更正标题）' }, DEMO_PEOPLE.secretary2))
    expect(session.title).toBe('11月主题党日（更正标题）')
    expectFail(await env.call('session', 'cancel', { sessionId: held, reason: '补录错误' }, DEMO_PEOPLE.secretary2), 'CONFLICT')
  })

  it('keeps the start once check-in has opened', async () => {
    const { sessions } = expectOk(await env.call<Created>('session', 'create', themeDay({ startAt: env.clock.now() + 10 * MIN, endAt: env.clock.now() + 2 * H }), DEMO_PEOPLE.secretary2))
    const id = sessions[0]._id
    expectFail(await env.call('session', 'update', { sessionId: id, startAt: env.clock.now() + H }, DEMO_PEOPLE.secretary2), 'CONFLICT')
    const { session } = expectOk(await env.call<{ session: Session }>('session', 'update', { sessionId: id, endAt: env.clock.now() + 3 * H }, DEMO_PEOPLE.secretary2))
    expect(session.checkin.closesAt).toBe(env.clock.now() + 3 * H)
  })
})
