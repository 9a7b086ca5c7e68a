import type BetterSqlite3 from 'better-sqlite3'
import type { EmbeddedDatabase } from '../../db'
import { CloudbaseError } from './errors'

/**
 * Which collections exist. On CloudBase a collection must be created (in the
 * console or by `db.createCollection`) before any read or write; the embedded
 * database instead creates a table on first use. So every request is checked
 * here first, against the tables really present in the SQLite file: those
 * seeded through the embedded database (by this or another process) count,
 * `_emb_*` / `sqlite_*` internals never do.
 */
export class Collections {
  private readonly lookup: BetterSqlite3.Statement

  constructor(private readonly db: EmbeddedDatabase) {
    this.lookup = db.raw.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").pluck()
  }

  /** A name the embedded store accepts (its rule also excludes the reserved prefixes). */
  private valid(name: unknown): name is string {
    try {
      this.db.collection(name as string)
      return true
    } catch {
      return false
    }
  }

  exists(name: unknown): boolean {
    // Asked live every time: a seeding process may add tables while the emulator runs.
    return this.valid(name) && this.lookup.get(name) === 1
  }

  /** Throws CloudBase's "collection not exists" unless `name` exists. */
  require(name: unknown): string {
    if (!this.exists(name)) throw CloudbaseError.collectionNotExist()
    return name as string
  }

  /** `db.createCollection(name)`: refuses an existing or invalid name, as CloudBase does. */
  async create(name: unknown): Promise<void> {
    if (!this.valid(name)) throw CloudbaseError.invalidParam(`invalid collection name ${JSON.stringify(name)}`)
    if (this.exists(name)) throw CloudbaseError.collectionExists(name)
    // The embedded store creates the table (and its indexes) on first use.
    await this.db.collection(name).count()
  }
}
