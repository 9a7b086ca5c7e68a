/**
 * Year-end exports at scale (not a jest suite):
 *   npm run bench:exports [-- scale=1] [-- keep] [-- db=<file>] [-- only=points]
 *
 * The rankings data set (bench/rankings-data.ts: 200 branches, 5,000 members,
 * a year of check-ins, 100k notes, the ledger), reconciled so aggregates and
 * warnings exist, then through the `archive` function as the 党委's admin:
 * each ledger for the whole organisation and the year (签到台账 one sheet per
 * branch; 笔记 / 积分 / 预警 one sheet with a 支部 column), a branch's 签到台账,
 * and a member's 个人档案 as a workbook. Reported per export: wall time,
 * peak RSS of the process while it ran, rows, file size. `db=<file>` reuses
 * a file that `npm run bench:rankings -- keep` (or this, with keep) left.
 */
import { mkdtempSync, rmSync } from 'fs'
import { tmpdir } from 'os'
import { join } from 'path'
import type { Identity } from '../cloudfunctions/_shared/runtime'
import { openDatabase } from '../server/db'
import { getFunction } from '../server/functions'
import { makeLocalRuntime } from '../server/local-runtime'
import { ADMIN_ID, ADMIN_OPENID, DEFAULT_SHAPE, LARGEST_BRANCH, NOW, ORG_ID, YEAR, generateInto } from './rankings-data'

const argv = process.argv.slice(2)
const arg = (name: string) => argv.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1)
const SCALE = Number(arg('scale') ?? 1)
const SHAPE = { ...DEFAULT_SHAPE, branches: Math.round(DEFAULT_SHAPE.branches * SCALE), members: Math.round(DEFAULT_SHAPE.members * SCALE), notes: Math.round(DEFAULT_SHAPE.notes * SCALE) }
const log = (msg: string) => process.stderr.write(`[bench:exports] ${msg}\n`)
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`

async function main(): Promise<void> {
  const given = arg('db')
  const dir = mkdtempSync(join(tmpdir(), 'zbdk-bench-exports-'))
  const dbFile = given ?? join(dir, 'bench.sqlite')
  const db = openDatabase({ file: dbFile })
  const deps = { db, secret: 'bench-secret-0123456789abcdef', production: false, clock: { now: () => NOW }, filesDir: join(dir, 'files'), log: () => undefined }
  const system: Identity = { openid: null, source: 'none' }
  const admin: Identity = { openid: ADMIN_OPENID, source: 'local-token' }
  const call = async (fn: string, event: Record<string, unknown>, who: Identity) => {
    const r = (await getFunction(fn)!(makeLocalRuntime(deps, who), event)) as { ok: boolean; data?: any; error?: any } // eslint-disable-line @typescript-eslint/no-explicit-any
    if (!r.ok) throw new Error(`${fn}.${event.action}: ${JSON.stringify(r.error)}`)
    return r.data
  }
  try {
    if (!given) {
      const t0 = performance.now()
      const docs = await generateInto(db, SHAPE, { progress: (d, t) => d % 40 === 0 && log(`generated ${d}/${t} branches`) })
      log(`generated ${docs.toLocaleString('en-US')} docs in ${((performance.now() - t0) / 1000).toFixed(1)} s; reconciling (builds the aggregates the warnings read)`)
      for (let cursor: string | undefined, i = 0; i === 0 || cursor; i++) {
        const d = await call('cron', { action: 'reconcile', year: YEAR, ...(cursor ? { cursor } : {}) }, system)
        cursor = d.nextCursor
      }
    }
    const base = process.memoryUsage().rss
    const table: string[] = [`| export | wall | peak RSS (process) | rows | file |`, `|---|---|---|---|---|`]
    const only = arg('only')
    const run = async (label: string, event: Record<string, unknown>, fn = 'archive') => {
      if (only && !String(event.kind ?? event.action).includes(only)) return
      global.gc?.()
      let peak = process.memoryUsage().rss
      const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20)
      const t0 = performance.now()
      const out = await call(fn, event, admin)
      const wall = performance.now() - t0
      clearInterval(timer)
      peak = Math.max(peak, process.memoryUsage().rss)
      const file = out.file ?? out
      table.push(`| ${label} | ${(wall / 1000).toFixed(1)} s | ${mb(peak)} | ${Number(file.rows).toLocaleString('en-US')} | ${(file.bytes / 1024 / 1024).toFixed(1)} MB |`)
      log(`${label}: ${(wall / 1000).toFixed(1)} s, peak ${mb(peak)}`)
    }
    await run(`签到台账, ${SHAPE.branches} branches (a sheet each), ${YEAR}`, { action: 'ledger', kind: 'attendance', orgId: ORG_ID, period: String(YEAR) })
    await run(`笔记台账, ${SHAPE.members.toLocaleString('en-US')} members, ${YEAR}`, { action: 'ledger', kind: 'notes', orgId: ORG_ID, period: String(YEAR) })
    await run(`积分台账 (totals + every ledger line), ${YEAR}`, { action: 'ledger', kind: 'points', orgId: ORG_ID, period: String(YEAR) })
    await run(`预警名单, ${YEAR}-Q4`, { action: 'ledger', kind: 'warnings', orgId: ORG_ID, period: `${YEAR}-Q4` })
    await run(`签到台账, largest branch, ${YEAR}`, { action: 'ledger', kind: 'attendance', branchId: LARGEST_BRANCH, period: String(YEAR) })
    await run(`个人档案 (workbook), one member, ${YEAR}`, { action: 'member', memberId: ADMIN_ID, year: YEAR, file: true })
    process.stdout.write(`\nbench:exports — ${SHAPE.branches} branches, ${SHAPE.members.toLocaleString('en-US')} members, ${YEAR}; process RSS before: ${mb(base)}\n\n${table.join('\n')}\n`)
  } finally {
    db.close()
    if (!argv.includes('keep')) rmSync(dir, { recursive: true, force: true })
    else log(`kept ${dir}`)
  }
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
