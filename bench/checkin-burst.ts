/**
 * Check-in burst against the real local server (not a jest suite):
 *   npm run bench:checkin [-- members=1000 connections=128 rounds=5]
 *
 * Seeds its own branch of N members straight into a fresh DB file, starts
 * `node --import tsx server/main.ts` on it (ZBDK_SEED=0, a known
 * ZBDK_SECRET so member session tokens can be signed here), then:
 * 1. N concurrent `checkin.checkIn` POSTs to one session with the live QR
 *    token: throughput, p50/p95/p99, then the DB must hold exactly N
 *    check-ins, none doubled. Repeated `rounds` times (a fresh session each)
 *    for a steadier throughput figure.
 * 2. The same burst, with the server SIGKILLed after ~40% have been answered
 *    OK, then restarted: every check-in that got an OK must be in the DB.
 *    The failed ones are then resent (as a phone would) to reach exactly N.
 * The load generator runs on the same machine and takes CPU from the server.
 */
import { startBenchServer, type BenchServer } from './server'
import { mkdtempSync, rmSync } from 'fs'
import http from 'http'
import { tmpdir } from 'os'
import { join, resolve } from 'path'
import BetterSqlite3 from 'better-sqlite3'
import { openDatabase } from '../server/db'
import { signToken } from '../server/token'

const ROOT = resolve(__dirname, '..')
const SECRET = 'bench-secret-0123456789abcdef-0123456789abcdef'
const BRANCH = 'br_bench'
const VENUE = { lat: 31.2304, lng: 121.4737 }
const arg = (name: string, dflt: number): number => {
  const hit = process.argv.find((a) => a.startsWith(`${name}=`))
  return hit ? Number(hit.split('=')[1]) : dflt
}
const N = arg('members', 1000)
const CONNECTIONS = arg('connections', 128)
const ROUNDS = arg('rounds', 5)
/** `profile=<dir>`: the server writes a V8 CPU profile there when it stops (open in Chrome DevTools). */
const PROFILE_DIR = process.argv.find((a) => a.startsWith('profile='))?.slice('profile='.length)

type Server = BenchServer

function startServer(dataDir: string): Promise<Server> {
  const nodeArgs = PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${resolve(PROFILE_DIR)}`] : []
  return startBenchServer({
    root: ROOT,
    nodeArgs,
    env: { ZBDK_DATA_DIR: dataDir, ZBDK_SEED: '0', ZBDK_SECRET: SECRET, ZBDK_STATIC_DIR: join(dataDir, 'no-h5') }
  })
}

function stopServer(s: Server, signal: NodeJS.Signals): Promise<void> {
  if (s.child.exitCode !== null || s.child.signalCode !== null) return Promise.resolve()
  return new Promise((r) => { s.child.once('exit', () => r()); s.child.kill(signal) })
}

/** Seeds the bench branch, its members (1 secretary) and returns their ids. */
async function seed(file: string): Promise<string[]> {
  const db = openDatabase({ file })
  const now = Date.now()
  const ids = Array.from({ length: N }, (_, i) => `mb_${String(i).padStart(5, '0')}`)
  await db.runTransaction(async (t) => {
    await t.collection('orgs').add({ data: { _id: 'org_bench', type: 'committee', name: '压测党委', parentId: null, path: ['org_bench'], closed: false, createdAt: now } })
    await t.collection('orgs').add({ data: { _id: BRANCH, type: 'branch', name: '压测支部', parentId: 'org_bench', path: ['org_bench', BRANCH], inviteCode: 'BENCH001', closed: false, createdAt: now } })
    for (const [i, id] of ids.entries()) {
      await t.collection('members').add({
        data: {
          _id: id, name: `党员${i}`, openid: `ob_${id}`, branchId: BRANCH, groupId: null, orgPath: ['org_bench', BRANCH], rank: 'staff',
          roles: i === 0 ? [{ role: 'secretary', orgId: BRANCH }] : [], leadingCadre: false, retired: false, exempt: null,
          largeText: false, active: true, joinStatus: 'confirmed', joinedAt: now, createdAt: now
        }
      })
    }
  })
  db.close()
  return ids
}

async function addSession(file: string, id: string): Promise<void> {
  const db = openDatabase({ file })
  const now = Date.now()
  await db.collection('sessions').add({
    data: {
      _id: id, title: `压测活动 ${id}`, type: 'theme_day', branchId: BRANCH, orgPath: ['org_bench', BRANCH],
      startAt: now + 5 * 60_000, endAt: now + 3 * 3600_000, venue: { name: '大礼堂', geofence: { ...VENUE, radiusM: 200 } },
      checkin: { opensAt: now - 60_000, closesAt: now + 3 * 3600_000, lateAfter: now + 15 * 60_000 },
      audience: { kind: 'branch' }, allowOnlineWithoutQr: false, status: 'scheduled', createdBy: 'mb_00000', createdAt: now, updatedAt: now
    }
  })
  db.close()
}

function post(agent: http.Agent, url: string, bearer: string, body: unknown): Promise<{ status: number; json: { ok: boolean; data?: any; error?: any } }> {
  const payload = Buffer.from(JSON.stringify(body))
  return new Promise((ok, bad) => {
    const req = http.request(`${url}/api/checkin`, {
      method: 'POST', agent,
      headers: { 'content-type': 'application/json', 'content-length': payload.length, authorization: `Bearer ${bearer}` }
    }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => { try { ok({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) }) } catch (e) { bad(e) } })
      res.on('error', bad)
    })
    req.on('error', bad)
    req.end(payload)
  })
}

interface Burst { ok: string[]; failed: string[]; dup: number; latencies: number[]; wallMs: number; refusals: Map<string, number> }

/** Fires one check-in per member, all at once; `onOk` sees the running OK count (phase 2 kills on it). */
async function burst(url: string, sessionId: string, members: string[], bearers: Map<string, string>, onOk?: (n: number) => void): Promise<Burst> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS })
  const qr = await post(agent, url, bearers.get('mb_00000')!, { action: 'token', sessionId })
  if (!qr.json.ok) throw new Error(`token: ${JSON.stringify(qr.json)}`)
  const token = qr.json.data.token as string
  const res: Burst = { ok: [], failed: [], dup: 0, latencies: [], wallMs: 0, refusals: new Map() }
  const t0 = performance.now()
  await Promise.all(members.map(async (id, i) => {
    const started = performance.now()
    try {
      const location = { lat: VENUE.lat + ((i % 7) - 3) * 0.0001, lng: VENUE.lng, accuracyM: 20 }
      const r = await post(agent, url, bearers.get(id)!, { action: 'checkIn', sessionId, token, location })
      res.latencies.push(performance.now() - started)
      if (r.json.ok) {
        res.ok.push(id)
        if (r.json.data.duplicate) res.dup++
        onOk?.(res.ok.length)
      } else {
        res.failed.push(id)
        res.refusals.set(r.json.error.code, (res.refusals.get(r.json.error.code) ?? 0) + 1)
      }
    } catch {
      res.failed.push(id)
      res.refusals.set('NETWORK', (res.refusals.get('NETWORK') ?? 0) + 1)
    }
  }))
  res.wallMs = performance.now() - t0
  agent.destroy()
  return res
}

function pct(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN
}

/** What the DB file holds for a session: documents and distinct members (a read-only second connection; WAL lets it read beside the server). */
function audit(file: string, sessionId: string): { docs: number; members: Set<string> } {
  const db = new BetterSqlite3(file, { readonly: true })
  try {
    const rows = db.prepare(`SELECT json_extract(doc, '$.memberId') AS m FROM checkins WHERE json_extract(doc, '$.sessionId') = ?`).all(sessionId) as Array<{ m: string }>
    return { docs: rows.length, members: new Set(rows.map((r) => r.m)) }
  } finally {
    db.close()
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'zbdk-bench-ci-'))
  const file = join(dir, 'zbdk.sqlite')
  const table: string[] = ['| run | check-ins | wall ms | throughput /s | p50 ms | p95 ms | p99 ms | in DB | doubled | lost |', '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|']
  try {
    const members = await seed(file)
    const bearers = new Map(members.map((id) => [id, signToken(SECRET, `ob_${id}`, Date.now()).token]))
    for (let r = 1; r <= ROUNDS; r++) await addSession(file, `s_bench_${r}`)
    await addSession(file, 's_bench_kill')
    let server = await startServer(dir)
    console.log(`server ${server.url}; ${N} members, ${CONNECTIONS} client connections, node ${process.version}`)

    // Phase 1: bursts to fresh sessions.
    for (let r = 1; r <= ROUNDS; r++) {
      const b = await burst(server.url, `s_bench_${r}`, members, bearers)
      const lat = b.latencies.slice().sort((x, y) => x - y)
      const db = audit(file, `s_bench_${r}`)
      const okSet = new Set(b.ok)
      const lost = [...okSet].filter((m) => !db.members.has(m)).length
      table.push(`| burst ${r} | ${b.ok.length}${b.failed.length ? ` (+${b.failed.length} refused: ${[...b.refusals].map(([k, v]) => `${k} ${v}`).join(', ')})` : ''} | ${b.wallMs.toFixed(0)} | ${((b.ok.length / b.wallMs) * 1000).toFixed(0)} | ${pct(lat, 50).toFixed(1)} | ${pct(lat, 95).toFixed(1)} | ${pct(lat, 99).toFixed(1)} | ${db.docs} | ${db.docs - db.members.size} | ${lost} |`)
      if (db.docs !== N || db.members.size !== N || lost) throw new Error(`burst ${r}: expected exactly ${N} check-ins, DB has ${db.docs} (${db.members.size} members), ${lost} lost`)
    }

    if (PROFILE_DIR) {
      // A SIGKILLed process writes no profile: stop this one cleanly first.
      await stopServer(server, 'SIGTERM')
      server = await startServer(dir)
    }

    // Phase 2: SIGKILL mid-burst, restart, every OK present; then resend the rest.
    const killAt = Math.round(N * 0.4)
    let killed = false
    const kill = server
    const b = await burst(server.url, 's_bench_kill', members, bearers, (n) => {
      if (n >= killAt && !killed) { killed = true; kill.child.kill('SIGKILL') }
    })
    await stopServer(kill, 'SIGKILL')
    const t0 = performance.now()
    server = await startServer(dir)
    const restartMs = performance.now() - t0
    const afterKill = audit(file, 's_bench_kill')
    const lost = b.ok.filter((m) => !afterKill.members.has(m)).length
    table.push(`| SIGKILL after ${killAt} OKs | ${b.ok.length} OK, ${b.failed.length} failed | ${b.wallMs.toFixed(0)} | – | – | – | – | ${afterKill.docs} | ${afterKill.docs - afterKill.members.size} | ${lost} |`)
    const retry = await burst(server.url, 's_bench_kill', b.failed, bearers)
    await stopServer(server, 'SIGTERM')
    const final = audit(file, 's_bench_kill')
    table.push(`| resend the ${b.failed.length} failed | ${retry.ok.length} OK (${retry.dup} already recorded) | ${retry.wallMs.toFixed(0)} | – | – | – | – | ${final.docs} | ${final.docs - final.members.size} | ${N - final.members.size} |`)

    console.log('')
    console.log(table.join('\n'))
    console.log('')
    console.log(`restart after SIGKILL: ${restartMs.toFixed(0)} ms to listening. OK'd before the kill and present after restart: ${b.ok.length - lost}/${b.ok.length}.`)
    if (lost || final.docs !== N || final.members.size !== N) throw new Error('phase 2: lost or doubled check-ins')
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
