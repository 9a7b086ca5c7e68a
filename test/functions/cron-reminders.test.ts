/**
 * cron.reminders through the local runtime on a real SQLite file: session
 * reminders at their offsets (per session type), a late run, a moved or
 * cancelled session, make-up deadlines, the month's pace reminder, quiet
 * hours held overnight and sent in the morning, the daily limit across
 * sources, and reruns / overlapping runs that never send twice.
 */
import { scheduleReminderId } from '../../cloudfunctions/cron/src/reminders'
import { aggregateId } from '../../src/core/schemas/aggregate'
import { subscriptionBudgetId } from '../../src/core/schemas/reminder'
import { expectFail, expectOk, makeTestEnv, type TestEnv } from '../helpers/env'
import { addSession, BR2, HOUR, MIN } from './checkin.fixtures'

type JobOut = { processed: number; sessions: number; makeups: number; pace: number; held: number; nextCursor?: string }
type Delivery = { memberId: string; deliverAt: number; wechat: { status: string; errMsg?: string }; inApp: { delivered: boolean } }

const DAY = 24 * HOUR
const BR2_ALL = [BR2.secretary, BR2.committee, 'm_br_2_03', 'm_br_2_04', BR2.member, ...BR2.others]

let env: TestEnv
beforeEach(async () => {
  env = await makeTestEnv()
  // The test clock starts on the 20th, the default pace day: the pace tests turn it back on themselves.
  await setSchedule({ paceDay: null }, 'org_demo')
})
afterEach(() => env.close())

const run = async () => expectOk(await env.call<JobOut>('cron', 'reminders', {}, null))
const reminderOf = async (branchId: string, key: string) => (await env.db.collection('reminders').doc(scheduleReminderId(branchId, key)).get()).data
const deliveriesOf = async (branchId: string, key: string) =>
  (await env.db.collection('deliveries').where({ reminderId: scheduleReminderId(branchId, key) }).get()).data as unknown as Delivery[]
const remindersFor = async (sessionId: string) => (await env.db.collection('reminders').where({ sessionId }).get()).data
const sessionKey = (s: { _id: string; startAt: number }, offset: number) => `session:${s._id}:${s.startAt}:${offset}`

async function setSchedule(reminders: Record<string, unknown>, orgId = 'br_2') {
  const full = { sessionOffsets: {}, defaultSessionOffsets: [1440, 60], paceDay: 20, makeupDaysBefore: 2, ...reminders }
  expectOk(await env.call('org', 'updateSettings', { orgId, reminders: full }, 'm_br_1_01'))
}

describe('session reminders', () => {
  it('reminds the expected, not the checked-in or those on leave, a day and an hour ahead, once each', async () => {
    const s = await addSession(env, { startIn: 20 * HOUR, title: '主题党日：重温入党誓词' })
    await run()
    const day = await reminderOf('br_2', sessionKey(s, 1440))
    expect(day).toMatchObject({ source: 'schedule', template: 'session_tomorrow', kind: 'session_upcoming', recipientCount: BR2_ALL.length, createdBy: 'system' })
    // 10:00 Shanghai today, the session at 06:00 tomorrow: "明天".
    expect(day!.title).toBe('明天：主题党日：重温入党誓词')
    expect(day!.body).toContain('明天 06:00')
    // A rerun sends nothing again.
    const before = (await env.db.collection('deliveries').count()).total
    await run()
    expect((await env.db.collection('deliveries').count()).total).toBe(before)
    expect(await remindersFor(s._id)).toHaveLength(1)

    // 50 minutes before: the hour reminder, to those still expected and not checked in.
    env.clock.advance(19 * HOUR + 10 * MIN)
    await env.db.collection('checkins').add({ data: { _id: 'ci_cr1', sessionId: s._id, memberId: BR2.member, branchId: 'br_2' } })
    await env.db.collection('leaves').add({ data: { _id: 'lv_cr1', sessionId: s._id, memberId: 'm_br_2_06', branchId: 'br_2', status: 'approved' } })
    await run()
    const soon = await deliveriesOf('br_2', sessionKey(s, 60))
    expect(soon.map((d) => d.memberId).sort()).toEqual(BR2_ALL.filter((m) => m !== BR2.member && m !== 'm_br_2_06').sort())
    expect((await reminderOf('br_2', sessionKey(s, 60)))!.template).toBe('session_soon')
    await run()
    expect(await remindersFor(s._id)).toHaveLength(2)
    // Once it has started, nothing more.
    env.clock.advance(HOUR)
    await run()
    expect(await remindersFor(s._id)).toHaveLength(2)
  })

  it('a late run sends only the nearest reminder, never "tomorrow" and "in an hour" together', async () => {
    const s = await addSession(env, { startIn: 30 * MIN })
    const out = await run()
    expect(out.sessions).toBeGreaterThanOrEqual(1)
    expect(await reminderOf('br_2', sessionKey(s, 1440))).toBeNull()
    expect(await reminderOf('br_2', sessionKey(s, 60))).not.toBeNull()
    expect(await remindersFor(s._id)).toHaveLength(1)
  })

  it('follows the per-type offsets in settings; a type with none is not reminded', async () => {
    await setSchedule({ sessionOffsets: { theme_day: [], committee_meeting: [120] } })
    const theme = await addSession(env, { startIn: 20 * HOUR })
    const committee = await addSession(env, { startIn: 90 * MIN, audience: { kind: 'committee' } })
    await run()
    expect(await remindersFor(theme._id)).toHaveLength(0)
    const d = await deliveriesOf('br_2', sessionKey(committee, 120))
    // Only the committee: the secretary and the committee member of br_2.
    expect(d.map((x) => x.memberId).sort()).toEqual([BR2.secretary, BR2.committee].sort())
  })

  it('a moved session is announced again for its new time; a cancelled one is not', async () => {
    const s = await addSession(env, { startIn: 20 * HOUR })
    const gone = await addSession(env, { startIn: 20 * HOUR, status: 'cancelled', cancelReason: '会议室冲突' })
    await run()
    const movedTo = s.startAt + 2 * HOUR
    const shift = movedTo - s.startAt
    await env.db.collection('sessions').doc(s._id).update({
      data: { startAt: movedTo, endAt: s.endAt + shift, checkin: { opensAt: s.checkin.opensAt + shift, closesAt: s.checkin.closesAt + shift, lateAfter: s.checkin.lateAfter + shift } }
    })
    await run()
    expect(await reminderOf('br_2', sessionKey({ _id: s._id, startAt: movedTo }, 1440))).not.toBeNull()
    expect(await remindersFor(s._id)).toHaveLength(2)
    expect(await remindersFor(gone._id)).toHaveLength(0)
  })

  it('two overlapping runs deliver each reminder once', async () => {
    const s = await addSession(env, { startIn: 20 * HOUR })
    await Promise.all([run(), run(), run()])
    expect(await remindersFor(s._id)).toHaveLength(1)
    expect(await deliveriesOf('br_2', sessionKey(s, 1440))).toHaveLength(BR2_ALL.length)
  })

  it('counts toward the daily limit across sources; the hour reminder passes it', async () => {
    for (let i = 0; i < 3; i++) {
      expectOk(
        await env.call('remind', 'send', { branchId: 'br_2', audience: { kind: 'members', memberIds: [BR2.member] }, title: '通知', body: '请留意支部通知。', clientId: `cr_${i}` }, BR2.secretary)
      )
    }
    const s = await addSession(env, { startIn: 20 * HOUR })
    const urgent = await addSession(env, { startIn: 40 * MIN })
    await run()
    const day = await deliveriesOf('br_2', sessionKey(s, 1440))
    expect(day.find((d) => d.memberId === BR2.member)).toMatchObject({ wechat: { status: 'rate_limited' }, inApp: { delivered: false } })
    expect(day.find((d) => d.memberId === 'm_br_2_06')!.inApp.delivered).toBe(true)
    const hour = await deliveriesOf('br_2', sessionKey(urgent, 60))
    expect(hour.find((d) => d.memberId === BR2.member)!.inApp.delivered).toBe(true)
  })
})

describe('quiet hours', () => {
  it('holds the reminder and its WeChat message until 07:00, then sends each once', async () => {
    // 23:00 Shanghai; the session at 10:00 tomorrow.
    env.clock.set(Date.parse('2026-11-20T15:00:00Z'))
    for (const m of [BR2.member, 'm_br_2_06']) {
      expectOk(await env.call('remind', 'subscribe', { results: { session_tomorrow: 'accept' } }, m))
    }
    await env.db.collection('members').doc('m_br_2_06').update({ data: { openid: null } })
    const s = await addSession(env, { startIn: 11 * HOUR })
    await run()
    const held = await deliveriesOf('br_2', sessionKey(s, 1440))
    const seven = Date.parse('2026-11-20T23:00:00Z')
    expect(held.every((d) => d.wechat.status === 'held' && d.deliverAt === seven)).toBe(true)
    expect((await env.db.collection('wechat_outbox').count()).total).toBe(0)

    env.clock.set(seven - MIN)
    expect((await run()).held).toBe(0)
    env.clock.set(seven + 2 * MIN)
    const morning = await run()
    expect(morning.held).toBe(BR2_ALL.length)
    const after = await deliveriesOf('br_2', sessionKey(s, 1440))
    const byMember = new Map(after.map((d) => [d.memberId, d.wechat.status]))
    expect(byMember.get(BR2.member)).toBe('sent')
    // No openid: the inbox only. No subscription: recorded as such.
    expect(byMember.get('m_br_2_06')).toBe('not_attempted')
    expect(byMember.get('m_br_2_07')).toBe('no_budget')
    expect((await env.db.collection('wechat_outbox').count()).total).toBe(1)
    const budget = (await env.db.collection('subscription_budgets').doc(subscriptionBudgetId(BR2.member, 'session_tomorrow')).get()).data!
    expect(budget.remaining).toBe(0)
    // Again, and twice at once: nothing more goes out.
    await Promise.all([run(), run()])
    expect((await env.db.collection('wechat_outbox').count()).total).toBe(1)
  })
})

describe('make-up deadlines', () => {
  async function addMakeup(id: string, memberId: string, deadlineIn: number, status = 'assigned') {
    const s = await addSession(env, { startIn: -3 * DAY, title: '党课：学习党章' })
    const now = env.clock.now()
    await env.db.collection('makeups').add({
      data: { _id: id, sessionId: s._id, memberId, branchId: 'br_2', status, deadline: now + deadlineIn, assignedBy: BR2.secretary, createdAt: now, updatedAt: now, periodKeys: { year: '2026', quarter: '2026-Q4', month: '2026-11' } }
    })
    return s
  }

  it('reminds only the member whose make-up is due within the window, once per deadline', async () => {
    await addMakeup('mk_due', 'm_br_2_06', 36 * HOUR)
    await addMakeup('mk_later', 'm_br_2_07', 5 * DAY)
    await addMakeup('mk_done', 'm_br_2_08', 36 * HOUR, 'accepted')
    await run()
    const key = `makeup:mk_due:${env.clock.now() + 36 * HOUR}`
    const d = await deliveriesOf('br_2', key)
    expect(d.map((x) => x.memberId)).toEqual(['m_br_2_06'])
    const r = await reminderOf('br_2', key)
    expect(r).toMatchObject({ template: 'makeup_due', kind: 'makeup' })
    expect(r!.title).toBe('补学提醒：党课：学习党章')
    expect((await env.db.collection('reminders').where({ kind: 'makeup' }).count()).total).toBe(1)
    await run()
    expect((await env.db.collection('reminders').where({ kind: 'makeup' }).count()).total).toBe(1)
    // The deadline moved: a new reminder for the new date, when it comes close.
    await env.db.collection('makeups').doc('mk_due').update({ data: { deadline: env.clock.now() + 40 * HOUR } })
    await run()
    expect((await env.db.collection('reminders').where({ kind: 'makeup' }).count()).total).toBe(2)
  })

  it('can be switched off', async () => {
    await setSchedule({ makeupDaysBefore: null })
    await addMakeup('mk_off', 'm_br_2_06', 36 * HOUR)
    await run()
    expect((await env.db.collection('reminders').where({ kind: 'makeup' }).count()).total).toBe(0)
  })
})

describe('note pace', () => {
  async function words(memberId: string, n: number) {
    const ref = env.db.collection('aggregates').doc(aggregateId('member', memberId, '2026'))
    const { data } = await ref.get()
    if (data) await ref.update({ data: { creditedWords: n } })
    else await ref.set({ data: { creditedWords: n } })
  }

  beforeEach(async () => {
    await setSchedule({ paceDay: 20 }, 'org_demo')
  })

  it('on the pace day, after 09:00, reminds those behind once that month', async () => {
    for (const m of BR2_ALL) await words(m, 20000)
    await words('m_br_2_06', 3000)
    // 19 Nov: not yet.
    env.clock.set(Date.parse('2026-11-19T02:00:00Z'))
    await run()
    expect(await reminderOf('br_2', 'pace:2026-11')).toBeNull()
    // 20 Nov 08:00 Shanghai: not before nine.
    env.clock.set(Date.parse('2026-11-20T00:00:00Z'))
    await run()
    expect(await reminderOf('br_2', 'pace:2026-11')).toBeNull()
    env.clock.set(Date.parse('2026-11-20T02:00:00Z'))
    await run()
    expect((await deliveriesOf('br_2', 'pace:2026-11')).map((d) => d.memberId)).toEqual(['m_br_2_06'])
    // Later that day and later that month: nothing again.
    env.clock.set(Date.parse('2026-11-20T06:00:00Z'))
    await run()
    env.clock.set(Date.parse('2026-11-25T02:00:00Z'))
    await run()
    expect((await env.db.collection('reminders').where({ kind: 'note_pace', branchId: 'br_2' }).count()).total).toBe(1)
    // A run that missed the day still sends it later in the month (another branch, first run on the 25th).
    expect(await reminderOf('br_3', 'pace:2026-11')).not.toBeNull()
  })

  it('is off when the pace day is null', async () => {
    await setSchedule({ paceDay: null })
    env.clock.set(Date.parse('2026-11-21T02:00:00Z'))
    await run()
    expect(await reminderOf('br_2', 'pace:2026-11')).toBeNull()
  })
})

describe('access and input', () => {
  it('refuses a member calling cron, and bad input', async () => {
    expectFail(await env.call('cron', 'reminders', {}, BR2.secretary), 'FORBIDDEN')
    expectFail(await env.call('cron', 'reminders', { now: 'tomorrow' }, null), 'INVALID_INPUT')
    expectFail(await env.call('cron', 'reminders', { extra: 1 }, null), 'INVALID_INPUT')
  })

  it('refuses settings with offsets out of range, for non-admins too', async () => {
    const bad = { sessionOffsets: {}, defaultSessionOffsets: [5], paceDay: 20, makeupDaysBefore: 2 }
    expectFail(await env.call('org', 'updateSettings', { orgId: 'br_2', reminders: bad }, 'm_br_1_01'), 'INVALID_INPUT')
    expectFail(await env.call('org', 'updateSettings', { orgId: 'br_2', reminders: { ...bad, defaultSessionOffsets: [60], paceDay: 31 } }, 'm_br_1_01'), 'INVALID_INPUT')
    const ok = { sessionOffsets: {}, defaultSessionOffsets: [60], paceDay: 20, makeupDaysBefore: 2 }
    expectFail(await env.call('org', 'updateSettings', { orgId: 'br_2', reminders: ok }, BR2.secretary), 'FORBIDDEN')
  })
})
