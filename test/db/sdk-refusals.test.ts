/**
 * What @cloudbase/database refuses on the client side, before any request
 * (document.js, query.js), refused here the same way so a handler that would
 * fail on CloudBase fails locally too: `_id` in set()/update() data (even the
 * document's own id, even undefined), in and out of transactions, and a
 * where() whose values are all undefined.
 */
import type { EmbeddedDatabase } from '../../server/db'
import { expectCode, freshDb, tempDir } from './helpers'

const tmp = tempDir('db-sdk-refusals')
let db: EmbeddedDatabase

beforeEach(async () => {
  db = freshDb(tmp.dir)
  await db.collection('c').add({ data: { _id: 'a', v: 1 } })
})
afterEach(() => db.close())
afterAll(() => tmp.cleanup())

const withId = [{ _id: 'a', v: 2 }, { _id: 'other', v: 2 }, { _id: undefined, v: 2 }]

describe('_id in set()/update() data', () => {
  test.each(withId)('doc().set() refuses %p and leaves the document alone', async (data) => {
    const err = await db.collection('c').doc('a').set({ data }).catch((e) => e)
    expect(err).toMatchObject({ code: 'INVALID_UPDATE' })
    expect(String(err.message)).toMatch(/_id/)
    await expectCode(db.collection('c').doc('new').set({ data }), 'INVALID_UPDATE')
    expect((await db.collection('c').doc('a').get()).data).toEqual({ _id: 'a', v: 1 })
    expect((await db.collection('c').doc('new').get()).data).toBeNull()
  })

  test.each(withId)('doc().update() refuses %p', async (data) => {
    await expectCode(db.collection('c').doc('a').update({ data }), 'INVALID_UPDATE')
    expect((await db.collection('c').doc('a').get()).data).toEqual({ _id: 'a', v: 1 })
  })

  test.each(withId)('inside a transaction, set() and update() refuse %p', async (data) => {
    await expectCode(db.runTransaction((t) => t.collection('c').doc('a').set({ data })), 'INVALID_UPDATE')
    await expectCode(db.runTransaction((t) => t.collection('c').doc('a').update({ data })), 'INVALID_UPDATE')
    expect((await db.collection('c').doc('a').get()).data).toEqual({ _id: 'a', v: 1 })
  })

  test('add() may name its _id, and set()/update() without one work', async () => {
    await db.collection('c').add({ data: { _id: 'b', v: 1 } })
    await db.collection('c').doc('b').set({ data: { v: 3 } })
    await db.collection('c').doc('b').update({ data: { w: 4 } })
    expect((await db.collection('c').doc('b').get()).data).toEqual({ _id: 'b', v: 3, w: 4 })
  })
})

describe('where() with only undefined values', () => {
  test('is refused as the SDK does; an empty where() and a partly-undefined one are fine', async () => {
    expect(() => db.collection('c').where({ v: undefined })).toThrow(expect.objectContaining({ code: 'INVALID_QUERY' }))
    expect(() => db.collection('c').where({ v: undefined, w: undefined })).toThrow(expect.objectContaining({ code: 'INVALID_QUERY' }))
    expect((await db.collection('c').where({}).get()).data).toHaveLength(1)
    expect((await db.collection('c').where({ v: 1, w: undefined }).get()).data).toHaveLength(1)
  })
})
