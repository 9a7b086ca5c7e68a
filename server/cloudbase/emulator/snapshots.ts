import BetterSqlite3 from 'better-sqlite3'
import { quoteIdent } from '../../db/store'

/**
 * Point-in-time reads of documents by id, on their own SQLite connections.
 *
 * A CloudBase transaction reads documents as they were when it started. The
 * embedded store keeps one JSON row per document in WAL mode, and a read
 * transaction on a WAL database sees exactly the commits made before it
 * began, for as long as it stays open. So a transaction's snapshot is a
 * connection holding an open read transaction: no pre-images to keep, and
 * writes by anyone (other transactions, plain calls, bulk updates, another
 * process) are excluded alike. Connections are pooled; a transaction lives
 * at most txLifetimeMs, which bounds how long the WAL cannot be checkpointed.
 */
export class SnapshotReader {
  private readonly stmts = new Map<string, BetterSqlite3.Statement | null>()

  constructor(private readonly conn: BetterSqlite3.Database, readonly pinned: boolean) {}

  /** The stored JSON text of a document, or null (missing document or collection). */
  text(coll: string, id: string): string | null {
    let s = this.stmts.get(coll)
    if (s === undefined) {
      try {
        s = this.conn.prepare(`SELECT doc FROM ${quoteIdent(coll)} WHERE _id = ?`).pluck()
      } catch {
        // No such table in this snapshot: the collection came later.
        s = null
      }
      // A pinned snapshot never sees a table created later, so caching a miss is exact.
      if (this.pinned || s) this.stmts.set(coll, s)
    }
    if (!s) return null
    const row = s.get(id) as string | undefined
    return row ?? null
  }
}

export class SnapshotPool {
  private readonly idle: BetterSqlite3.Database[] = []
  private readonly all = new Set<BetterSqlite3.Database>()
  /** Reads of the latest committed state (autocommit: each statement sees the newest commit). */
  readonly latest: SnapshotReader

  constructor(private readonly file: string, private readonly maxIdle = 16) {
    this.latest = new SnapshotReader(this.open(), false)
  }

  private open(): BetterSqlite3.Database {
    const c = new BetterSqlite3(this.file)
    c.pragma('busy_timeout = 5000')
    this.all.add(c)
    return c
  }

  /** A reader pinned to the database as committed right now. */
  pin(): { reader: SnapshotReader; release: () => void } {
    const conn = this.idle.pop() ?? this.open()
    conn.exec('BEGIN')
    // The snapshot is taken at the first read, so read something now.
    conn.prepare('SELECT count(*) FROM sqlite_master').get()
    let released = false
    return {
      reader: new SnapshotReader(conn, true),
      release: () => {
        if (released) return
        released = true
        if (conn.inTransaction) conn.exec('ROLLBACK')
        if (this.idle.length < this.maxIdle) this.idle.push(conn)
        else this.closeConn(conn)
      }
    }
  }

  private closeConn(c: BetterSqlite3.Database): void {
    this.all.delete(c)
    if (c.open) c.close()
  }

  close(): void {
    for (const c of [...this.all]) this.closeConn(c)
    this.idle.length = 0
  }
}
