/**
 * Query conformance: every where() operator against hand-checked MongoDB
 * results AND against mingo run directly on the same in-memory documents
 * (differential). The 'people' collection indexes the fields queried so the
 * SQL pushdown is exercised, not just the JS filter.
 */
import { find } from 'mingo'
import type { DbCommand, DocData } from '../../cloudfunctions/_shared/db'
import type { EmbeddedDatabase } from '../../server/db'
import { expectCode, freshDb, ids, tempDir } from './helpers'

const PEOPLE: DocData[] = [
  { _id: 'p1', name: 'ann', age: 30, city: 'sh', tags: ['a', 'b'], n: { a: 1, b: 'x' }, scores: [{ k: 'm', v: 90 }, { k: 'e', v: 70 }], active: true },
  { _id: 'p2', name: 'bob', age: 25, city: 'bj', tags: ['b'], n: { a: 2 }, scores: [{ k: 'm', v: 60 }], active: false },
  { _id: 'p3', name: 'cat', age: 35, city: 'sh', tags: [], n: { a: 1, b: 'y' }, active: true, nick: null },
  { _id: 'p4', name: 'dan', age: '40', city: 'gz', n: { a: 3 } },
  { _id: 'p5', name: 'eve', age: 28.5, city: 'sh', tags: ['c', 'a'], n: { a: 1 }, active: true, nums: [1, 5, 10] },
  { _id: 'p6', name: 'fay', city: 'bj', nums: [2, 4], active: 1 }
]

const tmp = tempDir('db-conformance')
let db: EmbeddedDatabase
let _: DbCommand

beforeAll(async () => {
  db = freshDb(tmp.dir, { people: [['name'], ['age'], ['city', 'age'], ['n.a'], ['n.b'], ['active'], ['nick'], ['tags']] })
  _ = db.command
  for (const p of PEOPLE) await db.collection('people').add({ data: p })
})
afterAll(() => {
  db.close()
  tmp.cleanup()
})

type Case = [name: string, cond: (c: DbCommand) => DocData, mongo: Record<string, unknown>, expected: string[]]

const CASES: Case[] = [
  ['eq', (c) => ({ city: c.eq('sh') }), { city: 'sh' }, ['p1', 'p3', 'p5']],
  ['neq (includes missing)', (c) => ({ nick: c.neq(null) }), { nick: { $ne: null } }, []],
  ['neq', (c) => ({ city: c.neq('sh') }), { city: { $ne: 'sh' } }, ['p2', 'p4', 'p6']],
  ['gt (numbers only, not the string "40")', (c) => ({ age: c.gt(28.5) }), { age: { $gt: 28.5 } }, ['p1', 'p3']],
  ['gte', (c) => ({ age: c.gte(28.5) }), { age: { $gte: 28.5 } }, ['p1', 'p3', 'p5']],
  ['lt', (c) => ({ age: c.lt(30) }), { age: { $lt: 30 } }, ['p2', 'p5']],
  ['lte', (c) => ({ age: c.lte(30) }), { age: { $lte: 30 } }, ['p1', 'p2', 'p5']],
  ['string range', (c) => ({ name: c.gte('cat').and(c.lt('eve')) }), { name: { $gte: 'cat', $lt: 'eve' } }, ['p3', 'p4']],
  ['in', (c) => ({ city: c.in(['bj', 'gz']) }), { city: { $in: ['bj', 'gz'] } }, ['p2', 'p4', 'p6']],
  ['in with null matches missing', (c) => ({ nick: c.in([null]) }), { nick: { $in: [null] } }, ['p1', 'p2', 'p3', 'p4', 'p5', 'p6']],
  ['nin', (c) => ({ city: c.nin(['sh', 'bj']) }), { city: { $nin: ['sh', 'bj'] } }, ['p4']],
  ['exists true', (c) => ({ age: c.exists(true) }), { age: { $exists: true } }, ['p1', 'p2', 'p3', 'p4', 'p5']],
  ['exists false', (c) => ({ age: c.exists(false) }), { age: { $exists: false } }, ['p6']],
  ['exists true on a null value', (c) => ({ nick: c.exists(true) }), { nick: { $exists: true } }, ['p3']],
  ['size', (c) => ({ tags: c.size(2) }), { tags: { $size: 2 } }, ['p1', 'p5']],
  ['all', (c) => ({ tags: c.all(['a', 'b']) }), { tags: { $all: ['a', 'b'] } }, ['p1']],
  ['elemMatch over documents', (c) => ({ scores: c.elemMatch({ k: 'm', v: c.gte(80) }) }), { scores: { $elemMatch: { k: 'm', v: { $gte: 80 } } } }, ['p1']],
  ['elemMatch over scalars', (c) => ({ nums: c.elemMatch(c.gt(4).and(c.lt(6))) }), { nums: { $elemMatch: { $gt: 4, $lt: 6 } } }, ['p5']],
  ['mod', (c) => ({ age: c.mod(10, 5) }), { age: { $mod: [10, 5] } }, ['p2', 'p3']],
  ['not (matches missing and other types)', (c) => ({ age: c.not(c.gt(28)) }), { age: { $not: { $gt: 28 } } }, ['p2', 'p4', 'p6']],
  ['and chained at field level', (c) => ({ age: c.gt(26).and(c.lt(33)) }), { age: { $gt: 26, $lt: 33 } }, ['p1', 'p5']],
  ['or chained at field level', (c) => ({ age: c.lt(26).or(c.gt(33)) }), { $or: [{ age: { $lt: 26 } }, { age: { $gt: 33 } }] }, ['p2', 'p3']],
  ['or of commands at field level', (c) => ({ age: c.or(c.eq(25), c.eq('40')) }), { age: { $in: [25, '40'] } }, ['p2', 'p4']],
  ['or at top level', (c) => c.or([{ city: 'gz' }, { name: 'ann' }]) as unknown as DocData, { $or: [{ city: 'gz' }, { name: 'ann' }] }, ['p1', 'p4']],
  ['and at top level', (c) => c.and({ city: 'sh' }, { age: c.gt(29) }) as unknown as DocData, { city: 'sh', age: { $gt: 29 } }, ['p1', 'p3']],
  ['nor at top level', (c) => c.nor([{ city: 'sh' }, { city: 'bj' }]) as unknown as DocData, { $nor: [{ city: 'sh' }, { city: 'bj' }] }, ['p4']],
  ['not of an or', (c) => ({ age: c.not(c.lt(26).or(c.gt(33))) }), { $nor: [{ age: { $lt: 26 } }, { age: { $gt: 33 } }] }, ['p1', 'p4', 'p5', 'p6']],
  ['nested object = dotted equality', () => ({ n: { a: 1 } }), { 'n.a': 1 }, ['p1', 'p3', 'p5']],
  ['nested object, two fields', () => ({ n: { a: 1, b: 'x' } }), { 'n.a': 1, 'n.b': 'x' }, ['p1']],
  ['dotted key', () => ({ 'n.a': 2 }), { 'n.a': 2 }, ['p2']],
  ['nested command', (c) => ({ n: { a: c.gte(2) } }), { 'n.a': { $gte: 2 } }, ['p2', 'p4']],
  ['field-level or of nested objects', (c) => ({ n: c.or({ a: 2 }, { b: 'y' }) }), { $or: [{ 'n.a': 2 }, { 'n.b': 'y' }] }, ['p2', 'p3']],
  ['array element equality', () => ({ tags: 'a' }), { tags: 'a' }, ['p1', 'p5']],
  ['whole array equality', () => ({ tags: ['b'] }), { tags: ['b'] }, ['p2']],
  ['array elements through a path', () => ({ 'scores.k': 'e' }), { 'scores.k': 'e' }, ['p1']],
  ['null matches null and missing', () => ({ nick: null }), { nick: null }, ['p1', 'p2', 'p3', 'p4', 'p5', 'p6']],
  ['true does not match 1', () => ({ active: true }), { active: true }, ['p1', 'p3', 'p5']],
  ['1 does not match true', () => ({ active: 1 }), { active: 1 }, ['p6']],
  ['string "40" is not number 40', () => ({ age: 40 }), { age: 40 }, []],
  ['string equality', () => ({ age: '40' }), { age: '40' }, ['p4']],
  ['raw MongoDB operator', () => ({ age: { $gte: 30 } }), { age: { $gte: 30 } }, ['p1', 'p3']],
  ['_id in', (c) => ({ _id: c.in(['p1', 'p3', 'zz']) }), { _id: { $in: ['p1', 'p3', 'zz'] } }, ['p1', 'p3']],
  ['_id range', (c) => ({ _id: c.gt('p4') }), { _id: { $gt: 'p4' } }, ['p5', 'p6']],
  ['fields and commands combined', (c) => ({ city: 'sh', age: c.gt(29) }), { city: 'sh', age: { $gt: 29 } }, ['p1', 'p3']],
  ['empty $in matches nothing', (c) => ({ city: c.in([]) }), { city: { $in: [] } }, []],
  ['regex value', () => ({ name: /^[a-c]/ }), { name: /^[a-c]/ }, ['p1', 'p2', 'p3']],
  ['empty condition matches all', () => ({}), {}, ['p1', 'p2', 'p3', 'p4', 'p5', 'p6']]
]

describe('where() operators: expected MongoDB results and mingo agree', () => {
  test.each(CASES)('%s', async (_name, cond, mongo, expected) => {
    const { data } = await db.collection('people').where(cond(_)).get()
    expect(ids(data)).toEqual(expected)
    expect(ids(find(PEOPLE, mongo).all() as DocData[])).toEqual(expected)
  })
})

describe('where() results match mingo on random documents (pushdown differential)', () => {
  // Indexed fields hold mixed scalar types (numbers, numeric strings, booleans,
  // null, missing) so every pushed-down comparison meets values it must let
  // through or reject exactly as MongoDB does.
  const values = [0, 1, 2, 2.5, -1, '1', '2', 'a', 'b', 'B', '', true, false, null, 'é', '😀', '\uE000']
  function pick(r: () => number): unknown {
    return values[Math.floor(r() * values.length)]
  }
  let seed = 42
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648)
  const docs: DocData[] = []
  for (let i = 0; i < 300; i++) {
    const d: DocData = { _id: `r${String(i).padStart(3, '0')}` }
    if (rand() < 0.85) d.x = pick(rand)
    if (rand() < 0.85) d.y = pick(rand)
    if (rand() < 0.5) d.o = { z: pick(rand) }
    docs.push(d)
  }
  const ops = ['$eq', '$gt', '$gte', '$lt', '$lte', '$in', '$ne'] as const
  const queries: Array<Record<string, unknown>> = []
  for (let i = 0; i < 250; i++) {
    const q: Record<string, unknown> = {}
    for (const f of ['x', 'y', 'o.z']) {
      if (rand() < 0.5) continue
      const op = ops[Math.floor(rand() * ops.length)]
      q[f] = op === '$in' ? { $in: [pick(rand), pick(rand)] } : op === '$eq' && rand() < 0.5 ? pick(rand) : { [op]: pick(rand) }
    }
    queries.push(q)
  }

  let rdb: EmbeddedDatabase
  beforeAll(async () => {
    rdb = freshDb(tmp.dir, { rnd: [['x'], ['y', 'x'], ['o.z']] })
    await rdb.runTransaction(async (t) => {
      for (const d of docs) await t.collection('rnd').add({ data: d })
    })
  })
  afterAll(() => rdb.close())

  test('250 random queries give the same ids as mingo', async () => {
    expect(rdb.explainQuery('rnd', { x: 1 })).toContain('USING INDEX')
    let nonEmpty = 0
    for (const q of queries) {
      const { data } = await rdb.collection('rnd').where(q).limit(1000).get()
      expect({ q, got: ids(data) }).toEqual({ q, got: ids(find(docs, q).all() as DocData[]) })
      if (data.length > 0) nonEmpty++
    }
    // The table is only a test if many queries select something.
    expect(nonEmpty).toBeGreaterThan(100)
  })

  test('after an array lands on an indexed path, element matching still works', async () => {
    await rdb.collection('rnd').add({ data: { _id: 'arr', x: [1, 'a'] } })
    expect(rdb.explainQuery('rnd', { x: 1 })).not.toContain('USING INDEX')
    const all = [...docs, { _id: 'arr', x: [1, 'a'] }]
    for (const q of [{ x: 1 }, { x: 'a' }, { x: { $gt: 0 } }, { x: { $in: ['a', 7] } }]) {
      const { data } = await rdb.collection('rnd').where(q).limit(1000).get()
      expect(ids(data)).toEqual(ids(find(all, q).all() as DocData[]))
      expect(ids(data)).toContain('arr')
    }
  })
})

describe('invalid queries', () => {
  test('a field command used as the whole condition is INVALID_QUERY', () => {
    expect(() => db.collection('people').where(_.gt(1) as unknown as DocData)).toThrow(expect.objectContaining({ code: 'INVALID_QUERY' }))
  })
  test('all-undefined condition and unknown operators are INVALID_QUERY', async () => {
    expect(() => db.collection('people').where({ a: undefined })).toThrow(expect.objectContaining({ code: 'INVALID_QUERY' }))
    await expectCode(db.collection('people').where({ a: { $nope: 1 } }).get(), 'INVALID_QUERY')
  })
  test('bad collection names are refused', () => {
    for (const bad of ['', '1abc', 'a-b', 'x'.repeat(65), 'sqlite_master', '_emb_paths']) {
      expect(() => db.collection(bad)).toThrow(expect.objectContaining({ code: 'INVALID_QUERY' }))
    }
  })
})
