/**
 * Members hear about 民主评议 in 消息 without being nagged: once when the
 * review opens (not the officer who opened it), once each time the committee
 * records or changes their own outcome (not for a row saved again as it
 * was). No message says the grade or anything of who graded whom. And the
 * notices keep review.open within its call budget for a branch of 100.
 */
import { DEMO_PEOPLE } from '../../server/seed/people'
import { GRADE_LABELS, GRADES } from '../../src/core/vocab/review'
import { expectFail, expectOk, makeTestEnv, type TestEnv } from '../helpers/env'
import { addBranch, countedEnv } from './call-budget.fixtures'

const T0 = Date.parse('2027-01-15T02:00:00Z')
const B1 = ['m_br_1_01', 'm_br_1_02', 'm_br_1_03', 'm_br_1_04', 'm_br_1_05']
const [ADMIN, SEC, M3, M4, M5] = B1
const RID = 'rv:br_1:2026'
const REASON = '全年三次无故缺席组织生活'

let env: TestEnv
beforeEach(async () => {
  env = await makeTestEnv()
  env.clock.set(T0)
})
afterEach(() => env.close())

type Item = { _id: string; title: string; body: string; kind: string; reviewId?: string; sessionId?: string; noteId?: string; memberId: string }
type Inbox = { items: Item[]; unread: number }

const inbox = async (as: string) => expectOk(await env.call<Inbox>('remind', 'inbox', {}, as)).items.filter((d) => d.kind === 'democratic_review')
const open = (as = SEC) => env.call<{ reviewId: string; members: number }>('review', 'open', { branchId: 'br_1', year: 2026 }, as)
const decide = (outcomes: Record<string, unknown>, as = SEC) => env.call<{ decided: number; of: number }>('review', 'decide', { reviewId: RID, outcomes }, as)
const entries = async () => (await env.db.collection('deliveries').where({ kind: 'democratic_review' }).count()).total

describe('review.open tells the members', () => {
  it('each member reviewed but the opener has one entry linking the review; opening again adds nothing', async () => {
    expectOk(await open())
    for (const m of [ADMIN, M3, M4, M5]) {
      const box = await inbox(m)
      expect(box).toEqual([expect.objectContaining({ title: '民主评议开始了', reviewId: RID, memberId: m })])
      expect(box[0].sessionId ?? box[0].noteId).toBeUndefined()
      expect(box[0].body).toContain('2026年度民主评议党员')
    }
    expect(await inbox(SEC)).toEqual([])
    // Another branch hears nothing.
    expect(await inbox(DEMO_PEOPLE.member2)).toEqual([])
    expect(await entries()).toBe(4)

    env.clock.advance(60_000)
    expectFail(await open(), 'CONFLICT')
    expectFail(await open(ADMIN), 'CONFLICT')
    expect(await entries()).toBe(4)
  })

  it('a refused open tells nobody', async () => {
    expectFail(await open(M3), 'FORBIDDEN')
    expect(await entries()).toBe(0)
  })
})

describe('review.decide tells whose outcome is new or changed', () => {
  beforeEach(async () => {
    expectOk(await open())
    expectOk(await env.call('review', 'closeGrading', { reviewId: RID }, SEC))
  })

  const decidedFor = async (m: string) => (await inbox(m)).filter((d) => d.title !== '民主评议开始了')

  it('new outcomes once each; the same rows saved again nothing; a correction once more; the officer\'s own outcome not at all', async () => {
    expectOk(await decide({ [M3]: { grade: 'excellent' }, [M4]: { grade: 'basic', reason: REASON } }))
    for (const m of [M3, M4]) expect(await decidedFor(m)).toEqual([expect.objectContaining({ title: '民主评议结果已记录', reviewId: RID })])
    expect(await decidedFor(M5)).toEqual([])
    const stamped = async () => {
      const { data } = await env.db.collection('reviews').doc(RID).get()
      return Object.fromEntries((data!.outcomes as Array<{ memberId: string; decidedAt: number }>).map((o) => [o.memberId, o.decidedAt]))
    }
    const first = await stamped()

    // The committee's page sends every row each time: the two unchanged rows are no news.
    env.clock.advance(60_000)
    expectOk(await decide({ [M3]: { grade: 'excellent' }, [M4]: { grade: 'basic', reason: REASON }, [M5]: { grade: 'qualified' } }))
    expect(await decidedFor(M3)).toHaveLength(1)
    expect(await decidedFor(M4)).toHaveLength(1)
    expect(await decidedFor(M5)).toHaveLength(1)
    const second = await stamped()
    expect([second[M3], second[M4]]).toEqual([first[M3], first[M4]])
    expect(second[M5]).toBe(T0 + 60_000)

    // Saved twice more exactly as it is: nothing.
    const before = await entries()
    expectOk(await decide({ [M3]: { grade: 'excellent' }, [M4]: { grade: 'basic', reason: REASON }, [M5]: { grade: 'qualified' } }))
    env.clock.advance(60_000)
    expectOk(await decide({ [M4]: { grade: 'basic', reason: REASON } }))
    expect(await entries()).toBe(before)

    // A corrected grade is told, as an update; the unchanged row beside it is not.
    env.clock.advance(60_000)
    expectOk(await decide({ [M4]: { grade: 'qualified' }, [M5]: { grade: 'qualified' } }))
    expect((await decidedFor(M4)).map((d) => d.title)).toEqual(['民主评议结果有更新', '民主评议结果已记录'])
    expect(await decidedFor(M5)).toHaveLength(1)
    expect(await decidedFor(M3)).toHaveLength(1)

    // The secretary records their own outcome: they know it, so no message; the 党委's admin hears of theirs.
    expectOk(await decide({ [SEC]: { grade: 'qualified' }, [ADMIN]: { grade: 'qualified' } }))
    expect(await decidedFor(SEC)).toEqual([])
    expect(await decidedFor(ADMIN)).toHaveLength(1)

    const { data: audit } = await env.db.collection('audit').where({ action: 'review.decide' }).get()
    expect(audit.map((a) => (a.detail as { corrected: number }).corrected)).toEqual([0, 0, 0, 0, 1, 0])
  })

  it('a refused decision tells nobody', async () => {
    expectFail(await decide({ [M3]: { grade: 'excellent' }, [M5]: { grade: 'excellent' } }), 'INVALID_INPUT')
    expectFail(await decide({ [M4]: { grade: 'basic' } }), 'INVALID_INPUT')
    expectFail(await decide({ [M4]: { grade: 'qualified' } }, M3), 'FORBIDDEN')
    for (const m of B1) expect(await decidedFor(m)).toEqual([])
  })

  it('no message, in 消息 or on WeChat, carries a grade, a reason or anything of another member', async () => {
    for (const m of B1) expectOk(await env.call('remind', 'subscribe', { results: { outcome: 'accept' } }, m))
    expectOk(await decide({ [M3]: { grade: 'excellent' }, [M4]: { grade: 'basic', reason: REASON }, [M5]: { grade: 'unqualified', reason: '长期不参加组织生活' } }))
    expectOk(await decide({ [ADMIN]: { grade: 'qualified' }, [M4]: { grade: 'qualified' } }))
    const { data: people } = await env.db.collection('members').where({ branchId: 'br_1' }).get()
    const labels = GRADES.map((g) => GRADE_LABELS[g])
    for (const m of B1) {
      const items = expectOk(await env.call<Inbox>('remind', 'inbox', {}, m)).items.filter((d) => d.reviewId)
      const text = JSON.stringify(items)
      for (const w of [...labels, ...GRADES, REASON, '长期不参加']) expect(text).not.toContain(w)
      for (const p of people.filter((p) => p._id !== m)) {
        expect(text).not.toContain(String(p._id))
        expect(text).not.toContain(String(p.name))
      }
      for (const d of items) expect(Object.keys(d).filter((k) => /grade|grader|voter|sheet|ballot|by$/i.test(k))).toEqual([])
    }
    const { data: pushed } = await env.db.collection('wechat_outbox').get()
    expect(pushed.length).toBeGreaterThanOrEqual(4)
    for (const w of [...labels, REASON]) expect(JSON.stringify(pushed)).not.toContain(w)
  })
})

describe('the notices\' call budget', () => {
  it('measured for a branch of 12 (plus its secretary), projected to 100 within review\'s 20 s at 10 ms a call', async () => {
    const { env: cenv, counter } = await countedEnv()
    try {
      cenv.clock.set(T0)
      const branch = await addBranch(cenv, 'br_cnt', 12)
      // Half of them with a WeChat subscription left: a push costs two calls more.
      for (const m of branch.members.slice(0, 6)) expectOk(await cenv.call('remind', 'subscribe', { results: { outcome: 'accept' } }, m))
      const rid = expectOk(await counter.run('open', () => cenv.call<{ reviewId: string }>('review', 'open', { branchId: 'br_cnt', year: 2026 }, branch.secretary))).reviewId
      const opened = counter.get('open')
      expect(opened.byKind['deliveries.add']).toBe(12)

      expectOk(await cenv.call('review', 'closeGrading', { reviewId: rid }, branch.secretary))
      const all = Object.fromEntries(branch.members.map((m, i) => [m, i === 0 ? { grade: 'excellent' } : { grade: 'qualified' }]))
      expectOk(await counter.run('decide', () => cenv.call('review', 'decide', { reviewId: rid, outcomes: all }, branch.secretary)))
      const decided = counter.get('decide')
      expect(decided.byKind['deliveries.add']).toBe(12)
      // Saved again as it was: no notice, so no notice's calls.
      expectOk(await counter.run('again', () => cenv.call('review', 'decide', { reviewId: rid, outcomes: all }, branch.secretary)))
      const again = counter.get('again')
      expect(again.byKind['deliveries.add']).toBeUndefined()

      // A notice's calls by their kind (member read, today's count, inbox entry, subscription, WeChat result, the send).
      const NOTICE = /^(members\.doc\.get|deliveries\.|subscription_budgets\.|wechat_outbox\.)/
      const noticeCalls = (kinds: Record<string, number>) => Object.entries(kinds).filter(([k]) => NOTICE.test(k)).reduce((n, [, v]) => n + v, 0)
      const fixedOpen = opened.calls - noticeCalls(opened.byKind)
      const perNotice = noticeCalls(opened.byKind) / 12
      // The worst notice: one with a push (6 calls); the others cost 5 (no subscription left is still written down).
      const worst = 6
      expect(opened.byKind['wechat_outbox.add']).toBe(6)
      expect(noticeCalls(opened.byKind)).toBe(6 * worst + 6 * (worst - 1))
      // One-time subscriptions: the opening notice spent them, so the outcome notices went to 消息 only.
      expect(noticeCalls(decided.byKind)).toBe(12 * (worst - 1))
      // 100 members, 99 told, as if every call waited for the one before; the batches of 10 make it ~10x less.
      const serial = (fixedOpen + 99 * worst) * 10
      const batched = (fixedOpen + Math.ceil(99 / 10) * worst) * 10
      console.log(
        `review notices, 12 told: open ${opened.calls} calls (${fixedOpen} its own + ${noticeCalls(opened.byKind)} notices, ${perNotice.toFixed(1)} each) ${JSON.stringify(opened.byKind)}; ` +
          `decide ${decided.calls}, the same rows again ${again.calls}; open for 100: ${fixedOpen + 99 * worst} calls, ${serial} ms serial, ~${batched} ms in batches`
      )
      expect(serial).toBeLessThan(20_000 / 2)
      expect(again.calls).toBe(decided.calls - noticeCalls(decided.byKind) - 1)
    } finally {
      cenv.close()
    }
  })
})
