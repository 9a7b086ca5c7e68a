import { MAX_LIST_SPAN_MS } from '../../src/core/functions/session'
import type { Session } from '../../src/core/schemas/session'
import { DEMO_PEOPLE } from '../../server/seed/people'
import { expectFail, expectOk, makeTestEnv, type TestEnv } from '../helpers/env'
import { DAY, H, addOtherOrg, sh, themeDay, type Created } from './session-support'

let env: TestEnv
let br1Session: Session
let br2Session: Session
beforeAll(async () => {
  env = await makeTestEnv()
  await addOtherOrg(env)
  br1Session = expectOk(await env.call<Created>('session', 'create', themeDay({ branchId: 'br_1' }), DEMO_PEOPLE.secretary1)).sessions[0]
  br2Session = expectOk(await env.call<Created>('session', 'create', themeDay(), DEMO_PEOPLE.secretary2)).sessions[0]
})
afterAll(() => env.close())

type Listed = { sessions: Session[]; nextOffset: number | null }
const november = { from: sh('2026-11-01T00:00'), to: sh('2026-12-01T00:00') }

describe('session.list', () => {
  it('lists a month of the branch by start time, to its members and officers above', async () => {
    const { sessions, nextOffset } = expectOk(await env.call<Listed>('session', 'list', { branchId: 'br_2', ...november }, DEMO_PEOPLE.member2))
    expect(nextOffset).toBeNull()
    // Seed: 支委会 5th, 主题党日 15th, 党课 20th; plus the one created above on the 25th.
    expect(sessions.map((s) => s.type)).toEqual(['committee_meeting', 'theme_day', 'party_lecture', 'theme_day'])
    expect(sessions.map((s) => s.startAt)).toEqual([...sessions.map((s) => s.startAt)].sort((a, b) => a - b))
    expect(sessions.every((s) => s.branchId === 'br_2' && s.startAt >= november.from && s.startAt < november.to)).toBe(true)
    expect(sessions[3]._id).toBe(br2Session._id)
    // The admin of the 党委 above sees it too.
    expect(expectOk(await env.call<Listed>('session', 'list', { branchId: 'br_2', ...november }, DEMO_PEOPLE.admin)).sessions).toHaveLength(4)
  })

  it('pages explicitly without gaps or repeats', async () => {
    const year = { branchId: 'br_3', from: sh('2025-12-01T00:00'), to: sh('2027-01-01T00:00') }
    const all = expectOk(await env.call<Listed>('session', 'list', year, DEMO_PEOPLE.secretary3))
    expect(all.sessions.length).toBeGreaterThan(50)
    const seen: string[] = []
    let offset: number | null = 0
    while (offset !== null) {
      const page: Listed = expectOk(await env.call<Listed>('session', 'list', { ...year, offset, limit: 7 }, DEMO_PEOPLE.secretary3))
      expect(page.sessions.length).toBeLessThanOrEqual(7)
      seen.push(...page.sessions.map((s) => s._id))
      offset = page.nextOffset
    }
    expect(seen).toEqual(all.sessions.map((s) => s._id))
  })

  it('bounds the span and the page', async () => {
    const from = sh('2026-01-01T00:00')
    expectFail(await env.call('session', 'list', { branchId: 'br_2', from, to: from }, DEMO_PEOPLE.secretary2), 'INVALID_INPUT')
    expectFail(await env.call('session', 'list', { branchId: 'br_2', from, to: from - DAY }, DEMO_PEOPLE.secretary2), 'INVALID_INPUT')
    expectFail(await env.call('session', 'list', { branchId: 'br_2', from, to: from + MAX_LIST_SPAN_MS + 1 }, DEMO_PEOPLE.secretary2), 'INVALID_INPUT')
    expectOk(await env.call('session', 'list', { branchId: 'br_2', from, to: from + MAX_LIST_SPAN_MS }, DEMO_PEOPLE.secretary2))
    expectFail(await env.call('session', 'list', { branchId: 'br_2', ...november, limit: 201 }, DEMO_PEOPLE.secretary2), 'INVALID_INPUT')
    expectFail(await env.call('session', 'list', { branchId: 'br_2', ...november, limit: 0 }, DEMO_PEOPLE.secretary2), 'INVALID_INPUT')
    expectFail(await env.call('session', 'list', { branchId: 'br_2', ...november, offset: -1 }, DEMO_PEOPLE.secretary2), 'INVALID_INPUT')
  })
})

describe('session.get', () => {
  it('shows a session to its branch and refuses everyone else', async () => {
    // A member sees it without the venue's fence: the organisation does not check location (the default).
    const { geofence: _fence, ...venue } = br2Session.venue
    expect(expectOk(await env.call<{ session: Session }>('session', 'get', { sessionId: br2Session._id }, DEMO_PEOPLE.member2)).session).toEqual({ ...br2Session, venue })
    expectOk(await env.call('session', 'get', { sessionId: br2Session._id }, DEMO_PEOPLE.admin))
    expectFail(await env.call('session', 'get', { sessionId: br2Session._id }, DEMO_PEOPLE.member1), 'FORBIDDEN')
    expectFail(await env.call('session', 'get', { sessionId: br2Session._id }, 'm_x_2'), 'FORBIDDEN')
    expectFail(await env.call('session', 'get', { sessionId: 'ss_nope' }, DEMO_PEOPLE.secretary2), 'NOT_FOUND')
    const anon = expectFail(await env.call('session', 'get', { sessionId: br2Session._id }, null), 'FORBIDDEN')
    expect(anon.details).toMatchObject({ login: true })
  })
})

describe('scope: identity from the runtime only', () => {
  it("keeps br_2's secretary out of br_1", async () => {
    expectFail(await env.call('session', 'create', themeDay({ branchId: 'br_1' }), DEMO_PEOPLE.secretary2), 'FORBIDDEN')
    expectFail(await env.call('session', 'update', { sessionId: br1Session._id, title: '改' }, DEMO_PEOPLE.secretary2), 'FORBIDDEN')
    expectFail(await env.call('session', 'cancel', { sessionId: br1Session._id, reason: '取消' }, DEMO_PEOPLE.secretary2), 'FORBIDDEN')
    expectFail(await env.call('session', 'roster', { sessionId: br1Session._id }, DEMO_PEOPLE.secretary2), 'FORBIDDEN')
    expectFail(await env.call('session', 'list', { branchId: 'br_1', ...november }, DEMO_PEOPLE.secretary2), 'FORBIDDEN')
    expectFail(await env.call('session', 'cadence', { branchId: 'br_1', period: '2026-11' }, DEMO_PEOPLE.secretary2), 'FORBIDDEN')
  })

  it('lets an ordinary member read but not manage', async () => {
    expectFail(await env.call('session', 'create', themeDay(), DEMO_PEOPLE.member2), 'FORBIDDEN')
    expectFail(await env.call('session', 'update', { sessionId: br2Session._id, title: '改' }, DEMO_PEOPLE.member2), 'FORBIDDEN')
    expectFail(await env.call('session', 'cancel', { sessionId: br2Session._id, reason: '取消' }, DEMO_PEOPLE.member2), 'FORBIDDEN')
    expectFail(await env.call('session', 'roster', { sessionId: br2Session._id }, DEMO_PEOPLE.member2), 'FORBIDDEN')
    expectFail(await env.call('session', 'cadence', { branchId: 'br_2', period: '2026-11' }, DEMO_PEOPLE.member2), 'FORBIDDEN')
  })

  it('shows another 党委 nothing, even its admin', async () => {
    for (const who of ['m_x_1', 'm_x_2']) {
      expectFail(await env.call('session', 'list', { branchId: 'br_2', ...november }, who), 'FORBIDDEN')
      expectFail(await env.call('session', 'create', themeDay(), who), 'FORBIDDEN')
      expectFail(await env.call('session', 'roster', { sessionId: br2Session._id }, who), 'FORBIDDEN')
      expectFail(await env.call('session', 'cancel', { sessionId: br2Session._id, reason: '取消' }, who), 'FORBIDDEN')
    }
    // And our admin sees nothing of theirs.
    expectFail(await env.call('session', 'list', { branchId: 'br_x', ...november }, DEMO_PEOPLE.admin), 'FORBIDDEN')
    expectFail(await env.call('session', 'create', themeDay({ branchId: 'br_x' }), DEMO_PEOPLE.admin), 'FORBIDDEN')
  })

  it('lets the committee member and the admin above manage; ignores identity fields in the payload', async () => {
    expectOk(await env.call('session', 'create', themeDay({ title: '支委代建' }), 'm_br_2_02'))
    expectOk(await env.call('session', 'create', themeDay({ title: '党委代建' }), DEMO_PEOPLE.admin))
    // userInfo is the platform's and dropped; any other identity key is unknown input.
    const spoof = await env.call('session', 'create', { ...themeDay(), userInfo: { openId: 'dev_m_br_2_01' } }, DEMO_PEOPLE.member2)
    expectFail(spoof, 'FORBIDDEN')
    expectFail(await env.call('session', 'create', { ...themeDay(), createdBy: DEMO_PEOPLE.secretary2 }, DEMO_PEOPLE.secretary2), 'INVALID_INPUT')
    // A group is not a branch.
    expectFail(await env.call('session', 'create', themeDay({ branchId: 'br_3_g1' }), DEMO_PEOPLE.secretary3), 'FORBIDDEN')
  })
})

describe('bad input', () => {
  const bad: Array<[string, Record<string, unknown>]> = [
    ['empty', {}],
    ['startAt as text', themeDay({ startAt: '2026-11-25 14:30' })],
    ['negative time', themeDay({ startAt: -5 })],
    ['fractional time', themeDay({ endAt: sh('2026-11-25T16:30') + 0.5 })],
    ['title of 61 characters', themeDay({ title: '学'.repeat(61) })],
    ['blank title', themeDay({ title: '   ' })],
    ['control characters', themeDay({ title: '主题\u0007党日' })],
    ['end before start', themeDay({ endAt: sh('2026-11-25T13:30') })],
    ['end equal to start', themeDay({ endAt: sh('2026-11-25T14:30') })],
    ['unknown type', themeDay({ type: 'party_day' })],
    ['geofence too small', themeDay({ venue: { name: '室', geofence: { lat: 39.9, lng: 116.4, radiusM: 10 } } })],
    ['latitude off the map', themeDay({ venue: { name: '室', geofence: { lat: 91, lng: 116.4 } } })],
    ['branch id as an operator', themeDay({ branchId: { $ne: null } })],
    ['list without ids', themeDay({ audience: { kind: 'list' } })],
    ['recurrence of 13 months', themeDay({ recurrence: { every: 'month', count: 13 } })],
    ['description with a NUL', themeDay({ description: '说明\u0000' })]
  ]
  it.each(bad)('create refuses %s', async (_name, input) => {
    expectFail(await env.call('session', 'create', input, DEMO_PEOPLE.secretary2), 'INVALID_INPUT')
  })

  it('every action refuses wrong types and unknown keys kindly', async () => {
    for (const [act, input] of [
      ['update', { sessionId: br2Session._id, startAt: 'soon' }],
      ['update', { sessionId: br2Session._id, title: '学'.repeat(61) }],
      ['cancel', { sessionId: br2Session._id }],
      ['cancel', { sessionId: br2Session._id, reason: '\u0001' }],
      ['get', { sessionId: ['x'] }],
      ['roster', {}],
      ['list', { branchId: 'br_2', from: '2026-11-01', to: november.to }],
      ['cadence', { branchId: 'br_2', period: '2026-13' }],
      ['cadence', { branchId: 'br_2', period: '1900' }],
      ['dualLife', { month: '2026-10' }],
      ['dualLife', { branchId: 'br_2', orgId: 'org_demo', month: '2026-10' }],
      ['dualLife', { branchId: 'br_2', month: '2026-Q4' }],
      ['nope', {}]
    ] as Array<[string, Record<string, unknown>]>) {
      const e = expectFail(await env.call('session', act, input, DEMO_PEOPLE.secretary2), 'INVALID_INPUT')
      expect(e.message).toMatch(/[\u4e00-\u9fff]/)
    }
    // Nothing above reached the session.
    const { session } = expectOk(await env.call<{ session: Session }>('session', 'get', { sessionId: br2Session._id }, DEMO_PEOPLE.secretary2))
    expect(session).toEqual(br2Session)
    expect(session.endAt - session.startAt).toBe(2 * H)
  })
})
