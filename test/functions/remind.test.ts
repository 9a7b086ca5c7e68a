/**
 * The remind function through the local runtime on a real SQLite file:
 * audiences, preview, idempotency, WeChat budget and failures, the daily
 * limit, quiet hours, the inbox and the secretary's log.
 */
import type { Notifier } from '../../cloudfunctions/_shared/runtime'
import { aggregateId } from '../../src/core/schemas/aggregate'
import { subscriptionBudgetId } from '../../src/core/schemas/reminder'
import type { Result } from '../../src/core/errors'
import { getFunction } from '../../server/functions'
import { makeLocalRuntime } from '../../server/local-runtime'
import { expectFail, expectOk, makeTestEnv, TEST_SECRET, type TestEnv } from '../helpers/env'
import { addSession, BR2, HOUR } from './checkin.fixtures'

type Summary = { reminderId: string; recipients: number; delivered: number; held: number; rateLimited: number; wechatSent: number; wechatFailed: number; noBudget: number; duplicate: boolean }
type Preview = { count: number; recipients: { memberId: string; name: string }[] }
type InboxItem = { _id: string; reminderId: string; title: string; body: string; deliverAt: number; inApp: { readAt?: number } }
type Inbox = { items: InboxItem[]; unread: number }
type LogRow = { memberId: string; inApp: string; wechat: string; detail?: string }

let env: TestEnv
let n = 0
const BR2_ALL = [BR2.secretary, BR2.committee, 'm_br_2_03', 'm_br_2_04', BR2.member, ...BR2.others]

beforeEach(async () => {
  env = await makeTestEnv()
})
afterEach(() => env.close())

function input(over: Record<string, unknown> = {}): Record<string, unknown> {
  return { branchId: 'br_2', audience: { kind: 'members', memberIds: [BR2.member] }, title: '学习提醒', body: '本周五下午集中学习，请按时参加。', clientId: `c_${++n}`, ...over }
}
const send = (over: Record<string, unknown> = {}, as: string = BR2.secretary) => env.call<Summary>('remind', 'send', input(over), as)
const preview = async (audience: Record<string, unknown>, over: Record<string, unknown> = {}) =>
  expectOk(await env.call<Preview>('remind', 'send', input({ audience, preview: true, ...over }), BR2.secretary))
const ids = (p: Preview) => p.recipients.map((r) => r.memberId).sort()
const inbox = async (as: string) => expectOk(await env.call<Inbox>('remind', 'inbox', {}, as))
const count = async (coll: string) => (await env.db.collection(coll).count()).total

async function setWords(memberId: string, words: number) {
  const ref = env.db.collection('aggregates').doc(aggregateId('member', memberId, '2026'))
  const { data } = await ref.get()
  if (data) await ref.update({ data: { creditedWords: words } })
  else await ref.set({ data: { creditedWords: words } })
}

async function accept(as: string, template: string, times = 1) {
  for (let i = 0; i < times; i++) expectOk(await env.call('remind', 'subscribe', { results: { [template]: 'accept' } }, as))
}

async function logOf(reminderId: string): Promise<LogRow[]> {
  return expectOk(await env.call<{ rows: LogRow[] }>('remind', 'log', { reminderId }, BR2.secretary)).rows
}

/** Calls remind with a notifier of the test's choosing. */
async function callWith(notifier: Notifier, action: string, payload: Record<string, unknown>, as: string): Promise<Result<Summary>> {
  const rt = makeLocalRuntime({ db: env.db, secret: TEST_SECRET, production: false, clock: env.clock, notifier, log: () => undefined }, { openid: `dev_${as}`, source: 'local-token' })
  return (await getFunction('remind')!(rt, { action, ...payload })) as Result<Summary>
}

describe('audiences', () => {
  it('branch reaches every confirmed, active member of the branch only', async () => {
    expect(ids(await preview({ kind: 'branch' }))).toEqual([...BR2_ALL].sort())
  })

  it('members drops ids from another branch', async () => {
    expect(ids(await preview({ kind: 'members', memberIds: [BR2.member, 'm_br_3_05'] }))).toEqual([BR2.member])
  })

  it('not_checked_in excludes the checked-in and those on approved leave, not a pending leave', async () => {
    const s = await addSession(env)
    await env.db.collection('checkins').add({ data: { _id: 'ci_t1', sessionId: s._id, memberId: BR2.member, branchId: 'br_2' } })
    await env.db.collection('leaves').add({ data: { _id: 'lv_t1', sessionId: s._id, memberId: 'm_br_2_06', branchId: 'br_2', status: 'approved' } })
    await env.db.collection('leaves').add({ data: { _id: 'lv_t2', sessionId: s._id, memberId: 'm_br_2_07', branchId: 'br_2', status: 'pending' } })
    const got = ids(await preview({ kind: 'not_checked_in', sessionId: s._id }))
    expect(got).toEqual(BR2_ALL.filter((m) => m !== BR2.member && m !== 'm_br_2_06').sort())
  })

  it('makeup_pending takes assigned and returned make-ups, not submitted or accepted', async () => {
    const s = await addSession(env, { startIn: -48 * HOUR })
    const statuses = { m_br_2_06: 'assigned', m_br_2_07: 'returned', m_br_2_08: 'submitted', m_br_2_09: 'accepted' }
    for (const [memberId, status] of Object.entries(statuses)) {
      await env.db.collection('makeups').add({ data: { _id: `mk_${memberId}`, sessionId: s._id, memberId, branchId: 'br_2', status, deadline: env.clock.now() + 48 * HOUR } })
    }
    expect(ids(await preview({ kind: 'makeup_pending' }))).toEqual(['m_br_2_06', 'm_br_2_07'])
    expect(ids(await preview({ kind: 'makeup_pending', sessionId: s._id }))).toEqual(['m_br_2_06', 'm_br_2_07'])
  })

  it('behind_pace takes the behind and far behind, never the exempt', async () => {
    for (const m of BR2_ALL) await setWords(m, 20000)
    await setWords('m_br_2_06', 5000)
    await setWords('m_br_2_07', 500)
    await setWords('m_br_2_08', 0)
    await env.db.collection('members').doc('m_br_2_08').update({ data: { exempt: env.db.command.set({ reason: 'long_illness', since: env.clock.now() }) } })
    expect(ids(await preview({ kind: 'behind_pace' }))).toEqual(['m_br_2_06', 'm_br_2_07'])
  })

  it('warned matches the warnings the secretary sees', async () => {
    const w = expectOk(await env.call<{ warnings: { memberId: string; level: string | null }[] }>('stats', 'warnings', { branchId: 'br_2' }, BR2.secretary))
    const leveled = w.warnings.filter((x) => x.level).map((x) => x.memberId).sort()
    expect(ids(await preview({ kind: 'warned' }))).toEqual(leveled)
    const red = w.warnings.filter((x) => x.level === 'red').map((x) => x.memberId).sort()
    expect(ids(await preview({ kind: 'warned', level: 'red' }))).toEqual(red)
  })
})

describe('send', () => {
  it('preview writes nothing', async () => {
    const before = await Promise.all(['reminders', 'deliveries', 'audit', 'wechat_outbox'].map(count))
    const p = await preview({ kind: 'branch' }, { template: 'session_tomorrow' })
    expect(p.count).toBe(BR2_ALL.length)
    expect(await Promise.all(['reminders', 'deliveries', 'audit', 'wechat_outbox'].map(count))).toEqual(before)
  })

  it('writes the reminder, one delivery per recipient and an audit entry; a resend is a no-op', async () => {
    const first = expectOk(await send({ audience: { kind: 'branch' }, clientId: 'same-1' }))
    expect(first).toMatchObject({ recipients: BR2_ALL.length, delivered: BR2_ALL.length, duplicate: false, wechatSent: 0 })
    const again = expectOk(await send({ audience: { kind: 'branch' }, clientId: 'same-1' }))
    expect(again).toEqual({ ...first, duplicate: true })
    expect(await count('reminders')).toBe(1)
    expect(await count('deliveries')).toBe(BR2_ALL.length)
    const audits = await env.db.collection('audit').where({ action: 'remind.send' }).get()
    expect(audits.data).toHaveLength(1)
    expect(audits.data[0].detail).toMatchObject({ count: BR2_ALL.length, audience: 'branch' })
    const rem = (await env.db.collection('reminders').doc(first.reminderId).get()).data!
    expect(rem).toMatchObject({ kind: 'custom', createdBy: BR2.secretary, recipientCount: BR2_ALL.length })
  })

  it('refuses bad input with kind messages', async () => {
    expectFail(await send({ title: '' }), 'INVALID_INPUT')
    expectFail(await send({ body: '   ' }), 'INVALID_INPUT')
    expectFail(await send({ body: '字'.repeat(501) }), 'INVALID_INPUT')
    expectFail(await send({ title: '题'.repeat(61) }), 'INVALID_INPUT')
    expectFail(await send({ branchId: 42 }), 'INVALID_INPUT')
    expectFail(await send({ preview: 'yes' }), 'INVALID_INPUT')
    expectFail(await send({ audience: { kind: 'everyone' } }), 'INVALID_INPUT')
    expectFail(await send({ audience: { kind: 'not_checked_in' } }), 'INVALID_INPUT')
    expectFail(await send({ template: 'nope' }), 'INVALID_INPUT')
    expectFail(await send({ extra: 1 }), 'INVALID_INPUT')
    expect(await count('reminders')).toBe(0)
  })

  it('keeps to the officer’s own branch', async () => {
    const e = expectFail(await send({ branchId: 'br_3', audience: { kind: 'branch' } }), 'FORBIDDEN')
    expect(e.message).toMatch(/书记/)
    const other = await addSession(env, { branchId: 'br_3' })
    expectFail(await send({ audience: { kind: 'not_checked_in', sessionId: other._id } }), 'NOT_FOUND')
    expectFail(await send({ sessionId: other._id }), 'NOT_FOUND')
    expectFail(await send({ audience: { kind: 'members', memberIds: ['m_br_3_05'] } }), 'INVALID_INPUT')
    expectFail(await send({}, BR2.member), 'FORBIDDEN')
    expect(await count('reminders')).toBe(0)
  })
})

describe('WeChat budget', () => {
  it('spends one subscription per message and never goes below zero', async () => {
    await accept(BR2.member, 'notes_behind', 2)
    const results = []
    for (let i = 0; i < 3; i++) results.push(expectOk(await send({ template: 'notes_behind' })))
    expect(results.map((r) => [r.wechatSent, r.noBudget])).toEqual([[1, 0], [1, 0], [0, 1]])
    const doc = (await env.db.collection('subscription_budgets').doc(subscriptionBudgetId(BR2.member, 'notes_behind')).get()).data!
    expect(doc.remaining).toBe(0)
    expect(await count('wechat_outbox')).toBe(2)
    // The local notifier's 'logged' is recorded as sent to the local outbox.
    const rows = await logOf(results[0].reminderId)
    expect(rows[0]).toMatchObject({ wechat: 'sent', detail: expect.stringContaining('本地') })
    expect((await logOf(results[2].reminderId))[0].wechat).toBe('no_budget')
    // All three are in the inbox whatever WeChat did.
    expect((await inbox(BR2.member)).items).toHaveLength(3)
  })

  it('subscribe: accept adds one, other answers change nothing; budget shows own and, to officers, the branch', async () => {
    await accept(BR2.member, 'session_soon', 2)
    const r = expectOk(await env.call<{ templates: Record<string, number> }>('remind', 'subscribe', { results: { session_soon: 'reject', makeup_due: 'ban' } }, BR2.member))
    expect(r.templates).toEqual({ session_soon: 2, makeup_due: 0 })
    const doc = (await env.db.collection('subscription_budgets').doc(subscriptionBudgetId(BR2.member, 'session_soon')).get()).data!
    expect(doc.lastAnswer).toBe('reject')
    const own = expectOk(await env.call<{ rows: { memberId: string; templates: Record<string, number> }[] }>('remind', 'budget', {}, BR2.member))
    expect(own.rows).toEqual([expect.objectContaining({ memberId: BR2.member, templates: { session_tomorrow: 0, session_soon: 2, notes_behind: 0, makeup_due: 0, outcome: 0 } })])
    const branch = expectOk(await env.call<{ rows: { memberId: string; templates: Record<string, number> }[] }>('remind', 'budget', { branchId: 'br_2' }, BR2.secretary))
    expect(branch.rows).toHaveLength(BR2_ALL.length)
    expect(branch.rows.find((x) => x.memberId === BR2.member)!.templates.session_soon).toBe(2)
    expectFail(await env.call('remind', 'budget', { branchId: 'br_2' }, BR2.member), 'FORBIDDEN')
    expectFail(await env.call('remind', 'subscribe', { results: {} }, BR2.member), 'INVALID_INPUT')
  })

  it('records a WeChat refusal and the inbox still has the message', async () => {
    await accept(BR2.member, 'session_tomorrow')
    const refusing: Notifier = { sendSubscribeMessage: async () => ({ status: 'failed', errCode: 43101, errMsg: 'user refuse to accept the msg' }) }
    const out = expectOk(await callWith(refusing, 'send', input({ template: 'session_tomorrow' }), BR2.secretary))
    expect(out).toMatchObject({ delivered: 1, wechatFailed: 1, wechatSent: 0 })
    expect((await inbox(BR2.member)).items[0]).toMatchObject({ title: '学习提醒', body: '本周五下午集中学习，请按时参加。' })
    expect((await logOf(out.reminderId))[0]).toMatchObject({ wechat: 'failed', inApp: 'delivered', detail: '43101 user refuse to accept the msg' })
  })

  it('a member without an openid gets the inbox only', async () => {
    await accept(BR2.member, 'notes_behind')
    await env.db.collection('members').doc('m_br_2_06').update({ data: { openid: null } })
    const out = expectOk(await send({ template: 'notes_behind', audience: { kind: 'members', memberIds: [BR2.member, 'm_br_2_06'] } }))
    expect(out).toMatchObject({ delivered: 2, wechatSent: 1 })
    const rows = await logOf(out.reminderId)
    expect(rows.find((r) => r.memberId === 'm_br_2_06')!.wechat).toBe('not_attempted')
  })
})

describe('limits', () => {
  it('the 4th reminder of a day is rate limited; a session_soon one still goes', async () => {
    for (let i = 0; i < 3; i++) expect(expectOk(await send()).delivered).toBe(1)
    const fourth = expectOk(await send())
    expect(fourth).toMatchObject({ delivered: 0, rateLimited: 1 })
    expect((await logOf(fourth.reminderId))[0]).toMatchObject({ wechat: 'rate_limited', inApp: 'none' })
    expect((await inbox(BR2.member)).items).toHaveLength(3)
    const soon = expectOk(await send({ template: 'session_soon' }))
    expect(soon).toMatchObject({ delivered: 1, rateLimited: 0 })
    expect((await inbox(BR2.member)).items).toHaveLength(4)
    // A new Shanghai day starts the count again.
    env.clock.advance(24 * HOUR)
    expect(expectOk(await send()).delivered).toBe(1)
  })

  it('a send at 23:00 Shanghai is held until 07:00 and only then shows in the inbox', async () => {
    env.clock.set(Date.parse('2026-11-20T15:00:00Z'))
    const out = expectOk(await send())
    expect(out).toMatchObject({ held: 1, delivered: 0 })
    expect((await inbox(BR2.member)).items).toHaveLength(0)
    expect((await logOf(out.reminderId))[0]).toMatchObject({ inApp: 'held', wechat: 'held' })
    env.clock.set(Date.parse('2026-11-20T22:59:00Z'))
    expect((await inbox(BR2.member)).items).toHaveLength(0)
    env.clock.set(Date.parse('2026-11-20T23:00:00Z'))
    const box = await inbox(BR2.member)
    expect(box.items).toHaveLength(1)
    expect(box.items[0].deliverAt).toBe(Date.parse('2026-11-20T23:00:00Z'))
    expect(box.unread).toBe(1)
  })
})

describe('inbox and log', () => {
  it('is the caller’s own, newest first, with an unread count; markRead touches only own deliveries', async () => {
    const a = expectOk(await send({ title: '第一条' }))
    env.clock.advance(60_000)
    expectOk(await send({ title: '第二条', audience: { kind: 'members', memberIds: [BR2.member, 'm_br_2_06'] } }))
    const mine = await inbox(BR2.member)
    expect(mine.items.map((i) => i.title)).toEqual(['第二条', '第一条'])
    expect(mine.unread).toBe(2)
    const theirs = await inbox('m_br_2_06')
    expect(theirs.items.map((i) => i.title)).toEqual(['第二条'])

    // Someone else's delivery id: ignored, nothing revealed.
    const r = expectOk(await env.call<{ updated: number }>('remind', 'markRead', { deliveryIds: [theirs.items[0]._id] }, BR2.member))
    expect(r.updated).toBe(0)
    expect((await inbox('m_br_2_06')).unread).toBe(1)

    expectOk(await env.call('remind', 'markRead', { deliveryIds: [mine.items[1]._id] }, BR2.member))
    expect((await inbox(BR2.member)).unread).toBe(1)
    expect((await logOf(a.reminderId))[0].inApp).toBe('read')
    expectOk(await env.call('remind', 'markRead', { all: true }, BR2.member))
    expect((await inbox(BR2.member)).unread).toBe(0)
    expect((await inbox('m_br_2_06')).unread).toBe(1)
    expectFail(await env.call('remind', 'markRead', { all: true, deliveryIds: ['x'] }, BR2.member), 'INVALID_INPUT')
  })

  it('sent lists the branch’s reminders newest first; log is for the branch’s officers only', async () => {
    const a = expectOk(await send({ title: '早' }))
    env.clock.advance(60_000)
    const b = expectOk(await send({ title: '晚' }))
    const sent = expectOk(await env.call<{ reminders: { _id: string }[] }>('remind', 'sent', { branchId: 'br_2' }, BR2.committee))
    expect(sent.reminders.map((r) => r._id)).toEqual([b.reminderId, a.reminderId])
    expectFail(await env.call('remind', 'sent', { branchId: 'br_2' }, BR2.member), 'FORBIDDEN')
    expectFail(await env.call('remind', 'log', { reminderId: a.reminderId }, 'm_br_3_01'), 'FORBIDDEN')
    expectFail(await env.call('remind', 'log', { reminderId: 'rm_missing' }, BR2.secretary), 'FORBIDDEN')
  })
})
