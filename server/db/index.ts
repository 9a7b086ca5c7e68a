import { closeSync, mkdirSync, openSync } from 'fs'
import { dirname } from 'path'
import BetterSqlite3 from 'better-sqlite3'
import {
  DbError,
  type Collection,
  type Database,
  type DbCommand,
  type DocData,
  type Transaction
} from '../../cloudfunctions/_shared/db'
import { createCommand } from './commands'
import { DEFAULT_INDEXES, validateIndexSpec, type IndexSpec } from './indexes'
import { OpLock } from './mutex'
import { CLOUDBASE_LIMITS, type Engine, type Limits } from './ops'
import { planPrefilter } from './pushdown'
import { CollectionImpl } from './query'
import { CollectionStore, checkCollectionName, createMetaTable } from './store'
import { runTransaction, txScope, type TxHost } from './transaction'
import { translateWhere } from './translate'

export { DEFAULT_INDEXES, type IndexSpec } from './indexes'
export { CLOUDBASE_LIMITS, type Limits } from './ops'
// Document-level rules without storage: the CloudBase emulator computes a
// transaction's own view of a document (buffered until commit) with them.
export { applyModifier, buildModifier } from './update'
export { toStorable } from './values'

/**
 * The local runtime's document database: the CloudBase database API of
 * cloudfunctions/_shared/db.ts, embedded on one SQLite file (see README.md
 * in this folder for semantics and the deliberate differences).
 */
export interface EmbeddedDatabase extends Database {
  /** Closes the file; later calls reject with DbError('CLOSED'). An open transaction is rolled back. */
  close(): void
  /** SQLite's EXPLAIN QUERY PLAN for the SQL prefilter `where(cond)` would run on `collection`. */
  explainQuery(collection: string, cond: DocData): string
  /** The better-sqlite3 handle, for benchmarks and maintenance; bypasses the lock. */
  readonly raw: BetterSqlite3.Database
}

export interface OpenOptions {
  /** SQLite file path (its folder is created if missing), or ':memory:'. */
  file: string
  /** Secondary indexes per collection; defaults to DEFAULT_INDEXES. */
  indexes?: IndexSpec
  /** Read limits; default CLOUDBASE_LIMITS (get: 100 default / 1,000 max, aggregate: 20). */
  limits?: Partial<Limits>
}

class EmbeddedDb implements EmbeddedDatabase, Engine, TxHost {
  readonly command: DbCommand = createCommand()
  readonly lock = new OpLock()
  readonly limits: Limits
  private readonly stores = new Map<string, CollectionStore>()
  private closed = false

  constructor(readonly raw: BetterSqlite3.Database, private readonly indexes: IndexSpec, limits: Limits) {
    this.limits = limits
  }

  collection(name: string): Collection {
    return new CollectionImpl(this, checkCollectionName(name))
  }

  runTransaction<T>(fn: (t: Transaction) => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(closedError())
    return runTransaction(this, fn)
  }

  createCollection(name: string): Promise<{ created: boolean }> {
    const coll = checkCollectionName(name)
    return this.exec(() => {
      const existed = this.raw.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(coll) !== undefined
      this.store(coll)
      return { created: !existed }
    })
  }

  exec<T>(fn: () => T): Promise<T> {
    if (this.closed) return Promise.reject(closedError())
    const tx = txScope.getStore()
    if (tx && tx.active && tx.host === this) return tx.run(fn)
    // Queued operations re-check: the database may close while they wait.
    return this.lock.runSync(this.lock.busy ? () => (this.closed ? failClosed() : fn()) : fn)
  }

  store(name: string): CollectionStore {
    let s = this.stores.get(name)
    if (!s) {
      const coll = checkCollectionName(name)
      s = this.raw.transaction(() => new CollectionStore(this.raw, coll, this.indexes[coll] ?? []))()
      this.stores.set(coll, s)
    }
    return s
  }

  storeNames(): Set<string> {
    return new Set(this.stores.keys())
  }

  forget(names: string[]): void {
    for (const n of names) this.stores.delete(n)
  }

  isClosed(): boolean {
    return this.closed
  }

  explainQuery(collection: string, cond: DocData): string {
    if (this.closed) throw closedError()
    const store = this.store(collection)
    return store.explain(planPrefilter(translateWhere(cond), store.canPush))
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    if (this.raw.inTransaction) this.raw.exec('ROLLBACK')
    this.raw.close()
  }
}

function closedError(): DbError {
  return new DbError('CLOSED', 'the database is closed')
}

function failClosed(): never {
  throw closedError()
}

export function openDatabase(opts: OpenOptions): EmbeddedDatabase {
  const indexes = opts.indexes ?? DEFAULT_INDEXES
  validateIndexSpec(indexes)
  const memory = opts.file === ':memory:'
  if (!memory) {
    mkdirSync(dirname(opts.file), { recursive: true, mode: 0o700 })
    // Created 0600 before SQLite opens it; SQLite gives the -wal and -shm files the database file's mode.
    closeSync(openSync(opts.file, 'a', 0o600))
  }
  const raw = new BetterSqlite3(opts.file)
  try {
    // WAL + synchronous=NORMAL: a committed transaction survives a killed
    // process (the WAL is in the OS cache); only power loss can drop the
    // last commits. busy_timeout covers a second process (a CLI, a backup).
    if (!memory) raw.pragma('journal_mode = WAL')
    raw.pragma('synchronous = NORMAL')
    raw.pragma('busy_timeout = 5000')
    raw.pragma('cache_size = -65536')
    raw.pragma('temp_store = MEMORY')
    createMetaTable(raw)
  } catch (e) {
    raw.close()
    throw e
  }
  return new EmbeddedDb(raw, indexes, { ...CLOUDBASE_LIMITS, ...opts.limits })
}
