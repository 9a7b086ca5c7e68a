/**
 * @jest-environment <rootDir>/test/core/support/tz-environment.ts
 *
 * Issue 15, "Low, but fix": a doubled session.create, a session started days
 * ago, a points adjustment dated into a closed year, and a subscribe report
 * that grants more than one requestSubscribeMessage can.
 */
import { SUBSCRIBE_BUDGET_CEILING } from '../../src/core/functions/remind'
import { subscriptionBudgetId } from '../../src/core/schemas/reminder'
import { expectFail, expectOk, makeTestEnv, type TestEnv } from '../helpers/env'
import { BR2 } from './checkin.fixtures'
import { DAY, H, sh, themeDay, type Created } from './session-support'
import { ledgerOf } from './stats-support'

let env: TestEnv
beforeAll(async () => {
  env = await makeTestEnv()
})
afterAll(() => env.close())
// 20 November 2026, 10:00 Shanghai.
beforeEach(() => env.clock.set(Date.parse('2026-11-20T02:00:10Z')))

async function sessionsTitled(title: string) {
  const { data } = await env.db.collection('sessions').where({ branchId: 'br_2', title }).get()
  return data
}
async function auditCount(action: string): Promise<number> {
  return (await env.db.collection('audit').where({ action }).count()).total
}

describe('session.create with the form clientId', () => {
  it('three double taps of one form make one session; another form makes a second', async () => {
    const input = themeDay({ title: '双击测试：主题党日', clientId: 'form-aaaa-0001' })
    const audits = await auditCount('session.create')
    // Three double taps: six calls, two of them at once each time.
    const answers = []
    for (let tap = 0; tap < 3; tap++) {
      answers.push(...(await Promise.all([env.call<Created>('session', 'create', input, BR2.secretary), env.call<Created>('session', 'create', input, BR2.secretary)])))
    }
    const ids = answers.map((r) => expectOk(r).sessions.map((s) => s._id))
    expect(new Set(ids.map((x) => x.join()))).toEqual(new Set([ids[0].join()]))
    expect(await sessionsTitled('双击测试：主题党日')).toHaveLength(1)
    expect(await auditCount('session.create')).toBe(audits + 1)

    const other = expectOk(await env.call<Created>('session', 'create', { ...input, clientId: 'form-bbbb-0002' }, BR2.secretary))
    expect(other.sessions[0]._id).not.toBe(ids[0][0])
    expect(await sessionsTitled('双击测试：主题党日')).toHaveLength(2)
  })

  it('a retried series answers the first series, notices included', async () => {
    const input = themeDay({
      title: '双击测试：每月主题党日',
      startAt: sh('2026-12-31T14:30'),
      endAt: sh('2026-12-31T16:30'),
      recurrence: { every: 'month', count: 3, dayOfMonth: 31 },
      clientId: 'form-series-01'
    })
    const first = expectOk(await env.call<Created>('session', 'create', input, BR2.secretary))
    expect(first.sessions).toHaveLength(3)
    expect(first.notices?.length).toBeGreaterThan(0)
    // The reply was lost; the officer taps again an hour later.
    env.clock.set(env.clock.now() + H)
    const again = expectOk(await env.call<Created>('session', 'create', input, BR2.secretary))
    expect(again).toEqual(first)
    expect(await sessionsTitled('双击测试：每月主题党日')).toHaveLength(3)
  })

  it('a doubled 党课 with its lecturer is one 党课, not refused as the lecturer’s second that month', async () => {
    const input = themeDay({ title: '双击测试：党课', type: 'party_lecture', lecturerId: BR2.others[3], clientId: 'form-lecture-01' })
    const [a, b] = await Promise.all([env.call<Created>('session', 'create', input, BR2.secretary), env.call<Created>('session', 'create', input, BR2.secretary)])
    expect(expectOk(b).sessions[0]._id).toBe(expectOk(a).sessions[0]._id)
    expect(expectOk(await env.call<Created>('session', 'create', input, BR2.secretary)).sessions[0]._id).toBe(expectOk(a).sessions[0]._id)
    expect(await sessionsTitled('双击测试：党课')).toHaveLength(1)
  })

  it('the same clientId with a different form is refused, and two officers never share one', async () => {
    const input = themeDay({ title: '双击测试：改过的表单', clientId: 'form-cccc-0003' })
    const first = expectOk(await env.call<Created>('session', 'create', input, BR2.secretary))
    const changed = expectFail(await env.call('session', 'create', { ...input, title: '双击测试：另一个标题' }, BR2.secretary), 'CONFLICT')
    expect(changed.message).toContain('活动列表')
    expect(await sessionsTitled('双击测试：另一个标题')).toHaveLength(0)
    // The committee member's form happens to carry the same id: their own session.
    const theirs = expectOk(await env.call<Created>('session', 'create', input, BR2.committee))
    expect(theirs.sessions[0]._id).not.toBe(first.sessions[0]._id)
  })

  it('refuses a clientId that is too short, too long or has odd characters', async () => {
    for (const clientId of ['short', 'x'.repeat(65), 'has space 123', 'colon:12345', 42]) {
      expectFail(await env.call('session', 'create', themeDay({ clientId }), BR2.secretary), 'INVALID_INPUT')
    }
  })
})

describe('a session cannot start days in the past', () => {
  it('refuses a start more than a day ago and writes nothing; points to 补录', async () => {
    const now = env.clock.now()
    const audits = await auditCount('session.create')
    // A 3-day 读书班 that began two days ago and is still running.
    const started = themeDay({ title: '补录测试：读书班', type: 'theme_day', startAt: now - 2 * DAY, endAt: now + DAY, clientId: 'form-past-0001' })
    const e = expectFail(await env.call('session', 'create', started, BR2.secretary), 'INVALID_INPUT')
    expect(e.message).toBe('活动开始时间已经过去了；已开过的会请用“补录活动”登记')
    // A meeting wholly in the past gets the same pointer.
    const held = themeDay({ title: '补录测试：读书班', startAt: now - 3 * DAY, endAt: now - 3 * DAY + 2 * H })
    expect(expectFail(await env.call('session', 'create', held, BR2.secretary), 'INVALID_INPUT').message).toContain('补录')
    expect(await sessionsTitled('补录测试：读书班')).toHaveLength(0)
    expect(await auditCount('session.create')).toBe(audits)
    // Entered in a hurry an hour after it began: still accepted.
    expectOk(await env.call<Created>('session', 'create', { ...started, startAt: now - H, clientId: 'form-past-0002' }, BR2.secretary))
  })

  it('update cannot move a session days into the past, but a long session may still be edited', async () => {
    const now = env.clock.now()
    const made = expectOk(await env.call<Created>('session', 'create', themeDay({ title: '补录测试：挪到过去' }), BR2.secretary)).sessions[0]
    const moved = expectFail(
      await env.call('session', 'update', { sessionId: made._id, startAt: now - 3 * DAY, endAt: now + H }, BR2.secretary),
      'INVALID_INPUT'
    )
    expect(moved.message).toContain('补录')
    // A 读书班 entered an hour after it began; the next day its end is moved: its start is not re-judged.
    const long = expectOk(
      await env.call<Created>('session', 'create', themeDay({ title: '补录测试：长活动', startAt: now - H, endAt: now + 3 * DAY, checkin: undefined }), BR2.secretary)
    ).sessions[0]
    env.clock.set(now + 2 * DAY)
    expectOk(await env.call('session', 'update', { sessionId: long._id, endAt: now + 4 * DAY }, BR2.secretary))
  })
})

describe('points adjustments stay in the open year', () => {
  it('refuses an adjustment dated last year and writes nothing to the ledger', async () => {
    const who = BR2.others[6]
    const before = (await ledgerOf(env, who)).length
    const audits = await auditCount('points.adjust')
    const input = { memberId: who, delta: 2, reason: '补记去年的表彰', clientId: 'adj-last-year', at: sh('2025-12-20T10:00') }
    const e = expectFail(await env.call('stats', 'adjustPoints', input, BR2.secretary), 'INVALID_INPUT')
    expect(e.message).toContain('往年')
    expect((await ledgerOf(env, who)).length).toBe(before)
    expect(await auditCount('points.adjust')).toBe(audits)
    // On 2 January, the last day of December is already a closed year.
    env.clock.set(sh('2027-01-02T09:00'))
    expectFail(await env.call('stats', 'adjustPoints', { ...input, at: sh('2026-12-31T10:00') }, BR2.secretary), 'INVALID_INPUT')
    // Earlier this year is fine.
    env.clock.set(Date.parse('2026-11-20T02:00:10Z'))
    expectOk(await env.call('stats', 'adjustPoints', { ...input, at: sh('2026-01-05T10:00') }, BR2.secretary))
    expect((await ledgerOf(env, who)).length).toBe(before + 1)
  })
})

describe('remind.subscribe grants what one requestSubscribeMessage grants', () => {
  async function remaining(memberId: string, key: string): Promise<number> {
    const { data } = await env.db.collection('subscription_budgets').doc(subscriptionBudgetId(memberId, key)).get()
    return data ? Number(data.remaining) : 0
  }

  it('one accept per template per call; ten grants for one template in one call count once', async () => {
    const who = BR2.others[0]
    // The payload shapes a forged client could send for "ten grants": none adds more than one.
    for (const results of [{ session_soon: Array(10).fill('accept') }, { session_soon: 10 }, { session_soon: 'accept', count: 10 }]) {
      expectFail(await env.call('remind', 'subscribe', { results }, who), 'INVALID_INPUT')
    }
    expectFail(await env.call('remind', 'subscribe', { results: { session_soon: 'accept' }, count: 10 }, who), 'INVALID_INPUT')
    // JSON keeps one key per name: a repeated key is one template.
    const doubled = JSON.parse('{"results":{"session_soon":"accept","session_soon":"accept"}}') as Record<string, unknown>
    const r = expectOk(await env.call<{ templates: Record<string, number> }>('remind', 'subscribe', doubled, who))
    expect(r.templates).toEqual({ session_soon: 1 })
    expect(await remaining(who, 'session_soon')).toBe(1)
  })

  it('refuses four templates in one call (a real request asks for three at most), writing nothing', async () => {
    const who = BR2.others[1]
    const four = { session_tomorrow: 'accept', session_soon: 'accept', notes_behind: 'accept', makeup_due: 'accept' }
    expectFail(await env.call('remind', 'subscribe', { results: four }, who), 'INVALID_INPUT')
    for (const key of Object.keys(four)) expect(await remaining(who, key)).toBe(0)
    const three = expectOk(await env.call<{ templates: Record<string, number> }>('remind', 'subscribe', { results: { session_tomorrow: 'accept', session_soon: 'accept', notes_behind: 'accept' } }, who))
    expect(three.templates).toEqual({ session_tomorrow: 1, session_soon: 1, notes_behind: 1 })
  })

  it('repeated calls stop at the ceiling, and a count above it comes down to it', async () => {
    const who = BR2.others[2]
    for (let i = 0; i < SUBSCRIBE_BUDGET_CEILING + 5; i++) expectOk(await env.call('remind', 'subscribe', { results: { outcome: 'accept' } }, who))
    expect(await remaining(who, 'outcome')).toBe(SUBSCRIBE_BUDGET_CEILING)
    // A budget inflated before the ceiling existed.
    await env.db.collection('subscription_budgets').doc(subscriptionBudgetId(who, 'outcome')).update({ data: { remaining: 500 } })
    const r = expectOk(await env.call<{ templates: Record<string, number> }>('remind', 'subscribe', { results: { outcome: 'accept' } }, who))
    expect(r.templates.outcome).toBe(SUBSCRIBE_BUDGET_CEILING)
  })
})
