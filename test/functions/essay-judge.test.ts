/**
 * 心得 toward the four, and copying in a make-up, through the real functions
 * on a real SQLite file: a 心得 counts and earns its +2 only while it is
 * pending or passed, not returned, not mostly copied and long enough — in
 * the member's progress, the year-end check, the aggregates, the points, the
 * 个人档案 and the 笔记台账 alike; the minimum is an organisation setting.
 * A make-up handed in is checked for copying and indexed like any note: a
 * copied one is refused and earns nothing, an own one is credited and a
 * later copy of it is caught.
 */
import { readFileSync } from 'fs'
import { join } from 'path'
import ExcelJS from 'exceljs'
import { reconcileBranch } from '../../cloudfunctions/_shared/reconcile'
import { PRINTS } from '../../cloudfunctions/_shared/originality'
import { NoteProgressOutput, NoteYearEndOutput } from '../../src/core/functions/note'
import type { Note } from '../../src/core/schemas/note'
import { expectFail, expectOk, makeTestEnv, type TestEnv } from '../helpers/env'
import { addSession } from './checkin.fixtures'
import { addBranch, checkInNow, ownText, runtimeOf } from './judges.fixtures'
import { aggregateOf, ledgerOf, runCron } from './stats-support'

const DAY = 24 * 3600e3
const ADMIN = 'm_br_1_01'
let env: TestEnv
const [SEC, AUTHOR, COPIER, SHORT, MAKER, LATER] = ['be_1', 'be_2', 'be_3', 'be_4', 'be_5', 'be_6']

beforeAll(async () => {
  env = await makeTestEnv()
  env.clock.set(Date.parse('2026-11-02T02:00:00Z'))
  await addBranch(env, 'be', [{}, {}, {}, {}, {}, {}])
})
afterAll(() => env.close())

const ESSAY = ownText(21, 400)
const save = async (as: string, kind: 'note' | 'essay', content: string, title = '学习体会') =>
  expectOk(await env.call<{ note: Note; creditNotice: string }>('note', 'save', { kind, title, content }, as))

interface EssayViews {
  progress: number
  yearEnd: number
  aggregate: number
  points: number
  archive: number
  ledger: number
}

async function notesLedgerRow(memberId: string): Promise<unknown[]> {
  const out = expectOk(await env.call<{ url: string }>('archive', 'ledger', { kind: 'notes', branchId: 'be', period: '2026' }, SEC))
  const id = /^\/files\/([a-f0-9]{32})\//.exec(out.url)![1]
  const book = new ExcelJS.Workbook()
  await book.xlsx.load(readFileSync(join(env.dir, 'files', `${id}.bin`)) as never)
  const name = `be党员${memberId.slice(3)}`
  let cells: unknown[] = []
  book.worksheets[0].eachRow((r) => {
    const v = r.values as unknown[]
    if (v[1] === name) cells = v.slice(1)
  })
  return cells
}

/** Every count of a member's 心得 in 2026, and the essay points they hold. */
async function essayViews(memberId: string): Promise<EssayViews> {
  const progress = NoteProgressOutput.parse(expectOk(await env.call('note', 'progress', { year: 2026 }, memberId)))
  const yearEnd = NoteYearEndOutput.parse(expectOk(await env.call('note', 'yearEnd', { branchId: 'be', year: 2026 }, SEC)))
  const archive = expectOk(await env.call<{ archive: { notesTotals: { essays: number } } }>('archive', 'member', { memberId, year: 2026 }, SEC)).archive
  // 笔记台账 columns: 姓名, 篇数, 总字数, 计入字数, 心得体会篇数, …
  const row = await notesLedgerRow(memberId)
  return {
    progress: progress.essays,
    yearEnd: yearEnd.rows.find((r) => r.memberId === memberId)!.essays,
    aggregate: (await aggregateOf(env, 'member', memberId, '2026'))?.essays ?? 0,
    points: (await ledgerOf(env, memberId)).filter((e) => e.rule === 'essay').reduce((n, e) => n + e.delta, 0),
    archive: archive.notesTotals.essays,
    ledger: Number(row[4])
  }
}
const counted = { progress: 1, yearEnd: 1, aggregate: 1, points: 2, archive: 1, ledger: 1 }
const nowhere = { progress: 0, yearEnd: 0, aggregate: 0, points: 0, archive: 0, ledger: 0 }

describe('心得 toward the four: one judge in every view', () => {
  let essayId: string

  it('an own 心得, pending review, counts everywhere and earns +2', async () => {
    const { note } = await save(AUTHOR, 'essay', ESSAY)
    essayId = note._id
    expect(note.creditedWords).toBe(note.words)
    expect(await essayViews(AUTHOR)).toEqual(counted)
  })

  it('a 96 % copy of it counts nowhere and earns nothing, though its own words still count as words', async () => {
    const own = ownText(22, 16)
    const { note, creditNotice } = await save(COPIER, 'essay', ESSAY + own)
    expect(note.creditedWords / note.words).toBeLessThan(0.5)
    expect(note.creditedWords).toBeGreaterThan(0)
    expect(creditNotice).toMatch(/^有约 \d+ 字与/)
    expect(await essayViews(COPIER)).toEqual(nowhere)
    expect((await aggregateOf(env, 'member', COPIER, '2026'))!.creditedWords).toBe(note.creditedWords)
  })

  it('returned, it counts nowhere and its +2 is withdrawn; passed again, it counts again', async () => {
    expectOk(await env.call('note', 'review', { noteId: essayId, status: 'returned', comment: '请结合工作谈体会' }, SEC))
    expect(await essayViews(AUTHOR)).toEqual(nowhere)
    expect((await ledgerOf(env, AUTHOR)).filter((e) => e.rule === 'essay').map((e) => e.delta)).toEqual([2, -2])
    expectOk(await env.call('note', 'review', { noteId: essayId, status: 'passed' }, SEC))
    expect(await essayViews(AUTHOR)).toEqual(counted)
  })

  it('a short 心得 counts once the organisation sets a lower minimum, at once, and the nightly rebuild agrees', async () => {
    await save(SHORT, 'essay', ownText(23, 200))
    expect(await essayViews(SHORT)).toEqual(nowhere)
    // The member's page is told the minimum, to say why this one does not count.
    const minOf = async () => NoteProgressOutput.parse(expectOk(await env.call('note', 'progress', { year: 2026 }, SHORT))).essayMinWords
    expect(await minOf()).toBe(300)
    expectFail(await env.call('org', 'updateSettings', { orgId: 'be', essayMinWords: -1 }, ADMIN), 'INVALID_INPUT')
    expectFail(await env.call('org', 'updateSettings', { orgId: 'be', essayMinWords: 5001 }, ADMIN), 'INVALID_INPUT')
    expectFail(await env.call('org', 'updateSettings', { orgId: 'be', essayMinWords: 150 }, SEC), 'FORBIDDEN')
    expectOk(await env.call('org', 'updateSettings', { orgId: 'be', essayMinWords: 150 }, ADMIN))
    const { data } = await env.db.collection('orgs').doc('be').get()
    // The setting's own call rebuilt the year (recount.ts): the night finds nothing.
    const r = await reconcileBranch(runtimeOf(env), data as never, 2026)
    expect(r).toMatchObject({ aggregatesCorrected: 0, pointsCorrected: 0 })
    expect(await minOf()).toBe(150)
    expect(await essayViews(SHORT)).toEqual(counted)
    // The others are judged the same as before.
    expect(await essayViews(AUTHOR)).toEqual(counted)
    expect(await essayViews(COPIER)).toEqual(nowhere)
    expect(await reconcileBranch(runtimeOf(env), data as never, 2026)).toMatchObject({ aggregatesCorrected: 0, pointsCorrected: 0 })
  })
})

describe('a make-up note is checked for copying and indexed like any note', () => {
  let sessionId: string

  beforeAll(async () => {
    env.clock.set(Date.parse('2026-11-10T01:00:00Z'))
    const s = await addSession(env, { branchId: 'be', title: '学习贯彻全会精神', startIn: 5 * 60e3 })
    sessionId = s._id
    await checkInNow(env, s._id, SEC)
    env.clock.set(s.checkin.closesAt + 60e3)
    await runCron(env, 'tally')
    expectOk(await env.call('checkin', 'assignMakeUp', { sessionId, memberIds: [MAKER], deadline: env.clock.now() + 7 * DAY }, SEC))
  })

  it('a verbatim copy of a colleague’s 心得 is refused: no note, no words, no points', async () => {
    const before = await ledgerOf(env, MAKER)
    const err = expectFail(await env.call('checkin', 'makeUp', { sessionId, content: ESSAY }, MAKER), 'INVALID_INPUT')
    expect(err.message).toMatch(/^补学心得要用自己的话来写。有约 410 字与 2 篇已有笔记（2026-11-02）重复/)
    // Whose it was is never said.
    expect(err.message).not.toContain('be党员2')
    expect((await env.db.collection('notes').where({ memberId: MAKER }).get()).data).toEqual([])
    expect(await ledgerOf(env, MAKER)).toEqual(before)
    expect((await aggregateOf(env, 'member', MAKER, '2026-11'))?.creditedWords ?? 0).toBe(0)
    const { data } = await env.db.collection('makeups').where({ memberId: MAKER }).get()
    expect(data.map((m) => m.status)).toEqual(['assigned'])
  })

  it('mostly copied with a few words of one’s own is refused too', async () => {
    expectFail(await env.call('checkin', 'makeUp', { sessionId, content: ownText(24, 60) + ESSAY }, MAKER), 'INVALID_INPUT')
  })

  it('an own make-up is credited in full, indexed, and a later copy of it is caught', async () => {
    const own = ownText(25, 180)
    const out = expectOk(await env.call<{ creditedWords: number; words: number; creditNotice: string; makeup: { noteId: string } }>('checkin', 'makeUp', { sessionId, content: own }, MAKER))
    expect(out).toMatchObject({ creditedWords: out.words, creditNotice: '' })
    const { data: prints } = await env.db.collection(PRINTS).doc(out.makeup.noteId).get()
    expect(prints).toMatchObject({ memberId: MAKER })
    expect((prints as { pending?: string }).pending).toBeUndefined()
    env.clock.advance(DAY)
    const copy = await save(LATER, 'note', own)
    expect(copy.note.creditedWords).toBe(0)
    expect(copy.note.matches).toHaveLength(1)
    // The retried save answers with the same notice, in the same words.
    const again = expectOk(await env.call<{ creditNotice: string }>('note', 'save', { id: copy.note._id, version: 1, kind: 'note', title: '学习体会', content: own }, LATER))
    expect(again.creditNotice).toBe(copy.creditNotice)
  })
})
