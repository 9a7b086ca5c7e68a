/**
 * 会议纪实 through the session function on a real SQLite file: the record's
 * attendance is read from the check-in facts (and follows a leave decision
 * and a make-up), officers fill and lock it, a locked record changes only by
 * appended corrections, members expected at the session read it (without
 * others' leave reasons), and everyone else is refused. Fixed clock.
 */
import { readFileSync } from 'fs'
import { join } from 'path'
import ExcelJS from 'exceljs'
import { DEMO_PEOPLE } from '../../server/seed/people'
import { expectFail, expectOk, makeTestEnv, type TestEnv } from '../helpers/env'
import { BR2, HOUR, MIN, addSession } from './checkin.fixtures'

const T0 = Date.parse('2026-11-20T02:00:00Z')

type Named = { memberId: string; name: string }
type Attendance = {
  expected: number
  present: number
  late: number
  attended: Named[]
  leave: Array<Named & { approved: boolean; reason?: string }>
  absent: Array<Named & { makeup: string }>
  over: boolean
}
type Got = {
  minutes: {
    content: { chairId: string | null; recorderId: string | null; agenda: string; decisions: string }
    chairName: string
    lockedAt: number | null
    corrections: Array<{ field: string; before: unknown; after: unknown; reason: string; by: string; byName: string }>
    updatedAt: number | null
  }
  attendance: Attendance
  mayEdit: boolean
  people: Named[]
}
type Roster = { counts: { expected: number; attended: number; late: number; leave: number; absent: number } }

let env: TestEnv
beforeEach(async () => {
  env = await makeTestEnv()
  env.clock.set(T0)
})
afterEach(() => env.close())

const get = async (sessionId: string, as: string) => expectOk(await env.call<Got>('session', 'minutes', { sessionId }, as))
const save = (sessionId: string, patch: Record<string, unknown>, baseUpdatedAt: number | null, as: string = BR2.secretary, reason?: string) =>
  env.call<{ updatedAt: number; lockedAt: number | null; corrections: number }>('session', 'minutesSave', { sessionId, patch, baseUpdatedAt, ...(reason ? { reason } : {}) }, as)

/** The roster's figures in the record's terms: what the 签到大屏 and the record must both say. */
async function rosterFigures(sessionId: string) {
  const r = expectOk(await env.call<Roster>('session', 'roster', { sessionId }, BR2.secretary))
  return { expected: r.counts.expected, present: r.counts.attended + r.counts.late, late: r.counts.late, leave: r.counts.leave, absent: r.counts.absent }
}
const recordFigures = (a: Attendance) => ({ expected: a.expected, present: a.present, late: a.late, leave: a.leave.length, absent: a.absent.length })

describe('会议纪实', () => {
  it('takes its attendance from the check-in facts, before and after a leave decision and a make-up', async () => {
    const s = await addSession(env)
    const [a, b, c] = BR2.others
    for (const who of [a, b]) expectOk(await env.call('checkin', 'proxyCheckIn', { sessionId: s._id, memberId: who, reason: '纸质签到表补录' }, BR2.secretary))
    expectOk(await env.call('checkin', 'requestLeave', { sessionId: s._id, reason: '住院复查' }, c))

    let rec = await get(s._id, BR2.secretary)
    expect(rec.attendance.over).toBe(false)
    expect(recordFigures(rec.attendance)).toEqual(await rosterFigures(s._id))
    expect(recordFigures(rec.attendance)).toEqual({ expected: 12, present: 2, late: 0, leave: 1, absent: 9 })
    expect(rec.attendance.leave).toEqual([expect.objectContaining({ memberId: c, approved: false, reason: '住院复查' })])

    expectOk(await env.call('checkin', 'decideLeave', { sessionId: s._id, memberId: c, approve: true }, BR2.secretary))
    env.clock.set(s.endAt + MIN)
    expectOk(await env.call('checkin', 'assignMakeUp', { sessionId: s._id, memberIds: [BR2.member], deadline: s.endAt + 7 * 24 * HOUR }, BR2.secretary))
    rec = await get(s._id, BR2.secretary)
    expect(rec.attendance.over).toBe(true)
    expect(recordFigures(rec.attendance)).toEqual(await rosterFigures(s._id))
    expect(rec.attendance.leave[0]).toMatchObject({ memberId: c, approved: true })
    expect(rec.attendance.absent.find((x) => x.memberId === BR2.member)?.makeup).toBe('assigned')
    expect(rec.attendance.attended.map((x) => x.memberId).sort()).toEqual([a, b].sort())
  })

  it('officers fill it; a stale save is a conflict; 主持人 must be of the branch', async () => {
    const s = await addSession(env)
    const first = expectOk(await save(s._id, { agenda: '学习党章第三章', chairId: BR2.secretary, recorderId: BR2.committee }, null))
    const rec = await get(s._id, BR2.committee)
    expect(rec.mayEdit).toBe(true)
    expect(rec.minutes).toMatchObject({ content: { agenda: '学习党章第三章', chairId: BR2.secretary }, updatedAt: first.updatedAt, lockedAt: null })
    expect(rec.minutes.chairName).not.toBe('')
    expect(rec.people.length).toBeGreaterThanOrEqual(12)

    // A second officer who read before the first saved.
    expectFail(await save(s._id, { decisions: '下周开展志愿服务' }, null, BR2.committee), 'CONFLICT')
    expectOk(await save(s._id, { decisions: '下周开展志愿服务' }, first.updatedAt, BR2.committee))
    const stranger = expectFail(await save(s._id, { chairId: DEMO_PEOPLE.member1 }, null), 'INVALID_INPUT')
    expect(stranger.message).toBe('主持人和记录人要从本支部党员中选择')
  })

  it('locks once the session is over and complete; then changes only by corrections with a reason, audited', async () => {
    const s = await addSession(env)
    let v = expectOk(await save(s._id, { agenda: '学习党章第三章' }, null)).updatedAt
    expectFail(await env.call('session', 'minutesLock', { sessionId: s._id, baseUpdatedAt: v }, BR2.secretary), 'CONFLICT')
    env.clock.set(s.endAt + MIN)
    const missing = expectFail(await env.call('session', 'minutesLock', { sessionId: s._id, baseUpdatedAt: v }, BR2.secretary), 'INVALID_INPUT')
    expect(missing.message).toBe('锁定前请填写：主持人、记录人')
    v = expectOk(await save(s._id, { chairId: BR2.secretary, recorderId: BR2.committee }, v)).updatedAt
    const locked = expectOk(await env.call<{ updatedAt: number; lockedAt: number }>('session', 'minutesLock', { sessionId: s._id, baseUpdatedAt: v }, BR2.secretary))
    expect(locked.lockedAt).toBe(s.endAt + MIN)

    env.clock.advance(HOUR)
    expect(expectFail(await save(s._id, { decisions: '形成三项决议' }, locked.updatedAt), 'INVALID_INPUT').message).toBe('记录已经锁定，修改要写明更正原因')
    const fixed = expectOk(await save(s._id, { decisions: '形成三项决议', recorderId: BR2.others[0] }, locked.updatedAt, BR2.committee, '补记决议、更正记录人'))
    expect(fixed.corrections).toBe(2)
    const rec = await get(s._id, BR2.member)
    expect(rec.minutes.lockedAt).toBe(locked.lockedAt)
    expect(rec.minutes.content.decisions).toBe('形成三项决议')
    expect(rec.minutes.corrections.map((c) => [c.field, c.before, c.after, c.by, c.reason])).toEqual([
      ['recorderId', BR2.committee, BR2.others[0], BR2.committee, '补记决议、更正记录人'],
      ['decisions', '', '形成三项决议', BR2.committee, '补记决议、更正记录人']
    ])
    const { data: audit } = await env.db.collection('audit').where({ action: 'minutes.correct' }).get()
    expect(audit).toEqual([expect.objectContaining({ actor: BR2.committee, target: { type: 'session', id: s._id } })])
    const { data: locks } = await env.db.collection('audit').where({ action: 'minutes.lock' }).get()
    expect(locks.length).toBe(1)
  })

  it('a member expected at the session reads it without others’ leave reasons; nobody else reads or writes it', async () => {
    const s = await addSession(env)
    expectOk(await env.call('checkin', 'requestLeave', { sessionId: s._id, reason: '陪家人看病' }, BR2.others[0]))
    expectOk(await save(s._id, { agenda: '学习党章第三章' }, null))
    const mine = await get(s._id, BR2.member)
    expect(mine.mayEdit).toBe(false)
    expect(mine.people).toEqual([])
    expect(mine.attendance.leave).toEqual([expect.objectContaining({ memberId: BR2.others[0] })])
    expect(JSON.stringify(mine)).not.toContain('陪家人看病')

    // A member's save, another branch's secretary, a session the member was not expected at.
    expectFail(await save(s._id, { agenda: '改掉' }, null, BR2.member), 'FORBIDDEN')
    expectFail(await env.call('session', 'minutes', { sessionId: s._id }, DEMO_PEOPLE.secretary3), 'FORBIDDEN')
    expectFail(await save(s._id, { agenda: '改掉' }, null, DEMO_PEOPLE.secretary3), 'FORBIDDEN')
    const committeeOnly = await addSession(env, { audience: { kind: 'committee' } })
    expectFail(await env.call('session', 'minutes', { sessionId: committeeOnly._id }, BR2.member), 'FORBIDDEN')
    expectFail(await env.call('session', 'minutes', { sessionId: 'no_such_session' }, BR2.secretary), 'NOT_FOUND')
  })

  it('refuses bad input with the error contract', async () => {
    const s = await addSession(env)
    const bad: Array<Record<string, unknown>> = [
      {},
      { sessionId: s._id },
      { sessionId: s._id, patch: {}, baseUpdatedAt: null },
      { sessionId: s._id, patch: { agenda: '学'.repeat(2001) }, baseUpdatedAt: null },
      { sessionId: s._id, patch: { agenda: 42 }, baseUpdatedAt: null },
      { sessionId: s._id, patch: { chairId: '../x' }, baseUpdatedAt: null },
      { sessionId: s._id, patch: { agenda: '学习' }, baseUpdatedAt: 'yesterday' },
      { sessionId: s._id, patch: { agenda: '学习', lockedAt: null }, baseUpdatedAt: null },
      { sessionId: s._id, patch: { materialIds: Array.from({ length: 11 }, (_, i) => `mat_${i}`) }, baseUpdatedAt: null }
    ]
    for (const input of bad) expectFail(await env.call('session', 'minutesSave', input, BR2.secretary), 'INVALID_INPUT')
    expectFail(await env.call('session', 'minutes', { sessionId: { $ne: null } }, BR2.secretary), 'INVALID_INPUT')
    // Nothing was written by any of them.
    expect((await get(s._id, BR2.secretary)).minutes.updatedAt).toBeNull()
  })

  it('the 会议记录 workbook holds the record’s names and counts, as the roster judges them', async () => {
    const s = await addSession(env, { startIn: -3 * HOUR, title: '11月集中学习' })
    const [a, b] = BR2.others
    for (const who of [a, b]) expectOk(await env.call('checkin', 'proxyCheckIn', { sessionId: s._id, memberId: who, reason: '纸质签到表补录' }, BR2.secretary))
    expectOk(await env.call('checkin', 'recordLeave', { sessionId: s._id, memberId: BR2.others[2], reason: '出差在外' }, BR2.secretary))
    expectOk(await save(s._id, { chairId: BR2.secretary, recorderId: BR2.committee, agenda: '学习党章第三章', decisions: '开展志愿服务' }, null))
    const rec = await get(s._id, BR2.secretary)

    const out = expectOk(await env.call<{ url: string; fileName: string }>('archive', 'ledger', { kind: 'minutes', branchId: 'br_2', period: '2026-11' }, BR2.secretary))
    expect(out.fileName).toContain('会议记录')
    const id = /^\/files\/([a-f0-9]{32})\//.exec(out.url)![1]
    const book = new ExcelJS.Workbook()
    await book.xlsx.load(readFileSync(join(env.dir, 'files', `${id}.bin`)) as never)
    const ws = book.worksheets[0]
    const header = (ws.getRow(2).values as unknown[]).slice(1).map(String)
    let row: unknown[] = []
    ws.eachRow((r) => {
      if (r.getCell(header.indexOf('会议名称') + 1).value === '11月集中学习') row = (r.values as unknown[]).slice(1)
    })
    const cell = (h: string) => row[header.indexOf(h)]
    const names = (text: unknown) => String(text).split('、').map((n) => n.replace(/（.*?）/g, '')).sort()
    expect(cell('主持人')).toBe(rec.minutes.chairName)
    expect(cell('应到')).toBe(rec.attendance.expected)
    expect(cell('实到')).toBe(rec.attendance.present)
    expect(cell('请假')).toBe(`${rec.attendance.leave[0].name}（出差在外）`)
    expect(names(cell('缺席'))).toEqual(rec.attendance.absent.map((x) => x.name).sort())
    expect(cell('议程与学习内容')).toBe('学习党章第三章')
    expect(cell('状态')).toBe('未锁定')
    const roster = await rosterFigures(s._id)
    expect([cell('应到'), cell('实到')]).toEqual([roster.expected, roster.present])
    // A member cannot export it; another branch's secretary cannot export this branch's.
    expectFail(await env.call('archive', 'ledger', { kind: 'minutes', branchId: 'br_2', period: '2026-11' }, BR2.member), 'FORBIDDEN')
    expectFail(await env.call('archive', 'ledger', { kind: 'minutes', branchId: 'br_2', period: '2026-11' }, DEMO_PEOPLE.secretary3), 'FORBIDDEN')
  })
})
