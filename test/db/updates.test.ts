/**
 * Update conformance: every update command with MongoDB semantics, the
 * CloudBase merge-vs-replace rules, and bulk where().update()/remove().
 */
import { update as mingoUpdate } from 'mingo'
import type { DbCommand, DocData, StoredDoc } from '../../cloudfunctions/_shared/db'
import type { EmbeddedDatabase } from '../../server/db'
import { tryFastUpdate } from '../../server/db/fastupdate'
import { expectCode, freshDb, ids, tempDir } from './helpers'

const tmp = tempDir('db-updates')
let db: EmbeddedDatabase
let _: DbCommand
let seq = 0

beforeAll(() => {
  db = freshDb(tmp.dir, { docs: [['k'], ['n.a']] })
  _ = db.command
})
afterAll(() => {
  db.close()
  tmp.cleanup()
})

/** Stores `initial`, applies `update`, returns the stored document without _id. */
async function after(initial: DocData, data: DocData): Promise<{ doc: DocData; updated: number }> {
  const id = `u${++seq}`
  await db.collection('docs').add({ data: { _id: id, ...initial } })
  const { stats } = await db.collection('docs').doc(id).update({ data })
  const { data: doc } = await db.collection('docs').doc(id).get()
  const { _id, ...rest } = doc ?? {}
  expect(_id).toBe(id)
  return { doc: rest, updated: stats.updated }
}

type Case = [name: string, initial: DocData, data: (c: DbCommand) => DocData, expected: DocData]

const CASES: Case[] = [
  ['plain nested object merges field by field', { a: { x: 1, y: 2 }, b: 1 }, () => ({ a: { y: 3, z: 4 } }), { a: { x: 1, y: 3, z: 4 }, b: 1 }],
  ['set() replaces a field wholesale', { a: { x: 1, y: 2 } }, (c) => ({ a: c.set({ z: 4 }) }), { a: { z: 4 } }],
  ['arrays are replaced, not merged', { a: [1, 2, 3] }, () => ({ a: [9] }), { a: [9] }],
  ['dotted key addresses a nested field', { a: { x: 1 } }, () => ({ 'a.y': 2 }), { a: { x: 1, y: 2 } }],
  ['creates missing parents', {}, () => ({ a: { b: { c: 1 } } }), { a: { b: { c: 1 } } }],
  ['empty object is set as a value', { a: { x: 1 } }, () => ({ a: {} }), { a: {} }],
  ['remove() unsets', { a: 1, b: 2 }, (c) => ({ a: c.remove() }), { b: 2 }],
  ['inc', { n: 5 }, (c) => ({ n: c.inc(-2) }), { n: 3 }],
  ['inc on a missing field starts at 0', {}, (c) => ({ n: c.inc(2) }), { n: 2 }],
  ['inc on a nested path', { s: { pts: 1 } }, (c) => ({ s: { pts: c.inc(4), words: c.inc(100) } }), { s: { pts: 5, words: 100 } }],
  ['mul', { n: 5 }, (c) => ({ n: c.mul(3) }), { n: 15 }],
  ['mul on a missing field gives 0', {}, (c) => ({ n: c.mul(3) }), { n: 0 }],
  ['min keeps the smaller', { lo: 5, hi: 5 }, (c) => ({ lo: c.min(3), hi: c.min(9) }), { lo: 3, hi: 5 }],
  ['max keeps the larger', { lo: 5, hi: 5 }, (c) => ({ lo: c.max(3), hi: c.max(9) }), { lo: 5, hi: 9 }],
  ['rename', { a: 1, b: 2 }, (c) => ({ a: c.rename('z') }), { b: 2, z: 1 }],
  ['push one value', { t: [1] }, (c) => ({ t: c.push(2) }), { t: [1, 2] }],
  ['push several values (array argument)', { t: [1] }, (c) => ({ t: c.push([2, 3]) }), { t: [1, 2, 3] }],
  ['push onto a missing field creates the array', {}, (c) => ({ t: c.push('x') }), { t: ['x'] }],
  ['push with each/position/slice', { t: [1, 2, 3] }, (c) => ({ t: c.push({ each: [0], position: 0, slice: 3 }) }), { t: [0, 1, 2] }],
  ['pop removes the last', { t: [1, 2, 3] }, (c) => ({ t: c.pop() }), { t: [1, 2] }],
  ['shift removes the first', { t: [1, 2, 3] }, (c) => ({ t: c.shift() }), { t: [2, 3] }],
  ['unshift prepends', { t: [3] }, (c) => ({ t: c.unshift([1, 2]) }), { t: [1, 2, 3] }],
  ['addToSet adds a new value', { t: [1, 2] }, (c) => ({ t: c.addToSet(3) }), { t: [1, 2, 3] }],
  ['addToSet with each', { t: [1] }, (c) => ({ t: c.addToSet({ each: [1, 2, 2, 3] }) }), { t: [1, 2, 3] }],
  ['pull a value', { t: [1, 2, 1, 3] }, (c) => ({ t: c.pull(1) }), { t: [2, 3] }],
  ['pull by condition', { t: [1, 5, 8, 2] }, (c) => ({ t: c.pull(c.gte(5)) }), { t: [1, 2] }],
  ['pull documents by condition', { t: [{ k: 'a', v: 1 }, { k: 'b', v: 9 }] }, (c) => ({ t: c.pull({ v: c.gt(5) }) }), { t: [{ k: 'a', v: 1 }] }],
  ['pullAll', { t: [1, 2, 3, 2] }, (c) => ({ t: c.pullAll([2, 3]) }), { t: [1] }],
  ['Dates are stored as epoch milliseconds', {}, () => ({ at: new Date(1767225600000) }), { at: 1767225600000 }],
  ['undefined members are ignored', { a: 1 }, () => ({ a: undefined, b: 2 }), { a: 1, b: 2 }],
  ['several operators at once', { n: 1, t: [] }, (c) => ({ n: c.inc(1), t: c.push('a'), s: 'x' }), { n: 2, t: ['a'], s: 'x' }]
]

describe('doc().update() commands', () => {
  test.each(CASES)('%s', async (_name, initial, data, expected) => {
    const { doc, updated } = await after(initial, data(_))
    expect(doc).toEqual(expected)
    expect(updated).toBe(1)
  })

  test('an update that changes nothing reports updated: 0 (MongoDB modifiedCount)', async () => {
    expect(await after({ a: 1 }, { a: 1 })).toEqual({ doc: { a: 1 }, updated: 0 })
    expect(await after({ t: [1, 2] }, { t: _.addToSet(2) })).toEqual({ doc: { t: [1, 2] }, updated: 0 })
  })

  test('updates that do not fit the stored types are refused, as MongoDB does', async () => {
    await db.collection('docs').add({ data: { _id: 'types', s: 'x', n: 1, o: { a: 1 } } })
    const ref = db.collection('docs').doc('types')
    await expectCode(ref.update({ data: { s: _.inc(1) } }), 'INVALID_UPDATE')
    await expectCode(ref.update({ data: { n: _.push(1) } }), 'INVALID_UPDATE')
    await expectCode(ref.update({ data: { 'n.x': 1 } }), 'INVALID_UPDATE')
    await expectCode(ref.update({ data: { o: { a: { deeper: 1 } } } }), 'INVALID_UPDATE')
    await expectCode(ref.update({ data: { 'arr.$[]': 1 } }), 'INVALID_UPDATE')
    expect((await ref.get()).data).toEqual({ _id: 'types', s: 'x', n: 1, o: { a: 1 } })
  })

  test('_id cannot be updated, and invalid values are refused', async () => {
    await db.collection('docs').add({ data: { _id: 'fixed', a: 1 } })
    const ref = db.collection('docs').doc('fixed')
    await expectCode(ref.update({ data: { _id: 'other' } }), 'INVALID_UPDATE')
    await expectCode(ref.update({ data: { f: () => 1 } }), 'INVALID_UPDATE')
    await expectCode(ref.update({ data: { n: NaN } }), 'INVALID_UPDATE')
    await expectCode(ref.update({ data: { $inc: { a: 1 } } }), 'INVALID_UPDATE')
    await expectCode(ref.update({ data: { a: _.inc(1), 'a.b': 2 } }), 'INVALID_UPDATE')
    await expectCode(ref.update({ data: { x: _.gt(1) as unknown as number } }), 'INVALID_UPDATE')
    expect((await ref.get()).data).toEqual({ _id: 'fixed', a: 1 })
  })

  test('inc on a string is refused and leaves the document alone', async () => {
    await db.collection('docs').add({ data: { _id: 'strinc', n: 'x' } })
    await expectCode(db.collection('docs').doc('strinc').update({ data: { n: _.inc(1) } }), 'INVALID_UPDATE')
    expect((await db.collection('docs').doc('strinc').get()).data).toEqual({ _id: 'strinc', n: 'x' })
  })

  test('updating a missing document reports updated: 0 and creates nothing', async () => {
    expect(await db.collection('docs').doc('nope').update({ data: { a: 1 } })).toEqual({ stats: { updated: 0 } })
    expect((await db.collection('docs').doc('nope').get()).data).toBeNull()
  })
})

describe('where().update() and where().remove()', () => {
  beforeAll(async () => {
    for (let i = 0; i < 10; i++) await db.collection('bulk').add({ data: { _id: `b${i}`, k: i % 2 === 0 ? 'even' : 'odd', i, n: { a: i } } })
  })

  test('updates every match (no 100 limit) and counts them', async () => {
    const r = await db.collection('bulk').where({ k: 'even' }).update({ data: { seen: true, i: _.inc(100) } })
    expect(r.stats.updated).toBe(5)
    const { data } = await db.collection('bulk').where({ seen: true }).get()
    expect(ids(data)).toEqual(['b0', 'b2', 'b4', 'b6', 'b8'])
    expect(data.map((d) => d.i).sort()).toEqual([100, 102, 104, 106, 108])
  })

  test('counts only documents that changed', async () => {
    const r = await db.collection('bulk').where({ k: 'even' }).update({ data: { seen: true } })
    expect(r.stats.updated).toBe(0)
  })

  test('a bulk update that fails half-way changes nothing', async () => {
    await db.collection('bulk').add({ data: { _id: 'bad', k: 'odd', i: 'not a number' } })
    await expectCode(db.collection('bulk').where({ k: 'odd' }).update({ data: { i: _.inc(1) } }), 'INVALID_UPDATE')
    const { data } = await db.collection('bulk').where({ k: 'odd', i: _.gt(50) }).get()
    expect(data).toEqual([])
    await db.collection('bulk').doc('bad').remove()
  })

  test('removes every match and reports the count', async () => {
    expect(await db.collection('bulk').where({ n: { a: _.gte(7) } }).remove()).toEqual({ stats: { removed: 3 } })
    expect((await db.collection('bulk').count()).total).toBe(7)
    expect(await db.collection('bulk').where({ k: 'none' }).remove()).toEqual({ stats: { removed: 0 } })
  })
})

describe('fast update path', () => {
  test('agrees with mingo on 2,000 random $set/$unset/$inc/$mul/$min/$max modifiers', () => {
    let seed = 7
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648)
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]
    const paths = ['a', 'b', 'n.x', 'n.y', 'n.deep.z', 'm.k']
    const values = [0, 1, -2, 3.5, 'a', 'b', null, true, { q: 1 }, [1, 2]]
    const ops = ['$set', '$unset', '$inc', '$mul', '$min', '$max']
    let fastUsed = 0
    for (let i = 0; i < 2000; i++) {
      const doc: Record<string, unknown> = { _id: 'd' }
      for (const p of paths) {
        if (rand() < 0.5) continue
        const [head, ...rest] = p.split('.')
        if (rest.length === 0) doc[head] = pick([0, 5, 'x', null, { w: 1 }])
        else doc[head] = { ...((doc[head] as object) ?? {}), [rest[0]]: rest.length > 1 ? { z: pick([1, 9]) } : pick([0, 5, 'x']) }
      }
      const mod: Record<string, Record<string, unknown>> = {}
      for (let k = 0; k < 1 + Math.floor(rand() * 3); k++) {
        const op = pick(ops)
        const arg = op === '$inc' || op === '$mul' ? pick([0, 1, -2, 2.5]) : op === '$unset' ? '' : pick(values)
        ;(mod[op] ??= {})[pick(paths)] = arg
      }
      const viaFast = JSON.parse(JSON.stringify(doc)) as StoredDoc
      const viaMingo = JSON.parse(JSON.stringify(doc)) as StoredDoc
      let expected: boolean | 'error'
      try {
        expected = mingoUpdate(viaMingo, mod as Parameters<typeof mingoUpdate>[1]).length > 0
      } catch {
        expected = 'error'
      }
      const got = tryFastUpdate(viaFast, mod)
      if (got === undefined) continue
      fastUsed++
      // Compared as stored (JSON), where -0 and 0 are the same number.
      const stored = (d: StoredDoc) => JSON.parse(JSON.stringify(d)) as unknown
      expect({ mod, doc, changed: got, result: stored(viaFast) }).toEqual({ mod, doc, changed: expected, result: stored(viaMingo) })
    }
    expect(fastUsed).toBeGreaterThan(500)
  })
})
