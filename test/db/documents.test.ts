/**
 * Document operations (doc get/set/update/remove, add), query modifiers
 * (orderBy, skip, limit, field, count), CloudBase's default read limits, and
 * persistence across close and reopen.
 */
import { join } from 'path'
import type { DbCommand } from '../../cloudfunctions/_shared/db'
import { openDatabase, type EmbeddedDatabase } from '../../server/db'
import { expectCode, freshDb, ids, tempDir } from './helpers'

const tmp = tempDir('db-documents')
let db: EmbeddedDatabase
let _: DbCommand

beforeAll(() => {
  db = freshDb(tmp.dir)
  _ = db.command
})
afterAll(() => {
  db.close()
  tmp.cleanup()
})

describe('doc() and add()', () => {
  test('get of a missing document resolves { data: null }', async () => {
    expect(await db.collection('d').doc('missing').get()).toEqual({ data: null })
  })

  test('add without _id generates a 32-hex id; with _id keeps it', async () => {
    const a = await db.collection('d').add({ data: { v: 1 } })
    expect(a._id).toMatch(/^[0-9a-f]{32}$/)
    expect((await db.collection('d').doc(a._id).get()).data).toEqual({ _id: a._id, v: 1 })
    expect(await db.collection('d').add({ data: { _id: 'mine', v: 2 } })).toEqual({ _id: 'mine' })
    expect((await db.collection('d').doc('mine').get()).data).toEqual({ _id: 'mine', v: 2 })
  })

  test('a taken _id is rejected with DUPLICATE_ID and the original is untouched', async () => {
    await db.collection('d').add({ data: { _id: 'dup', v: 'first' } })
    await expectCode(db.collection('d').add({ data: { _id: 'dup', v: 'second' } }), 'DUPLICATE_ID')
    expect((await db.collection('d').doc('dup').get()).data).toEqual({ _id: 'dup', v: 'first' })
  })

  test('set() creates, then replaces the whole document', async () => {
    const ref = db.collection('d').doc('s1')
    expect(await ref.set({ data: { a: 1, b: { c: 2 } } })).toEqual({ _id: 's1', stats: { updated: 0, created: 1 } })
    expect(await ref.set({ data: { b: { d: 3 } } })).toEqual({ _id: 's1', stats: { updated: 1, created: 0 } })
    expect((await ref.get()).data).toEqual({ _id: 's1', b: { d: 3 } })
  })

  test('remove() deletes once, then reports 0', async () => {
    await db.collection('d').add({ data: { _id: 'r1' } })
    expect(await db.collection('d').doc('r1').remove()).toEqual({ stats: { removed: 1 } })
    expect(await db.collection('d').doc('r1').remove()).toEqual({ stats: { removed: 0 } })
    expect((await db.collection('d').doc('r1').get()).data).toBeNull()
  })

  test('undefined is dropped, Dates become milliseconds, functions and class instances are refused', async () => {
    const { _id } = await db.collection('d').add({ data: { a: undefined, at: new Date(5), list: [undefined, 1] } })
    expect((await db.collection('d').doc(_id).get()).data).toEqual({ _id, at: 5, list: [null, 1] })
    await expectCode(db.collection('d').add({ data: { f: () => 1 } }), 'INVALID_UPDATE')
    await expectCode(db.collection('d').add({ data: { m: new Map() } }), 'INVALID_UPDATE')
    await expectCode(db.collection('d').add({ data: { 'a.b': 1 } }), 'INVALID_UPDATE')
    await expectCode(db.collection('d').add({ data: { _id: 42 } }), 'INVALID_UPDATE')
  })

  test('returned documents are copies', async () => {
    await db.collection('d').add({ data: { _id: 'copy', v: { n: 1 } } })
    const first = (await db.collection('d').doc('copy').get()).data as unknown as { v: { n: number } }
    first.v.n = 99
    expect((await db.collection('d').doc('copy').get()).data).toEqual({ _id: 'copy', v: { n: 1 } })
  })
})

describe('orderBy, skip, limit, field, count', () => {
  beforeAll(async () => {
    const rows = [
      ['a', 'x', 3], ['b', 'y', 1], ['c', 'x', 2], ['d', 'y', 3], ['e', 'x', 1], ['f', 'y', 2]
    ] as const
    for (const [id, g, score] of rows) await db.collection('q').add({ data: { _id: id, g, score, extra: { keep: id } } })
  })

  test('orderBy asc and desc', async () => {
    const asc = (await db.collection('q').orderBy('score', 'asc').orderBy('_id', 'asc').get()).data
    expect(asc.map((d) => d._id)).toEqual(['b', 'e', 'c', 'f', 'a', 'd'])
    const desc = (await db.collection('q').orderBy('score', 'desc').orderBy('_id', 'desc').get()).data
    expect(desc.map((d) => d._id)).toEqual(['d', 'a', 'f', 'c', 'e', 'b'])
  })

  test('multi-key orderBy with mixed directions', async () => {
    const { data } = await db.collection('q').orderBy('g', 'desc').orderBy('score', 'asc').get()
    expect(data.map((d) => d._id)).toEqual(['b', 'f', 'd', 'e', 'c', 'a'])
  })

  test('skip and limit page through a sorted result', async () => {
    const page = (n: number) => db.collection('q').orderBy('_id', 'asc').skip(n * 2).limit(2).get()
    expect((await page(0)).data.map((d) => d._id)).toEqual(['a', 'b'])
    expect((await page(1)).data.map((d) => d._id)).toEqual(['c', 'd'])
    expect((await page(3)).data).toEqual([])
  })

  test('skip and limit without orderBy', async () => {
    const { data } = await db.collection('q').where({ g: 'x' }).skip(1).limit(1).get()
    expect(data).toHaveLength(1)
    expect(['c', 'e']).toContain(data[0]._id)
  })

  test('field() includes (with _id by default) or excludes', async () => {
    const inc = (await db.collection('q').where({ _id: 'a' }).field({ score: true }).get()).data
    expect(inc).toEqual([{ _id: 'a', score: 3 }])
    const exc = (await db.collection('q').where({ _id: 'a' }).field({ extra: false, g: 0 }).get()).data
    expect(exc).toEqual([{ _id: 'a', score: 3 }])
    const nested = (await db.collection('q').where({ _id: 'a' }).field({ 'extra.keep': true, _id: false }).get()).data
    expect(nested).toEqual([{ extra: { keep: 'a' } }])
  })

  test('count() counts all matches, ignoring skip and limit', async () => {
    expect(await db.collection('q').count()).toEqual({ total: 6 })
    expect(await db.collection('q').where({ score: _.gte(2) }).skip(1).limit(1).count()).toEqual({ total: 4 })
    expect(await db.collection('nothing_here').count()).toEqual({ total: 0 })
  })

  test('a second where() replaces the first (as in wx-server-sdk)', async () => {
    const { data } = await db.collection('q').where({ g: 'x' }).where({ score: 3 }).get()
    expect(ids(data)).toEqual(['a', 'd'])
  })

  test('bad arguments are INVALID_QUERY', () => {
    expect(() => db.collection('q').limit(-1)).toThrow(expect.objectContaining({ code: 'INVALID_QUERY' }))
    expect(() => db.collection('q').skip(1.5)).toThrow(expect.objectContaining({ code: 'INVALID_QUERY' }))
    expect(() => db.collection('q').orderBy('g', 'up' as 'asc')).toThrow(expect.objectContaining({ code: 'INVALID_QUERY' }))
  })
})

describe('CloudBase read limits', () => {
  beforeAll(async () => {
    await db.runTransaction(async (t) => {
      for (let i = 0; i < 1200; i++) await t.collection('big').add({ data: { i } })
    })
  })

  test('get() without limit returns 100, like CloudBase', async () => {
    expect((await db.collection('big').get()).data).toHaveLength(100)
  })

  test('limit above 1000 is clamped to 1000', async () => {
    expect((await db.collection('big').limit(5000).get()).data).toHaveLength(1000)
    expect((await db.collection('big').skip(1000).limit(1000).get()).data).toHaveLength(200)
  })

  test('limits are configurable for tools that need more', async () => {
    const wide = freshDb(tmp.dir, {}, { defaultGet: 5, maxGet: 5000 })
    for (let i = 0; i < 10; i++) await wide.collection('x').add({ data: { i } })
    expect((await wide.collection('x').get()).data).toHaveLength(5)
    wide.close()
  })
})

describe('persistence', () => {
  test('data written, closed, reopened: same data', async () => {
    const file = join(tmp.dir, 'persist', 'nested', 'p.sqlite')
    const a = openDatabase({ file })
    await a.collection('members').add({ data: { _id: 'm1', name: '张三', branchId: 'b1', roles: [{ role: 'secretary', orgId: 'b1' }] } })
    await a.collection('members').doc('m1').update({ data: { points: _.inc(5) } })
    await a.runTransaction(async (t) => {
      await t.collection('orgs').add({ data: { _id: 'b1', name: '第一支部', parentId: null } })
    })
    a.close()
    await expectCode(a.collection('members').doc('m1').get(), 'CLOSED')

    const b = openDatabase({ file })
    expect((await b.collection('members').doc('m1').get()).data).toEqual({
      _id: 'm1', name: '张三', branchId: 'b1', roles: [{ role: 'secretary', orgId: 'b1' }], points: 5
    })
    expect((await b.collection('orgs').where({ parentId: null }).get()).data).toEqual([{ _id: 'b1', name: '第一支部', parentId: null }])
    expect(b.raw.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(b.raw.pragma('synchronous', { simple: true })).toBe(1) // NORMAL
    b.close()
  })
})
