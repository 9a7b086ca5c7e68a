/**
 * The nightly reconciliation as CloudBase would run it (not a jest suite):
 *   npm run bench:reconcile-cloud [-- scale=1] [-- ms=10] [-- phase=steady|fresh|both] [-- ticks=30] [-- db=<file>] [-- keep]
 * (`db=<file>` generates into that file when it does not exist, and reuses it after.)
 *
 * Generates the bench data (bench/rankings-data.ts: 200 branches, 5,000
 * members, a year) into the embedded DB, then runs the `cron` function's tick
 * (reconcile only, inside its night window, its 21 s share) tick after tick,
 * every database call delayed by `ms` as a CloudBase call costs
 * (test/helpers/latency-db.ts) and counted as CloudBase bills it
 * (test/helpers/counting-db.ts). Phases:
 * - fresh: the first night after deploy, every aggregate written from nothing
 *   (and 50 ledger lines removed, so ledger keys are corrected too);
 * - steady: a night with nothing to correct (aggregates built beforehand without latency).
 * Prints per phase: branches per tick, ticks to complete (the night has 24),
 * calls, the largest transaction, and the most calls in flight at once.
 * `ticks=` caps a phase; what is left is extrapolated from the ticks run.
 */
import { existsSync, mkdtempSync, rmSync } from 'fs'
import { tmpdir } from 'os'
import { dirname, join } from 'path'
import { reconcileJob } from '../cloudfunctions/cron/src/reconcile'
import { DEFAULT_TICK_PLAN, tickJob, type TickPlan } from '../cloudfunctions/cron/src/tick'
import type { Database } from '../cloudfunctions/_shared/db'
import { openDatabase, type EmbeddedDatabase } from '../server/db'
import { makeLocalRuntime } from '../server/local-runtime'
import { CallCounter, countingDb } from '../test/helpers/counting-db'
import { latencyDb } from '../test/helpers/latency-db'
import { DEFAULT_SHAPE, YEAR, generateInto } from './rankings-data'

const argv = process.argv.slice(2)
const arg = (name: string) => argv.find((a) => a.replace(/^--/, '').startsWith(`${name}=`))?.split('=')[1]
const flag = (name: string) => argv.includes(name) || argv.includes(`--${name}`)
const SCALE = Number(arg('scale') ?? 1)
const LATENCY = Number(arg('ms') ?? 10)
const PHASE = arg('phase') ?? 'both'
const MAX_TICKS = Number(arg('ticks') ?? 30)
const NIGHT_TICKS = 24
const LOST_LINES = 50
const SHAPE = { ...DEFAULT_SHAPE, branches: Math.round(DEFAULT_SHAPE.branches * SCALE), members: Math.round(DEFAULT_SHAPE.members * SCALE), notes: Math.round(DEFAULT_SHAPE.notes * SCALE) }
/** 02:30 Shanghai on 5 January 2027: inside the window, after every 2026 session. */
const TICK_AT = Date.UTC(2027, 0, 4, 18, 30)
const log = (msg: string) => process.stderr.write(`[bench:reconcile-cloud] ${msg}\n`)

/** The tick as deployed, reconciling the bench year (the tick itself would pick the current one). */
const PLAN: TickPlan = { ...DEFAULT_TICK_PLAN, jobs: { ...DEFAULT_TICK_PLAN.jobs, reconcile: (rt, input) => reconcileJob(rt, { ...input, year: YEAR }) } }

function runtimeOn(db: Database) {
  const deps = { db, secret: 'bench-secret-0123456789abcdef', production: false, clock: { now: () => TICK_AT }, log: () => undefined, filesDir: tmpdir() }
  return makeLocalRuntime(deps, { openid: null, source: 'none' })
}

interface PhaseResult { label: string; ticks: number[]; done: boolean; calls: number; maxTxOps: number; transactions: number; maxInFlight: number; corrected: number; seconds: number }

async function nightOf(label: string, raw: EmbeddedDatabase): Promise<PhaseResult> {
  await raw.collection('cron_state').doc('reconcile').remove()
  const counter = new CallCounter()
  const slow = latencyDb(countingDb(raw, counter), { ms: LATENCY })
  const rt = runtimeOn(slow.db)
  const ticks: number[] = []
  let corrected = 0
  let done = false
  const t0 = performance.now()
  while (!done && ticks.length < MAX_TICKS) {
    const t = performance.now()
    const out = await tickJob(rt, { now: TICK_AT, jobs: ['reconcile'] }, PLAN)
    const r = out.jobs.reconcile as { processed: number; done: boolean; corrected?: number } | { error: string }
    if ('error' in r) throw new Error(`tick failed: ${r.error}`)
    ticks.push(r.processed)
    corrected += r.corrected ?? 0
    done = r.done
    log(`${label}: tick ${ticks.length}: ${r.processed} branches in ${((performance.now() - t) / 1000).toFixed(1)} s (max in flight ${slow.stats.maxInFlight})`)
  }
  const f = counter.get('')
  return { label, ticks, done, calls: f.calls, maxTxOps: f.maxTxOps, transactions: f.transactions.length, maxInFlight: slow.stats.maxInFlight, corrected, seconds: (performance.now() - t0) / 1000 }
}

function report(r: PhaseResult): string {
  const total = r.ticks.reduce((a, b) => a + b, 0)
  // The last tick of a finished pass is partial: the rate comes from the full ones.
  const full = r.done && r.ticks.length > 1 ? r.ticks.slice(0, -1) : r.ticks
  const perTick = full.reduce((a, b) => a + b, 0) / full.length
  const ticks = r.done ? `${r.ticks.length}` : `≈ ${r.ticks.length + Math.ceil((SHAPE.branches - total) / Math.max(perTick, 1e-9))} (extrapolated after ${r.ticks.length})`
  return [
    `| ${r.label} | ${perTick.toFixed(1)} | ${ticks} of ${NIGHT_TICKS} | ${r.calls.toLocaleString('en-US')} | ${r.maxTxOps} ops (${r.transactions} transactions) | ${r.maxInFlight} | ${r.corrected.toLocaleString('en-US')} | ${r.seconds.toFixed(0)} s |`
  ].join('\n')
}

async function main() {
  const reuse = arg('db')
  const dir = reuse ? dirname(reuse) : mkdtempSync(join(tmpdir(), 'zbdk-bench-rc-'))
  const generate = !reuse || !existsSync(reuse)
  const db = openDatabase({ file: reuse ?? join(dir, 'bench.sqlite') })
  try {
    if (generate) {
      log(`generating ${SHAPE.branches} branches, ${SHAPE.members} members, ${SHAPE.notes} notes…`)
      await generateInto(db, SHAPE, { progress: (done, total) => done % 50 === 0 && log(`generated ${done}/${total} branches`) })
    }
    const rows: PhaseResult[] = []
    if (PHASE === 'fresh' || PHASE === 'both') {
      await db.collection('aggregates').where({ scope: db.command.exists(true) }).remove()
      // And a few ledger lines lost, so ledger keys are corrected too (each in a transaction of its own).
      for (const d of (await db.collection('ledger').orderBy('_id', 'asc').skip(1000).limit(LOST_LINES).get()).data) await db.collection('ledger').doc(String(d._id)).remove()
      rows.push(await nightOf(`first night (every aggregate written, ${LOST_LINES} ledger lines lost)`, db))
    }
    if (PHASE === 'steady' || PHASE === 'both') {
      // Whatever the fresh phase left unfinished is built without latency: the steady night has nothing to correct.
      log('building every aggregate without latency…')
      const rt = runtimeOn(db)
      let cursor: string | undefined
      do cursor = (await reconcileJob(rt, { year: YEAR, cursor })).nextCursor
      while (cursor)
      rows.push(await nightOf('a night with nothing to correct', db))
    }
    console.log(`\nReconciliation through the cron tick at ${LATENCY} ms per database call, ${SHAPE.branches} branches / ${SHAPE.members} members / ${YEAR}; reconcile share ${PLAN.shares.reconcile / 1000} s per tick\n`)
    console.log('| pass | branches per tick | ticks to complete | calls | largest transaction | most calls in flight | corrected | wall time |')
    console.log('|---|---|---|---|---|---|---|---|')
    for (const r of rows) console.log(report(r))
  } finally {
    db.close()
    if (!flag('keep') && !reuse) rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
