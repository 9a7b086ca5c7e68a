import { COLLECTIONS } from '../../cloudfunctions/_shared/collections'

/**
 * Secondary indexes of the embedded database, as data: collection name → list
 * of indexes, each a list of dotted field paths (a composite index when it has
 * more than one). Each becomes a SQLite expression index over
 * `json_extract(doc, '$.<path>')`, and only the paths named here are pushed
 * down from a `where()` into SQL (see pushdown.ts): the rest is filtered in JS.
 *
 * Adding an index to an existing file is safe: it is created (and the path's
 * array check run) on the collection's first use after the process starts.
 */
export type IndexSpec = Record<string, string[][]>

/** The project's indexes come from the one list of collections, shared with CloudBase setup and the README. */
export const DEFAULT_INDEXES: IndexSpec = Object.fromEntries(
  Object.entries(COLLECTIONS).map(([name, spec]) => [name, spec.indexes.map((fields) => [...fields])])
)

/** One segment of an indexable path: a plain identifier, so it needs no quoting in a JSON path. */
const SEGMENT = /^[A-Za-z_][A-Za-z0-9_]*$/

/** True when `path` can be written as a SQLite JSON path without quoting. */
export function isIndexablePath(path: string): boolean {
  return path.split('.').every((s) => SEGMENT.test(s))
}

/**
 * The SQL expression for a field. Queries and CREATE INDEX must produce the
 * exact same text, or SQLite will not match the query to the index.
 */
export function fieldExpr(path: string): string {
  if (path === '_id') return '_id'
  return `json_extract(doc, '$.${path}')`
}

/** Checks a spec up front so a typo fails at open, not as a silent full scan. */
export function validateIndexSpec(spec: IndexSpec): void {
  for (const [coll, list] of Object.entries(spec)) {
    if (!Array.isArray(list)) throw new Error(`indexes for ${coll} must be a list of field lists`)
    for (const fields of list) {
      if (!Array.isArray(fields) || fields.length === 0) throw new Error(`empty index on ${coll}`)
      for (const f of fields) {
        if (typeof f !== 'string' || f === '_id' || !isIndexablePath(f)) {
          throw new Error(`index on ${coll}: field path "${String(f)}" must be dotted identifiers (and not _id, which is the primary key)`)
        }
      }
    }
  }
}

/** A stable, readable, collision-free index name (always used quoted). */
export function indexName(collection: string, fields: string[]): string {
  return `ix:${collection}(${fields.join(',')})`
}
