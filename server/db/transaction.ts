import { AsyncLocalStorage } from 'async_hooks'
import {
  DbError,
  type DocData,
  type StoredDoc,
  type Transaction,
  type TransactionDocRef,
  type WriteStats
} from '../../cloudfunctions/_shared/db'
import { addDoc, getDoc, removeDoc, setDoc, updateDoc } from './ops'
import type { OpLock } from './mutex'
import type { CollectionStore } from './store'
import { checkCollectionName } from './store'
import { checkId, isPlainObject } from './values'

/**
 * What a transaction needs from the database (index.ts implements it).
 * `forget` drops stores whose CREATE TABLE a rollback has undone.
 */
export interface TxHost {
  readonly lock: OpLock
  readonly raw: import('better-sqlite3').Database
  isClosed(): boolean
  store(name: string): CollectionStore
  storeNames(): Set<string>
  forget(names: string[]): void
}

/** A running transaction; `host` tells nested calls which database it belongs to. */
export class TxContext {
  active = true
  private savepoints = 0
  constructor(readonly host: TxHost) {}

  nextSavepoint(): string {
    return `emb_sp_${++this.savepoints}`
  }

  /** Runs a synchronous op inside this transaction, refusing once it has ended. */
  run<T>(fn: () => T): Promise<T> {
    if (!this.active) return Promise.reject(new DbError('CLOSED', 'the transaction has already finished'))
    if (this.host.isClosed()) return Promise.reject(new DbError('CLOSED', 'the database is closed'))
    try {
      return Promise.resolve(fn())
    } catch (e) {
      return Promise.reject(e)
    }
  }
}

/**
 * Tracks which transaction (if any) the current async call chain runs in, so
 * that plain `db.collection(...)` calls made inside a transaction callback run
 * on the connection the transaction holds instead of queueing behind it
 * (which would deadlock: the transaction waits for them, they wait for it).
 * Such calls join the transaction: they see its writes and commit or roll
 * back with it.
 */
export const txScope = new AsyncLocalStorage<TxContext>()

function dataOf(opts: unknown): unknown {
  if (!isPlainObject(opts) || !('data' in opts)) throw new DbError('INVALID_UPDATE', 'expected { data: { ... } }')
  return opts.data
}

function makeApi(tx: TxContext): Transaction {
  const host = tx.host
  return {
    collection(name: string) {
      checkCollectionName(name)
      return {
        doc(id: string): TransactionDocRef {
          checkId(id, 'INVALID_QUERY')
          return {
            get: (): Promise<{ data: StoredDoc | null }> => tx.run(() => ({ data: getDoc(host.store(name), id) })),
            set: (opts: { data: DocData }) => tx.run(() => ({ stats: setDoc(host.store(name), id, dataOf(opts)) })),
            update: (opts: { data: DocData }): Promise<WriteStats> =>
              tx.run(() => ({ stats: { updated: updateDoc(host.store(name), id, dataOf(opts)) } })),
            remove: () => tx.run(() => ({ stats: { removed: removeDoc(host.store(name), id) } }))
          }
        },
        add: (opts: { data: DocData }) => tx.run(() => ({ _id: addDoc(host.store(name), dataOf(opts)) }))
      }
    }
  }
}

/**
 * BEGIN IMMEDIATE … COMMIT around an async callback. better-sqlite3's own
 * transaction() cannot wrap async code, so the database lock (an async FIFO
 * mutex) is held for the whole callback: transactions run one at a time
 * (serializable) and no outside operation lands inside one. A callback that
 * throws rolls everything back and the promise rejects with its error.
 */
export async function runTransaction<T>(host: TxHost, fn: (t: Transaction) => Promise<T>): Promise<T> {
  const outer = txScope.getStore()
  if (outer && outer.active && outer.host === host) return runNested(outer, fn)
  await host.lock.acquire()
  let tx: TxContext | null = null
  let before: Set<string> | null = null
  try {
    if (host.isClosed()) throw new DbError('CLOSED', 'the database is closed')
    before = new Set(host.storeNames())
    host.raw.exec('BEGIN IMMEDIATE')
    const ctx = new TxContext(host)
    tx = ctx
    const result = await txScope.run(ctx, () => fn(makeApi(ctx)))
    ctx.active = false
    if (host.isClosed()) throw new DbError('CLOSED', 'the database was closed before the transaction committed')
    host.raw.exec('COMMIT')
    return result
  } catch (e) {
    if (tx) tx.active = false
    if (!host.isClosed() && host.raw.inTransaction) {
      host.raw.exec('ROLLBACK')
      const created = [...host.storeNames()].filter((n) => !before?.has(n))
      host.forget(created)
    }
    throw e
  } finally {
    host.lock.release()
  }
}

/** runTransaction inside a transaction: a SAVEPOINT, so the inner part can fail alone. */
async function runNested<T>(tx: TxContext, fn: (t: Transaction) => Promise<T>): Promise<T> {
  const sp = tx.nextSavepoint()
  const { raw } = tx.host
  const before = new Set(tx.host.storeNames())
  raw.exec(`SAVEPOINT ${sp}`)
  try {
    const result = await fn(makeApi(tx))
    raw.exec(`RELEASE ${sp}`)
    return result
  } catch (e) {
    if (tx.active && raw.inTransaction) {
      raw.exec(`ROLLBACK TO ${sp}`)
      raw.exec(`RELEASE ${sp}`)
      tx.host.forget([...tx.host.storeNames()].filter((n) => !before.has(n)))
    }
    throw e
  }
}
