import { randomBytes, randomUUID } from 'crypto'
import type { DocData, StoredDoc } from '../../../cloudfunctions/_shared/db'
import { applyModifier, buildModifier, toStorable, type EmbeddedDatabase } from '../../db'
import { CloudbaseError, toCloudbaseError } from './errors'
import { docKey, type DocLocks } from './locks'
import type { SnapshotPool, SnapshotReader } from './snapshots'
import { isObj } from './wire'

/** One buffered write: the document as the transaction last left it (null = absent). */
interface Pending {
  coll: string
  id: string
  /** Stored text of the document in the snapshot, when the transaction first wrote it. */
  base: string | null
  image: StoredDoc | null
}

interface Tx {
  id: string
  ops: number
  writes: Map<string, Pending>
  snapshot: { reader: SnapshotReader; release: () => void }
  timer: NodeJS.Timeout
}

export type TxWrite =
  | { kind: 'set'; data: unknown }
  | { kind: 'update'; data: DocData }
  | { kind: 'remove' }
  | { kind: 'insert'; data: unknown }

export interface TxWriteResult {
  updated?: number
  upsertId?: string
  deleted?: number
  insertedId?: string
}

export interface TransactionOptions {
  lifetimeMs: number
  envId: string
  /** Called once per transaction when it ends (commit, abort, conflict or expiry) with its operation count. */
  onEnd(ops: number): void
}

const ENDED_MEMORY = 1000

/**
 * CloudBase transactions over the embedded store.
 * - Reads see the database as it was when the transaction started (a pinned
 *   SQLite snapshot, see snapshots.ts) plus the transaction's own writes.
 * - Writes are buffered. The first write to a document locks it; a document
 *   locked by another open transaction, or committed by anyone since this one
 *   started, is a write conflict: the transaction is aborted and the call fails
 *   at once (DATABASE_TRANSACTION_CONFLICT), as MongoDB does under CloudBase.
 *   Any other failed write aborts the transaction too, also as MongoDB does.
 * - Commit applies every buffered document in one embedded runTransaction
 *   (one SQLite transaction), re-checking first that no write slipped in.
 * - A transaction still open after lifetimeMs is aborted; later calls on it
 *   fail with DATABASE_TRANSACTION_FAIL.
 */
export class Transactions {
  private readonly open = new Map<string, Tx>()
  private readonly ended = new Map<string, string>()

  constructor(
    private readonly db: EmbeddedDatabase,
    private readonly pool: SnapshotPool,
    private readonly locks: DocLocks,
    private readonly opts: TransactionOptions
  ) {}

  start(): string {
    const id = randomBytes(16).toString('hex')
    const tx: Tx = {
      id,
      ops: 0,
      writes: new Map(),
      snapshot: this.pool.pin(),
      timer: setTimeout(() => this.end(tx, `it was not committed within ${this.opts.lifetimeMs} ms and was aborted`), this.opts.lifetimeMs)
    }
    tx.timer.unref?.()
    this.open.set(id, tx)
    return id
  }

  private active(id: unknown): Tx {
    const tx = typeof id === 'string' ? this.open.get(id) : undefined
    if (tx) return tx
    const why = typeof id === 'string' ? this.ended.get(id) : undefined
    throw CloudbaseError.transactionFail(why ?? `unknown transaction ${JSON.stringify(id)}`)
  }

  /** A document as the transaction sees it. */
  read(txId: unknown, coll: string, id: string): StoredDoc | null {
    const tx = this.active(txId)
    tx.ops++
    return this.view(tx, coll, id)
  }

  private view(tx: Tx, coll: string, id: string): StoredDoc | null {
    const own = tx.writes.get(docKey(coll, id))
    if (own) return own.image ? structuredClone(own.image) : null
    const text = tx.snapshot.reader.text(coll, id)
    return text === null ? null : (JSON.parse(text) as StoredDoc)
  }

  write(txId: unknown, coll: string, id: string, w: TxWrite): TxWriteResult {
    const tx = this.active(txId)
    tx.ops++
    try {
      return this.apply(tx, coll, id, w)
    } catch (e) {
      const err = toCloudbaseError(e)
      this.end(tx, err.code === 'DATABASE_TRANSACTION_CONFLICT' ? 'it was aborted by a write conflict' : `it was aborted by a failed write (${err.message})`)
      throw err
    }
  }

  private apply(tx: Tx, coll: string, id: string, w: TxWrite): TxWriteResult {
    const key = docKey(coll, id)
    let pending = tx.writes.get(key)
    if (!pending) {
      const holder = this.locks.holder(key)
      if (holder !== undefined && holder !== tx.id) throw CloudbaseError.transactionConflict()
      const base = tx.snapshot.reader.text(coll, id)
      // Committed by someone else after this transaction started (MongoDB: WriteConflict).
      if (this.pool.latest.text(coll, id) !== base) throw CloudbaseError.transactionConflict()
      this.locks.acquire(key, tx.id)
      pending = { coll, id, base, image: base === null ? null : (JSON.parse(base) as StoredDoc) }
      tx.writes.set(key, pending)
    }
    const current = pending.image
    switch (w.kind) {
      case 'set': {
        // As @cloudbase/database and the embedded set(): the id comes from doc(id), never from data.
        if (isObj(w.data) && Object.prototype.hasOwnProperty.call(w.data, '_id')) throw CloudbaseError.requestFailed('set() data may not hold _id')
        pending.image = storable(w.data, id)
        return current ? { updated: 1 } : { updated: 0, upsertId: id }
      }
      case 'update': {
        if (!current) return { updated: 0 }
        const next = structuredClone(current)
        const changed = applyModifier(next, buildModifier(w.data))
        pending.image = next
        return { updated: changed ? 1 : 0 }
      }
      case 'remove':
        pending.image = null
        return { deleted: current ? 1 : 0 }
      case 'insert':
        if (current) throw CloudbaseError.duplicateKey(this.opts.envId, coll, id)
        pending.image = storable(w.data, id)
        return { insertedId: id }
    }
  }

  /** The id an insert in a transaction gets (given, or 32 hex characters as the embedded store makes). */
  static insertId(data: unknown): string {
    const given = isObj(data) ? data._id : undefined
    if (given === undefined) return randomUUID().replace(/-/g, '')
    if (typeof given !== 'string' || given === '') throw CloudbaseError.invalidParam('_id must be a non-empty string')
    return given
  }

  async commit(txId: unknown): Promise<void> {
    const tx = this.active(txId)
    const writes = [...tx.writes.values()]
    try {
      await this.db.runTransaction(async (t) => {
        // Holding SQLite's write lock: nothing can commit between this check and the writes.
        for (const p of writes) if (this.pool.latest.text(p.coll, p.id) !== p.base) throw CloudbaseError.transactionConflict()
        for (const p of writes) {
          if (p.image === null) {
            if (p.base !== null) await t.collection(p.coll).doc(p.id).remove()
          } else if (JSON.stringify(p.image) !== p.base) {
            const { _id, ...rest } = p.image
            await t.collection(p.coll).doc(p.id).set({ data: rest })
          }
        }
      })
    } catch (e) {
      const err = toCloudbaseError(e)
      this.end(tx, `its commit failed (${err.message})`)
      throw err
    }
    this.end(tx, 'it was already committed')
  }

  abort(txId: unknown): void {
    this.end(this.active(txId), 'it was already aborted')
  }

  /** Ends a transaction however it ended: releases its locks and snapshot, records its operations. */
  private end(tx: Tx, why: string): void {
    if (this.open.get(tx.id) !== tx) return
    this.open.delete(tx.id)
    clearTimeout(tx.timer)
    this.locks.release(tx.writes.keys(), tx.id)
    tx.snapshot.release()
    this.ended.set(tx.id, why)
    if (this.ended.size > ENDED_MEMORY) this.ended.delete(this.ended.keys().next().value as string)
    this.opts.onEnd(tx.ops)
  }

  /** Aborts everything still open (the emulator is closing). */
  closeAll(): void {
    for (const tx of [...this.open.values()]) this.end(tx, 'the emulator closed')
  }
}

/** A whole document as stored: the embedded store's value rules, `_id` fixed to the document's. */
function storable(data: unknown, id: string): StoredDoc {
  if (!isObj(data)) throw CloudbaseError.invalidParam('document data must be an object')
  const clean = toStorable(data, 'data') as Record<string, unknown>
  // Same layout as the embedded store's set(): _id first.
  return { _id: id, ...clean } as StoredDoc
}
