import { CheckinMineOutput, LeaveOutput, LeavesOutput, MakeUpOutput, MakeUpsOutput } from '../../src/core/functions/checkin'
import { NoteSchema } from '../../src/core/schemas/note'
import { checkinId, type Checkin } from '../../src/core/schemas/checkin'
import { countNoteWords } from '../../src/core/words'
import { DEMO_PEOPLE } from '../../server/seed/people'
import { expectFail, expectOk, makeTestEnv, type TestEnv } from '../helpers/env'
import { BR2, HOUR, MIN, VENUE, addSession } from './checkin.fixtures'

const DAY = 24 * HOUR
const T0 = Date.parse('2026-11-20T02:00:10Z')
const NOTE = '通过补学本次主题党日的内容，我认真学习了会议精神，深刻认识到加强理论学习的重要性。今后要把学习成果转化为推动工作的实际行动，做到学思用贯通、知信行统一。'
/** Another member's own make-up (a make-up is checked for copying like any note). */
const NOTE_T2 = '这次活动我因为值班没能参加，会后找来会议记录认真学习，体会到基层党员更要在平凡岗位上守初心、担使命，今后我要把学习和本职工作结合起来。'
let env: TestEnv

beforeAll(async () => {
  env = await makeTestEnv()
  // A small branch of our own for the record test: t_1 secretary, t_2..t_4 members.
  const now = env.clock.now()
  await env.db.collection('orgs').add({ data: { _id: 'br_t', type: 'branch', name: '测试支部', parentId: 'org_demo', path: ['org_demo', 'br_t'], inviteCode: 'TEST0001', closed: false, createdAt: now } })
  // Members of long standing: a member is expected only at sessions held after joining.
  const base = { groupId: null, rank: 'staff', leadingCadre: false, retired: false, exempt: null, largeText: false, active: true, joinStatus: 'confirmed', joinedAt: now - 3 * 365 * DAY, createdAt: now, branchId: 'br_t', orgPath: ['org_demo', 'br_t'] }
  for (let i = 1; i <= 4; i++) {
    await env.db.collection('members').add({ data: { ...base, _id: `t_${i}`, name: `测试党员${i}`, openid: `dev_t_${i}`, roles: i === 1 ? [{ role: 'secretary', orgId: 'br_t' }] : [] } })
  }
})
afterAll(() => env.close())
beforeEach(() => env.clock.set(T0))

const at = { ...VENUE, accuracyM: 10 }
async function checkInNow(sessionId: string, as: string, officer: string) {
  const { token } = expectOk(await env.call<{ token: string }>('checkin', 'token', { sessionId }, officer))
  return expectOk(await env.call<{ checkin: Checkin }>('checkin', 'checkIn', { sessionId, token, location: at }, as))
}
async function auditOf(action: string, targetId: string) {
  return (await env.db.collection('audit').where({ action, 'target.id': targetId }).get()).data
}

describe('checkin.proxyCheckIn', () => {
  it('records a member on their behalf, audited once, duplicate on repeat', async () => {
    const s = await addSession(env)
    const who = BR2.others[2]
    const out = expectOk(await env.call<{ checkin: Checkin; duplicate: boolean }>('checkin', 'proxyCheckIn', { sessionId: s._id, memberId: who, reason: '年事已高，没有智能手机' }, BR2.secretary))
    expect(out.duplicate).toBe(false)
    expect(out.checkin).toMatchObject({ method: 'proxy', proxyBy: BR2.secretary, proxyReason: '年事已高，没有智能手机', status: 'attended', memberId: who })
    const again = expectOk(await env.call<{ duplicate: boolean }>('checkin', 'proxyCheckIn', { sessionId: s._id, memberId: who, reason: '再点一次' }, BR2.secretary))
    expect(again.duplicate).toBe(true)
    const audit = await auditOf('checkin.proxy', checkinId(s._id, who))
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({ actor: BR2.secretary, orgId: 'br_2', detail: { memberId: who, reason: '年事已高，没有智能手机' } })
  })

  it('after the session (the same day), records attendance at the session with the truth in recordedAt', async () => {
    const s = await addSession(env)
    env.clock.advance(5 * HOUR)
    const out = expectOk(await env.call<{ checkin: Checkin }>('checkin', 'proxyCheckIn', { sessionId: s._id, memberId: BR2.member, reason: '纸质签到表补录', status: 'late' }, BR2.committee))
    expect(out.checkin).toMatchObject({ at: s.checkin.closesAt - 1, recordedAt: T0 + 5 * HOUR, status: 'late' })
  })

  it('is for officers of that branch only, and only for expected members', async () => {
    const s = await addSession(env, { startIn: 2 * HOUR })
    const input = { sessionId: s._id, memberId: BR2.others[3], reason: '行动不便' }
    for (const who of [BR2.member, DEMO_PEOPLE.secretary1, DEMO_PEOPLE.secretary3]) {
      expectFail(await env.call('checkin', 'proxyCheckIn', input, who), 'FORBIDDEN')
    }
    expect(expectFail(await env.call('checkin', 'proxyCheckIn', input, BR2.secretary), 'CHECKIN_CLOSED').message).toMatch(/^签到将于 11:30 开始/)
    expectFail(await env.call('checkin', 'proxyCheckIn', { ...input, memberId: DEMO_PEOPLE.member1 }, BR2.secretary), 'NOT_FOUND')
    const committee = await addSession(env, { audience: { kind: 'committee' } })
    const e = expectFail(await env.call('checkin', 'proxyCheckIn', { ...input, sessionId: committee._id }, BR2.secretary), 'FORBIDDEN')
    expect(e.message).toContain('不在本次活动的应到名单中')
    expectFail(await env.call('checkin', 'proxyCheckIn', { ...input, reason: '' }, BR2.secretary), 'INVALID_INPUT')
    expectFail(await env.call('checkin', 'proxyCheckIn', { ...input, reason: '长'.repeat(201) }, BR2.secretary), 'INVALID_INPUT')
  })
})

describe('leave', () => {
  it('request, re-request while pending, decide, list; audited', async () => {
    const s = await addSession(env, { startIn: DAY })
    const first = LeaveOutput.parse(expectOk(await env.call('checkin', 'requestLeave', { sessionId: s._id, reason: '出差' }, BR2.member)))
    expect(first.leave).toMatchObject({ status: 'pending', reason: '出差', memberId: BR2.member, branchId: 'br_2' })
    const second = LeaveOutput.parse(expectOk(await env.call('checkin', 'requestLeave', { sessionId: s._id, reason: '出差（北京）' }, BR2.member)))
    expect(second.leave).toMatchObject({ _id: first.leave._id, status: 'pending', reason: '出差（北京）' })

    const pending = LeavesOutput.parse(expectOk(await env.call('checkin', 'leaves', { branchId: 'br_2', status: 'pending' }, BR2.secretary)))
    const row = pending.rows.find((r) => r.leave._id === first.leave._id)
    expect(row).toMatchObject({ sessionTitle: s.title, sessionStartAt: s.startAt })
    expect(row?.memberName).toBeTruthy()
    expect(pending.rows.every((r) => r.leave.status === 'pending' && r.leave.branchId === 'br_2')).toBe(true)

    env.clock.advance(MIN)
    const decided = LeaveOutput.parse(expectOk(await env.call('checkin', 'decideLeave', { sessionId: s._id, memberId: BR2.member, approve: true, note: '同意' }, BR2.secretary)))
    expect(decided.leave).toMatchObject({ status: 'approved', decidedBy: BR2.secretary, decidedAt: T0 + MIN, decisionNote: '同意' })
    expect(await auditOf('leave.decide', first.leave._id)).toHaveLength(1)
    // Same decision again writes nothing; a change is audited.
    expectOk(await env.call('checkin', 'decideLeave', { sessionId: s._id, memberId: BR2.member, approve: true, note: '同意' }, BR2.secretary))
    expect(await auditOf('leave.decide', first.leave._id)).toHaveLength(1)

    // After a decision: the same request is a harmless retry, a new one is a conflict.
    expect(expectOk(await env.call<{ leave: { status: string } }>('checkin', 'requestLeave', { sessionId: s._id, reason: '出差（北京）' }, BR2.member)).leave.status).toBe('approved')
    expect(expectFail(await env.call('checkin', 'requestLeave', { sessionId: s._id, reason: '改主意了' }, BR2.member), 'CONFLICT').message).toContain('已准假')
  })

  it('refuses a week after the session, when checked in, when not expected, and across branches', async () => {
    const s = await addSession(env)
    await checkInNow(s._id, BR2.member, BR2.secretary)
    expect(expectFail(await env.call('checkin', 'requestLeave', { sessionId: s._id, reason: '临时有事' }, BR2.member), 'CONFLICT').message).toBe('您已签到，无需请假')
    expectFail(await env.call('checkin', 'requestLeave', { sessionId: s._id, reason: '临时有事' }, DEMO_PEOPLE.member1), 'FORBIDDEN')
    const committee = await addSession(env, { audience: { kind: 'committee' } })
    expectFail(await env.call('checkin', 'requestLeave', { sessionId: committee._id, reason: '临时有事' }, BR2.member), 'FORBIDDEN')
    // After the session it is 补请假 for a week (late-records.test.ts), then closed.
    env.clock.set(s.endAt + 7 * DAY)
    expect(expectFail(await env.call('checkin', 'requestLeave', { sessionId: s._id, reason: '临时有事' }, BR2.others[0]), 'CHECKIN_CLOSED').message).toBe(
      '活动结束已超过 7 天，不能再补请假；如有特殊情况，请当面告诉支部书记'
    )
    expectFail(await env.call('checkin', 'requestLeave', { sessionId: s._id, reason: '   ' }, BR2.others[0]), 'INVALID_INPUT')
    expectFail(await env.call('checkin', 'requestLeave', { sessionId: s._id, reason: '事'.repeat(201) }, BR2.others[0]), 'INVALID_INPUT')
  })

  it('decisions and lists are for officers of the branch', async () => {
    const s = await addSession(env, { startIn: DAY })
    expectOk(await env.call('checkin', 'requestLeave', { sessionId: s._id, reason: '住院' }, BR2.others[1]))
    const input = { sessionId: s._id, memberId: BR2.others[1], approve: false }
    for (const who of [BR2.member, BR2.others[1], DEMO_PEOPLE.secretary1]) {
      expectFail(await env.call('checkin', 'decideLeave', input, who), 'FORBIDDEN')
      expectFail(await env.call('checkin', 'leaves', { branchId: 'br_2' }, who), 'FORBIDDEN')
    }
    expectFail(await env.call('checkin', 'decideLeave', { ...input, memberId: BR2.others[2] }, BR2.secretary), 'NOT_FOUND')
    expectOk(await env.call('checkin', 'decideLeave', input, DEMO_PEOPLE.admin))
    expectFail(await env.call('checkin', 'leaves', { branchId: 'br_2', status: 'maybe' }, BR2.secretary), 'INVALID_INPUT')
  })
})

describe('make-up study (补学)', () => {
  it('assign after the session to the absent and those on leave, hand in a note, review it', async () => {
    const s = await addSession(env, { startIn: DAY, title: '十一月主题党日' })
    const [absent, onLeave, attended] = [BR2.others[4], BR2.others[5], BR2.others[6]]
    expectOk(await env.call('checkin', 'requestLeave', { sessionId: s._id, reason: '出差' }, onLeave))
    expectOk(await env.call('checkin', 'decideLeave', { sessionId: s._id, memberId: onLeave, approve: true }, BR2.secretary))
    env.clock.set(s.startAt)
    await checkInNow(s._id, attended, BR2.secretary)
    const deadline = s.endAt + 7 * DAY
    expect(expectFail(await env.call('checkin', 'assignMakeUp', { sessionId: s._id, memberIds: [absent], deadline }, BR2.secretary), 'CHECKIN_CLOSED').message).toContain('活动结束')

    env.clock.set(s.endAt + HOUR)
    expectFail(await env.call('checkin', 'assignMakeUp', { sessionId: s._id, memberIds: [absent], deadline }, BR2.member), 'FORBIDDEN')
    expectFail(await env.call('checkin', 'assignMakeUp', { sessionId: s._id, memberIds: [absent], deadline }, DEMO_PEOPLE.secretary3), 'FORBIDDEN')
    expect(expectFail(await env.call('checkin', 'assignMakeUp', { sessionId: s._id, memberIds: [absent, attended], deadline }, BR2.secretary), 'CONFLICT').message).toContain('已签到')
    expectFail(await env.call('checkin', 'assignMakeUp', { sessionId: s._id, memberIds: [absent, DEMO_PEOPLE.member1], deadline }, BR2.secretary), 'FORBIDDEN')
    expectFail(await env.call('checkin', 'assignMakeUp', { sessionId: s._id, memberIds: [absent], deadline: env.clock.now() }, BR2.secretary), 'INVALID_INPUT')
    const assigned = expectOk(await env.call<{ makeups: Array<{ status: string; memberId: string }> }>('checkin', 'assignMakeUp', { sessionId: s._id, memberIds: [absent, onLeave, absent], deadline }, BR2.secretary))
    expect(assigned.makeups.map((m) => [m.memberId, m.status])).toEqual([[absent, 'assigned'], [onLeave, 'assigned']])
    expect(await auditOf('makeup.assign', s._id)).toHaveLength(1)

    const todo = MakeUpsOutput.parse(expectOk(await env.call('checkin', 'makeUps', {}, absent)))
    expect(todo.rows).toEqual([expect.objectContaining({ sessionTitle: '十一月主题党日', overdue: false })])

    const short = expectFail(await env.call('checkin', 'makeUp', { sessionId: s._id, content: '学习了。' }, absent), 'INVALID_INPUT')
    expect(short.message).toBe('补学心得至少需要 50 字，现在是 4 字')
    expectFail(await env.call('checkin', 'makeUp', { sessionId: s._id, content: NOTE }, BR2.member), 'NOT_FOUND')
    const handed = MakeUpOutput.parse(expectOk(await env.call('checkin', 'makeUp', { sessionId: s._id, content: NOTE }, absent)))
    expect(handed.makeup).toMatchObject({ status: 'submitted', submittedAt: env.clock.now() })
    expect(handed.words).toBe(countNoteWords(NOTE))
    const note = NoteSchema.parse((await env.db.collection('notes').doc(handed.makeup.noteId!).get()).data)
    expect(note).toMatchObject({ kind: 'note', title: '补学：十一月主题党日', words: handed.words, creditedWords: handed.words, memberId: absent, version: 1, year: 2026 })
    // Resubmitting edits the same note.
    const again = MakeUpOutput.parse(expectOk(await env.call('checkin', 'makeUp', { sessionId: s._id, title: '我的补学心得', content: NOTE + '再补充一点体会。' }, absent)))
    expect(again.makeup.noteId).toBe(handed.makeup.noteId)
    expect(NoteSchema.parse((await env.db.collection('notes').doc(again.makeup.noteId!).get()).data)).toMatchObject({ version: 2, title: '我的补学心得' })

    expectFail(await env.call('checkin', 'reviewMakeUp', { sessionId: s._id, memberId: absent, accept: true }, absent), 'FORBIDDEN')
    expectFail(await env.call('checkin', 'reviewMakeUp', { sessionId: s._id, memberId: onLeave, accept: true }, BR2.secretary), 'CONFLICT')
    const reviewed = MakeUpOutput.parse(expectOk(await env.call('checkin', 'reviewMakeUp', { sessionId: s._id, memberId: absent, accept: true, note: '认真' }, BR2.secretary)))
    expect(reviewed.makeup).toMatchObject({ status: 'accepted', reviewedBy: BR2.secretary })
    expect(NoteSchema.parse((await env.db.collection('notes').doc(handed.makeup.noteId!).get()).data).review).toMatchObject({ status: 'passed', comment: '认真' })
    expectFail(await env.call('checkin', 'makeUp', { sessionId: s._id, content: NOTE }, absent), 'CONFLICT')
    expect(MakeUpsOutput.parse(expectOk(await env.call('checkin', 'makeUps', {}, absent))).rows).toEqual([])

    env.clock.set(deadline + 1)
    const late = expectFail(await env.call('checkin', 'makeUp', { sessionId: s._id, content: NOTE }, onLeave), 'CHECKIN_CLOSED')
    expect(late.message).toContain('截止')
    expect(MakeUpsOutput.parse(expectOk(await env.call('checkin', 'makeUps', {}, onLeave))).rows[0].overdue).toBe(true)
  })
})

describe('checkin.mine', () => {
  it('lists every session of the year the member was expected at, with state, counts and rate', async () => {
    const mk = (startIn: number, extra = {}) => addSession(env, { branchId: 'br_t', startIn, ...extra })
    const A = await mk(-10 * DAY)
    const B = await mk(-9 * DAY)
    const C = await mk(-8 * DAY)
    const D = await mk(-7 * DAY)
    const E = await mk(-6 * DAY)
    const F = await mk(5 * DAY)
    await mk(-5 * DAY, { audience: { kind: 'committee' } })
    await mk(-4 * DAY, { status: 'cancelled' })
    await mk(-400 * DAY)

    env.clock.set(A.startAt)
    await checkInNow(A._id, 't_2', 't_1')
    env.clock.set(B.startAt + 20 * MIN)
    await checkInNow(B._id, 't_2', 't_1')
    env.clock.set(C.startAt - DAY)
    expectOk(await env.call('checkin', 'requestLeave', { sessionId: C._id, reason: '出差' }, 't_2'))
    expectOk(await env.call('checkin', 'decideLeave', { sessionId: C._id, memberId: 't_2', approve: true }, 't_1'))
    env.clock.set(D.endAt + HOUR)
    expectOk(await env.call('checkin', 'assignMakeUp', { sessionId: D._id, memberIds: ['t_2'], deadline: D.endAt + 30 * DAY }, 't_1'))
    expectOk(await env.call('checkin', 'makeUp', { sessionId: D._id, content: NOTE_T2 }, 't_2'))
    env.clock.set(T0)

    const mine = CheckinMineOutput.parse(expectOk(await env.call('checkin', 'mine', { year: 2026 }, 't_2')))
    expect(mine.memberId).toBe('t_2')
    expect(mine.rows.map((r) => [r.sessionId, r.state])).toEqual([
      [A._id, 'attended'],
      [B._id, 'late'],
      [C._id, 'leave'],
      [D._id, 'absent'], // handed in, not yet accepted: 补学待审 beside the absence
      [E._id, 'absent'],
      [F._id, 'upcoming']
    ])
    expect(mine.rows[0]).toMatchObject({ method: 'qr', at: A.startAt })
    expect(mine.rows[2]).toMatchObject({ leaveStatus: 'approved' })
    expect(mine.rows[3]).toMatchObject({ makeupStatus: 'submitted', makeupDeadline: D.endAt + 30 * DAY })
    expect(mine.counts).toEqual({ held: 5, attended: 1, late: 1, leave: 1, madeUp: 0, absent: 2, upcoming: 1, due: 4 })
    expect(mine.rate).toBe(0.5)

    const bySecretary = CheckinMineOutput.parse(expectOk(await env.call('checkin', 'mine', { year: 2026, memberId: 't_2' }, 't_1')))
    expect(bySecretary.rows).toEqual(mine.rows)
    expect(CheckinMineOutput.parse(expectOk(await env.call('checkin', 'mine', { year: 2025 }, 't_2'))).rows).toHaveLength(1)
    expect(CheckinMineOutput.parse(expectOk(await env.call('checkin', 'mine', { year: 2026 }, 't_3'))).rate).toBe(0)
  })

  it("refuses another member's record to members and to other branches' officers", async () => {
    expectFail(await env.call('checkin', 'mine', { year: 2026, memberId: 't_2' }, 't_3'), 'FORBIDDEN')
    expectFail(await env.call('checkin', 'mine', { year: 2026, memberId: 't_2' }, BR2.secretary), 'FORBIDDEN')
    expectFail(await env.call('checkin', 'mine', { year: 2026, memberId: 'nobody' }, 't_1'), 'FORBIDDEN')
    expectOk(await env.call('checkin', 'mine', { year: 2026, memberId: 't_2' }, DEMO_PEOPLE.admin))
    expectFail(await env.call('checkin', 'mine', { year: 1900 }, 't_2'), 'INVALID_INPUT')
    expectFail(await env.call('checkin', 'mine', { year: '2026' }, 't_2'), 'INVALID_INPUT')
  })

  it('reads the demo year of a seeded member', async () => {
    const mine = CheckinMineOutput.parse(expectOk(await env.call('checkin', 'mine', { year: 2026 }, DEMO_PEOPLE.member2)))
    expect(mine.rows.length).toBeGreaterThan(10)
    expect(mine.rate).not.toBeNull()
    expect(mine.counts.attended + mine.counts.late).toBeGreaterThan(0)
  })
})
