/**
 * Index use, proven with SQLite's EXPLAIN QUERY PLAN for the prefilter a
 * where() runs: lookups by _id, by an indexed field and by the
 * (branchId, period) pair search an index; a field without an index scans
 * (which shows these assertions can fail).
 */
import { join } from 'path'
import { DEFAULT_INDEXES, openDatabase, type EmbeddedDatabase } from '../../server/db'
import { freshDb, tempDir } from './helpers'

const tmp = tempDir('db-indexes')
let db: EmbeddedDatabase

beforeAll(async () => {
  db = freshDb(tmp.dir) // DEFAULT_INDEXES
  await db.runTransaction(async (t) => {
    for (let i = 0; i < 2000; i++) {
      await t.collection('ledger').add({
        data: { memberId: `m${i % 100}`, branchId: `b${i % 10}`, periodKeys: { month: `2026-0${1 + (i % 9)}` }, points: i % 5, reason: 'checkin' }
      })
    }
  })
  db.raw.exec('ANALYZE')
})
afterAll(() => {
  db.close()
  tmp.cleanup()
})

const usesIndex = (plan: string) => /USING (INDEX|PRIMARY KEY|COVERING INDEX|INTEGER PRIMARY KEY)/.test(plan) && !/^SCAN/m.test(plan)

test('lookup by _id uses the primary key index', () => {
  const plan = db.explainQuery('ledger', { _id: 'abc' })
  expect(plan).toMatch(/SEARCH ledger USING INDEX sqlite_autoindex_ledger_1 \(_id=\?\)/)
  expect(usesIndex(plan)).toBe(true)
})

test('lookup by an indexed field uses its index', () => {
  const plan = db.explainQuery('members', { openid: 'o-123' })
  expect(plan).toMatch(/SEARCH members USING INDEX ix:members\(openid\)/)
})

test('the (branchId, period) pair uses the composite index for both fields', () => {
  const plan = db.explainQuery('ledger', { branchId: 'b1', 'periodKeys.month': '2026-03' })
  expect(plan).toMatch(/USING INDEX ix:ledger\(branchId,periodKeys\.month\) \(<expr>=\? AND <expr>=\?\)/)
  // The rankings' read: aggregates by (scope, branch, period).
  const agg = db.explainQuery('aggregates', { scope: 'member', branchId: 'b1', period: '2026-Q1' })
  expect(agg).toMatch(/USING INDEX ix:aggregates\(scope,branchId,period\) \(<expr>=\? AND <expr>=\? AND <expr>=\?\)/)
})

test('a range on the second field of a composite index still searches it', () => {
  const plan = db.explainQuery('sessions', { branchId: 'b1', startAt: db.command.gte(1).and(db.command.lt(99)) })
  expect(plan).toMatch(/USING INDEX ix:sessions\(branchId,startAt\) \(<expr>=\? AND <expr>>\? AND <expr><\?\)/)
})

test('$in on an indexed field uses the index', () => {
  const plan = db.explainQuery('ledger', { memberId: db.command.in(['m1', 'm2']), 'periodKeys.year': '2026' })
  expect(usesIndex(plan)).toBe(true)
})

test('a field without an index is a full scan', () => {
  const plan = db.explainQuery('ledger', { reason: 'checkin' })
  expect(plan).toMatch(/^SCAN ledger$/m)
  expect(usesIndex(plan)).toBe(false)
})

test('indexes use the same data the query returns', async () => {
  const { data } = await db.collection('ledger').where({ branchId: 'b3', 'periodKeys.month': '2026-04' }).limit(1000).get()
  const expected = (db.raw.prepare(`SELECT doc FROM ledger`).pluck().all() as string[])
    .map((j) => JSON.parse(j))
    .filter((d) => d.branchId === 'b3' && d.periodKeys.month === '2026-04')
  expect(data.length).toBe(expected.length)
  expect(data.length).toBeGreaterThan(0)
})

test('an index added to the spec later is created on the next open', async () => {
  const file = join(tmp.dir, 'later.sqlite')
  const a = openDatabase({ file, indexes: {} })
  await a.collection('things').add({ data: { color: 'red' } })
  expect(a.explainQuery('things', { color: 'red' })).toMatch(/SCAN/)
  a.close()
  const b = openDatabase({ file, indexes: { ...DEFAULT_INDEXES, things: [['color']] } })
  expect(b.explainQuery('things', { color: 'red' })).toMatch(/USING INDEX ix:things\(color\)/)
  expect((await b.collection('things').where({ color: 'red' }).get()).data).toHaveLength(1)
  b.close()
})

test('index specs with unusable paths are refused at open', () => {
  expect(() => openDatabase({ file: ':memory:', indexes: { x: [['a-b']] } })).toThrow(/field path/)
  expect(() => openDatabase({ file: ':memory:', indexes: { x: [[]] } })).toThrow(/empty index/)
})
