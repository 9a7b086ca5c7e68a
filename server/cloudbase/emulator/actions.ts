import { DbError, type DocData } from '../../../cloudfunctions/_shared/db'
import type { EmbeddedDatabase } from '../../db'
import type { Collections } from './collections'
import { decodeEJSON, encodeDoc } from './ejson'
import { CloudbaseError } from './errors'
import { docKey, type DocLocks } from './locks'
import { Transactions } from './transactions'
import { docIdOf, isObj, pipelineOn, queryOf, updateDataOf, whereOn, withReadOptions } from './wire'

type Obj = Record<string, unknown>

export interface ActionContext {
  db: EmbeddedDatabase
  collections: Collections
  locks: DocLocks
  txs: Transactions
  envId: string
  /** How long a plain write waits for a document locked by a transaction. */
  lockWaitMs: number
}

/** Answers `data` and other top-level fields; the HTTP layer adds requestId. */
export type Handler = (ctx: ActionContext, p: Obj) => Promise<Obj>

const inTx = (p: Obj): boolean => p.transactionId !== undefined && p.transactionId !== null && p.transactionId !== ''

function onlyDocInTx(p: Obj): void {
  if (p.queryType !== 'DOC') throw CloudbaseError.invalidParam('a transaction only supports operations on one document by _id, and add')
}

/** Plain writes to one document wait while a transaction holds it. */
function waitDoc(ctx: ActionContext, coll: string, id: string): Promise<void> {
  return ctx.locks.waitFree([docKey(coll, id)], ctx.lockWaitMs)
}

/** Plain bulk writes wait for the locked documents they would touch. */
async function waitMatches(ctx: ActionContext, coll: string, cond: Obj): Promise<void> {
  const locked = ctx.locks.lockedIds(coll)
  if (!locked.length) return
  const byId = { _id: { $in: locked } }
  const { data } = await ctx.db.collection(coll).where(Object.keys(cond).length ? { $and: [cond, byId] } : byId).field({ _id: true }).limit(1000).get()
  await ctx.locks.waitFree(data.map((d) => docKey(coll, d._id)), ctx.lockWaitMs)
}

/** `multi: false` on a where-update/remove: the first match only. */
async function firstMatch(ctx: ActionContext, coll: string, cond: Obj): Promise<string | null> {
  const { data } = await whereOn(ctx.db.collection(coll), cond).field({ _id: true }).limit(1).get()
  return data[0]?._id ?? null
}

const getDocument: Handler = async (ctx, p) => {
  const coll = ctx.collections.require(p.collectionName)
  if (inTx(p)) {
    onlyDocInTx(p)
    const doc = ctx.txs.read(p.transactionId, coll, docIdOf(p))
    return { data: { list: doc ? [encodeDoc(doc)] : [] } }
  }
  const { data } = await withReadOptions(whereOn(ctx.db.collection(coll), queryOf(p)), p).get()
  return { data: { list: data.map(encodeDoc), offset: p.offset ?? 0, limit: p.limit ?? 100 } }
}

const calculateDocument: Handler = async (ctx, p) => {
  const coll = ctx.collections.require(p.collectionName)
  const { total } = await whereOn(ctx.db.collection(coll), queryOf(p)).count()
  return { data: { total } }
}

const modifyDocument: Handler = async (ctx, p) => {
  const coll = ctx.collections.require(p.collectionName)
  const data = decodeEJSON(p.data, 'data')
  const replace = p.merge === false
  if (inTx(p)) {
    onlyDocInTx(p)
    const r = replace
      ? ctx.txs.write(p.transactionId, coll, docIdOf(p), { kind: 'set', data })
      : ctx.txs.write(p.transactionId, coll, docIdOf(p), { kind: 'update', data: updateDataOf(data, ctx.db.command) })
    return { data: { updated: r.updated ?? 0, upsert_id: r.upsertId } }
  }
  if (p.queryType === 'DOC') {
    const id = docIdOf(p)
    await waitDoc(ctx, coll, id)
    const ref = ctx.db.collection(coll).doc(id)
    if (replace) {
      if (!isObj(data)) throw CloudbaseError.invalidParam('document data must be an object')
      const { stats } = await ref.set({ data: data as DocData })
      return { data: { updated: stats.updated, upsert_id: stats.created ? id : undefined } }
    }
    const { stats } = await ref.update({ data: updateDataOf(data, ctx.db.command) })
    return { data: { updated: stats.updated } }
  }
  if (replace) throw CloudbaseError.invalidParam('replacing documents needs a document _id')
  const cond = queryOf(p)
  const update = updateDataOf(data, ctx.db.command)
  if (p.multi === false) {
    const id = await firstMatch(ctx, coll, cond)
    if (id === null) return { data: { updated: 0 } }
    await waitDoc(ctx, coll, id)
    return { data: { updated: (await ctx.db.collection(coll).doc(id).update({ data: update })).stats.updated } }
  }
  await waitMatches(ctx, coll, cond)
  const { stats } = await whereOn(ctx.db.collection(coll), cond).update({ data: update })
  return { data: { updated: stats.updated } }
}

const removeDocument: Handler = async (ctx, p) => {
  const coll = ctx.collections.require(p.collectionName)
  if (inTx(p)) {
    onlyDocInTx(p)
    return { data: { deleted: ctx.txs.write(p.transactionId, coll, docIdOf(p), { kind: 'remove' }).deleted ?? 0 } }
  }
  let id: string | null = null
  if (p.queryType === 'DOC') id = docIdOf(p)
  else if (p.multi === false) id = await firstMatch(ctx, coll, queryOf(p))
  else {
    const cond = queryOf(p)
    await waitMatches(ctx, coll, cond)
    return { data: { deleted: (await whereOn(ctx.db.collection(coll), cond).remove()).stats.removed } }
  }
  if (id === null) return { data: { deleted: 0 } }
  await waitDoc(ctx, coll, id)
  return { data: { deleted: (await ctx.db.collection(coll).doc(id).remove()).stats.removed } }
}

const insertDocument: Handler = async (ctx, p) => {
  const coll = ctx.collections.require(p.collectionName)
  if (!Array.isArray(p.data) || p.data.length === 0) throw CloudbaseError.invalidParam('data must be a non-empty array of documents')
  const docs = p.data.map((d) => decodeEJSON(d, 'document'))
  const insertedIds: string[] = []
  for (const doc of docs) {
    if (!isObj(doc)) throw CloudbaseError.invalidParam('a document must be an object')
    const id = Transactions.insertId(doc)
    if (inTx(p)) {
      ctx.txs.write(p.transactionId, coll, id, { kind: 'insert', data: doc })
      insertedIds.push(id)
      continue
    }
    // Ordered, as MongoDB's insertMany: the documents before a failure stay inserted.
    await waitDoc(ctx, coll, id)
    try {
      insertedIds.push((await ctx.db.collection(coll).add({ data: { ...doc, _id: id } }))._id)
    } catch (e) {
      if (e instanceof DbError && e.code === 'DUPLICATE_ID') throw CloudbaseError.duplicateKey(ctx.envId, coll, id)
      throw e
    }
  }
  return { data: { insertedIds } }
}

const aggregateDocuments: Handler = async (ctx, p) => {
  const coll = ctx.collections.require(p.collectionName)
  const { list } = await pipelineOn(ctx.db.collection(coll).aggregate(), p.stages).end()
  return { data: { list: list.map(encodeDoc) } }
}

/** `query.updateAndReturn()`: updates the first match and answers it as updated. */
const modifyAndReturnDoc: Handler = async (ctx, p) => {
  const coll = ctx.collections.require(p.collectionName)
  if (inTx(p)) throw CloudbaseError.invalidParam('updateAndReturn is not supported in a transaction by this emulator')
  const id = await firstMatch(ctx, coll, queryOf(p))
  if (id === null) return { data: { updated: 0, doc: null } }
  await waitDoc(ctx, coll, id)
  const ref = ctx.db.collection(coll).doc(id)
  const { stats } = await ref.update({ data: updateDataOf(decodeEJSON(p.data, 'data'), ctx.db.command) })
  const { data } = await ref.get()
  return { data: { updated: stats.updated, doc: data ? encodeDoc(data) : null } }
}

const addCollection: Handler = async (ctx, p) => {
  await ctx.collections.create(p.collectionName)
  return {}
}

// @cloudbase/database 1.4.3 (transaction/index.js, what wx-server-sdk uses) starts and ends
// transactions with these and sends every operation inside one as an ordinary
// get/modify/remove/insert call carrying `transactionId` (handled above).
const startTransaction: Handler = async (ctx) => ({ transactionId: ctx.txs.start() })

const commitTransaction: Handler = async (ctx, p) => {
  await ctx.txs.commit(p.transactionId)
  return {}
}

const abortTransaction: Handler = async (ctx, p) => {
  ctx.txs.abort(p.transactionId)
  return {}
}

// The older per-operation transaction actions (its transaction.js, no longer used by
// wx-server-sdk): values go out as EJSON strings, `_id` as its own parameter.
function legacyId(p: Obj): string {
  if (typeof p._id !== 'string' || p._id === '') throw CloudbaseError.invalidParam('_id must be a non-empty string')
  return p._id
}

const getInTransaction: Handler = async (ctx, p) => {
  const coll = ctx.collections.require(p.collectionName)
  const doc = ctx.txs.read(p.transactionId, coll, legacyId(p))
  return { data: doc ? encodeDoc(doc) : 'null' }
}

const updateDocInTransaction: Handler = async (ctx, p) => {
  const coll = ctx.collections.require(p.collectionName)
  const data = decodeEJSON(p.data, 'data')
  const id = legacyId(p)
  // set() sends the whole document with upsert; update() sends `{ $set: data }`.
  const r = p.upsert === true
    ? ctx.txs.write(p.transactionId, coll, id, { kind: 'set', data })
    : ctx.txs.write(p.transactionId, coll, id, { kind: 'update', data: updateDataOf(data, ctx.db.command) })
  return { updated: String(r.updated ?? 0), upserted: r.upsertId ? JSON.stringify([{ _id: r.upsertId }]) : null }
}

const deleteDocInTransaction: Handler = async (ctx, p) => {
  const coll = ctx.collections.require(p.collectionName)
  return { deleted: String(ctx.txs.write(p.transactionId, coll, legacyId(p), { kind: 'remove' }).deleted ?? 0) }
}

export const databaseActions: Record<string, Handler> = {
  'database.getDocument': getDocument,
  'database.calculateDocument': calculateDocument,
  'database.modifyDocument': modifyDocument,
  'database.removeDocument': removeDocument,
  'database.insertDocument': insertDocument,
  'database.aggregateDocuments': aggregateDocuments,
  'database.modifyAndReturnDoc': modifyAndReturnDoc,
  'database.addCollection': addCollection,
  'database.startTransaction': startTransaction,
  'database.commitTransaction': commitTransaction,
  'database.abortTransaction': abortTransaction,
  'database.getInTransaction': getInTransaction,
  'database.updateDocInTransaction': updateDocInTransaction,
  'database.deleteDocInTransaction': deleteDocInTransaction
}
