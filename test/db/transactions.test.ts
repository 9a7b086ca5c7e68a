/**
 * runTransaction: atomic commit, rollback on throw, isolation from outside
 * operations (they wait), serializable read-modify-write under concurrency,
 * and the edge cases (outside calls made inside the callback, nesting, use
 * after the end).
 */
import type { DbCommand, Transaction } from '../../cloudfunctions/_shared/db'
import type { EmbeddedDatabase } from '../../server/db'
import { expectCode, freshDb, tempDir } from './helpers'

const tmp = tempDir('db-tx')
let db: EmbeddedDatabase
let _: DbCommand
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

beforeEach(() => {
  db = freshDb(tmp.dir)
  _ = db.command
})
afterEach(() => db.close())
afterAll(() => tmp.cleanup())

test('several writes commit together and are visible after commit', async () => {
  await db.collection('a').add({ data: { _id: 'keep', v: 1 } })
  await db.collection('a').add({ data: { _id: 'gone', v: 1 } })
  const result = await db.runTransaction(async (t) => {
    await t.collection('a').add({ data: { _id: 'new', v: 1 } })
    await t.collection('a').doc('keep').update({ data: { v: _.inc(1) } })
    await t.collection('a').doc('gone').remove()
    await t.collection('b').doc('x').set({ data: { w: 2 } })
    // A transaction reads its own writes.
    expect((await t.collection('a').doc('keep').get()).data).toEqual({ _id: 'keep', v: 2 })
    return 'done'
  })
  expect(result).toBe('done')
  expect((await db.collection('a').orderBy('_id', 'asc').get()).data).toEqual([
    { _id: 'keep', v: 2 },
    { _id: 'new', v: 1 }
  ])
  expect((await db.collection('b').doc('x').get()).data).toEqual({ _id: 'x', w: 2 })
})

test('a callback that throws rolls everything back and rejects with its error', async () => {
  await db.collection('a').add({ data: { _id: 'keep', v: 1 } })
  const boom = new Error('boom')
  await expect(
    db.runTransaction(async (t) => {
      await t.collection('a').add({ data: { _id: 'new' } })
      await t.collection('a').doc('keep').update({ data: { v: 100 } })
      await t.collection('a').doc('keep2').set({ data: { v: 1 } })
      await t.collection('fresh_collection').add({ data: { _id: 'f' } })
      throw boom
    })
  ).rejects.toBe(boom)
  expect((await db.collection('a').get()).data).toEqual([{ _id: 'keep', v: 1 }])
  expect((await db.collection('fresh_collection').count()).total).toBe(0)
  // The collection whose CREATE TABLE was rolled back still works afterwards.
  await db.collection('fresh_collection').add({ data: { _id: 'ok' } })
  expect((await db.collection('fresh_collection').doc('ok').get()).data).toEqual({ _id: 'ok' })
})

test('an outside write waits until the transaction ends and does not roll back with it', async () => {
  const events: string[] = []
  const tx = db
    .runTransaction(async (t) => {
      await t.collection('a').doc('k').set({ data: { by: 'tx' } })
      events.push('tx wrote')
      await sleep(50)
      events.push('tx ending')
      throw new Error('abort')
    })
    .catch(() => events.push('tx rolled back'))
  await sleep(5)
  const outside = db
    .collection('a')
    .doc('o')
    .set({ data: { by: 'outside' } })
    .then(() => events.push('outside wrote'))
  const reader = db
    .collection('a')
    .doc('k')
    .get()
    .then((r) => events.push(`outside read ${r.data ? 'tx data' : 'nothing'}`))
  await Promise.all([tx, outside, reader])
  // Nothing outside ran while the transaction was open; the read ran after the rollback.
  expect(events.slice(0, 2)).toEqual(['tx wrote', 'tx ending'])
  expect(events.slice(2).sort()).toEqual(['outside read nothing', 'outside wrote', 'tx rolled back'])
  expect((await db.collection('a').doc('o').get()).data).toEqual({ _id: 'o', by: 'outside' })
  expect((await db.collection('a').doc('k').get()).data).toBeNull()
})

test('100 concurrent read-modify-write transactions end at exactly 100 (serializable)', async () => {
  await db.collection('c').add({ data: { _id: 'counter', n: 0 } })
  const bump = (t: Transaction) => async () => {
    const { data } = await t.collection('c').doc('counter').get()
    await sleep(Math.random() * 2) // yield between read and write
    await t.collection('c').doc('counter').update({ data: { n: (data?.n as number) + 1 } })
  }
  await Promise.all(Array.from({ length: 100 }, () => db.runTransaction((t) => bump(t)())))
  expect((await db.collection('c').doc('counter').get()).data).toEqual({ _id: 'counter', n: 100 })
})

test('plain db calls inside the callback join the transaction instead of deadlocking', async () => {
  await expect(
    db.runTransaction(async (t) => {
      await t.collection('a').add({ data: { _id: 'in-tx' } })
      const seen = await db.collection('a').doc('in-tx').get()
      expect(seen.data).toEqual({ _id: 'in-tx' })
      await db.collection('a').add({ data: { _id: 'joined' } })
      throw new Error('undo both')
    })
  ).rejects.toThrow('undo both')
  expect((await db.collection('a').count()).total).toBe(0)
})

test('a nested runTransaction is a savepoint: its failure can be caught alone', async () => {
  await db.runTransaction(async (t) => {
    await t.collection('a').add({ data: { _id: 'outer' } })
    await db
      .runTransaction(async (inner) => {
        await inner.collection('a').add({ data: { _id: 'inner' } })
        throw new Error('inner fails')
      })
      .catch(() => undefined)
  })
  expect((await db.collection('a').get()).data).toEqual([{ _id: 'outer' }])
})

test('DUPLICATE_ID inside a transaction can be handled and the rest commits', async () => {
  await db.collection('a').add({ data: { _id: 'taken' } })
  await db.runTransaction(async (t) => {
    await expectCode(t.collection('a').add({ data: { _id: 'taken' } }), 'DUPLICATE_ID')
    await t.collection('a').add({ data: { _id: 'other' } })
  })
  expect((await db.collection('a').count()).total).toBe(2)
})

test('using the transaction object after it ended is refused with CLOSED', async () => {
  let saved: Transaction | null = null
  await db.runTransaction(async (t) => {
    saved = t
  })
  await expectCode((saved as unknown as Transaction).collection('a').add({ data: {} }), 'CLOSED')
})

test('transactions queue behind each other in order', async () => {
  const order: number[] = []
  await Promise.all(
    [0, 1, 2, 3, 4].map((i) =>
      db.runTransaction(async (t) => {
        await sleep(5 - i)
        order.push(i)
        await t.collection('a').add({ data: { i } })
      })
    )
  )
  expect(order).toEqual([0, 1, 2, 3, 4])
})

test('closing during a transaction rolls it back and fails everything still waiting with CLOSED', async () => {
  const file = db.raw.name
  await db.collection('a').add({ data: { _id: 'before' } })
  const tx = db.runTransaction(async (t) => {
    await t.collection('a').add({ data: { _id: 'during' } })
    await sleep(20)
    await t.collection('a').add({ data: { _id: 'after-close' } })
  })
  await sleep(5)
  const waiting = db.collection('a').doc('before').get()
  db.close()
  await expectCode(tx, 'CLOSED')
  await expectCode(waiting, 'CLOSED')
  await expectCode(db.runTransaction(async () => undefined), 'CLOSED')
  const again = (await import('../../server/db')).openDatabase({ file })
  expect((await again.collection('a').get()).data).toEqual([{ _id: 'before' }])
  again.close()
})
