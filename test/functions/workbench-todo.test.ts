/**
 * 书记工作台's to-do (org.todo): each count equals what the list its row opens
 * shows, after a member asks for leave, writes a note, hands in a 补学, asks
 * to join and syncs a scan late; org.notesToReview is the notes list, oldest
 * first, without one's own or a 补学's note. Others are refused.
 */
import { issueCheckinToken } from '../../cloudfunctions/_shared/checkin-token'
import { shanghaiWeek } from '../../cloudfunctions/org/src/todo'
import type { OrgTodo, NoteToReview } from '../../src/core/functions/org'
import { DEMO_PEOPLE } from '../../server/seed/people'
import { TEST_SECRET, expectFail, expectOk, makeTestEnv, type TestEnv } from '../helpers/env'
import { BR2, HOUR, MIN, VENUE, addSession } from './checkin.fixtures'
import { freshText, saveNote } from './note.fixtures'

// A Friday morning in Shanghai (10:00): the week runs Mon 16 Nov to Mon 23 Nov.
const T0 = Date.parse('2026-11-20T02:00:00Z')
const DAY = 24 * HOUR
const NOTE = '通过学习，我认识到要把学习成果转化为推动工作的实际成效，在本职岗位上当好表率，做到学以致用、知行合一。'.repeat(3)

let env: TestEnv
beforeAll(async () => {
  env = await makeTestEnv()
})
afterAll(() => env.close())
beforeEach(() => env.clock.set(T0))

const todo = async (as: string = BR2.secretary) => expectOk(await env.call<OrgTodo>('org', 'todo', { branchId: 'br_2' }, as))
const queue = async (as: string = BR2.secretary) =>
  expectOk(await env.call<{ notes: NoteToReview[]; total: number }>('org', 'notesToReview', { branchId: 'br_2' }, as))

/** Every count against the list its row opens, read the way each page reads it. */
async function expectCountsMatchLists(as: string = BR2.secretary) {
  const t = await todo(as)
  const leaves = expectOk(await env.call<{ rows: unknown[] }>('checkin', 'leaves', { branchId: 'br_2', status: 'pending' }, as))
  const makeups = expectOk(await env.call<{ rows: unknown[] }>('checkin', 'branchMakeUps', { branchId: 'br_2', status: 'submitted' }, as))
  const joins = expectOk(await env.call<{ members: unknown[] }>('org', 'pending', { branchId: 'br_2' }, as))
  const notes = await queue(as)
  const week = shanghaiWeek(T0)
  const sessions = expectOk(
    await env.call<{ sessions: { _id: string; status: string }[] }>('session', 'list', { branchId: 'br_2', from: week.start, to: week.end, limit: 100 }, as)
  )
  // Waiting scans are listed per session: sum the lists of the sessions that have one.
  const { data: scanDocs } = await env.db.collection('pending_checkins').where({ branchId: 'br_2' }).get()
  let scans = 0
  for (const sessionId of new Set(scanDocs.map((d) => String(d.sessionId)))) {
    scans += expectOk(await env.call<{ rows: unknown[] }>('checkin', 'pendingCheckins', { sessionId }, as)).rows.length
  }
  expect(t.leaves).toBe(leaves.rows.length)
  expect(t.makeups).toBe(makeups.rows.length)
  expect(t.joins).toBe(joins.members.length)
  expect(t.notes).toBe(notes.total)
  expect(notes.notes.length).toBe(Math.min(notes.total, 50))
  expect(t.sessionsThisWeek).toBe(sessions.sessions.filter((s) => s.status !== 'cancelled').length)
  expect(t.scans).toBe(scans)
  return t
}

describe('org.todo', () => {
  it('the Shanghai week starts on Monday 00:00, whatever the server TZ', () => {
    const w = shanghaiWeek(T0)
    expect(w.start).toBe(Date.parse('2026-11-15T16:00:00Z'))
    expect(w.end).toBe(Date.parse('2026-11-22T16:00:00Z'))
    // Sunday 23:59 Shanghai is still the same week; Monday 00:00 starts the next.
    expect(shanghaiWeek(w.end - 1).start).toBe(w.start)
    expect(shanghaiWeek(w.end).start).toBe(w.end)
  })

  it('counts what each list shows, and moves with each new item', async () => {
    const before = await expectCountsMatchLists()

    // A session this week (next Monday's is not), a cancelled one this week.
    const s = await addSession(env, { startIn: 2 * HOUR, title: '周五集中学习' })
    await addSession(env, { startIn: 4 * DAY, title: '下周一党课' })
    await addSession(env, { startIn: DAY, status: 'cancelled', cancelReason: '改期' })

    // A leave request.
    expectOk(await env.call('checkin', 'requestLeave', { sessionId: s._id, reason: '出差在外' }, BR2.others[0]))
    // A note.
    expectOk(await saveNote(env, BR2.member, { content: freshText(80) }))
    // A 补学 handed in: counted as a make-up, not also as a note.
    const held = await addSession(env, { startIn: -DAY, title: '昨天的主题党日' })
    expectOk(await env.call('checkin', 'assignMakeUp', { sessionId: held._id, memberIds: [BR2.others[1]], deadline: T0 + 7 * DAY }, BR2.secretary))
    expectOk(await env.call('checkin', 'makeUp', { sessionId: held._id, content: NOTE }, BR2.others[1]))
    // A join request.
    expectOk(await env.call('auth', 'joinBranch', { inviteCode: 'DEMO0002', name: '郑国强' }, { openid: 'wx_newcomer', source: 'wechat' }))
    // A scan synced three hours late: waits as 待确认.
    const live = await addSession(env, { startIn: -5 * MIN })
    const photo = issueCheckinToken(TEST_SECRET, live._id, T0).token
    env.clock.advance(3 * HOUR)
    const out = expectOk(
      await env.call<{ pending?: unknown }>('checkin', 'checkIn', { sessionId: live._id, token: photo, clientAt: T0 + 1000, location: { ...VENUE, accuracyM: 15 } }, BR2.others[2])
    )
    expect(out.pending).toBeDefined()

    const after = await expectCountsMatchLists()
    expect(after.leaves).toBe(before.leaves + 1)
    expect(after.notes).toBe(before.notes + 1)
    expect(after.makeups).toBe(before.makeups + 1)
    expect(after.joins).toBe(before.joins + 1)
    expect(after.scans).toBe(before.scans + 1)
    expect(after.scanSessionId).toBe(live._id)
    // This week's: the one at +2 h and the live one (held yesterday, Thursday, too); not next Monday's, not the cancelled one.
    expect(after.sessionsThisWeek).toBe(before.sessionsThisWeek + 3)
    // The committee member sees the same, less nothing of their own.
    await expectCountsMatchLists(BR2.committee)
  })

  it('leaves out the officer’s own notes (another officer reviews them) and gives the oldest first', async () => {
    expectOk(await saveNote(env, BR2.secretary, { content: freshText(80) }))
    const mine = await queue(BR2.secretary)
    expect(mine.notes.some((n) => n.memberId === BR2.secretary)).toBe(false)
    const theirs = await queue(BR2.committee)
    // Each officer's queue is the branch's pending notes less their own.
    const ownPending = async (memberId: string) =>
      (await env.db.collection('notes').where({ memberId, 'review.status': 'pending', deleted: env.db.command.neq(true) }).count()).total
    expect(mine.total + (await ownPending(BR2.secretary))).toBe(theirs.total + (await ownPending(BR2.committee)))
    expect(await ownPending(BR2.secretary)).toBeGreaterThan(0)
    expect(theirs.notes.map((n) => n.createdAt)).toEqual([...theirs.notes.map((n) => n.createdAt)].sort((a, b) => a - b))
    expect(theirs.notes.every((n) => n.memberName.length > 0 && n.review.status === 'pending')).toBe(true)
    await expectCountsMatchLists(BR2.committee)
  })

  it('a review takes the note off the count at once', async () => {
    const t = await todo()
    const first = (await queue()).notes[0]
    expectOk(await env.call('note', 'review', { noteId: first._id, status: 'returned', comment: '请结合工作实际再写几句' }, BR2.secretary))
    expect((await todo()).notes).toBe(t.notes - 1)
    expect((await queue()).notes.some((n) => n._id === first._id)).toBe(false)
  })

  it('an admin above the branch sees it too', async () => {
    await expectCountsMatchLists(DEMO_PEOPLE.admin)
  })

  it('refuses a plain member and an officer of another branch', async () => {
    for (const who of [BR2.member, DEMO_PEOPLE.secretary1, DEMO_PEOPLE.secretary3]) {
      expectFail(await env.call('org', 'todo', { branchId: 'br_2' }, who), 'FORBIDDEN')
      expectFail(await env.call('org', 'notesToReview', { branchId: 'br_2' }, who), 'FORBIDDEN')
    }
    // A branch that does not exist is refused the same way (ids cannot be probed).
    expectFail(await env.call('org', 'todo', { branchId: 'br_nope' }, BR2.secretary), 'FORBIDDEN')
    expectFail(await env.call('org', 'todo', { branchId: 'br_2' }, null), 'FORBIDDEN')
  })

  it('refuses bad input', async () => {
    for (const bad of [{}, { branchId: '' }, { branchId: 42 }, { branchId: 'br_2', extra: 1 }, { branchId: 'a b' }]) {
      expectFail(await env.call('org', 'todo', bad, BR2.secretary), 'INVALID_INPUT')
    }
    expectFail(await env.call('org', 'notesToReview', { branchId: 'br_2', limit: 0 }, BR2.secretary), 'INVALID_INPUT')
    expectFail(await env.call('org', 'notesToReview', { branchId: 'br_2', limit: 51 }, BR2.secretary), 'INVALID_INPUT')
  })
})
