/**
 * Membership over time through the local runtime on a real SQLite file: a
 * member is expected only at sessions held while they belonged to the
 * branch, and every view of their year (own page, 签到台账, 个人档案,
 * aggregates, ledger, warnings, the nightly reconciliation) says the same.
 * Also: 双重组织生活 waits for the month's sessions to be over.
 */
import { readFileSync } from 'fs'
import { join } from 'path'
import ExcelJS from 'exceljs'
import { CheckinMineOutput } from '../../src/core/functions/checkin'
import { SessionDualLifeOutput } from '../../src/core/functions/session'
import { WarningsOutput } from '../../src/core/functions/stats'
import { memberNoteQuota } from '../../src/core/notes/prorate'
import { noteQuota } from '../../src/core/notes/quota'
import { periodBounds } from '../../src/core/period'
import { MemberSchema, type Member } from '../../src/core/schemas/member'
import { SessionSchema, type Session } from '../../src/core/schemas/session'
import { settingsFor } from '../../cloudfunctions/_shared/settings'
import { fetchAll } from '../../cloudfunctions/_shared/paging'
import { makeLocalRuntime } from '../../server/local-runtime'
import { expectOk, makeTestEnv, TEST_SECRET, type TestEnv } from '../helpers/env'
import { unknownText } from './materials.fixtures'
import { aggregateOf, ledgerOf, runCron } from './stats-support'

const HOUR = 3_600_000
const DAY = 24 * HOUR
const sh = (iso: string): number => Date.parse(`${iso}+08:00`)
/** Friday 20 November 2026, 10:00 in Shanghai: the test clock's start. */
const T0 = sh('2026-11-20T10:00')
const SECRETARY = 'm_br_2_01'
const ADMIN = 'm_br_1_01'

let env: TestEnv
beforeAll(async () => {
  env = await makeTestEnv()
  env.clock.set(T0)
  // The seed's year as the nightly run leaves it: what follows must add no drift of its own.
  await runCron(env, 'tally')
  await runCron(env, 'reconcile', { year: 2026 })
}, 120_000)
afterAll(() => env.close())

async function memberDoc(id: string): Promise<Member> {
  return MemberSchema.parse((await env.db.collection('members').doc(id).get()).data)
}

/** The branch's sessions the member was in the audience of by today's roles: branch-wide ones only, for a plain member. */
async function branchWideHeld(branchId: string, from: number, to: number): Promise<Session[]> {
  const docs = await fetchAll(env.db.collection('sessions').where({ branchId }), { cap: 10000 })
  return docs
    .map((d) => SessionSchema.parse(d))
    .filter((s) => s.status === 'scheduled' && s.talliedAt !== undefined && s.audience.kind === 'branch' && s.startAt >= from && s.startAt < to)
}

async function rosterIds(sessionId: string): Promise<string[]> {
  const out = expectOk(await env.call<{ rows: { member: { _id: string } }[] }>('session', 'roster', { sessionId }, SECRETARY))
  return out.rows.map((r) => r.member._id)
}

async function ledgerRow(branchId: string, name: string): Promise<{ expected: number; absent: number; marks: string[] }> {
  const out = expectOk(await env.call<{ url: string }>('archive', 'ledger', { kind: 'attendance', branchId, period: '2026' }, SECRETARY))
  const id = /^\/files\/([a-f0-9]{32})\//.exec(out.url)![1]
  const book = new ExcelJS.Workbook()
  await book.xlsx.load(readFileSync(join(env.dir, 'files', `${id}.bin`)) as never)
  let cells: unknown[] = []
  book.worksheets[0].eachRow((r) => {
    const v = (r.values as unknown[]).slice(1)
    if (String(v[0] ?? '').startsWith(name)) cells = v
  })
  // 姓名, one column per session, then 应到 实到 迟到 请假 补学 缺席 出勤率.
  let header: string[] = []
  book.worksheets[0].eachRow((r) => {
    const v = (r.values as unknown[]).slice(1).map(String)
    if (v.includes('应到')) header = v
  })
  const col = (h: string) => Number(cells[header.indexOf(h)] ?? 0)
  return { expected: col('应到'), absent: col('缺席'), marks: cells.slice(1, header.indexOf('应到')).map(String) }
}

async function views(memberId: string, as: string) {
  const m = await memberDoc(memberId)
  const mine = CheckinMineOutput.parse(expectOk(await env.call('checkin', 'mine', { year: 2026 }, as)))
  const archive = expectOk(await env.call<{ archive: { attendanceTotals: { expected: number; absent: number } } }>('archive', 'member', { memberId, year: 2026 }, as)).archive
  const agg = await aggregateOf(env, 'member', memberId, '2026')
  const absenceLines = (await ledgerOf(env, memberId)).filter((e) => e.rule === 'absent')
  const sheet = await ledgerRow(m.branchId, m.name)
  return {
    mine: { due: mine.counts.due, absent: mine.counts.absent, firstHeld: Math.min(...mine.rows.map((r) => r.startAt)) },
    archive: { expected: archive.attendanceTotals.expected, absent: archive.attendanceTotals.absent },
    aggregate: { expected: agg?.expected ?? 0, absent: agg?.absent ?? 0 },
    ledgerPoints: absenceLines.reduce((s, e) => s + e.delta, 0),
    sheet
  }
}

describe('a member confirmed today', () => {
  let id = ''

  it('joins with the invite code, is confirmed, and owes none of the year before', async () => {
    const joined = expectOk(await env.call<{ me: { member: Member } }>('auth', 'joinBranch', { inviteCode: 'DEMO0002', name: '新来的同志' }, 'newbie'))
    id = joined.me.member._id
    expectOk(await env.call('org', 'confirmMember', { memberId: id, accept: true }, SECRETARY))
    expect((await memberDoc(id)).joinedAt).toBe(T0)

    const mine = CheckinMineOutput.parse(expectOk(await env.call('checkin', 'mine', { year: 2026 }, 'newbie')))
    expect(mine.counts).toMatchObject({ held: 0, absent: 0, due: 0 })
    expect(mine.rows.every((r) => r.startAt >= T0 && r.state === 'upcoming')).toBe(true)
    expect(mine.rate).toBeNull()
    // Nor on the roster of a meeting held before today.
    const past = (await branchWideHeld('br_2', 0, T0)).at(-1)!
    expect(await rosterIds(past._id)).not.toContain(id)
  })

  it('has no warning and no Art. 9 alert, also once the day goes on with nothing written yet', async () => {
    env.clock.set(T0 + 2 * HOUR)
    const out = WarningsOutput.parse(expectOk(await env.call('stats', 'warnings', { branchId: 'br_2' }, SECRETARY)))
    expect(out.warnings.find((w) => w.memberId === id)).toBeUndefined()
  })

  it('the nightly reconciliation agrees with the write paths: no absence made, nothing corrected', async () => {
    const night = await runCron(env, 'reconcile', { year: 2026 })
    expect(night.corrected).toBe(0)
    expect(await ledgerOf(env, id)).toEqual([])
    const sheet = await ledgerRow('br_2', '新来的同志')
    expect(sheet.marks.every((m) => m === '—' || m === '')).toBe(true)
    expect({ expected: sheet.expected, absent: sheet.absent }).toEqual({ expected: 0, absent: 0 })
    // The branch counts them from this period on, never in an earlier one.
    expect((await aggregateOf(env, 'branch', 'br_2', '2026-11'))!.members).toBe((await aggregateOf(env, 'branch', 'br_2', '2026'))!.members)
    expect((await aggregateOf(env, 'branch', 'br_2', '2026-10'))!.members).toBe((await aggregateOf(env, 'branch', 'br_2', '2026-11'))!.members - 1)
  })

  it('is expected from the next session on: missing this afternoon’s 党课 is an absence everywhere', async () => {
    const lecture = (await branchWideHeld('br_2', 0, Infinity)).length
    const next = (await fetchAll(env.db.collection('sessions').where({ branchId: 'br_2' }), { cap: 10000 }))
      .map((d) => SessionSchema.parse(d))
      .filter((s) => s.startAt > T0 && s.status === 'scheduled' && s.audience.kind === 'branch')
      .sort((a, b) => a.startAt - b.startAt)[0]
    expect(next).toBeDefined()
    env.clock.set(Math.max(next.endAt, next.checkin.closesAt) + 60_000)
    await runCron(env, 'tally')
    expect((await branchWideHeld('br_2', 0, Infinity)).length).toBe(lecture + 1)
    const v = await views(id, 'newbie')
    expect(v).toMatchObject({ mine: { due: 1, absent: 1 }, archive: { expected: 1, absent: 1 }, aggregate: { expected: 1, absent: 1 }, sheet: { expected: 1, absent: 1 } })
    expect(v.ledgerPoints).toBeLessThan(0)
    expect((await runCron(env, 'reconcile', { year: 2026 })).corrected).toBe(0)
    // The clock runs on from here: a transfer cannot precede a session already counted.
  })
})

describe('a member who joined mid-year', () => {
  const JOINED = sh('2026-07-01T09:00')
  const ID = 'm_mid_year'

  beforeAll(async () => {
    // Confirmed on 1 July: the seed's year before that is not theirs. Written directly, so the
    // nightly run is what counts their year from the raw facts.
    const base = await memberDoc('m_br_2_05')
    await env.db.collection('members').add({
      data: { ...base, _id: ID, name: '年中入支部', openid: `dev_${ID}`, groupId: null, roles: [], leadingCadre: false, exempt: null, rosterKey: undefined, joinedAt: JOINED, createdAt: JOINED }
    })
    await runCron(env, 'reconcile', { year: 2026 })
  })

  it('is expected only from joining: own page, 签到台账, 个人档案, aggregates and ledger agree', async () => {
    const owed = (await branchWideHeld('br_2', JOINED, Infinity)).length
    expect(owed).toBeGreaterThan(3)
    const before = (await branchWideHeld('br_2', 0, JOINED)).length
    expect(before).toBeGreaterThan(3)
    const v = await views(ID, ID)
    expect(v.mine.firstHeld).toBeGreaterThanOrEqual(JOINED)
    expect({ mine: v.mine.absent, due: v.mine.due, archive: v.archive, aggregate: v.aggregate, sheet: { expected: v.sheet.expected, absent: v.sheet.absent } }).toEqual({
      mine: owed,
      due: owed,
      archive: { expected: owed, absent: owed },
      aggregate: { expected: owed, absent: owed },
      sheet: { expected: owed, absent: owed }
    })
    expect(v.ledgerPoints).toBe(-2 * owed)
    // Every column before July reads “—”: not in the audience then.
    expect(v.sheet.marks.filter((m) => m === '缺席')).toHaveLength(owed)
    // A second night finds nothing.
    expect((await runCron(env, 'reconcile', { year: 2026 })).corrected).toBe(0)
  })

  it('owes the notes of the part of the year they belonged, at a pace from joining', async () => {
    const m = await memberDoc(ID)
    const settings = await settingsFor(makeLocalRuntime({ db: env.db, secret: TEST_SECRET, production: false, clock: env.clock, log: () => undefined, filesDir: env.dir }, { openid: null, source: 'none' }), m.orgPath)
    const progress = expectOk(await env.call<{ wordQuota: number; essayQuota: number; paceSentence: string }>('note', 'progress', { year: 2026 }, ID))
    const full = noteQuota(m, settings, 2026)!
    expect(progress.wordQuota).toBe(memberNoteQuota(m, settings, 2026)!.words)
    expect(progress.wordQuota).toBeLessThan(full.words * 0.55)
    expect(progress.wordQuota).toBeGreaterThan(full.words * 0.45)
    expect(progress.paceSentence).toContain('7月1日 加入')
    expect((await aggregateOf(env, 'member', ID, '2026'))!.quotaWords).toBe(progress.wordQuota)
  })

  it('Art. 9 counts only whole months since joining', async () => {
    const out = WarningsOutput.parse(expectOk(await env.call('stats', 'warnings', { branchId: 'br_2' }, SECRETARY)))
    const w = out.warnings.find((x) => x.memberId === ID)
    // August, September, October: whole months with nothing (the default alert starts at 3).
    // Never the six and more the seed's year would give.
    expect(w?.alert).toMatchObject({ months: 3, severity: 'notice' })
    expect(w!.alert!.text).not.toContain('满六个月')
  })
})

describe('a transfer keeps each branch its share', () => {
  const ID = 'm_br_2_09'

  it('the old branch keeps the sessions held before, the new one expects them from the transfer on', async () => {
    const movedAt = env.clock.now()
    const owed = (await branchWideHeld('br_2', 0, movedAt)).at(-1)!
    expect(await rosterIds(owed._id)).toContain(ID)
    const mineBefore = CheckinMineOutput.parse(expectOk(await env.call('checkin', 'mine', { year: 2026 }, ID)))
    expectOk(await env.call('org', 'transferMember', { memberId: ID, toBranchId: 'br_1' }, ADMIN))
    expect((await runCron(env, 'reconcile', { year: 2026 })).corrected).toBe(0)
    const mineAfter = CheckinMineOutput.parse(expectOk(await env.call('checkin', 'mine', { year: 2026 }, ID)))
    // The year held in 第二党支部 is all still there.
    const held = (rows: typeof mineAfter.rows) => rows.filter((r) => r.state !== 'upcoming').map((r) => `${r.sessionId}:${r.state}`)
    expect(held(mineAfter.rows)).toEqual(held(mineBefore.rows))
    // The old branch's roster of a meeting held before still lists them.
    expect(await rosterIds(owed._id)).toContain(ID)
    // Of 第一党支部 only what comes after the transfer.
    const br1 = new Set((await fetchAll(env.db.collection('sessions').where({ branchId: 'br_1' }), { cap: 10000 })).map((d) => String(d._id)))
    expect(mineAfter.rows.filter((r) => br1.has(r.sessionId)).every((r) => r.startAt >= movedAt)).toBe(true)
    // The branch counts: the old one keeps them in every period so far, the new one from this month.
    expect((await aggregateOf(env, 'branch', 'br_1', '2026-10'))!.members).toBe((await aggregateOf(env, 'branch', 'br_1', '2026-11'))!.members - 1)
  })

  it('an absence after the transfer is the new branch’s, and nothing drifts', async () => {
    const start = env.clock.now() + DAY
    const next = expectOk(
      await env.call<{ sessions: Session[] }>(
        'session',
        'create',
        { branchId: 'br_1', title: '转接后的支部学习', type: 'group_study', startAt: start, endAt: start + 2 * HOUR, venue: { name: '会议室' } },
        'm_br_1_02'
      )
    ).sessions[0]
    expect((CheckinMineOutput.parse(expectOk(await env.call('checkin', 'mine', { year: 2026 }, ID)))).rows.find((r) => r.sessionId === next._id)?.state).toBe('upcoming')
    env.clock.set(Math.max(next.endAt, next.checkin.closesAt) + 60_000)
    const br1Before = (await aggregateOf(env, 'branch', 'br_1', '2026'))?.absent ?? 0
    const br2Before = (await aggregateOf(env, 'branch', 'br_2', '2026'))?.absent ?? 0
    await runCron(env, 'tally')
    const lines = (await ledgerOf(env, ID)).filter((e) => e.rule === 'absent' && e.sourceId === next._id)
    expect(lines.map((e) => [e.branchId, e.delta])).toEqual([['br_1', -2]])
    expect(((await aggregateOf(env, 'branch', 'br_1', '2026'))?.absent ?? 0) - br1Before).toBeGreaterThanOrEqual(1)
    // 第二党支部's year is untouched by anything after the transfer.
    expect((await aggregateOf(env, 'branch', 'br_2', '2026'))?.absent ?? 0).toBe(br2Before)
    expect((await runCron(env, 'reconcile', { year: 2026 })).corrected).toBe(0)
  })
})

describe('a change after a transfer to the old branch’s fact is the old branch’s', () => {
  const ID = 'm_br_2_10'
  let noteId = ''

  it('a note written before moving, removed after: the old branch’s figures and ledger move, the new one’s do not', async () => {
    const saved = expectOk(await env.call<{ note: { _id: string; creditedWords: number; version: number } }>('note', 'save', { kind: 'note', title: '转接前的笔记', content: unknownText(400, 31) }, ID)).note
    // And one that stays, for the 笔记台账 below.
    noteId = expectOk(await env.call<{ note: { _id: string } }>('note', 'save', { kind: 'note', title: '转接前留下的笔记', content: unknownText(350, 33) }, ID)).note._id
    expect(saved.creditedWords).toBeGreaterThan(300)
    expectOk(await env.call('org', 'transferMember', { memberId: ID, toBranchId: 'br_1' }, ADMIN))
    const before = { br1: (await aggregateOf(env, 'branch', 'br_1', '2026'))?.creditedWords ?? 0, br2: (await aggregateOf(env, 'branch', 'br_2', '2026'))?.creditedWords ?? 0 }
    expectOk(await env.call('note', 'remove', { noteId: saved._id, version: saved.version }, ID))
    expect((await aggregateOf(env, 'branch', 'br_2', '2026'))?.creditedWords ?? 0).toBe(before.br2 - saved.creditedWords)
    expect((await aggregateOf(env, 'branch', 'br_1', '2026'))?.creditedWords ?? 0).toBe(before.br1)
    const lines = (await ledgerOf(env, ID)).filter((e) => e.sourceId === saved._id)
    expect(lines.length).toBeGreaterThan(0)
    expect(new Set(lines.map((e) => e.branchId))).toEqual(new Set(['br_2']))
    expect((await runCron(env, 'reconcile', { year: 2026 })).corrected).toBe(0)
  })

  it('the 笔记台账 of the new branch lists the member once, with the notes written before the move', async () => {
    const kept = expectOk(await env.call<{ note: { _id: string; creditedWords: number } }>('note', 'save', { kind: 'note', title: '转接后的笔记', content: unknownText(300, 32) }, ID)).note
    const progress = expectOk(await env.call<{ creditedWords: number }>('note', 'progress', { year: 2026 }, ID))
    const out = expectOk(await env.call<{ url: string }>('archive', 'ledger', { kind: 'notes', branchId: 'br_1', period: '2026' }, 'm_br_1_02'))
    const id = /^\/files\/([a-f0-9]{32})\//.exec(out.url)![1]
    const book = new ExcelJS.Workbook()
    await book.xlsx.load(readFileSync(join(env.dir, 'files', `${id}.bin`)) as never)
    const name = (await memberDoc(ID)).name
    const rows: unknown[][] = []
    let header: string[] = []
    book.worksheets[0].eachRow((r) => {
      const v = (r.values as unknown[]).slice(1)
      if (v.map(String).includes('计入字数')) header = v.map(String)
      if (v[0] === name) rows.push(v)
    })
    expect(rows).toHaveLength(1)
    expect(Number(rows[0][header.indexOf('计入字数')])).toBe(progress.creditedWords)
    const staying = expectOk(await env.call<{ note: { creditedWords: number; branchId: string } }>('note', 'get', { noteId }, ID)).note
    expect(staying.branchId).toBe('br_2')
    expect(progress.creditedWords).toBeGreaterThanOrEqual(kept.creditedWords + staying.creditedWords)
  })
})

describe('双重组织生活 waits for the month’s sessions to be over', () => {
  it('a leader with this month’s sessions still ahead is not flagged; once they are over, they are', async () => {
    const leaders = (await fetchAll(env.db.collection('members').where({ branchId: 'br_2', leadingCadre: true }), { cap: 100 })).map((d) => MemberSchema.parse(d))
    expect(leaders.length).toBeGreaterThan(0)
    const month = '2026-12'
    // 1 December: the month's sessions are all ahead.
    env.clock.set(sh('2026-12-01T09:00'))
    const created = expectOk(
      await env.call<{ sessions: Session[] }>(
        'session',
        'create',
        {
          branchId: 'br_2',
          title: '12月主题党日（测试）',
          type: 'theme_day',
          startAt: sh('2026-12-18T14:00'),
          endAt: sh('2026-12-18T16:00'),
          venue: { name: '三楼会议室' }
        },
        SECRETARY
      )
    ).sessions
    const early = SessionDualLifeOutput.parse(expectOk(await env.call('session', 'dualLife', { branchId: 'br_2', month }, SECRETARY)))
    expect(early.missing).toEqual([])
    expect(early.pending.map((r) => r.member._id).sort()).toEqual(leaders.map((l) => l._id).sort())
    expect(early.pending.every((r) => r.upcomingInMonth >= 1 && r.sessionsInMonth === 0)).toBe(true)

    // After the last December session is over (ended and check-in closed), nobody went: all missed.
    const lastEnd = Math.max(
      ...(await fetchAll(env.db.collection('sessions').where({ branchId: 'br_2' }), { cap: 10000 }))
        .map((d) => SessionSchema.parse(d))
        .filter((s) => s.status === 'scheduled' && s.startAt >= periodBounds(month).start && s.startAt < periodBounds(month).end)
        .map((s) => Math.max(s.endAt, s.checkin.closesAt))
    )
    expect(lastEnd).toBeGreaterThanOrEqual(created[0].endAt)
    env.clock.set(lastEnd)
    const after = SessionDualLifeOutput.parse(expectOk(await env.call('session', 'dualLife', { branchId: 'br_2', month }, SECRETARY)))
    expect(after.pending).toEqual([])
    expect(after.missing.map((r) => r.member._id).sort()).toEqual(leaders.map((l) => l._id).sort())
  })
})
