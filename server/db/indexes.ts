/**
 * Secondary indexes of the embedded database, as data: collection name → list
 * of indexes, each a list of dotted field paths (a composite index when it has
 * more than one). Each becomes a SQLite expression index over
 * `json_extract(doc, '$.<path>')`, and only the paths named here are pushed
 * down from a `where()` into SQL (see pushdown.ts): the rest is filtered in JS.
 *
 * Later features add their hot paths here. Adding an index to an existing file
 * is safe: it is created (and the path's array check run) on the collection's
 * first use after the process starts.
 */
export type IndexSpec = Record<string, string[][]>

export const DEFAULT_INDEXES: IndexSpec = {
  // phone / employeeNo / rosterKey: the roster import finds people by them; branchHistory: a branch's former members.
  members: [['openid'], ['branchId'], ['groupId'], ['phone'], ['employeeNo'], ['rosterKey'], ['branchHistory.branchId']],
  orgs: [['parentId'], ['inviteCode'], ['type']],
  // status+startAt: the schedule's look-ahead for session reminders across all branches.
  sessions: [['branchId', 'startAt'], ['recurrenceId'], ['status', 'startAt']],
  checkins: [['sessionId'], ['memberId', 'at'], ['branchId', 'periodKeys.month']],
  leaves: [['sessionId'], ['memberId'], ['branchId', 'status'], ['branchId', 'periodKeys.year']],
  makeups: [['memberId', 'status'], ['sessionId'], ['branchId', 'updatedAt'], ['branchId', 'periodKeys.year'], ['status', 'deadline']],
  notes: [['memberId', 'year'], ['branchId', 'year']],
  // The points ledger, written with every check-in, so as few indexes as its reads need:
  // a member's year (a quarter or month is filtered from it) and a branch's month (reconciliation).
  ledger: [['memberId', 'periodKeys.year'], ['branchId', 'periodKeys.month']],
  points_nets: [],
  // Six aggregates are incremented per counted fact: two indexes only. Member aggregates are read by _id.
  aggregates: [['scope', 'branchId', 'period'], ['scope', 'period']],
  reminders: [['branchId', 'createdAt']],
  // wechat.status+deliverAt: the morning run's held WeChat messages.
  deliveries: [['memberId', 'deliverAt'], ['reminderId'], ['wechat.status', 'deliverAt']],
  // Budgets are read by _id when sending; the secretary's view reads a branch's members' budgets.
  subscription_budgets: [['memberId']],
  audit: [['orgId', 'at']],
  // Originality index (cloudfunctions/note/src/originality.ts): read by `_id`
  // only (the primary key), so no secondary index; `notes`/`hashes` are arrays.
  note_prints: [],
  note_postings: []
}

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
