/** createCollection: the table exists afterwards, and a second call (or an existing collection) is no error. */
import type { EmbeddedDatabase } from '../../server/db'
import { expectCode, freshDb, tempDir } from './helpers'

const tmp = tempDir('db-create-collection')
let db: EmbeddedDatabase
beforeEach(() => (db = freshDb(tmp.dir)))
afterEach(() => db.close())
afterAll(() => tmp.cleanup())

const hasTable = (name: string) => db.raw.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined

test('creates once, then reports it exists', async () => {
  expect(hasTable('members')).toBe(false)
  expect(await db.createCollection('members')).toEqual({ created: true })
  expect(hasTable('members')).toBe(true)
  expect(await db.createCollection('members')).toEqual({ created: false })
  // Its declared indexes come with it.
  expect(db.explainQuery('members', { openid: 'o' })).toMatch(/USING INDEX/)
})

test('a collection created by a first write counts as existing', async () => {
  await db.collection('notes').add({ data: { v: 1 } })
  expect(await db.createCollection('notes')).toEqual({ created: false })
})

test('inside a transaction it joins it, and a rollback undoes it', async () => {
  await expectCode(
    db.runTransaction(async () => {
      expect(await db.createCollection('tmp_coll')).toEqual({ created: true })
      throw Object.assign(new Error('stop'), { code: 'STOP' })
    }),
    'STOP'
  )
  expect(hasTable('tmp_coll')).toBe(false)
  expect(await db.createCollection('tmp_coll')).toEqual({ created: true })
})

test('refuses an invalid name', async () => {
  await expectCode(() => db.createCollection('bad name'), 'INVALID_QUERY')
})
