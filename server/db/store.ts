import type BetterSqlite3 from 'better-sqlite3'
import { DbError, type StoredDoc } from '../../cloudfunctions/_shared/db'
import { fieldExpr, indexName } from './indexes'
import type { Prefilter } from './pushdown'

/** Per-path "has any document ever held an array along this path" flags. */
export const META_TABLE = '_emb_paths'

const COLLECTION_NAME = /^[a-zA-Z_][a-zA-Z0-9_]{0,63}$/

export function checkCollectionName(name: unknown): string {
  if (typeof name !== 'string' || !COLLECTION_NAME.test(name) || name.startsWith('_emb_') || /^sqlite_/i.test(name)) {
    throw new DbError('INVALID_QUERY', `invalid collection name ${JSON.stringify(name)}`)
  }
  return name
}

export function quoteIdent(s: string): string {
  return `"${s.replace(/"/g, '""')}"`
}

export function createMetaTable(db: BetterSqlite3.Database): void {
  db.exec(`CREATE TABLE IF NOT EXISTS ${META_TABLE} (coll TEXT NOT NULL, path TEXT NOT NULL, has_array INTEGER NOT NULL, PRIMARY KEY (coll, path)) WITHOUT ROWID`)
}

/** True when walking `segments` through `doc` meets an array (at the end or on the way). */
function touchesArray(doc: unknown, segments: string[]): boolean {
  let cur: unknown = doc
  for (const seg of segments) {
    if (Array.isArray(cur)) return true
    if (cur === null || typeof cur !== 'object') return false
    cur = (cur as Record<string, unknown>)[seg]
  }
  return Array.isArray(cur)
}

const STMT_CACHE_MAX = 256

/**
 * One collection = one table `(_id TEXT PRIMARY KEY, doc TEXT NOT NULL)`,
 * the document stored as JSON including its `_id`. All methods are
 * synchronous and assume the caller holds the database lock.
 */
export class CollectionStore {
  readonly table: string
  /** Indexed path → whether an array was ever stored along it (then no pushdown). */
  private readonly paths = new Map<string, { segments: string[]; hasArray: boolean }>()
  private readonly stmts = new Map<string, BetterSqlite3.Statement>()
  private readonly getStmt: BetterSqlite3.Statement
  private readonly insertStmt: BetterSqlite3.Statement
  private readonly replaceStmt: BetterSqlite3.Statement
  private readonly deleteStmt: BetterSqlite3.Statement
  private readonly markStmt: BetterSqlite3.Statement

  /** Creates the table and indexes if needed; call inside a transaction. */
  constructor(private readonly db: BetterSqlite3.Database, readonly name: string, indexes: string[][]) {
    this.table = quoteIdent(name)
    db.exec(`CREATE TABLE IF NOT EXISTS ${this.table} (_id TEXT PRIMARY KEY NOT NULL, doc TEXT NOT NULL)`)
    for (const fields of indexes) {
      const cols = fields.map(fieldExpr).join(', ')
      db.exec(`CREATE INDEX IF NOT EXISTS ${quoteIdent(indexName(name, fields))} ON ${this.table} (${cols})`)
    }
    const known = new Map<string, boolean>()
    for (const row of db.prepare(`SELECT path, has_array FROM ${META_TABLE} WHERE coll = ?`).all(name) as { path: string; has_array: number }[]) {
      known.set(row.path, row.has_array !== 0)
    }
    for (const path of new Set(indexes.flat())) {
      const segments = path.split('.')
      let hasArray = known.get(path)
      if (hasArray === undefined) {
        // First time this path is indexed: look at what is already stored.
        const prefixes = segments.map((_, i) => `json_type(doc, '$.${segments.slice(0, i + 1).join('.')}') = 'array'`)
        hasArray = db.prepare(`SELECT EXISTS (SELECT 1 FROM ${this.table} WHERE ${prefixes.join(' OR ')}) AS x`).pluck().get() === 1
        db.prepare(`INSERT INTO ${META_TABLE} (coll, path, has_array) VALUES (?, ?, ?)`).run(name, path, hasArray ? 1 : 0)
      }
      this.paths.set(path, { segments, hasArray })
    }
    this.getStmt = db.prepare(`SELECT doc FROM ${this.table} WHERE _id = ?`).pluck()
    this.insertStmt = db.prepare(`INSERT INTO ${this.table} (_id, doc) VALUES (?, ?)`)
    this.replaceStmt = db.prepare(`UPDATE ${this.table} SET doc = ? WHERE _id = ?`)
    this.deleteStmt = db.prepare(`DELETE FROM ${this.table} WHERE _id = ?`)
    this.markStmt = db.prepare(`UPDATE ${META_TABLE} SET has_array = 1 WHERE coll = ? AND path = ?`)
  }

  /** Whether conditions on `path` may be pushed into SQL (see pushdown.ts). */
  readonly canPush = (path: string): boolean => this.paths.get(path)?.hasArray === false

  /**
   * Must run before a document is written: flags indexed paths that now hold
   * an array. The flag is written first and never cleared, so a crash or a
   * rollback can only leave it conservatively set.
   */
  private noteWrite(doc: StoredDoc): void {
    for (const [path, p] of this.paths) {
      if (!p.hasArray && touchesArray(doc, p.segments)) {
        this.markStmt.run(this.name, path)
        p.hasArray = true
      }
    }
  }

  get(id: string): StoredDoc | null {
    const json = this.getStmt.get(id) as string | undefined
    return json === undefined ? null : (JSON.parse(json) as StoredDoc)
  }

  exists(id: string): boolean {
    return this.getStmt.get(id) !== undefined
  }

  insert(doc: StoredDoc): void {
    this.noteWrite(doc)
    try {
      this.insertStmt.run(doc._id, JSON.stringify(doc))
    } catch (e) {
      if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
        throw new DbError('DUPLICATE_ID', `a document with _id ${JSON.stringify(doc._id)} already exists in ${this.name}`)
      }
      throw e
    }
  }

  /** Overwrites an existing document; returns false when there was none. */
  replace(doc: StoredDoc): boolean {
    this.noteWrite(doc)
    return this.replaceStmt.run(JSON.stringify(doc), doc._id).changes > 0
  }

  delete(id: string): number {
    return this.deleteStmt.run(id).changes
  }

  countAll(): number {
    return this.stmt(`SELECT COUNT(*) FROM ${this.table}`).pluck().get() as number
  }

  private stmt(sql: string): BetterSqlite3.Statement {
    let s = this.stmts.get(sql)
    if (!s) {
      if (this.stmts.size >= STMT_CACHE_MAX) this.stmts.clear()
      s = this.db.prepare(sql)
      this.stmts.set(sql, s)
    }
    return s
  }

  private selectSql(pre: Prefilter, without: readonly string[] = []): string {
    // Top-level fields the caller will never look at are cut in SQLite, before the JSON is parsed in JS.
    const col = without.length ? `json_remove(doc, ${without.map((f) => `'$.${f}'`).join(', ')})` : 'doc'
    return `SELECT ${col} FROM ${this.table}${pre.where ? ` WHERE ${pre.where}` : ''}`
  }

  /** Candidate rows, lazily; stop iterating early to skip the rest. `without`: plain top-level field names to leave out. */
  *scan(pre: Prefilter, without: readonly string[] = []): Generator<StoredDoc> {
    const it = this.stmt(this.selectSql(pre, without)).pluck().iterate(...pre.params) as IterableIterator<string>
    for (const json of it) yield JSON.parse(json) as StoredDoc
  }

  /** All candidate rows at once (when the caller will write to the table while using them). */
  scanAll(pre: Prefilter): StoredDoc[] {
    return (this.stmt(this.selectSql(pre)).pluck().all(...pre.params) as string[]).map((j) => JSON.parse(j) as StoredDoc)
  }

  explain(pre: Prefilter): string {
    const rows = this.db.prepare(`EXPLAIN QUERY PLAN ${this.selectSql(pre)}`).all(...pre.params) as { detail: string }[]
    return rows.map((r) => r.detail).join('\n')
  }
}
