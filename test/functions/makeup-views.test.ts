/**
 * 补学 judged once, through the real functions on a real SQLite file: a
 * make-up handed in is pending (补学待审) in every view — the member's own
 * record, the aggregates and points, the warnings' Art. 9 months, the
 * 个人档案 and the exported 签到台账 — and done (已补学) in every view only
 * once the secretary accepts it; a returned one is pending work again.
 * Every view keeps the absence and shows the make-up beside it.
 */
import { readFileSync } from 'fs'
import { join } from 'path'
import ExcelJS from 'exceljs'
import { CheckinMineOutput, MakeUpOutput } from '../../src/core/functions/checkin'
import { pointsKey } from '../../src/core/schemas/points'
import type { Session } from '../../src/core/schemas/session'
import { expectFail, expectOk, makeTestEnv, type TestEnv } from '../helpers/env'
import { addSession } from './checkin.fixtures'
import { addBranch, checkInNow, ownText } from './judges.fixtures'
import { aggregateOf, ledgerOf, runCron } from './stats-support'

const DAY = 24 * 3600e3
let env: TestEnv
let s: Session
const [SEC, ABSENT, CAME] = ['bm_1', 'bm_2', 'bm_3']

beforeAll(async () => {
  env = await makeTestEnv()
  env.clock.set(Date.parse('2026-11-05T01:00:00Z'))
  await addBranch(env, 'bm', [{}, {}, {}])
  s = await addSession(env, { branchId: 'bm', title: '十一月主题党日', startIn: 5 * 60e3 })
  await checkInNow(env, s._id, SEC)
  await checkInNow(env, s._id, CAME)
  env.clock.set(s.checkin.closesAt + 60e3)
  await runCron(env, 'tally')
  expectOk(await env.call('checkin', 'assignMakeUp', { sessionId: s._id, memberIds: [ABSENT], deadline: env.clock.now() + 14 * DAY }, SEC))
})
afterAll(() => env.close())

interface Views {
  state: string
  makeupStatus?: string
  mine: { absent: number; madeUp: number }
  aggregate: { absent: number; makeups: number }
  points: number
  archiveMark: string
  archive: { absent: number; madeUp: number }
  ledgerMark: string
  ledger: { absent: number; madeUp: number }
}

async function ledgerSheet(): Promise<ExcelJS.Worksheet> {
  const out = expectOk(await env.call<{ url: string }>('archive', 'ledger', { kind: 'attendance', branchId: 'bm', period: '2026' }, SEC))
  const id = /^\/files\/([a-f0-9]{32})\//.exec(out.url)![1]
  const book = new ExcelJS.Workbook()
  await book.xlsx.load(readFileSync(join(env.dir, 'files', `${id}.bin`)) as never)
  return book.worksheets[0]
}

/** Every view of the absent member's part in the session. */
async function views(): Promise<Views> {
  const mine = CheckinMineOutput.parse(expectOk(await env.call('checkin', 'mine', { year: 2026 }, ABSENT)))
  const row = mine.rows.find((r) => r.sessionId === s._id)!
  const agg = (await aggregateOf(env, 'member', ABSENT, '2026-11'))!
  const archive = expectOk(await env.call<{ archive: { attendance: { title: string; mark: string }[]; attendanceTotals: { absent: number; madeUp: number } } }>('archive', 'member', { memberId: ABSENT, year: 2026 }, SEC)).archive
  const sheet = await ledgerSheet()
  // Header row, then members by name; columns: 姓名, the session, 应到, 实到, 迟到, 请假, 补学, 缺席, 出勤率.
  let cells: unknown[] = []
  sheet.eachRow((r) => {
    const v = r.values as unknown[]
    if (String(v[1] ?? '') === 'bm党员2') cells = v.slice(1)
  })
  return {
    state: row.state,
    makeupStatus: row.makeupStatus,
    mine: { absent: mine.counts.absent, madeUp: mine.counts.madeUp },
    aggregate: { absent: agg.absent, makeups: agg.makeups },
    points: (await ledgerOf(env, ABSENT)).reduce((n, e) => n + e.delta, 0),
    archiveMark: archive.attendance.find((a) => a.title === s.title)!.mark,
    archive: archive.attendanceTotals,
    ledgerMark: String(cells[1]),
    ledger: { absent: Number(cells[7]), madeUp: Number(cells[6]) }
  }
}

const NOTE = ownText(7, 120)

describe('补学: pending everywhere until accepted, then done everywhere', () => {
  it('handed in: 补学待审 — the absence stands in every view, nothing counted or earned yet', async () => {
    const handed = MakeUpOutput.parse(expectOk(await env.call('checkin', 'makeUp', { sessionId: s._id, content: NOTE }, ABSENT)))
    expect(handed).toMatchObject({ makeup: { status: 'submitted' }, creditedWords: handed.words, creditNotice: '' })
    expect(await views()).toEqual({
      state: 'absent',
      makeupStatus: 'submitted',
      mine: { absent: 1, madeUp: 0 },
      aggregate: { absent: 1, makeups: 0 },
      points: -2,
      archiveMark: '缺席',
      archive: expect.objectContaining({ absent: 1, madeUp: 0 }),
      ledgerMark: '缺席',
      ledger: { absent: 1, madeUp: 0 }
    })
  })

  it('returned: still pending work, still an absence', async () => {
    expectOk(await env.call('checkin', 'reviewMakeUp', { sessionId: s._id, memberId: ABSENT, accept: false, note: '请联系本职工作再写写' }, SEC))
    expect(await views()).toMatchObject({ state: 'absent', makeupStatus: 'returned', mine: { madeUp: 0 }, aggregate: { makeups: 0 }, points: -2, archiveMark: '缺席', ledgerMark: '缺席' })
  })

  it('accepted: 已补学 in every view, beside the absence it made up for, and its point given once', async () => {
    expectOk(await env.call('checkin', 'makeUp', { sessionId: s._id, content: NOTE + ownText(8, 30) }, ABSENT))
    expectOk(await env.call('checkin', 'reviewMakeUp', { sessionId: s._id, memberId: ABSENT, accept: true }, SEC))
    expect(await views()).toEqual({
      state: 'made_up',
      makeupStatus: 'accepted',
      mine: { absent: 1, madeUp: 1 },
      aggregate: { absent: 1, makeups: 1 },
      points: -2 + 1,
      archiveMark: '已补学',
      archive: expect.objectContaining({ absent: 1, madeUp: 1 }),
      ledgerMark: '已补学',
      ledger: { absent: 1, madeUp: 1 }
    })
    expect((await ledgerOf(env, ABSENT)).filter((e) => e.rule === 'makeup').map((e) => [e.key, e.delta])).toEqual([[pointsKey('makeup', s._id, ABSENT), 1]])
    // Accepting again changes nothing.
    expectOk(await env.call('checkin', 'reviewMakeUp', { sessionId: s._id, memberId: ABSENT, accept: true }, SEC))
    expect((await views()).points).toBe(-1)
  })

  it('refuses what does not fit', async () => {
    expectFail(await env.call('checkin', 'makeUp', { sessionId: s._id, content: NOTE }, ABSENT), 'CONFLICT')
    expectFail(await env.call('checkin', 'makeUp', { sessionId: s._id, content: NOTE }, CAME), 'NOT_FOUND')
    expectFail(await env.call('checkin', 'reviewMakeUp', { sessionId: s._id, memberId: CAME, accept: true }, SEC), 'NOT_FOUND')
    expectFail(await env.call('checkin', 'reviewMakeUp', { sessionId: s._id, memberId: ABSENT, accept: 'yes' }, SEC), 'INVALID_INPUT')
    expectFail(await env.call('checkin', 'reviewMakeUp', { sessionId: s._id, memberId: ABSENT, accept: true }, CAME), 'FORBIDDEN')
  })
})
