/**
 * CloudBase figures through the emulator (not a jest suite):
 *   npm run bench:cloudbase [-- members=100] [-- spread=60] [-- ms=10] [-- instances=20]
 *   npm run bench:cloudbase -- year [-- scale=1] [-- db=<file>] [-- keep]
 *
 * The deployable bundles (`cloudfunctions/<fn>/index.js`, the real
 * wx-server-sdk inside) run in the function host against the local CloudBase
 * emulator, every database call answered after `ms` (default 10 ms), on the
 * demo seed plus a branch of `members` members. Measured:
 * 1. check-in: `members` members each scan the rotating code once at random
 *    moments within `spread` seconds, twice: the first session of the month
 *    (each check-in also creates its member's aggregates) and a second one
 *    (steady state). Latency p50/p95/max as the phone sees it (queueing and
 *    the host's instances included), database calls per check-in, failures,
 *    transactions retried after a write conflict;
 * 2. every other action of the journeys, run one at a time at the branch's
 *    size: database calls, its largest transaction (operations, from the
 *    emulator), and its time against the function's config.json timeout.
 * Prints a Markdown table with the budgets of ARCHITECTURE.md beside.
 *
 * `year`: instead, the 200-branch / 5,000-member year of bench/rankings-data.ts
 * (generated into a temp file, or `db=<file>`: generated there once and
 * reused; aggregates built by a reconciliation without latency), served by the
 * emulator; the heaviest reads, exports and the largest branch's writes run
 * once each through the bundles: calls, largest transaction, time against
 * the function's timeout, and whether it finished. The nightly
 * reconciliation at that scale has its own script (npm run bench:reconcile-cloud).
 * Build the bundles first (npm run build:functions).
 */
import { existsSync, mkdtempSync, rmSync } from 'fs'
import { tmpdir } from 'os'
import { dirname, join } from 'path'
import { reconcileJob } from '../cloudfunctions/cron/src/reconcile'
import { readFunctionConfig } from '../server/cloudbase/function-config'
import { openDatabase } from '../server/db'
import { makeLocalRuntime } from '../server/local-runtime'
import { ADMIN_ID, DEFAULT_SHAPE, LARGEST_BRANCH, ORG_ID, YEAR, generateInto } from './rankings-data'
import { issueCheckinToken } from '../cloudfunctions/_shared/checkin-token'
import type { Session } from '../src/core/schemas/session'
import { periodKeysOf } from '../src/core/period'
import { NOTE_MAX_CHARS } from '../src/core/words'
import { seededRandom } from '../server/seed/random'
import {
  CLOUDBASE_SECRET, FUNCTIONS_ROOT, addLoadBranch, attachCloudbaseEnv, cbOk, endSessionSoon, makeCloudbaseEnv, outcomeOf, tickUntilDone, percentile, requireBundles, type CallOutcome, type CloudbaseEnv
} from '../test/helpers/cloudbase-env'
import { OWN_REFLECTION, speechText } from '../test/cloudbase/journeys.fixtures'

const argv = process.argv.slice(2)
const arg = (name: string) => argv.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1)
const MEMBERS = Number(arg('members') ?? 100)
const SPREAD_S = Number(arg('spread') ?? 60)
const LATENCY = Number(arg('ms') ?? 10)
const INSTANCES = Number(arg('instances') ?? 20)
const flag = (name: string) => argv.includes(name) || argv.includes(`--${name}`)
const SCALE = Number(arg('scale') ?? 1)
const BRANCH = 'br_bench'
const MIN = 60_000
const log = (msg: string) => process.stderr.write(`[bench:cloudbase] ${msg}\n`)

interface ActionFigure {
  action: string
  calls: number
  largestTx: number
  ms: number
  timeoutS: number
  ok: boolean
  note?: string
}

interface BurstFigure {
  label: string
  n: number
  failures: string[]
  p50: number
  p95: number
  max: number
  callsPer: number
  largestTx: number
  retried: number
  duplicates: number
  /** Requests per action over the burst, per check-in. */
  byAction: Record<string, number>
}

/** Text no note or source holds: random common Han characters with a full stop every 20 (seeded, so runs compare). */
function freshText(chars: number): string {
  const rand = seededRandom(7)
  let out = ''
  while (out.length < chars) out += (out.length + 1) % 20 === 0 ? '。' : String.fromCharCode(0x4e00 + Math.floor(rand() * 0x4000))
  return out
}

const timeoutOf = (fn: string) => readFunctionConfig(FUNCTIONS_ROOT, fn).timeoutS

/** Runs one call alone and reads what it cost from the emulator. */
async function measure<T>(env: CloudbaseEnv, action: string, run: () => Promise<CallOutcome<T>>, note?: string, fn = action.split('.')[0]): Promise<{ figure: ActionFigure; out: CallOutcome<T> }> {
  env.resetStats()
  const out = await run()
  const s = env.stats()
  const figure: ActionFigure = {
    action,
    calls: s.total,
    largestTx: Math.max(0, ...s.txOps),
    ms: out.ms,
    timeoutS: timeoutOf(fn),
    ok: out.ok,
    ...(note || !out.ok ? { note: [note, out.ok ? '' : `${out.error.code}: ${out.error.message.slice(0, 120)}`].filter(Boolean).join('; ') } : {})
  }
  log(`${action}: ${figure.calls} calls, largest tx ${figure.largestTx}, ${figure.ms} ms${out.ok ? '' : ` FAILED ${figure.note}`}`)
  return { figure, out }
}

async function createSession(env: CloudbaseEnv, secretary: string, title: string, startIn: number, hours = 2): Promise<Session> {
  const now = Date.now()
  const startAt = now + startIn
  const out = await env.call<{ sessions: Session[] }>(
    'session',
    'create',
    {
      branchId: BRANCH, title, type: 'theme_day', startAt, endAt: startAt + hours * 60 * MIN, venue: { name: '大礼堂' },
      checkin: { opensAt: startAt - 30 * MIN, lateAfter: startAt + 60 * MIN, closesAt: startAt + hours * 60 * MIN }
    },
    secretary
  )
  return cbOk(out).sessions[0]
}

/** Each member scans once at a random moment within the spread, with the code the venue screen shows then. */
async function burst(env: CloudbaseEnv, label: string, session: Session, members: string[]): Promise<BurstFigure> {
  log(`${label}: ${members.length} check-ins within ${SPREAD_S} s`)
  env.resetStats()
  const taps = await Promise.all(
    members.map(async (m) => {
      await new Promise((r) => setTimeout(r, Math.random() * SPREAD_S * 1000))
      // The screen's current code (what checkin.token answers), signed here so the screen's own calls stay out of the count.
      const token = issueCheckinToken(CLOUDBASE_SECRET, session._id, Date.now()).token
      return env.call<{ duplicate: boolean }>('checkin', 'checkIn', { sessionId: session._id, token }, m)
    })
  )
  const s = env.stats()
  const ms = taps.map((t) => t.ms)
  return {
    label,
    n: members.length,
    failures: taps.filter((t) => !t.ok).map((t) => (t.ok ? '' : `${t.error.code}: ${t.error.message.slice(0, 100)}`)),
    p50: percentile(ms, 50),
    p95: percentile(ms, 95),
    max: Math.max(...ms),
    callsPer: s.total / members.length,
    largestTx: Math.max(0, ...s.txOps),
    retried: Math.max(0, (s.calls['database.startTransaction'] ?? 0) - members.length),
    duplicates: taps.filter((t) => t.ok && t.data.duplicate).length,
    byAction: Object.fromEntries(Object.entries(s.calls).map(([k, v]) => [k.replace('database.', ''), +(v / members.length).toFixed(2)]))
  }
}

async function main(): Promise<void> {
  requireBundles()
  let branch = { id: BRANCH, secretary: '', members: [] as string[] }
  log(`seeding the demo organisation and a branch of ${MEMBERS}; emulator at ${LATENCY} ms per call, up to ${INSTANCES} instances per function`)
  const env = await makeCloudbaseEnv({
    latencyMs: LATENCY,
    maxInstances: INSTANCES,
    // A benchmark runs on the real clock (the seed's history stays on its fixed day).
    clockOffsetMs: 0,
    prepare: async (db) => {
      branch = await addLoadBranch(db, BRANCH, MEMBERS, Date.now() - 60 * 24 * 3600 * 1000)
    }
  })
  const sec = branch.secretary
  const actions: ActionFigure[] = []
  const bursts: BurstFigure[] = []
  try {
    const year = Number(periodKeysOf(Date.now()).year)
    // The seeded history may leave sessions to tally on the real date: done first, so the timer's figure below is one session's.
    await tickUntilDone(env, 10)
    // Warm instances of checkin, as a function in use is.
    await Promise.all(branch.members.slice(0, INSTANCES).map((m) => env.call('checkin', 'mine', { year }, m)))

    const created = await measure(env, 'session.create', () => {
      const now = Date.now()
      return env.call<{ sessions: Session[] }>('session', 'create', {
        branchId: BRANCH, title: '本月第一次集中学习', type: 'theme_day', startAt: now + 5 * MIN, endAt: now + 125 * MIN, venue: { name: '大礼堂' }
      }, sec)
    })
    actions.push(created.figure)
    const s1 = created.out
    const S1 = cbOk(s1).sessions[0]
    actions.push((await measure(env, 'checkin.token', () => env.call('checkin', 'token', { sessionId: S1._id }, sec))).figure)
    bursts.push(await burst(env, 'first session of the month (creates each member\'s aggregates)', S1, branch.members))
    const S2 = await createSession(env, sec, '本月第二次集中学习', 5 * MIN)
    bursts.push(await burst(env, 'steady (aggregates exist)', S2, branch.members))
    actions.push((await measure(env, 'checkin.checkIn (retry of a recorded one)', () => env.call('checkin', 'checkIn', { sessionId: S2._id, token: issueCheckinToken(CLOUDBASE_SECRET, S2._id, Date.now()).token }, branch.members[0]))).figure)

    // Leave on a session not yet held.
    const S3 = await createSession(env, sec, '下周专题学习', 7 * 24 * 60 * MIN)
    actions.push((await measure(env, 'checkin.requestLeave', () => env.call('checkin', 'requestLeave', { sessionId: S3._id, reason: '外出培训' }, branch.members[0]))).figure)
    actions.push((await measure(env, 'checkin.decideLeave', () => env.call('checkin', 'decideLeave', { sessionId: S3._id, memberId: branch.members[0], approve: true, note: '同意' }, sec))).figure)

    // A session nobody attends: its tally counts every absence; then make-up for the whole branch.
    const S4 = await endSessionSoon(env, sec, await createSession(env, sec, '无人签到的学习会', -10 * MIN))
    actions.push((await measure(env, 'cron timer tick (tally of one session)', () => env.timer().then((inv) => outcomeOf(inv)), `audience ${MEMBERS + 1}`, 'cron')).figure)
    actions.push((await measure(env, 'checkin.assignMakeUp', () => env.call('checkin', 'assignMakeUp', { sessionId: S4._id, memberIds: branch.members.slice(0, Math.min(200, MEMBERS)), deadline: Date.now() + 3 * 24 * 60 * MIN }, sec), `${Math.min(200, MEMBERS)} members`)).figure)
    actions.push((await measure(env, 'checkin.makeUp', () => env.call('checkin', 'makeUp', { sessionId: S4._id, content: speechText(300, 3, 600) }, branch.members[1]))).figure)
    actions.push((await measure(env, 'checkin.reviewMakeUp', () => env.call('checkin', 'reviewMakeUp', { sessionId: S4._id, memberId: branch.members[1], accept: true }, sec))).figure)

    // Cancelling a session everyone checked in to takes back every point.
    actions.push((await measure(env, 'session.cancel', () => env.call('session', 'cancel', { sessionId: S2._id, reason: '与上级会议冲突，改期' }, sec), `${MEMBERS} check-ins to take back`)).figure)

    // Notes.
    const save = await measure(env, 'note.save (new, 1,000 characters)', () => env.call<{ note: { _id: string; version: number } }>('note', 'save', { kind: 'note', title: '学习体会', content: speechText(1000, 1, 500) }, branch.members[2]))
    actions.push(save.figure)
    const note = cbOk(save.out).note
    const edit = await measure(env, 'note.save (edit)', () => env.call<{ note: { _id: string; version: number } }>('note', 'save', { id: note._id, version: note.version, kind: 'note', title: '学习体会（改）', content: speechText(1000, 1, 700) }, branch.members[2]))
    actions.push(edit.figure)
    actions.push((await measure(env, 'note.save (new, own text)', () => env.call('note', 'save', { kind: 'essay', title: '心得', content: OWN_REFLECTION }, branch.members[3]))).figure)
    // The longest note the schema takes, all of it new text: every fingerprint is a new posting (the worst case of indexing).
    actions.push((await measure(env, `note.save (new, ${NOTE_MAX_CHARS.toLocaleString('en')} characters, all new text)`, () => env.call('note', 'save', { kind: 'note', title: '长篇笔记', content: freshText(NOTE_MAX_CHARS) }, branch.members[4]))).figure)
    actions.push((await measure(env, 'note.remove', () => env.call('note', 'remove', { noteId: note._id, version: cbOk(edit.out).note.version }, branch.members[2]))).figure)

    // Reminders, reads, exports, import, reconciliation.
    actions.push((await measure(env, 'remind.send (whole branch)', () => env.call('remind', 'send', { branchId: BRANCH, audience: { kind: 'branch' }, title: '明天有活动', body: '请准时参加', clientId: `bench_${Date.now()}` }, sec), `${MEMBERS + 1} recipients`)).figure)
    actions.push((await measure(env, 'stats.memberRanking', () => env.call('stats', 'memberRanking', { branchId: BRANCH, period: periodKeysOf(Date.now()).month }, sec))).figure)
    actions.push((await measure(env, 'stats.branchRanking', () => env.call('stats', 'branchRanking', { orgId: 'org_demo', period: periodKeysOf(Date.now()).month }, 'm_br_1_01'))).figure)
    actions.push((await measure(env, 'archive.ledger (branch attendance, year)', () => env.call('archive', 'ledger', { kind: 'attendance', branchId: BRANCH, period: String(year) }, sec))).figure)
    const rows = [['姓名', '手机号', '支部'], ...Array.from({ length: MEMBERS }, (_, i) => [`导入党员${i + 1}`, `137${String(10000000 + i).slice(-8)}`, '第二党支部'])]
    const csv = Buffer.from('\ufeff' + rows.map((r) => r.join(',')).join('\r\n')).toString('base64')
    actions.push((await measure(env, 'org.importRoster (commit)', () => env.call('org', 'importRoster', { orgId: 'org_demo', fileName: '名册.csv', content: csv, commit: true }, 'm_br_1_01'), `${MEMBERS} new members`)).figure)
    actions.push((await measure(env, 'cron.reconcile (one chunk)', () => env.call('cron', 'reconcile', { year }, null), '4 branches of the demo + the bench branch')).figure)
  } finally {
    await env.close()
  }
  print(bursts, actions)
}

/** The bench year's people answer with their own openids (`ob_<memberId>`). */
const benchCaller = (memberId: string) => ({ openid: `ob_${memberId}` })

async function yearScale(): Promise<void> {
  const shape = { ...DEFAULT_SHAPE, branches: Math.round(DEFAULT_SHAPE.branches * SCALE), members: Math.round(DEFAULT_SHAPE.members * SCALE), notes: Math.round(DEFAULT_SHAPE.notes * SCALE) }
  const reuse = arg('db')
  const dir = reuse ? dirname(reuse) : mkdtempSync(join(tmpdir(), 'zbdk-bench-cb-'))
  const file = reuse ?? join(dir, 'year.sqlite')
  if (!existsSync(file)) {
    const db = openDatabase({ file })
    try {
      log(`generating ${shape.branches} branches, ${shape.members} members, ${shape.notes} notes…`)
      await generateInto(db, shape, { progress: (done, total) => done % 50 === 0 && log(`generated ${done}/${total} branches`) })
      log('building every aggregate (reconciliation without latency)…')
      const rt = makeLocalRuntime({ db, secret: CLOUDBASE_SECRET, production: false, clock: { now: () => Date.now() }, log: () => undefined, filesDir: tmpdir() }, { openid: null, source: 'none' })
      let cursor: string | undefined
      do cursor = (await reconcileJob(rt, { year: YEAR, cursor })).nextCursor
      while (cursor)
    } finally {
      db.close()
    }
  }
  log(`serving ${file} through the emulator at ${LATENCY} ms per call`)
  const env = await attachCloudbaseEnv(file, { latencyMs: LATENCY, maxInstances: INSTANCES })
  const admin = benchCaller(ADMIN_ID)
  const big = LARGEST_BRANCH
  const bigMembers = Array.from({ length: 60 }, (_, i) => `m_${big}_${String(i + 1).padStart(2, '0')}`)
  const actions: ActionFigure[] = []
  const run = async (label: string, call: () => Promise<CallOutcome<unknown>>, note?: string, fn?: string) => {
    actions.push((await measure(env, label, call, note, fn)).figure)
  }
  try {
    await run('org.tree', () => env.call('org', 'tree', {}, admin), `${shape.branches} branches`)
    await run('stats.branchRanking (党委, year)', () => env.call('stats', 'branchRanking', { orgId: ORG_ID, period: String(YEAR) }, admin))
    await run('stats.report (党委, Q4)', () => env.call('stats', 'report', { orgId: ORG_ID, period: `${YEAR}-Q4` }, admin))
    await run('stats.memberRanking (largest branch, year)', () => env.call('stats', 'memberRanking', { branchId: big, period: String(YEAR) }, admin))
    await run('stats.warnings (largest branch)', () => env.call('stats', 'warnings', { branchId: big, quarter: `${YEAR}-Q4` }, admin))
    await run('note.branchProgress (largest branch)', () => env.call('note', 'branchProgress', { branchId: big, year: YEAR }, admin))
    await run('note.yearEnd (largest branch)', () => env.call('note', 'yearEnd', { branchId: big, year: YEAR }, admin))
    await run('session.cadence (largest branch, year)', () => env.call('session', 'cadence', { branchId: big, period: String(YEAR) }, admin))
    await run('checkin.mine (a member\'s year)', () => env.call('checkin', 'mine', { year: YEAR, memberId: bigMembers[4] }, admin))
    await run('archive.member (个人档案 workbook)', () => env.call('archive', 'member', { memberId: bigMembers[4], year: YEAR, file: true }, admin))
    for (const kind of ['attendance', 'notes', 'warnings', 'points'] as const) {
      await run(`archive.ledger ${kind} (党委, ${kind === 'warnings' ? 'Q4' : 'year'})`, () => env.call('archive', 'ledger', { kind, orgId: ORG_ID, period: kind === 'warnings' ? `${YEAR}-Q4` : String(YEAR) }, admin))
    }
    await run('stats.reconcile (one chunk, as the admin)', () => env.call('stats', 'reconcile', { orgId: ORG_ID, year: YEAR }, admin))
    await run('cron timer tick (reminders over every branch)', () => env.timer().then((inv) => outcomeOf(inv)), undefined, 'cron')

    // The largest branch (60) meets: all check in, then the meeting is cancelled; another is tallied with nobody there.
    const now = Date.now()
    const created = cbOk(await env.call<{ sessions: Session[] }>('session', 'create', { branchId: big, title: '年终集中学习', type: 'theme_day', startAt: now + 5 * MIN, endAt: now + 125 * MIN, venue: { name: '大礼堂' } }, admin)).sessions[0]
    const token = issueCheckinToken(CLOUDBASE_SECRET, created._id, Date.now()).token
    env.resetStats()
    const taps = await Promise.all(bigMembers.map((m) => env.call('checkin', 'checkIn', { sessionId: created._id, token }, benchCaller(m))))
    const tapStats = env.stats()
    actions.push({
      action: 'checkin.checkIn (largest branch, all at once)', calls: Math.round(tapStats.total / taps.length), largestTx: Math.max(0, ...tapStats.txOps),
      ms: percentile(taps.map((t) => t.ms), 95), timeoutS: timeoutOf('checkin'), ok: taps.every((t) => t.ok), note: `${taps.length} members; calls per check-in, p95 time`
    })
    await run('session.cancel (60 check-ins to take back)', () => env.call('session', 'cancel', { sessionId: created._id, reason: '改期' }, admin))
    await run('remind.send (largest branch)', () => env.call('remind', 'send', { branchId: big, audience: { kind: 'branch' }, title: '明天有活动', body: '请准时参加', clientId: `bench_${Date.now()}` }, admin), '60 recipients')
    const empty = cbOk(await env.call<{ sessions: Session[] }>('session', 'create', { branchId: big, title: '无人到场', type: 'theme_day', startAt: now - 10 * MIN, endAt: now + 60 * MIN, venue: { name: '大礼堂' } }, admin)).sessions[0]
    await endSessionSoon(env, admin, empty)
    await run('cron timer tick (tally of the largest branch\'s session)', () => env.timer().then((inv) => outcomeOf(inv)), '60 absences', 'cron')
  } finally {
    await env.close()
    if (!flag('keep') && !reuse) rmSync(dir, { recursive: true, force: true })
  }
  const lines = [
    `CloudBase through the emulator at the bench year: ${shape.branches} branches / ${shape.members} members / ${YEAR}, ${LATENCY} ms per database call (Node ${process.versions.node}, ${new Date().toISOString().slice(0, 10)})`,
    '',
    '| action (one call) | database calls | largest transaction (ops) | time | function timeout | within it | note |',
    '|---|---|---|---|---|---|---|'
  ]
  for (const a of actions) lines.push(`| ${a.action} | ${a.calls.toLocaleString('en')} | ${a.largestTx} | ${(a.ms / 1000).toFixed(1)} s | ${a.timeoutS} s | ${a.ok && a.ms <= a.timeoutS * 1000 ? 'yes' : '**no**'} | ${a.note ?? ''} |`)
  process.stdout.write(lines.join('\n') + '\n')
}

function print(bursts: BurstFigure[], actions: ActionFigure[]): void {
  const worstTx = actions.reduce((m, a) => Math.max(m, a.largestTx), Math.max(...bursts.map((b) => b.largestTx)))
  const failures = bursts.reduce((n, b) => n + b.failures.length, 0) + actions.filter((a) => !a.ok).length
  const noteSave = actions.find((a) => a.action.startsWith('note.save (new, 1,000'))
  const lines: string[] = []
  lines.push(`CloudBase through the emulator: ${LATENCY} ms per database call, ${MEMBERS} members, check-ins spread over ${SPREAD_S} s, up to ${INSTANCES} instances per function (Node ${process.versions.node}, ${new Date().toISOString().slice(0, 10)})`)
  lines.push('')
  lines.push('| figure | measured | budget |')
  lines.push('|---|---|---|')
  for (const b of bursts) {
    const parts = Object.entries(b.byAction).map(([k, v]) => `${k} ${v}`).join(', ')
    lines.push(`| database calls per check-in, ${b.label} (${parts}) | ${b.callsPer.toFixed(1)} | ≤ 8 |`)
  }
  lines.push(`| database calls per note save (1,000 characters, new) | ${noteSave?.calls ?? '—'} | — |`)
  for (const b of bursts) {
    lines.push(`| check-in latency p50 / p95 / max, ${b.n} members in ${SPREAD_S} s, ${b.label} | ${b.p50} / ${b.p95} / ${b.max} ms | p95 ≤ 500 ms |`)
    lines.push(`| failures / transactions retried after a write conflict / largest transaction, ${b.label} | ${b.failures.length} / ${b.retried} / ${b.largestTx} ops | 0 failures |`)
  }
  lines.push(`| largest transaction of any action (each below) | ${worstTx} ops | ≤ 50 ops |`)
  lines.push(`| failures overall | ${failures} | 0 |`)
  lines.push('')
  lines.push('| action (one call) | database calls | largest transaction (ops) | time | function timeout | note |')
  lines.push('|---|---|---|---|---|---|')
  for (const a of actions) {
    const over = a.largestTx > 50 ? ' **over 50**' : ''
    lines.push(`| ${a.action} | ${a.calls} | ${a.largestTx}${over} | ${a.ms} ms | ${a.timeoutS} s | ${a.ok ? '' : 'FAILED: '}${a.note ?? ''} |`)
  }
  for (const b of bursts) if (b.failures.length) lines.push('', `failures (${b.label}): ${[...new Set(b.failures)].join('; ')}`)
  process.stdout.write(lines.join('\n') + '\n')
}

;(flag('year') ? yearScale() : main()).catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`)
  process.exit(1)
})
