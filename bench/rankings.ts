/**
 * Rankings at scale (not a jest suite):
 *   npm run bench:rankings [-- --only-generate] [-- calls=200] [-- scale=1] [-- keep] [-- db=<file>]
 *
 * Generates 200 branches, 5,000 members and a year of facts (bench/rankings-data.ts)
 * into the embedded DB in a temp folder, then:
 * 1. full reconciliation (cron `reconcile`, chunk after chunk until no nextCursor), which
 *    builds every aggregate; then a second run, which must correct nothing;
 * 2. stats.branchRanking for the 党委 (2026-Q2, by points) as its admin, warm, N calls;
 *    stats.memberRanking for the largest branch likewise;
 * 3. the same branch ranking computed by scanning the raw records of the quarter (and the
 *    previous one, for the rank arrows) through the same DB API, grouped in JS — its time,
 *    the ratio to the aggregate read, and whether both give the same rows.
 * `scale=0.1` generates a tenth of everything. `--only-generate` stops after the raw scan (no cloud function is called). `keep` leaves
 * the temp folder; `db=<file>` reuses a file a `keep` run left (no generation).
 * Progress goes to stderr; the table to stdout. Nothing is written into the repository.
 */
import { mkdtempSync, rmSync, statSync } from 'fs'
import { tmpdir } from 'os'
import { dirname, join } from 'path'
import type { Identity } from '../cloudfunctions/_shared/runtime'
import { fetchAll } from '../cloudfunctions/_shared/paging'
import { monthsOfPeriod, periodBounds, periodKeysOf, previousPeriod } from '../src/core/period'
import { emptyAggregate, type Aggregate } from '../src/core/schemas/aggregate'
import type { BranchRankingRow } from '../src/core/functions/stats'
import { noteQuota } from '../src/core/notes/quota'
import { DEFAULT_SETTINGS } from '../src/core/schemas/settings'
import { CheckinSchema, LeaveRequestSchema, MakeupSchema } from '../src/core/schemas/checkin'
import { MemberSchema } from '../src/core/schemas/member'
import { NoteSchema } from '../src/core/schemas/note'
import { OrgSchema } from '../src/core/schemas/org'
import { PointsEntrySchema, PointsNetSchema } from '../src/core/schemas/points'
import { SessionSchema } from '../src/core/schemas/session'
import { branchRow, rankBranches } from '../src/core/stats/ranking'
import { openDatabase, type EmbeddedDatabase } from '../server/db'
import { ADMIN_OPENID, DEFAULT_SHAPE, LARGEST_BRANCH, NOW, ORG_ID, YEAR, generateInto } from './rankings-data'

const argv = process.argv.slice(2)
const flag = (name: string) => argv.includes(name) || argv.includes(`--${name}`)
const arg = (name: string) => argv.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1)
const CALLS = Number(arg('calls') ?? 200)
const SHARDS = Number(arg('shards') ?? 2)
/** `scale=0.1` for a quick run: a tenth of the branches, members and notes. */
const SCALE = Number(arg('scale') ?? 1)
const SHAPE = { ...DEFAULT_SHAPE, branches: Math.round(DEFAULT_SHAPE.branches * SCALE), members: Math.round(DEFAULT_SHAPE.members * SCALE), notes: Math.round(DEFAULT_SHAPE.notes * SCALE) }
const PERIOD = `${YEAR}-Q2`
const log = (msg: string) => process.stderr.write(`[bench:rankings] ${msg}\n`)
const ms = (t0: number) => performance.now() - t0
const pct = (xs: number[], p: number) => {
  const s = xs.slice().sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]
}
const COLLECTIONS = ['orgs', 'members', 'sessions', 'checkins', 'leaves', 'makeups', 'notes', 'ledger', 'points_nets', 'aggregates']

/** The schemas the functions enforce; the first branch's documents are checked against them. */
const SCHEMAS: Record<string, { parse(d: unknown): unknown }> = {
  orgs: OrgSchema, members: MemberSchema, sessions: SessionSchema, checkins: CheckinSchema, leaves: LeaveRequestSchema,
  makeups: MakeupSchema, notes: NoteSchema, ledger: PointsEntrySchema, points_nets: PointsNetSchema
}

function fileSize(file: string): number {
  let n = 0
  for (const f of [file, `${file}-wal`]) try { n += statSync(f).size } catch { /* absent */ }
  return n
}

async function generate(db: EmbeddedDatabase): Promise<{ ms: number; docs: number }> {
  const t0 = performance.now()
  const docs = await generateInto(db, SHAPE, {
    check: (coll, d) => SCHEMAS[coll].parse(d),
    progress: (done, total, n) => {
      if (done % 20 === 0) log(`generated ${done}/${total} branches, ${n.toLocaleString('en-US')} docs, ${(ms(t0) / 1000).toFixed(1)} s`)
    }
  })
  db.raw.pragma('wal_checkpoint(TRUNCATE)')
  return { ms: ms(t0), docs }
}

type Counts = Pick<Aggregate, 'members' | 'attended' | 'expected' | 'leave' | 'creditedWords' | 'essays' | 'points' | 'quotaWords'>

/**
 * The branch ranking from raw records: per branch, the facts of both quarters by
 * indexed queries (branch + period), paged as a function must (1,000 a page),
 * then counted in JS with the rules of rebuild.ts (exempt members out of branch
 * figures, attendance only for tallied sessions, ledger sums for points).
 */
async function rawBranchRanking(db: EmbeddedDatabase): Promise<BranchRankingRow[]> {
  const _ = db.command
  const prev = previousPeriod(PERIOD)
  const quarters = [prev, PERIOD]
  const months = quarters.flatMap(monthsOfPeriod)
  const span = { start: periodBounds(prev).start, end: periodBounds(PERIOD).end }
  const year = String(YEAR)
  const big = { cap: 1_000_000 }
  const branches = await fetchAll(db.collection('orgs').where({ type: 'branch', path: ORG_ID }), big)
  const rows: Record<string, ReturnType<typeof branchRow>[]> = { [prev]: [], [PERIOD]: [] }
  for (const b of branches) {
    const branchId = String(b._id)
    const byQuarter = { branchId, 'periodKeys.year': year, 'periodKeys.quarter': _.in(quarters) }
    const [members, sessions, checkins, leaves, notes, ledger] = await Promise.all([
      fetchAll(db.collection('members').where({ branchId }), big),
      fetchAll(db.collection('sessions').where({ branchId, startAt: _.gte(span.start).and(_.lt(span.end)) }), big),
      fetchAll(db.collection('checkins').where({ branchId, 'periodKeys.month': _.in(months) }).field({ sessionId: true, memberId: true }), big),
      fetchAll(db.collection('leaves').where(byQuarter).field({ sessionId: true, memberId: true, status: true }), big),
      fetchAll(db.collection('notes').where({ branchId, year: YEAR, createdAt: _.gte(span.start).and(_.lt(span.end)) }).field({ memberId: true, kind: true, creditedWords: true, createdAt: true, deleted: true }), big),
      fetchAll(db.collection('ledger').where(byQuarter).field({ memberId: true, delta: true, periodKeys: true }), big)
    ])
    const counted = new Map<string, any>()
    for (const m of members) if (m.active && m.joinStatus !== 'pending' && !m.exempt) counted.set(String(m._id), m)
    const quota = [...counted.values()].reduce((a, m) => a + (noteQuota(m, DEFAULT_SETTINGS, YEAR)?.words ?? 0), 0)
    const acc: Record<string, Counts> = {}
    for (const q of quarters) acc[q] = { members: counted.size, attended: 0, expected: 0, leave: 0, creditedWords: 0, essays: 0, points: 0, quotaWords: quota }
    const checkedIn = new Set(checkins.map((c) => `${c.sessionId}|${c.memberId}`))
    const onLeave = new Set(leaves.filter((l) => l.status === 'approved').map((l) => `${l.sessionId}|${l.memberId}`))
    for (const s of sessions as any[]) {
      if (s.status === 'cancelled' || s.talliedAt === undefined) continue
      const a = acc[periodKeysOf(s.startAt).quarter]
      for (const [id, m] of counted) {
        const k = `${s._id}|${id}`
        const aud = s.audience
        const expected = aud.kind === 'branch' || (aud.kind === 'group' && m.groupId === aud.groupId) ||
          (aud.kind === 'committee' && m.roles.some((r: any) => r.role !== 'admin' && r.orgId === branchId)) || (aud.kind === 'list' && aud.memberIds.includes(id))
        if (!expected && !checkedIn.has(k)) continue
        a.expected++
        if (checkedIn.has(k)) a.attended++
        else if (onLeave.has(k)) a.leave++
      }
    }
    for (const n of notes as any[]) {
      if (n.deleted || !counted.has(n.memberId)) continue
      const a = acc[periodKeysOf(n.createdAt).quarter]
      a.creditedWords += n.creditedWords
      if (n.kind === 'essay') a.essays++
    }
    for (const e of ledger as any[]) if (counted.has(e.memberId)) acc[e.periodKeys.quarter].points += e.delta
    for (const q of quarters) {
      const agg = { ...emptyAggregate('branch', branchId, branchId, b.path as string[], q, NOW), ...acc[q] }
      rows[q].push(branchRow({ _id: branchId, name: String(b.name) }, agg, q))
    }
  }
  return rankBranches(rows[PERIOD], rows[prev], 'points')
}

/** The cloud functions' side: reconciliation twice, then the two rankings, warm. */
async function measureFunctions(db: EmbeddedDatabase, dbFile: string, table: string[], notes: string[], raw: BranchRankingRow[], rawWarm: number): Promise<void> {
  const { getFunction } = await import('../server/functions')
  const { makeLocalRuntime } = await import('../server/local-runtime')
  const warnings: Array<Record<string, unknown>> = []
  const deps = {
    db, secret: 'bench-secret-0123456789abcdef', production: false, clock: { now: () => NOW },
    log: (level: string, msg: string, extra?: Record<string, unknown>) => { if (level !== 'info') warnings.push({ level, msg, ...extra }) }
  }
  const call = async (fn: string, event: Record<string, unknown>, identity: Identity): Promise<any> => {
    const r = (await getFunction(fn)!(makeLocalRuntime(deps, identity), event)) as any
    if (!r.ok) throw new Error(`${fn}.${String(event.action)}: ${r.error.code} ${r.error.message}`)
    return r.data
  }
  const system: Identity = { openid: null, source: 'none' }
  const admin: Identity = { openid: ADMIN_OPENID, source: 'local-token' }

  const reconcile = async (label: string) => {
    warnings.length = 0
    const t0 = performance.now()
    let cursor: string | undefined
    let chunks = 0
    const sum = { processed: 0, corrected: 0, aggregates: 0 }
    do {
      const d = await call('cron', { action: 'reconcile', year: YEAR, ...(cursor ? { cursor } : {}) }, system)
      chunks++
      sum.processed += d.processed
      sum.corrected += d.corrected ?? 0
      sum.aggregates += d.aggregates ?? 0
      cursor = d.nextCursor
      log(`${label}: chunk ${chunks}, ${sum.processed} branches, ${(ms(t0) / 1000).toFixed(1)} s`)
    } while (cursor)
    const took = ms(t0)
    const split = { aggregates: 0, points: 0 }
    for (const w of warnings) {
      split.aggregates += Number(w.aggregatesCorrected ?? 0)
      split.points += Number(w.pointsCorrected ?? 0)
    }
    return { took, chunks, ...sum, split }
  }
  const before = (await db.collection('aggregates').count()).total
  const first = await reconcile('reconcile #1')
  const stored = (await db.collection('aggregates').count()).total
  table.push(`| full reconciliation (${first.processed} branches, ${first.chunks} chunks) | ${(first.took / 1000).toFixed(2)} s | ≤ 10 s |`)
  notes.push(`reconcile #1: ${first.aggregates.toLocaleString('en-US')} aggregates checked, ${first.split.aggregates.toLocaleString('en-US')} written (${before.toLocaleString('en-US')} existed before), ${first.split.points} ledger keys corrected (should be 0: the generated ledger follows the rules); aggregates stored: ${stored.toLocaleString('en-US')}`)
  const second = await reconcile('reconcile #2')
  table.push(`| reconciliation again (safe to run twice) | ${(second.took / 1000).toFixed(2)} s, corrected ${second.corrected} | corrected 0 |`)

  // The same job split into disjoint shards, one worker thread (own SQLite connection) per core.
  const { reconcileInParallel } = await import('../server/reconcile-parallel')
  const parallel = async (label: string) => {
    const t0 = performance.now()
    const r = await reconcileInParallel({ dbFile, secret: deps.secret, year: YEAR, shards: SHARDS, now: NOW })
    log(`${label}: ${r.processed} branches in ${r.shards} shards, ${(ms(t0) / 1000).toFixed(1)} s`)
    return { took: ms(t0), ...r }
  }
  const p2 = await parallel('parallel reconcile, nightly')
  table.push(`| nightly reconciliation in ${p2.shards} parallel shards (worker threads) | ${(p2.took / 1000).toFixed(2)} s, corrected ${p2.corrected} | ≤ 10 s |`)
  await db.collection('aggregates').where({ scope: db.command.in(['member', 'branch']) }).remove()
  const p1 = await parallel('parallel reconcile, from nothing')
  table.push(`| full rebuild from nothing in ${p1.shards} parallel shards (all ${p1.processed} branches, writes every aggregate) | ${(p1.took / 1000).toFixed(2)} s | ≤ 10 s |`)

  const timed = async (n: number, fn: () => Promise<unknown>) => {
    for (let i = 0; i < 5; i++) await fn()
    const lat: number[] = []
    for (let i = 0; i < n; i++) {
      const t0 = performance.now()
      await fn()
      lat.push(ms(t0))
    }
    return { p50: pct(lat, 50), p95: pct(lat, 95), p99: pct(lat, 99) }
  }
  const input = { action: 'branchRanking', orgId: ORG_ID, period: PERIOD, by: 'points' }
  const ranking = (await call('stats', input, admin)) as { rows: BranchRankingRow[] }
  const br = await timed(CALLS, () => call('stats', input, admin))
  table.push(`| stats.branchRanking ${PERIOD} by points, ${ranking.rows.length} branches (p50 / p95 / p99, ${CALLS} warm calls) | ${br.p50.toFixed(1)} / **${br.p95.toFixed(1)}** / ${br.p99.toFixed(1)} ms | p95 ≤ 30 ms |`)
  const mr = await timed(CALLS, () => call('stats', { action: 'memberRanking', branchId: LARGEST_BRANCH, period: PERIOD, by: 'points' }, admin))
  table.push(`| stats.memberRanking ${PERIOD}, largest branch (60 members) (p50 / p95 / p99) | ${mr.p50.toFixed(1)} / ${mr.p95.toFixed(1)} / ${mr.p99.toFixed(1)} ms | – |`)
  table.push(`| same branch ranking by scanning raw records (warm) | ${rawWarm.toFixed(0)} ms | – |`)
  table.push(`| raw scan ÷ aggregate read (p50) | ${(rawWarm / br.p50).toFixed(0)}× | – |`)

  // Both roads must give the same ranking.
  const key = (r: BranchRankingRow) => JSON.stringify([r.branchId, r.rank, r.previousRank, r.members, r.attendanceRate, r.quotaRate, r.wordsPerMember, r.essaysPerMember, r.pointsPerMember])
  const a = ranking.rows.map(key)
  const b = raw.map(key)
  const diff = a.filter((x, i) => x !== b[i])
  notes.push(diff.length === 0 && a.length === b.length
    ? `aggregate read and raw scan agree on all ${a.length} rows (rank, previous rank and every figure)`
    : `MISMATCH aggregate read vs raw scan: ${diff.length} of ${a.length} rows differ, e.g.\n  agg ${diff[0]}\n  raw ${b[a.indexOf(diff[0])]}`)
  const verdict = (ok: boolean) => (ok ? 'within budget' : 'OVER BUDGET')
  notes.push(`budgets: branch ranking p95 ${br.p95.toFixed(1)} ms ${verdict(br.p95 <= 30)}; reconciliation in one thread ${(first.took / 1000).toFixed(1)} s ${verdict(first.took <= 10_000)}, in ${p2.shards} shards ${(Math.max(p1.took, p2.took) / 1000).toFixed(1)} s ${verdict(Math.max(p1.took, p2.took) <= 10_000)}; second run corrected ${second.corrected}`)
  notes.push(`top 3 by points per member: ${ranking.rows.slice(0, 3).map((r) => `${r.name} ${r.pointsPerMember}`).join(', ')}`)
}

async function main(): Promise<void> {
  const reuse = arg('db')
  const dir = reuse ? dirname(reuse) : mkdtempSync(join(tmpdir(), 'zbdk-bench-rank-'))
  const file = reuse ?? join(dir, 'bench.sqlite')
  const table = ['| figure | value | budget |', '|---|---:|---:|']
  const notes: string[] = []
  const db = openDatabase({ file })
  try {
    if (!reuse) {
      log(`generating into ${file}`)
      const g = await generate(db)
      table.push(`| generate + insert (${g.docs.toLocaleString('en-US')} docs, 1 transaction per branch) | ${(g.ms / 1000).toFixed(1)} s | – |`)
    }
    const counts: string[] = []
    for (const c of COLLECTIONS) counts.push(`${c} ${(await db.collection(c).count()).total.toLocaleString('en-US')}`)
    notes.push(`DB: ${counts.join(', ')}; file ${(fileSize(file) / 1e6).toFixed(0)} MB`)
    log(notes[notes.length - 1])

    // Raw scan twice: the first pays for a cold page cache and statement preparation.
    let t = performance.now()
    const raw = await rawBranchRanking(db)
    const rawCold = ms(t)
    t = performance.now()
    await rawBranchRanking(db)
    const rawWarm = ms(t)
    log(`raw-scan ranking: ${rawCold.toFixed(0)} ms cold, ${rawWarm.toFixed(0)} ms warm`)

    if (flag('only-generate')) {
      table.push(`| branch ranking by raw scan (${PERIOD} + previous, ${SHAPE.branches} branches) | ${rawWarm.toFixed(0)} ms (cold ${rawCold.toFixed(0)}) | – |`)
      notes.push(`raw-scan top 3: ${raw.slice(0, 3).map((r) => `${r.branchId} ${r.pointsPerMember}`).join(', ')}`)
    } else {
      await measureFunctions(db, file, table, notes, raw, rawWarm)
      notes.push(`DB file after reconciliation: ${(fileSize(file) / 1e6).toFixed(0)} MB`)
    }
    console.log('')
    console.log(table.join('\n'))
    console.log('')
    for (const n of notes) console.log(n)
  } finally {
    db.close()
    if (!flag('keep') && !reuse) rmSync(dir, { recursive: true, force: true })
    else log(`kept ${file}`)
  }
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
