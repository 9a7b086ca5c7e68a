/**
 * Everyone hears what happened: each decision (leave, note review, make-up
 * assigned or reviewed, join confirmed) puts exactly one message in the
 * member's 消息, a retried decision none more; the WeChat copy follows the
 * reminders' daily limit and quiet hours while the inbox entry shows at once;
 * a failed message never undoes the decision. Fixed clock throughout.
 */
import type { Database } from '../../cloudfunctions/_shared/db'
import { expectFail, expectOk, makeTestEnv, type TestEnv } from '../helpers/env'
import { BR2, HOUR, addSession } from './checkin.fixtures'

const DAY = 24 * HOUR
/** 10:00 in Shanghai: outside quiet hours. */
const T0 = Date.parse('2026-11-20T02:00:00Z')
/** 23:30 in Shanghai: quiet hours. */
const LATE = Date.parse('2026-11-20T15:30:00Z')
/** 07:00 in Shanghai the next morning. */
const MORNING = Date.parse('2026-11-20T23:00:00Z')

type Item = { _id: string; title: string; body: string; kind: string; sessionId?: string; noteId?: string; wechat: { status: string }; inApp: { readAt?: number } }
type Inbox = { items: Item[]; unread: number }

let env: TestEnv
beforeEach(async () => {
  env = await makeTestEnv()
  env.clock.set(T0)
})
afterEach(() => env.close())

const inbox = async (as: string | { openid: string; source: 'wechat' }) => expectOk(await env.call<Inbox>('remind', 'inbox', {}, as))
const outbox = async () => (await env.db.collection('wechat_outbox').count()).total

async function leaveFor(member: string) {
  const s = await addSession(env, { startIn: DAY, title: '十二月主题党日' })
  expectOk(await env.call('checkin', 'requestLeave', { sessionId: s._id, reason: '出差' }, member))
  return s
}

describe('leave', () => {
  it('approved: one message with the note, a retried decision adds none, a change of mind tells again', async () => {
    const s = await leaveFor(BR2.member)
    const decide = (approve: boolean, note?: string) =>
      env.call('checkin', 'decideLeave', { sessionId: s._id, memberId: BR2.member, approve, ...(note ? { note } : {}) }, BR2.secretary)
    expectOk(await decide(true, '路上注意安全'))
    let box = await inbox(BR2.member)
    expect(box.items).toHaveLength(1)
    expect(box.items[0]).toMatchObject({ title: '请假已批准', kind: 'leave_decided', sessionId: s._id })
    expect(box.items[0].body).toContain('「十二月主题党日」')
    expect(box.items[0].body).toContain('路上注意安全')
    expect(box.unread).toBe(1)

    // A retry (a doubled tap, a lost answer) is the same decision: nothing more.
    env.clock.advance(60_000)
    expectOk(await decide(true, '路上注意安全'))
    expect((await inbox(BR2.member)).items).toHaveLength(1)

    expectOk(await decide(false, '这次是换届选举，请尽量参加'))
    box = await inbox(BR2.member)
    expect(box.items).toHaveLength(2)
    expect(box.items[0].title).toBe('请假没有批准')
    expect(box.items[0].body).toContain('原因：这次是换届选举，请尽量参加')
  })

  it('reaches only that member: another member neither sees it nor can mark it read', async () => {
    const s = await leaveFor(BR2.member)
    expectOk(await env.call('checkin', 'decideLeave', { sessionId: s._id, memberId: BR2.member, approve: true }, BR2.secretary))
    const mine = (await inbox(BR2.member)).items[0]
    const other = BR2.others[0]
    expect((await inbox(other)).items.find((d) => d._id === mine._id)).toBeUndefined()
    const marked = expectOk(await env.call<{ updated: number }>('remind', 'markRead', { deliveryIds: [mine._id] }, other))
    expect(marked.updated).toBe(0)
    expect((await inbox(BR2.member)).unread).toBe(1)
  })
})

describe('note review', () => {
  it('returned carries the comment and links the note; passed tells again; a repeat none more', async () => {
    const saved = expectOk(
      await env.call<{ note: { _id: string } }>('note', 'save', { kind: 'note', title: '学习党章体会', content: '认真学习党章，对照检查自己的不足，明确今后努力的方向。'.repeat(3) }, BR2.member)
    )
    const review = (status: string, comment?: string) =>
      env.call('note', 'review', { noteId: saved.note._id, status, ...(comment ? { comment } : {}) }, BR2.secretary)
    expectOk(await review('returned', '请结合本职工作谈谈体会'))
    expectOk(await review('returned', '请结合本职工作谈谈体会'))
    let box = await inbox(BR2.member)
    expect(box.items).toHaveLength(1)
    expect(box.items[0]).toMatchObject({ title: '笔记退回修改', kind: 'review', noteId: saved.note._id })
    expect(box.items[0].body).toBe('「学习党章体会」退回修改，书记的意见：请结合本职工作谈谈体会。改好后再保存一次就好。')

    env.clock.advance(HOUR)
    expectOk(await review('passed'))
    box = await inbox(BR2.member)
    expect(box.items.map((d) => d.title)).toEqual(['笔记已审阅通过', '笔记退回修改'])
  })
})

describe('make-up', () => {
  it('assigned with its deadline, then returned with the note, then accepted', async () => {
    const s = await addSession(env, { startIn: -DAY, title: '十一月主题党日' })
    const who = BR2.others[1]
    const deadline = Date.parse('2026-11-27T10:00:00Z') // 18:00 in Shanghai
    const assign = () => env.call('checkin', 'assignMakeUp', { sessionId: s._id, memberIds: [who], deadline }, BR2.secretary)
    expectOk(await assign())
    expectOk(await assign())
    let box = await inbox(who)
    expect(box.items).toHaveLength(1)
    expect(box.items[0]).toMatchObject({ title: '请完成补学', kind: 'makeup', sessionId: s._id })
    expect(box.items[0].body).toContain('11月27日 18:00前')

    env.clock.advance(HOUR)
    expectOk(await env.call('checkin', 'makeUp', { sessionId: s._id, content: '补学后我重读了支部书记讲的党课提纲，对照自己在窗口服务中的不足，决心每周抽出两个晚上系统学习，把群众反映的难题记下来逐条解决。' }, who))
    expectOk(await env.call('checkin', 'reviewMakeUp', { sessionId: s._id, memberId: who, accept: false, note: '请再谈谈打算' }, BR2.secretary))
    box = await inbox(who)
    expect(box.items).toHaveLength(2)
    expect(box.items[0].title).toBe('补学退回修改')
    expect(box.items[0].body).toContain('书记的意见：请再谈谈打算')
  })
})

describe('join', () => {
  it('a confirmed newcomer is welcomed in 消息; a declined one hears nothing (there is no member left)', async () => {
    const wx = { openid: 'wx-new-1', source: 'wechat' as const }
    expectOk(await env.call('auth', 'joinBranch', { inviteCode: 'DEMO0002', name: '新同志' }, wx))
    const pending = expectOk(await env.call<{ members: { _id: string }[] }>('org', 'pending', { branchId: 'br_2' }, BR2.secretary)).members
    expectOk(await env.call('org', 'confirmMember', { memberId: pending[0]._id, accept: true }, BR2.secretary))
    const box = await inbox(wx)
    expect(box.items).toHaveLength(1)
    expect(box.items[0].title).toBe('已加入支部')
  })
})

describe('WeChat copy', () => {
  async function subscribe(member: string) {
    expectOk(await env.call('remind', 'subscribe', { results: { outcome: 'accept' } }, member))
  }

  it('goes out on the outcome template when the member has a subscription left, spending it', async () => {
    await subscribe(BR2.member)
    const s = await leaveFor(BR2.member)
    expectOk(await env.call('checkin', 'decideLeave', { sessionId: s._id, memberId: BR2.member, approve: true }, BR2.secretary))
    expect((await inbox(BR2.member)).items[0].wechat.status).toBe('sent')
    const sent = (await env.db.collection('wechat_outbox').get()).data
    expect(sent).toHaveLength(1)
    expect(JSON.stringify(sent[0])).toContain('请假已批准')
    const left = expectOk(await env.call<{ rows: { templates: Record<string, number> }[] }>('remind', 'budget', {}, BR2.member))
    expect(left.rows[0].templates.outcome).toBe(0)
  })

  it('quiet hours hold the push till 07:00 but not the inbox entry', async () => {
    await subscribe(BR2.member)
    const s = await leaveFor(BR2.member)
    env.clock.set(LATE)
    expectOk(await env.call('checkin', 'decideLeave', { sessionId: s._id, memberId: BR2.member, approve: true }, BR2.secretary))
    const box = await inbox(BR2.member)
    expect(box.items).toHaveLength(1)
    expect(box.items[0].wechat.status).toBe('not_attempted')
    expect(await outbox()).toBe(0)
    const held = (await env.db.collection('deliveries').where({ memberId: BR2.member, 'wechat.status': 'held' }).get()).data
    expect(held).toHaveLength(1)
    expect(held[0]).toMatchObject({ deliverAt: MORNING, inApp: { delivered: false }, held: { template: 'outcome' } })
    // The companion never shows in 消息, in the morning either.
    env.clock.set(MORNING + HOUR)
    expect((await inbox(BR2.member)).items).toHaveLength(1)
  })

  it('past the daily limit: the inbox has it, WeChat is not asked', async () => {
    await subscribe(BR2.member)
    for (let i = 0; i < 3; i++) {
      expectOk(await env.call('remind', 'send', { branchId: 'br_2', audience: { kind: 'members', memberIds: [BR2.member] }, title: `提醒${i}`, body: '请按时参加。', clientId: `c${i}` }, BR2.secretary))
    }
    const s = await leaveFor(BR2.member)
    expectOk(await env.call('checkin', 'decideLeave', { sessionId: s._id, memberId: BR2.member, approve: true }, BR2.secretary))
    const box = await inbox(BR2.member)
    expect(box.items.filter((d) => d.title === '请假已批准')).toEqual([expect.objectContaining({ wechat: { status: 'rate_limited' } })])
    expect(await outbox()).toBe(0)
  })
})

describe('a message that cannot be written', () => {
  it('does not undo the decision', async () => {
    const failing = await makeTestEnv({
      wrapDb: (db: Database) =>
        new Proxy(db, {
          get(target, prop) {
            if (prop !== 'collection') {
              const v = Reflect.get(target, prop)
              return typeof v === 'function' ? v.bind(target) : v
            }
            return (name: string) => {
              const coll = target.collection(name)
              if (name !== 'deliveries') return coll
              return new Proxy(coll, {
                get(c, p) {
                  if (p === 'add') return () => Promise.reject(new Error('disk full'))
                  const v = Reflect.get(c, p)
                  return typeof v === 'function' ? v.bind(c) : v
                }
              })
            }
          }
        })
    })
    try {
      failing.clock.set(T0)
      const s = await addSession(failing, { startIn: DAY })
      expectOk(await failing.call('checkin', 'requestLeave', { sessionId: s._id, reason: '出差' }, BR2.member))
      const out = expectOk(await failing.call<{ leave: { status: string } }>('checkin', 'decideLeave', { sessionId: s._id, memberId: BR2.member, approve: true }, BR2.secretary))
      expect(out.leave.status).toBe('approved')
      expect((await failing.db.collection('deliveries').count()).total).toBe(0)
    } finally {
      failing.close()
    }
  })

  it('bad input to a decision is still refused before anything is told', async () => {
    expectFail(await env.call('checkin', 'decideLeave', { sessionId: 's_none', memberId: BR2.member, approve: 'yes' }, BR2.secretary), 'INVALID_INPUT')
    expect((await env.db.collection('deliveries').count()).total).toBe(0)
  })
})
