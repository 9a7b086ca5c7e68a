/**
 * Plain top-level equalities skip mingo (see compileScalarEquality in
 * server/db/ops.ts). This differential test holds them to mingo's answers on
 * documents built to trip a shortcut: arrays, nested arrays, numbers vs
 * strings vs booleans, missing fields, 0/1 vs false/true, indexed and not.
 */
import { find } from 'mingo'
import { DEFAULT_INDEXES, type EmbeddedDatabase } from '../../server/db'
import { freshDb, ids, tempDir } from './helpers'

const tmp = tempDir('db-fast-eq')
let db: EmbeddedDatabase

const values: unknown[] = ['a', 'b', '1', 1, 0, 2.5, true, false, null, ['a', 'b'], [1, 2], [['a']], [true], { x: 'a' }, [], '']
const docs: Array<Record<string, unknown>> = []
for (let i = 0; i < values.length * 3; i++) {
  const d: Record<string, unknown> = { _id: `d${i}` }
  d.f = values[i % values.length]
  if (i % 2 === 0) d.g = values[(i * 7) % values.length]
  d.branchId = i % 3 === 0 ? 'b1' : ['b1', 'b2'][i % 2] // an indexed field
  docs.push(d)
}

beforeAll(async () => {
  db = freshDb(tmp.dir, DEFAULT_INDEXES)
  for (const d of docs) await db.collection('members').add({ data: d })
})
afterAll(() => {
  db.close()
  tmp.cleanup()
})

const scalars: Array<string | number | boolean> = ['a', 'b', '1', 1, 0, 2.5, true, false, '']

test.each(scalars.map((v) => [JSON.stringify(v), v]))('f = %s matches exactly what mingo matches', async (_l, v) => {
  const q = { f: v }
  const got = (await db.collection('members').where(q).limit(1000).get()).data
  const want = find(docs, q).all() as Array<{ _id: string }>
  expect(ids(got)).toEqual(ids(want))
})

test('two fields, one indexed, and counts agree with mingo', async () => {
  for (const f of scalars) {
    for (const g of ['a', 1, true]) {
      const q = { f, g, branchId: 'b1' }
      const got = (await db.collection('members').where(q).limit(1000).get()).data
      expect([q, ids(got)]).toEqual([q, ids(find(docs, q).all() as Array<{ _id: string }>)])
      expect((await db.collection('members').where(q).count()).total).toBe(got.length)
    }
  }
})
