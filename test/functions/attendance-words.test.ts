/**
 * One session of one branch, read through every API that counts it, on a
 * real SQLite file: the 签到大屏 roster (session.roster), each member's own
 * record (checkin.mine), their 个人档案 (archive.member), the exported
 * 签到台账 (archive.ledger) and the workbench (org.todo) give the same 应到 /
 * 实到 and the same word for each member (core/checkin/words.ts).
 */
import { readFileSync } from 'fs'
import { join } from 'path'
import ExcelJS from 'exceljs'
import { attendanceFigures, sessionFigures } from '../../src/core/checkin/attendance'
import { stateWord } from '../../src/core/checkin/words'
import { CheckinMineOutput } from '../../src/core/functions/checkin'
import { OrgTodoOutput } from '../../src/core/functions/org'
import { SessionRosterOutput } from '../../src/core/functions/session'
import type { MemberArchive } from '../../src/core/ledgers/archive'
import type { Session } from '../../src/core/schemas/session'
import { expectOk, makeTestEnv, type TestEnv } from '../helpers/env'
import { addSession } from './checkin.fixtures'
import { addBranch, checkInNow, ownText } from './judges.fixtures'
import { runCron } from './stats-support'

const MIN = 60e3
let env: TestEnv
let s: Session
// 书记 and 准时 on time, 迟到 late, 请假 approved, 待批 asked and never answered, 缺席 nothing.
const [SEC, ON_TIME, LATE, LEAVE, PENDING, ABSENT] = ['bw_1', 'bw_2', 'bw_3', 'bw_4', 'bw_5', 'bw_6']
const ALL = [SEC, ON_TIME, LATE, LEAVE, PENDING, ABSENT]

beforeAll(async () => {
  env = await makeTestEnv()
  env.clock.set(Date.parse('2026-11-05T01:00:00Z'))
  await addBranch(env, 'bw', ALL.map(() => ({})))
  s = await addSession(env, { branchId: 'bw', title: '十一月主题党日', startIn: 5 * MIN })
  expectOk(await env.call('checkin', 'requestLeave', { sessionId: s._id, reason: '出差' }, LEAVE))
  expectOk(await env.call('checkin', 'decideLeave', { sessionId: s._id, memberId: LEAVE, approve: true }, SEC))
  expectOk(await env.call('checkin', 'requestLeave', { sessionId: s._id, reason: '家中有事' }, PENDING))
  await checkInNow(env, s._id, SEC)
  await checkInNow(env, s._id, ON_TIME)
  env.clock.set(s.checkin.lateAfter + MIN)
  await checkInNow(env, s._id, LATE)
  env.clock.set(s.checkin.closesAt + MIN)
  await runCron(env, 'tally')
})
afterAll(() => env.close())

async function ledgerRows(): Promise<unknown[][]> {
  const out = expectOk(await env.call<{ url: string }>('archive', 'ledger', { kind: 'attendance', branchId: 'bw', period: '2026' }, SEC))
  const id = /^\/files\/([a-f0-9]{32})\//.exec(out.url)![1]
  const book = new ExcelJS.Workbook()
  await book.xlsx.load(readFileSync(join(env.dir, 'files', `${id}.bin`)) as never)
  const rows: unknown[][] = []
  book.worksheets[0].eachRow((r) => rows.push((r.values as unknown[]).slice(1)))
  return rows
}

/** The roster's state in the member's words: a request still waiting excuses nobody. */
const ROSTER_STATE = { attended: 'attended', late: 'late', leave_approved: 'leave', leave_pending: 'absent', absent: 'absent' } as const

/** Reads every API and checks they agree; returns each member's word and the session's figures. */
async function agree(): Promise<{ words: Record<string, string>; f: ReturnType<typeof sessionFigures> }> {
  const roster = SessionRosterOutput.parse(expectOk(await env.call('session', 'roster', { sessionId: s._id }, SEC)))
  const f = sessionFigures(roster.counts)
  expect(f).toMatchObject({ expected: 6, present: 3, leave: 1, leavePending: 1, missing: 2 })
  expect(f.rate).toBeCloseTo(3 / 5, 12)

  const rows = await ledgerRows()
  const header = rows.findIndex((r) => r.map(String).includes('应到'))
  const heads = rows[header].map(String)
  const col = heads.findIndex((h) => h.includes('主题党日'))
  const at = (h: string) => heads.indexOf(h)
  // The 签到台账's 实到 / 应到 line for the session.
  expect(rows.find((r) => r[0] === '实到 / 应到')![col]).toBe(`${f.present}/${f.expected}`)
  expect(heads.slice(at('应到'), at('出勤率') + 1)).toEqual(['应到', '实到', '迟到', '请假', '已补学', '缺席', '出勤率'])

  const words: Record<string, string> = {}
  let expected = 0
  let present = 0
  for (const id of ALL) {
    const mine = CheckinMineOutput.parse(expectOk(await env.call('checkin', 'mine', { year: 2026 }, id)))
    const row = mine.rows.find((r) => r.sessionId === s._id)!
    const excused = row.at === undefined && row.leaveStatus === 'approved'
    const word = stateWord(row.state, { excused })
    // The roster tells who came and who was excused; a 补学 done since is the record's business, beside it.
    const attendance = row.state === 'made_up' ? (excused ? 'leave' : 'absent') : row.state
    const archive = expectOk(await env.call<{ archive: MemberArchive }>('archive', 'member', { memberId: id, year: 2026 }, SEC)).archive
    const name = archive.member.name
    const ledgerRow = rows.find((r) => r[0] === name)!
    const rosterRow = roster.rows.find((r) => r.member._id === id)!
    // One word per member, whichever view.
    expect({ id, archive: archive.attendance.find((a) => a.title === s.title)!.mark, ledger: ledgerRow[col], roster: ROSTER_STATE[rosterRow.state] }).toEqual({ id, archive: word, ledger: word, roster: attendance })
    // One year's figures per member, whichever view.
    const fig = attendanceFigures(mine.counts)
    const { rate, ...counts } = fig
    expect({ id, ...archive.attendanceTotals, rate: archive.attendanceTotals.rate }).toEqual({ id, ...counts, rate: rate === null ? null : Math.round(rate * 1000) / 1000 })
    expect(ledgerRow.slice(at('应到'), at('缺席') + 1)).toEqual([counts.expected, counts.present, counts.late, counts.leave, counts.madeUp, counts.absent])
    words[id] = word
    expected += fig.expected
    present += fig.present
  }
  // The members' own pages add up to the session's figures.
  expect({ expected, present }).toEqual({ expected: f.expected, present: f.present })
  return { words, f }
}

it('every API gives the session the same 应到 / 实到 and each member the same word', async () => {
  const { words, f } = await agree()
  expect(words).toEqual({ [SEC]: '出席', [ON_TIME]: '出席', [LATE]: '迟到', [LEAVE]: '请假', [PENDING]: '缺席', [ABSENT]: '缺席' })

  // The workbench counts the request still waiting as the roster does.
  const todo = OrgTodoOutput.parse(expectOk(await env.call('org', 'todo', { branchId: 'bw' }, SEC)))
  expect(todo.leaves).toBe(f.leavePending)
})

it('a make-up accepted reads 已补学 for an absence and 请假（已补学）for a leave, in every view', async () => {
  expectOk(await env.call('checkin', 'assignMakeUp', { sessionId: s._id, memberIds: [LEAVE, ABSENT], deadline: env.clock.now() + 14 * 24 * 60 * MIN }, SEC))
  // Each in their own words: a copied make-up is refused.
  for (const [who, seed] of [[LEAVE, 12], [ABSENT, 13]] as const) {
    expectOk(await env.call('checkin', 'makeUp', { sessionId: s._id, content: ownText(seed, 160) }, who))
    expectOk(await env.call('checkin', 'reviewMakeUp', { sessionId: s._id, memberId: who, accept: true }, SEC))
  }
  const { words, f } = await agree()
  expect(words).toMatchObject({ [LEAVE]: '请假（已补学）', [ABSENT]: '已补学', [PENDING]: '缺席' })
  // 补学 is study, not presence: the session's figures do not move.
  expect(f).toMatchObject({ expected: 6, present: 3, leave: 1, missing: 2 })
})
