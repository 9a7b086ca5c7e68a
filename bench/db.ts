/**
 * Micro-benchmark of the embedded database (not a jest suite):
 *   npm run bench:db [-- docs=200000]
 * Prints point-read latency, single-add throughput, bulk insert time and an
 * indexed where() over N documents.
 */
import { mkdtempSync, rmSync } from 'fs'
import { tmpdir } from 'os'
import { join } from 'path'
import { DEFAULT_INDEXES, openDatabase } from '../server/db'

function ms(t0: bigint): number {
  return Number(process.hrtime.bigint() - t0) / 1e6
}

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 200000)
  console.log(`embedded DB bench, ${n} docs, SQLite file in a temp folder (WAL, synchronous=NORMAL)`)
  const dir = mkdtempSync(join(tmpdir(), 'dbbench-'))
  // A ledger-shaped collection indexed like the real hot paths: (member, period) and (branch, period).
  const db = openDatabase({ file: join(dir, 'bench.sqlite'), indexes: { ...DEFAULT_INDEXES, bench: [['memberId', 'period'], ['branchId', 'period']] } })
  try {
    const ledger = db.collection('bench')
    const _ = db.command

    // 10k single add() calls, each its own autocommit transaction.
    let t = process.hrtime.bigint()
    for (let i = 0; i < 10000; i++) {
      await ledger.add({ data: { memberId: `m${i % 5000}`, branchId: `b${i % 200}`, period: '2025-Q4', points: i % 7 } })
    }
    console.log(`10k single add(): ${ms(t).toFixed(0)} ms`)

    // N documents in one transaction via the raw handle's speed path (the API's add inside runTransaction).
    t = process.hrtime.bigint()
    const periods = ['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4']
    await db.runTransaction(async (tx) => {
      const c = tx.collection('bench')
      for (let i = 0; i < n; i++) {
        await c.add({ data: { memberId: `m${i % 5000}`, branchId: `b${i % 200}`, period: periods[Math.floor(i / 5000) % 4], points: i % 7, reason: 'note' } })
      }
    })
    console.log(`${n} add() in one transaction: ${ms(t).toFixed(0)} ms`)

    // Point reads by id.
    const ids = (await ledger.limit(1000).get()).data.map((d) => d._id)
    const reps = 100000
    t = process.hrtime.bigint()
    for (let i = 0; i < reps; i++) await ledger.doc(ids[i % ids.length]).get()
    console.log(`point get by id: ${((ms(t) * 1000) / reps).toFixed(2)} µs each (${reps} awaited calls)`)
    const store = db.raw.prepare('SELECT doc FROM bench WHERE _id = ?').pluck()
    t = process.hrtime.bigint()
    for (let i = 0; i < reps; i++) JSON.parse(store.get(ids[i % ids.length]) as string)
    console.log(`  (raw SQLite + JSON.parse baseline: ${((ms(t) * 1000) / reps).toFixed(2)} µs)`)

    // Indexed where on the (branchId, period) pair.
    const total = n + 10000
    for (const limit of [100, 1000]) {
      const runs = 200
      t = process.hrtime.bigint()
      let got = 0
      for (let i = 0; i < runs; i++) {
        got += (await ledger.where({ branchId: `b${i % 200}`, period: '2026-Q1' }).limit(limit).get()).data.length
      }
      console.log(`where({branchId, period}) over ${total} docs, limit ${limit}: ${(ms(t) / runs).toFixed(2)} ms each (${(got / runs).toFixed(0)} docs)`)
    }
    t = process.hrtime.bigint()
    const { total: cnt } = await ledger.where({ memberId: 'm42', period: '2026-Q2' }).count()
    console.log(`count({memberId, period}): ${ms(t).toFixed(2)} ms (${cnt})`)
    t = process.hrtime.bigint()
    const unindexed = await ledger.where({ points: 3, reason: 'note' }).limit(10).get()
    console.log(`unindexed where (stops at limit 10): ${ms(t).toFixed(2)} ms (${unindexed.data.length})`)
    t = process.hrtime.bigint()
    const agg = await ledger
      .aggregate()
      .match({ period: '2026-Q1', branchId: 'b7' })
      .group({ _id: '$memberId', points: _.aggregate.sum('$points') })
      .sort({ points: -1 })
      .limit(10)
      .end()
    console.log(`aggregate match(branch, period) → group → sort: ${ms(t).toFixed(2)} ms (${agg.list.length} groups)`)

    // Check-in-shaped transactions: read the session, insert the check-in, bump an aggregate; 1,000 at once.
    await db.collection('sessions').add({ data: { _id: 's1', branchId: 'b1', startAt: 0 } })
    await db.collection('aggregates').add({ data: { _id: 'agg', scope: 'session', n: 0 } })
    t = process.hrtime.bigint()
    await Promise.all(
      Array.from({ length: 1000 }, (_v, i) =>
        db.runTransaction(async (tx) => {
          await tx.collection('sessions').doc('s1').get()
          await tx.collection('checkins').add({ data: { _id: `s1:m${i}`, sessionId: 's1', memberId: `m${i}`, at: i } })
          await tx.collection('aggregates').doc('agg').update({ data: { n: _.inc(1) } })
        })
      )
    )
    const burst = ms(t)
    const agg2 = await db.collection('aggregates').doc('agg').get()
    console.log(`1,000 concurrent check-in transactions: ${burst.toFixed(0)} ms (${Math.round(1000 / (burst / 1000))}/s), counter ${agg2.data?.n}`)
  } finally {
    db.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

void main()
