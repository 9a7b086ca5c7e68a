/**
 * 意见建议: a member writes to the 党委's admins; "不让支部看到我是谁" hides
 * the name (and any id leading to it) from the branch's officers but not
 * from the admins; another 党委's admins see nothing; the answer reaches the
 * member's 消息; bad input is refused. Fixed clock.
 */
import { DEMO_PEOPLE } from '../../server/seed/people'
import { expectFail, expectOk, makeTestEnv, type TestEnv } from '../helpers/env'
import { BR2 } from './checkin.fixtures'

const T0 = Date.parse('2026-11-20T02:00:00Z')
const ADMIN = DEMO_PEOPLE.admin
const OTHER_ADMIN = 'm_other_admin'

type View = { _id: string; text: string; name: string; memberId?: string; anonymous: boolean; reply?: { text: string } }
type List = { items: View[]; canReply: boolean }

let env: TestEnv
let n = 0
beforeEach(async () => {
  env = await makeTestEnv()
  env.clock.set(T0)
  // An admin of another 党委 (a copy of a member, with only that role).
  const { data } = await env.db.collection('members').doc('m_br_3_05').get()
  const { _id, ...rest } = data as Record<string, unknown>
  await env.db.collection('orgs').add({ data: { _id: 'org_other', type: 'committee', name: '另一个党委', parentId: null, path: ['org_other'] } })
  await env.db.collection('members').add({ data: { ...rest, _id: OTHER_ADMIN, openid: `dev_${OTHER_ADMIN}`, roles: [{ role: 'admin', orgId: 'org_other' }] } })
})
afterEach(() => env.close())

const send = (input: Record<string, unknown>, as: string = BR2.member) => env.call<{ feedback: { _id: string }; duplicate: boolean }>('remind', 'feedback', { clientId: `f${++n}`, ...input }, as)
const list = async (as: string, input: Record<string, unknown> = {}) => expectOk(await env.call<List>('remind', 'feedbackList', input, as))

describe('feedback', () => {
  it('is sent once per form, and the member sees their own', async () => {
    const first = expectOk(await env.call<{ feedback: { _id: string }; duplicate: boolean }>('remind', 'feedback', { text: '签到码太小，后排看不清', clientId: 'same' }, BR2.member))
    const again = expectOk(await env.call<{ feedback: { _id: string }; duplicate: boolean }>('remind', 'feedback', { text: '签到码太小，后排看不清', clientId: 'same' }, BR2.member))
    expect(again).toMatchObject({ duplicate: true, feedback: { _id: first.feedback._id } })
    const mine = expectOk(await env.call<{ items: View[] }>('remind', 'feedbackMine', {}, BR2.member)).items
    expect(mine.map((f) => f.text)).toEqual(['签到码太小，后排看不清'])
    expect((await env.call<{ items: View[] }>('remind', 'feedbackMine', {}, BR2.others[0])).ok && (await env.call<{ items: View[] }>('remind', 'feedbackMine', {}, BR2.others[0]))).toMatchObject({ data: { items: [] } })
  })

  it('anonymous to the branch’s officers, named to the 党委’s admins', async () => {
    expectOk(await send({ text: '希望学习时间别安排在周末', anonymous: true }))
    expectOk(await send({ text: '笔记字数统计很清楚' }, BR2.others[0]))
    const officer = await list(BR2.secretary, { branchId: 'br_2' })
    expect(officer.canReply).toBe(false)
    const hidden = officer.items.find((f) => f.text === '希望学习时间别安排在周末')!
    expect(hidden.name).toBe('匿名')
    expect(hidden.memberId).toBeUndefined()
    // Nothing in what the officer receives leads to the writer.
    const json = JSON.stringify(officer)
    const name = String((await env.db.collection('members').doc(BR2.member).get()).data!.name)
    expect(json).not.toContain(BR2.member)
    expect(json).not.toContain(name)
    // A named one shows its writer.
    expect(officer.items.find((f) => f.text === '笔记字数统计很清楚')).toMatchObject({ memberId: BR2.others[0] })

    const admin = await list(ADMIN)
    expect(admin.canReply).toBe(true)
    expect(admin.items.find((f) => f.text === '希望学习时间别安排在周末')).toMatchObject({ memberId: BR2.member, name, anonymous: true })
  })

  it('an ordinary member and another branch’s officer cannot list; another 党委’s admins see nothing and cannot reply', async () => {
    const sent = expectOk(await send({ text: '活动通知能否提前一天' }))
    expectFail(await env.call('remind', 'feedbackList', {}, BR2.others[0]), 'FORBIDDEN')
    expectFail(await env.call('remind', 'feedbackList', { branchId: 'br_2' }, BR2.others[0]), 'FORBIDDEN')
    expectFail(await env.call('remind', 'feedbackList', { branchId: 'br_2' }, 'm_br_3_01'), 'FORBIDDEN')
    expect((await list(OTHER_ADMIN)).items).toEqual([])
    expectFail(await env.call('remind', 'feedbackList', { branchId: 'br_2' }, OTHER_ADMIN), 'FORBIDDEN')
    expectFail(await env.call('remind', 'feedbackReply', { feedbackId: sent.feedback._id, text: '收到' }, OTHER_ADMIN), 'FORBIDDEN')
    expectFail(await env.call('remind', 'feedbackReply', { feedbackId: sent.feedback._id, text: '收到' }, BR2.secretary), 'FORBIDDEN')
  })

  it('the admin’s reply reaches the member’s 消息, once', async () => {
    const sent = expectOk(await send({ text: '签到码太小，后排看不清', anonymous: true }))
    const reply = () => env.call('remind', 'feedbackReply', { feedbackId: sent.feedback._id, text: '已经改成大字的六位数字码，谢谢您' }, ADMIN)
    expectOk(await reply())
    expectOk(await reply())
    const box = expectOk(await env.call<{ items: { title: string; body: string; kind: string }[]; unread: number }>('remind', 'inbox', {}, BR2.member))
    expect(box.items).toHaveLength(1)
    expect(box.items[0]).toMatchObject({ title: '您的意见建议有回复了', kind: 'feedback' })
    expect(box.items[0].body).toBe('您提的意见建议：「签到码太小，后排看不清」\n回复：已经改成大字的六位数字码，谢谢您')
    expect((await list(ADMIN)).items[0].reply?.text).toBe('已经改成大字的六位数字码，谢谢您')
  })

  it('refuses bad input', async () => {
    for (const bad of [{ text: '' }, { text: '   ' }, { text: '意'.repeat(501) }, { text: 42 }, { text: '好', anonymous: 'yes' }, { text: '好', clientId: 'bad id!' }, { text: '好', extra: 1 }]) {
      expectFail(await send(bad), 'INVALID_INPUT')
    }
    expectOk(await send({ text: '意'.repeat(500) }))
    expectFail(await env.call('remind', 'feedbackReply', { feedbackId: 'fb:x', text: '' }, ADMIN), 'INVALID_INPUT')
    expectFail(await env.call('remind', 'feedbackReply', { feedbackId: 'fb:x', text: '收到' }, ADMIN), 'FORBIDDEN')
    expectFail(await env.call('remind', 'feedbackList', { limit: 'all' }, ADMIN), 'INVALID_INPUT')
    expect((await env.db.collection('feedback').count()).total).toBe(1)
  })
})
