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

/** Dotted paths take the shortcut through plain objects and hand anything with an array on the way to mingo. */
test('dotted-path equalities agree with mingo, arrays on the path included', async () => {
  const nested: Array<Record<string, unknown>> = values.flatMap((v, i) => [
    { _id: `n${i}a`, p: { k: v } },
    { _id: `n${i}b`, p: [{ k: v }, { k: 'z' }] },
    { _id: `n${i}c`, p: { q: { k: v } } },
    { _id: `n${i}d`, p: v },
    { _id: `n${i}e` }
  ])
  for (const d of nested) await db.collection('nested').add({ data: d })
  for (const v of scalars) {
    for (const path of ['p.k', 'p.q.k', 'p.0.k', 'p.k.0']) {
      const q = { [path]: v }
      const got = (await db.collection('nested').where(q).limit(1000).get()).data
      expect([q, ids(got)]).toEqual([q, ids(find(nested, q).all() as Array<{ _id: string }>)])
    }
  }
})

/** A single sort key of one plain type is sorted without mingo; mixed types still go through it. */
test('orderBy on one field agrees with mingo, for strings, numbers and mixed values', async () => {
  const rows: Array<Record<string, unknown>> = Array.from({ length: 60 }, (_, i) => ({
    _id: `s${String((i * 37) % 60).padStart(2, '0')}`,
    n: (i * 13) % 7,
    s: ['b', 'a', 'B', '10', '9', 'ä'][i % 6],
    m: values[i % values.length]
  }))
  for (const d of rows) await db.collection('sorted').add({ data: d })
  for (const field of ['_id', 'n', 's', 'm']) {
    for (const dir of ['asc', 'desc'] as const) {
      const got = (await db.collection('sorted').orderBy(field, dir).orderBy(field, dir).skip(3).limit(40).get()).data
      const want = find(rows, {}).sort({ [field]: dir === 'asc' ? 1 : -1 }).skip(3).limit(40).all() as Array<{ _id: string }>
      expect([field, dir, ids(got)]).toEqual([field, dir, ids(want)])
    }
  }
})

/** Leaving out top-level fields happens in SQLite (json_remove); the answer must be mingo's projection. */
test('exclusion projections agree with mingo, also when a condition or sort looks at a removed field', async () => {
  const rows: Array<Record<string, unknown>> = values.map((v, i) => ({
    _id: `p${String(i).padStart(2, '0')}`, keep: i % 3, content: v, big: { nested: v, list: [v, v] }, ...(i % 4 ? { tags: ['x', v] } : {})
  }))
  for (const d of rows) await db.collection('projected').add({ data: d })
  const cases: Array<[Record<string, unknown>, Record<string, 0>, [string, 'asc' | 'desc'] | null]> = [
    [{}, { content: 0 }, null],
    [{ keep: 1 }, { content: 0, big: 0 }, null],
    [{ keep: 2 }, { big: 0, tags: 0 }, ['_id', 'desc']],
    [{ content: 'a' }, { content: 0 }, null], // condition on a removed field: mingo's way
    [{ keep: 0 }, { content: 0 }, ['content', 'asc']] // sort on a removed field: mingo's way
  ]
  for (const [where, proj, order] of cases) {
    let q = db.collection('projected').where(where).field(proj)
    if (order) q = q.orderBy(order[0], order[1])
    const got = (await q.limit(1000).get()).data
    let want = find(rows, where, proj)
    if (order) want = want.sort({ [order[0]]: order[1] === 'asc' ? 1 : -1 })
    expect([where, proj, got]).toEqual([where, proj, want.all()])
  }
})

/** `_id: {$in: [...]}` (the bulk increment after a check-in) also skips mingo: same answers, alone and with equalities. */
test('_id $in over strings agrees with mingo, alone, with an equality, and in a bulk update', async () => {
  const _ = db.command
  const cases: Array<[string[], Record<string, unknown>]> = [
    [['d0', 'd3', 'nope'], {}],
    [[], {}],
    [['d1', 'd2', 'd4'], { branchId: 'b1' }],
    [['d5', 'd6'], { f: 'a' }]
  ]
  for (const [ins, rest] of cases) {
    const got = (await db.collection('members').where({ _id: _.in(ins), ...rest }).limit(1000).get()).data
    const want = find(docs, { _id: { $in: ins }, ...rest }).all() as Array<{ _id: string }>
    expect([ins, rest, ids(got)]).toEqual([ins, rest, ids(want)])
  }
  const res = await db.collection('members').where({ _id: _.in(['d0', 'd3']) }).update({ data: { hits: _.inc(1) } })
  expect(res.stats.updated).toBe(2)
  expect((await db.collection('members').where({ hits: 1 }).get()).data.map((d) => d._id).sort()).toEqual(['d0', 'd3'])
})
