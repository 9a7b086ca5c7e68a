/**
 * Every view of a member's year, read as the app shows it, and compared
 * (views-agree.property.test.ts). The 签到台账 is composed from the same
 * exported functions archive.ledger uses, with its builder passed in, so a
 * test can swap a divergent judge into it.
 */
import { readFileSync } from 'fs'
import { join } from 'path'
import ExcelJS from 'exceljs'
import { branchFacts } from '../../cloudfunctions/archive/src/facts'
import { settingsFor } from '../../cloudfunctions/_shared/settings'
import { fetchAll } from '../../cloudfunctions/_shared/paging'
import { CheckinMineOutput, type MineRowSchema } from '../../src/core/functions/checkin'
import { NoteProgressOutput } from '../../src/core/functions/note'
import { MemberRankingOutput, WarningsOutput, type MemberWarning } from '../../src/core/functions/stats'
import { stateWord } from '../../src/core/checkin/words'
import { attendanceSheet } from '../../src/core/ledgers/attendance'
import type { MemberArchive } from '../../src/core/ledgers/archive'
import { formatShanghai, periodBounds, periodKeysOf, previousPeriod, quarterKey } from '../../src/core/period'
import { aggregateId, type Aggregate } from '../../src/core/schemas/aggregate'
import { MemberSchema, type Member } from '../../src/core/schemas/member'
import { OrgSchema } from '../../src/core/schemas/org'
import { pointsKey, type PointsEntry } from '../../src/core/schemas/points'
import { SESSION_TYPE_LABELS, SessionSchema, type Session } from '../../src/core/schemas/session'
import type { OrgSettingsValues } from '../../src/core/schemas/settings'
import { monthWordsClaim } from '../../src/core/stats/contributions'
import { essayCounts } from '../../src/core/notes/essay'
import type { Note } from '../../src/core/schemas/note'
import { absenceAlert, consecutiveAbsentMonths, monthsSinceJoining } from '../../src/core/stats/warnings'
import type { z } from '../../src/core/zod'
import { expectOk, type TestEnv } from '../helpers/env'
import { runtimeOf } from './judges.fixtures'
import { aggregateOf } from './stats-support'
import { A, B, BRANCH_A, BRANCH_B, JOINER, YEAR } from './views-agree.fixtures'

type MineRow = z.infer<typeof MineRowSchema>
type Sheet = ReturnType<typeof attendanceSheet>

/** The judges a view is built with; the test swaps one for a divergent copy. */
export interface Judges {
  attendanceSheet: typeof attendanceSheet
}

const Y = String(YEAR)
const QUARTERS = [1, 2, 3, 4].map((q) => quarterKey(YEAR, q))
const r3 = (x: number | null | undefined) => (x === null || x === undefined ? null : Math.round(x * 1000) / 1000)

/** How each view names a session: its day and type, as the ledgers head their columns. */
const sessionKey = (startAt: number, type: Session['type']) => `${formatShanghai(startAt, 'M月D日')} ${SESSION_TYPE_LABELS[type]}`

const excused = (r: MineRow) => r.at === undefined && r.leaveStatus === 'approved'
/** An absence without leave, whether or not made up since (补学 is recorded beside it, never instead). */
const unexcusedAbsence = (r: MineRow) => r.state === 'absent' || (r.state === 'made_up' && !excused(r))

/** The member's own page in the app's one vocabulary (the words the ledgers must print too). */
function markOfRow(r: MineRow): string {
  return stateWord(r.state, { excused: excused(r), checkinOpened: true })
}

/** One member's year as one view tells it; a view leaves out what it does not show. */
interface Told {
  marks?: Record<string, string>
  expected?: number
  present?: number
  late?: number
  leave?: number
  madeUp?: number
  absent?: number
  rate?: number | null
  credited?: number
  essays?: number
  notes?: number
  quotaWords?: number
  quotaEssays?: number
  points?: number
  exempt?: boolean
}

interface SheetRow {
  label: string
  marks: Record<string, string>
  totals: number[]
  rate: number | null
}

/** The 签到台账 of a branch as data, composed as archive.ledger composes it. */
async function attendanceLedger(env: TestEnv, judges: Judges, branchId: string): Promise<Map<string, SheetRow>> {
  const rt = runtimeOf(env)
  const branch = OrgSchema.parse((await env.db.collection('orgs').doc(branchId).get()).data)
  const f = await branchFacts(rt, branch, Y, { attendance: true })
  const sheet: Sheet = judges.attendanceSheet({ ...f, settings: await settingsFor(rt, branch.path), year: YEAR }, `${Y}年`, env.clock.now())
  const heads = sheet.columns.map((c) => c.header.replace('（补录）', ''))
  const sessions = heads.indexOf('应到')
  const out = new Map<string, SheetRow>()
  for (const row of sheet.rows.slice(0, -1)) {
    const label = String(row[0])
    const marks: Record<string, string> = {}
    for (let i = 1; i < sessions; i++) if (row[i] !== '—') marks[heads[i]] = String(row[i])
    out.set(label.replace('（免考核）', ''), { label, marks, totals: row.slice(sessions, sessions + 6).map(Number), rate: row[sessions + 6] as number | null })
  }
  return out
}

/** The 笔记台账 of a branch as exported (archive.ledger), by member name: [篇数, 计入字数, 心得, 定额]. */
async function notesLedger(env: TestEnv, branchId: string, secretary: string): Promise<Map<string, { notes: number; credited: number; essays: number; quotaWords: number }>> {
  const out = expectOk(await env.call<{ url: string }>('archive', 'ledger', { kind: 'notes', branchId, period: Y }, secretary))
  const id = /^\/files\/([a-f0-9]{32})\//.exec(out.url)![1]
  const book = new ExcelJS.Workbook()
  await book.xlsx.load(readFileSync(join(env.dir, 'files', `${id}.bin`)) as never)
  const rows = new Map<string, { notes: number; credited: number; essays: number; quotaWords: number }>()
  let header: string[] = []
  book.worksheets[0].eachRow((r) => {
    const v = (r.values as unknown[]).slice(1)
    if (v.map(String).includes('计入字数')) header = v.map(String)
    else if (header.length > 0 && v[0] !== undefined) {
      const col = (h: string) => v[header.indexOf(h)]
      const quota = col('全年字数定额')
      rows.set(String(v[0]), { notes: Number(col('笔记篇数')), credited: Number(col('计入字数')), essays: Number(col('心得体会篇数')), quotaWords: typeof quota === 'number' ? quota : 0 })
    }
  })
  return rows
}

const netByKey = (lines: PointsEntry[]) => {
  const m = new Map<string, number>()
  for (const e of lines) m.set(e.key, (m.get(e.key) ?? 0) + e.delta)
  return m
}

/** The months the Art. 9 alert looks back over: the last seven, ending with the current one. */
function lookback(now: number): string[] {
  let month = periodKeysOf(now).month
  const out = [month]
  while (out.length < 7) out.unshift((month = previousPeriod(month)))
  return out
}

/**
 * Every view of every member's year, compared; returns what disagrees (empty
 * when all agree), each line naming the member, the figure and each view's value.
 */
export async function disagreements(env: TestEnv, judges: Judges, seen = new Map<string, number>()): Promise<string[]> {
  // What the compared years held, so a generator that stopped reaching a state fails the suite.
  const saw = (what: string) => seen.set(what, (seen.get(what) ?? 0) + 1)
  const problems: string[] = []
  const now = env.clock.now()
  const rt = runtimeOf(env)
  const members = (await fetchAll(env.db.collection('members'), { cap: 1000 })).map((d) => MemberSchema.parse(d)).filter((m) => m.active && m.joinStatus === 'confirmed')
  const sessions = (await fetchAll(env.db.collection('sessions'), { cap: 1000 })).map((d) => SessionSchema.parse(d))
  const settings = new Map<string, OrgSettingsValues>()
  for (const b of [BRANCH_A, BRANCH_B]) settings.set(b, await settingsFor(rt, (await env.db.collection('orgs').doc(b).get()).data!.path as string[]))
  const secretaryOf = (b: string) => (b === BRANCH_A ? A.sec : B.sec)
  const sheets = new Map([[BRANCH_A, await attendanceLedger(env, judges, BRANCH_A)], [BRANCH_B, await attendanceLedger(env, judges, BRANCH_B)]])
  const noteSheets = new Map([[BRANCH_A, await notesLedger(env, BRANCH_A, A.sec)], [BRANCH_B, await notesLedger(env, BRANCH_B, B.sec)]])
  const warnings = new Map<string, MemberWarning[]>()
  const ranked = new Set<string>()
  const exemptCounts = new Map<string, number>()
  for (const b of [BRANCH_A, BRANCH_B]) {
    for (const q of QUARTERS) {
      const w = WarningsOutput.parse(expectOk(await env.call('stats', 'warnings', { branchId: b, quarter: q }, secretaryOf(b))))
      warnings.set(`${b}|${q}`, w.warnings)
      exemptCounts.set(`${b}|warnings`, w.exemptCount)
    }
    const ranking = MemberRankingOutput.parse(expectOk(await env.call('stats', 'memberRanking', { branchId: b, period: Y, by: 'points' }, secretaryOf(b))))
    for (const r of ranking.rows) ranked.add(r.memberId)
    exemptCounts.set(`${b}|ranking`, ranking.exemptCount)
  }
  const exemptIn = new Map<string, number>()
  /** What the branch's own figures are checked against: each member's counting and quota as their views say. */
  const counted = new Map<string, { branchId: string; joinedAt: number; quota: number }>()

  for (const m of members) {
    const who = `${m.name}(${m._id})`
    const caller = m.openid === `dev_${JOINER}` ? JOINER : m._id
    const mine = CheckinMineOutput.parse(expectOk(await env.call('checkin', 'mine', { year: YEAR }, caller)))
    const progress = NoteProgressOutput.parse(expectOk(await env.call('note', 'progress', { year: YEAR }, caller)))
    const archive = expectOk(await env.call<{ archive: MemberArchive }>('archive', 'member', { year: YEAR }, caller)).archive
    const me = MemberRankingOutput.parse(expectOk(await env.call('stats', 'memberRanking', { branchId: m.branchId, period: Y, by: 'points' }, caller))).me
    const agg = await aggregateOf(env, 'member', m._id, Y)
    const ledger = (await fetchAll(env.db.collection('ledger').where({ memberId: m._id }), { cap: 100000 })).map((d) => d as unknown as PointsEntry).filter((e) => e.periodKeys.year === Y)
    const nets = netByKey(ledger)
    const exempt = archive.member.exempt !== null
    if (exempt) exemptIn.set(m.branchId, (exemptIn.get(m.branchId) ?? 0) + 1)
    else counted.set(m._id, { branchId: m.branchId, joinedAt: m.joinedAt, quota: progress.wordQuota })

    // The 签到台账: a transferred member has a row in each branch; their year is both rows together.
    const sheetRows = [BRANCH_A, BRANCH_B].map((b) => sheets.get(b)!.get(m.name)).filter((r): r is SheetRow => r !== undefined)
    const sheetTotals = sheetRows.reduce((t, r) => t.map((x, i) => x + r.totals[i]), [0, 0, 0, 0, 0, 0])
    const ownRow = sheets.get(m.branchId)!.get(m.name)
    const noteRow = noteSheets.get(m.branchId)!.get(m.name)

    const c = mine.counts
    for (const r of mine.rows) {
      saw(`mark ${markOfRow(r)}`)
      if (r.makeupStatus) saw(`补学 ${r.makeupStatus}`)
      if (r.recorded) saw('recorded meeting')
      if (r.leaveRecorded) saw('leave recorded by an officer')
    }
    if (sheetRows.length > 1) saw('transferred')
    if (m.openid === `dev_${JOINER}`) saw('joined')
    if (exempt) saw(`exempt: ${archive.member.exempt}`)
    const views: Record<string, Told> = {
      'own page': {
        marks: Object.fromEntries(mine.rows.map((r) => [sessionKey(r.startAt, r.type), markOfRow(r)])),
        expected: c.held, present: c.attended + c.late, late: c.late, leave: c.leave, madeUp: c.madeUp, absent: c.absent, rate: r3(mine.rate),
        credited: progress.creditedWords, essays: progress.essays, notes: progress.notes, quotaWords: progress.wordQuota, quotaEssays: progress.essayQuota, exempt: progress.exempt
      },
      个人档案: {
        marks: Object.fromEntries(archive.attendance.map((a) => {
          const [, mo, d] = a.date.split('-').map(Number)
          return [`${mo}月${d}日 ${a.type}`, a.mark]
        })),
        ...archive.attendanceTotals, rate: r3(archive.attendanceTotals.rate),
        credited: archive.notesTotals.credited, essays: archive.notesTotals.essays, notes: archive.notesTotals.count,
        quotaWords: archive.notesTotals.quotaWords ?? 0, quotaEssays: archive.notesTotals.quotaEssays ?? 0, points: archive.pointsTotal, exempt
      },
      签到台账: {
        marks: Object.assign({}, ...sheetRows.map((r) => r.marks)),
        expected: sheetTotals[0], present: sheetTotals[1], late: sheetTotals[2], leave: sheetTotals[3], madeUp: sheetTotals[4], absent: sheetTotals[5],
        ...(sheetRows.length === 1 ? { rate: r3(sheetRows[0].rate) } : {}),
        ...(ownRow ? { exempt: ownRow.label.endsWith('（免考核）') } : {})
      },
      笔记台账: noteRow ? { credited: noteRow.credited, essays: noteRow.essays, notes: noteRow.notes, quotaWords: noteRow.quotaWords } : {},
      aggregate: {
        expected: agg?.expected ?? 0, present: agg?.attended ?? 0, late: agg?.late ?? 0, leave: agg?.leave ?? 0, madeUp: agg?.makeups ?? 0, absent: agg?.absent ?? 0,
        rate: r3(agg && agg.expected - agg.leave > 0 ? agg.attended / (agg.expected - agg.leave) : null),
        credited: agg?.creditedWords ?? 0, essays: agg?.essays ?? 0, ...(agg ? { quotaWords: agg.quotaWords } : {}), points: agg?.points ?? 0
      },
      ranking: me
        ? { expected: me.expected, present: me.attended, leave: me.leave, absent: me.absent, rate: r3(me.attendanceRate), credited: me.creditedWords, essays: me.essays, points: me.points, exempt: me.exempt }
        : {},
      'points ledger': { points: ledger.reduce((s, e) => s + e.delta, 0) }
    }
    // 心得 points: the first few counting ones of each quarter in each branch earn (essayPointsQuarterlyCap), the rest count toward the four only.
    const paidEssays = [...ledger.filter((e) => e.rule === 'essay').reduce((k, e) => k.add(e.key), new Set<string>())].filter((k) => (nets.get(k) ?? 0) > 0).length
    const counting = new Map<string, number>()
    for (const n of (await fetchAll(env.db.collection('notes').where({ memberId: m._id, year: YEAR }), { cap: 10000 })) as unknown as Note[]) {
      if (n.deleted || !essayCounts(n, settings.get(n.branchId)!.essayMinWords)) continue
      const k = `${n.branchId}|${periodKeysOf(n.createdAt).quarter}`
      counting.set(k, (counting.get(k) ?? 0) + 1)
    }
    if ([...counting].some(([k, n]) => n > settings.get(k.split('|')[0])!.essayPointsQuarterlyCap)) saw('心得 past the quarter’s cap')
    const earning = [...counting].reduce((sum, [k, n]) => sum + Math.min(n, settings.get(k.split('|')[0])!.essayPointsQuarterlyCap), 0)
    if (paidEssays !== earning) problems.push(`${who}: the points ledger paid ${paidEssays} 心得, the rule says ${earning} (counting per branch and quarter: ${JSON.stringify(Object.fromEntries(counting))})`)
    if (!me) problems.push(`${who}: the member ranking has no figures of their own`)

    const fields = ['marks', 'expected', 'present', 'late', 'leave', 'madeUp', 'absent', 'rate', 'credited', 'essays', 'notes', 'quotaWords', 'quotaEssays', 'points', 'exempt'] as const
    for (const f of fields) {
      const said = Object.entries(views).filter(([, v]) => v[f] !== undefined).map(([name, v]) => [name, JSON.stringify(v[f])] as const)
      if (new Set(said.map(([, v]) => v)).size > 1) problems.push(`${who} ${f}: ${said.map(([n, v]) => `${n}=${v}`).join(', ')}`)
    }

    // Which sessions earned or cost points, session by session, against the member's own page.
    const byId = new Map(sessions.map((s) => [s._id, s]))
    const rowOf = new Map(mine.rows.map((r) => [r.sessionId, r]))
    const attendanceRules: [string, (r: MineRow | undefined) => boolean, number][] = [
      ['attend', (r) => r?.state === 'attended', 1],
      ['attend_late', (r) => r?.state === 'late', 1],
      ['absent', (r) => r !== undefined && unexcusedAbsence(r) && !exempt, -1],
      ['makeup', (r) => r?.state === 'made_up', 1]
    ]
    for (const [rule, earns, sign] of attendanceRules) {
      for (const s of byId.values()) {
        const net = nets.get(pointsKey(rule, s._id, m._id)) ?? 0
        const want = earns(rowOf.get(s._id))
        if (want !== net * sign > 0 || (!want && net !== 0)) {
          problems.push(`${who} ${rule} at ${sessionKey(s.startAt, s.type)}: points ledger nets ${net}, own page says ${rowOf.get(s._id)?.state ?? 'not expected'}${rowOf.get(s._id)?.makeupStatus ? ` (补学 ${rowOf.get(s._id)!.makeupStatus})` : ''}`)
        }
      }
    }
    // The monthly word points against the month's credited words on the member's page.
    const st = settings.get(m.branchId)!
    for (const { month, creditedWords } of progress.byMonth) {
      const want = monthWordsClaim(m._id, month, creditedWords, st.pointsRules, st.notePointsMonthlyCap, '').points
      const net = nets.get(pointsKey('note_1000', month, m._id)) ?? 0
      if (net !== want) problems.push(`${who} note_1000 ${month}: points ledger nets ${net}, note progress credits ${creditedWords} words (worth ${want})`)
    }

    // Warnings, quarter by quarter, against the member's own page and the ledger.
    for (const q of QUARTERS) {
      const { start, end } = periodBounds(q)
      const absences = mine.rows.filter((r) => r.startAt >= start && r.startAt < end && unexcusedAbsence(r))
      const qAgg = await aggregateOf(env, 'member', m._id, q)
      if ((qAgg?.absent ?? 0) !== absences.length) problems.push(`${who} ${q} absences: aggregate ${qAgg?.absent ?? 0}, own page ${absences.length}`)
      const w = warnings.get(`${m.branchId}|${q}`)!.find((x) => x.memberId === m._id)
      const fact = w?.facts.find((x) => x.reason === 'absences')
      const thresholds = st.warnings
      const wantFact = !exempt && absences.length >= thresholds.yellowAbsences
      if (wantFact !== (fact !== undefined)) problems.push(`${who} ${q}: ${absences.length} absences on the own page, warning ${fact ? `says “${fact.text}”` : 'has none'}${exempt ? ' (exempt)' : ''}`)
      if (fact) {
        saw(`warning ${fact.level}`)
        const level = absences.length >= thresholds.redAbsences ? 'red' : 'yellow'
        const listed = (fact.text.split('：')[1] ?? '').replace(/ 等$/, '').split('、').filter(Boolean)
        const want = absences.slice(0, 6).map((r) => sessionKey(r.startAt, r.type))
        const datesAgree = JSON.stringify(listed) === JSON.stringify(want)
        if (fact.level !== level || !fact.text.startsWith(`本季度无故缺席 ${absences.length} 次`) || !datesAgree) {
          problems.push(`${who} ${q}: warning says “${fact.text}” (${fact.level}), own page has ${absences.length} absences: ${want.join('、')}`)
        }
      }
      const qPoints = ledger.filter((e) => e.periodKeys.quarter === q).reduce((s, e) => s + e.delta, 0)
      const pointsFact = w?.facts.some((x) => x.reason === 'points') ?? false
      const wantPoints = !exempt && thresholds.yellowPointsBelow !== null && qPoints < thresholds.yellowPointsBelow
      if (pointsFact !== wantPoints) problems.push(`${who} ${q}: ledger has ${qPoints} points, warning ${pointsFact ? 'flags' : 'does not flag'} points`)
      if (q === QUARTERS[3]) {
        const paceFact = w?.facts.some((x) => x.reason === 'note_pace') ?? false
        if (paceFact !== (!exempt && progress.paceStatus === 'far_behind')) problems.push(`${who}: note progress is ${progress.paceStatus}, the Q4 warning ${paceFact ? 'flags' : 'does not flag'} the pace`)
        // Art. 9: months without organisational life since joining, from the member's own page.
        const monthRows = lookback(now).map((month) => {
          const rows = mine.rows.filter((r) => periodKeysOf(r.startAt).month === month)
          return {
            month,
            attended: rows.filter((r) => r.state === 'attended' || r.state === 'late').length,
            leave: rows.filter((r) => excused(r)).length,
            makeups: rows.filter((r) => r.state === 'made_up').length
          }
        })
        const months = consecutiveAbsentMonths(monthsSinceJoining(monthRows, m.joinedAt), periodKeysOf(now).month)
        const want = exempt ? null : (absenceAlert(months, thresholds)?.months ?? null)
        if (want) saw('Art. 9 alert')
        if ((w?.alert?.months ?? null) !== want) problems.push(`${who}: Art. 9 alert ${w?.alert?.months ?? 'none'}, own page gives ${want ?? 'none'} (${months} empty months)`)
        // The 个人档案 prints this quarter's warnings as the secretary reads them.
        const printed = w ? [...w.facts.map((x) => x.text), ...(w.alert ? [w.alert.text] : [])] : []
        if (JSON.stringify(archive.warnings) !== JSON.stringify(printed)) problems.push(`${who}: 个人档案 warnings ${JSON.stringify(archive.warnings)}, the warnings list ${JSON.stringify(printed)}`)
      }
    }
    if (ranked.has(m._id) === exempt) problems.push(`${who}: ${exempt ? 'exempt but ranked' : 'not exempt but missing from the ranking'}`)
  }
  for (const b of [BRANCH_A, BRANCH_B]) {
    for (const what of ['warnings', 'ranking']) {
      if ((exemptCounts.get(`${b}|${what}`) ?? 0) !== (exemptIn.get(b) ?? 0)) problems.push(`${b}: ${what} counts ${exemptCounts.get(`${b}|${what}`)} exempt, the 个人档案 ${exemptIn.get(b) ?? 0}`)
    }
  }
  problems.push(...(await branchFigures(env, members, counted)))
  return problems
}

const BRANCH_COUNTERS = ['attended', 'expected', 'leave', 'late', 'absent', 'makeups', 'creditedWords', 'essays', 'points'] as const

/**
 * The branch's figures, period by period (what 排序点评 compares branches by),
 * against its counted members' own: every counter the sum of theirs, its
 * members those who belonged during the period, its quota the sum of their
 * (pro-rated) quotas. Only for a year without a transfer, whose member
 * aggregates then lie in one branch each.
 */
async function branchFigures(env: TestEnv, members: Member[], counted: Map<string, { branchId: string; joinedAt: number; quota: number }>): Promise<string[]> {
  const { start } = periodBounds(Y)
  if (members.some((m) => (m.branchHistory ?? []).some((h) => h.to >= start))) return []
  const problems: string[] = []
  const aggs = new Map((await fetchAll(env.db.collection('aggregates'), { cap: 100_000 })).map((d) => [String(d._id), d as unknown as Aggregate]))
  const periods = [Y, ...QUARTERS, ...Array.from({ length: 12 }, (_, i) => `${Y}-${String(i + 1).padStart(2, '0')}`)]
  for (const b of [BRANCH_A, BRANCH_B]) {
    for (const period of periods) {
      const { end } = periodBounds(period)
      const belonged = [...counted].filter(([, c]) => c.branchId === b && c.joinedAt < end)
      const have = aggs.get(aggregateId('branch', b, period))
      const sum = (k: (typeof BRANCH_COUNTERS)[number]) => belonged.reduce((n, [id]) => n + (aggs.get(aggregateId('member', id, period))?.[k] ?? 0), 0)
      const off = BRANCH_COUNTERS.filter((k) => (have?.[k] ?? 0) !== sum(k)).map((k) => `${k} ${have?.[k] ?? 0} (members’ own: ${sum(k)})`)
      // A period with no document reads as zeros; its members and quota are set when one is made.
      if (have) {
        if (have.members !== belonged.length) off.push(`members ${have.members} (counted: ${belonged.length})`)
        const quota = belonged.reduce((n, [, c]) => n + c.quota, 0)
        if (have.quotaWords !== quota) off.push(`quotaWords ${have.quotaWords} (members’ quotas: ${quota})`)
      }
      if (off.length) problems.push(`branch ${b} ${period}: ${off.join(', ')}`)
    }
  }
  return problems
}

