/**
 * checkin.branchMakeUps: the officer's list of a branch's make-ups (补学),
 * with who, which session, the deadline and the handed-in note to review.
 */
import { BranchMakeUpsOutput, MAKEUP_NOTE_TEXT_MAX } from '../../src/core/functions/checkin'
import { MemberSchema } from '../../src/core/schemas/member'
import { DEMO_PEOPLE } from '../../server/seed/people'
import { expectFail, expectOk, makeTestEnv, type TestEnv } from '../helpers/env'
import { BR2, HOUR, addSession } from './checkin.fixtures'

const DAY = 24 * HOUR
const T0 = Date.parse('2026-11-20T02:00:10Z')
const NOTE = '通过补学本次主题党日的内容，我认真学习了会议精神，深刻认识到加强理论学习的重要性。今后要把学习成果转化为推动工作的实际行动，做到学思用贯通、知信行统一。'
// Each member writes their own: a make-up is checked for copying like any note.
const NOTE_B = '补学后我重读了支部书记讲的党课提纲，对照自己在窗口服务中的不足，决心每周抽出两个晚上系统学习，把群众反映的难题记下来逐条解决。我还要带头学、深入学。'
const LONG = '这次长篇补学，我把会议上讲到的每一条要求都和本科室的工作一一对照，写下自己的打算。'
const [handsIn, returned, idle] = [BR2.others[0], BR2.others[1], BR2.others[2]]

let env: TestEnv
let sessionId: string
let deadline: number

async function list(input: Record<string, unknown>, as: string = BR2.secretary) {
  return BranchMakeUpsOutput.parse(expectOk(await env.call('checkin', 'branchMakeUps', input, as)))
}

async function nameOf(memberId: string): Promise<string> {
  return MemberSchema.parse((await env.db.collection('members').doc(memberId).get()).data).name
}

beforeAll(async () => {
  env = await makeTestEnv()
  env.clock.set(T0)
  // A session held yesterday that three members missed: one hands in, one is returned, one does nothing.
  const s = await addSession(env, { startIn: -DAY, title: '十一月主题党日' })
  sessionId = s._id
  deadline = T0 + 7 * DAY
  expectOk(await env.call('checkin', 'assignMakeUp', { sessionId, memberIds: [handsIn, returned, idle], deadline }, BR2.secretary))
  env.clock.advance(HOUR)
  expectOk(await env.call('checkin', 'makeUp', { sessionId, content: NOTE }, returned))
  expectOk(await env.call('checkin', 'reviewMakeUp', { sessionId, memberId: returned, accept: false, note: '请结合本职工作再谈谈体会' }, BR2.secretary))
  env.clock.advance(HOUR)
  expectOk(await env.call('checkin', 'makeUp', { sessionId, content: NOTE_B }, handsIn))
}, 60_000)
afterAll(() => env.close())

describe('checkin.branchMakeUps', () => {
  it('shows the officer every make-up of the branch, newest change first, with the note to read', async () => {
    const out = await list({ branchId: 'br_2' })
    expect(out.rows.map((r) => [r.makeup.memberId, r.makeup.status])).toEqual([
      [handsIn, 'submitted'],
      [returned, 'returned'],
      [idle, 'assigned']
    ])
    const [submitted, back, todo] = out.rows
    expect(submitted).toMatchObject({
      memberName: await nameOf(handsIn),
      sessionTitle: '十一月主题党日',
      sessionStartAt: T0 - DAY,
      overdue: false,
      makeup: { sessionId, deadline, noteId: expect.any(String) },
      note: { title: '补学：十一月主题党日', content: NOTE_B, truncated: false, review: { status: 'pending' } }
    })
    expect(submitted.note!.words).toBeGreaterThanOrEqual(50)
    expect(back.note).toMatchObject({ content: NOTE, review: { status: 'returned', comment: '请结合本职工作再谈谈体会', by: BR2.secretary } })
    expect(todo.note).toBeUndefined()
    expect(todo.memberName).toBe(await nameOf(idle))
  })

  it('filters by status and by session; a committee member and an admin above may look too', async () => {
    expect((await list({ branchId: 'br_2', status: 'submitted' })).rows.map((r) => r.makeup.memberId)).toEqual([handsIn])
    expect((await list({ branchId: 'br_2', status: 'accepted' })).rows).toEqual([])
    expect((await list({ branchId: 'br_2', sessionId })).rows).toHaveLength(3)
    expect((await list({ branchId: 'br_2', sessionId: 's_nowhere' })).rows).toEqual([])
    expect((await list({ branchId: 'br_2' }, BR2.committee)).rows).toHaveLength(3)
    expect((await list({ branchId: 'br_2' }, DEMO_PEOPLE.admin)).rows).toHaveLength(3)
  })

  it('follows a review: accepted rows say so, and the deadline makes the idle overdue', async () => {
    expectOk(await env.call('checkin', 'reviewMakeUp', { sessionId, memberId: handsIn, accept: true }, BR2.secretary))
    env.clock.set(deadline + 1)
    const rows = (await list({ branchId: 'br_2' })).rows
    const by = new Map(rows.map((r) => [r.makeup.memberId, r]))
    expect(by.get(handsIn)).toMatchObject({ makeup: { status: 'accepted', reviewedBy: BR2.secretary }, overdue: false, note: { review: { status: 'passed' } } })
    expect(by.get(idle)!.overdue).toBe(true)
    expect(by.get(returned)!.overdue).toBe(true)
  })

  it('cuts a very long note in the list and says so', async () => {
    env.clock.set(T0)
    const s = await addSession(env, { startIn: -DAY, title: '长篇补学' })
    const who = BR2.others[3]
    expectOk(await env.call('checkin', 'assignMakeUp', { sessionId: s._id, memberIds: [who], deadline: T0 + DAY }, BR2.secretary))
    expectOk(await env.call('checkin', 'makeUp', { sessionId: s._id, content: LONG.repeat(200) }, who))
    const [row] = (await list({ branchId: 'br_2', sessionId: s._id })).rows
    expect(row.note).toMatchObject({ truncated: true })
    expect(row.note!.content).toHaveLength(MAKEUP_NOTE_TEXT_MAX)
  })

  it('refuses a member, and the secretary of another branch, alike', async () => {
    for (const who of [BR2.member, handsIn, DEMO_PEOPLE.secretary1, DEMO_PEOPLE.secretary3]) {
      const err = expectFail(await env.call('checkin', 'branchMakeUps', { branchId: 'br_2' }, who), 'FORBIDDEN')
      expect(err.message).toBe('您只能查看本支部的补学情况')
    }
    // A branch that does not exist, or an org that is not a branch, answers the same.
    expectFail(await env.call('checkin', 'branchMakeUps', { branchId: 'br_nowhere' }, BR2.secretary), 'FORBIDDEN')
    expectFail(await env.call('checkin', 'branchMakeUps', { branchId: 'org_demo' }, BR2.secretary), 'FORBIDDEN')
    expectFail(await env.call('checkin', 'branchMakeUps', { branchId: 'br_2' }, null), 'FORBIDDEN')
  })

  it('refuses bad input', async () => {
    for (const input of [{}, { branchId: 'br_2', status: 'late' }, { branchId: 'br_2', memberId: handsIn }, { branchId: '' }, { branchId: 'br_2', sessionId: 42 }]) {
      expectFail(await env.call('checkin', 'branchMakeUps', input, BR2.secretary), 'INVALID_INPUT')
    }
  })
})
