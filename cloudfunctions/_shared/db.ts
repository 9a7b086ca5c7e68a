/**
 * The subset of the CloudBase document database API that handlers may use.
 *
 * Both the embedded database (server/db) and the CloudBase adapter
 * (cloudbase-runtime.ts) implement exactly this, so a handler written against
 * it runs unchanged in either place. Where CloudBase itself is inconsistent
 * (e.g. `doc().get()` on a missing id rejects), the adapter normalises to the
 * behaviour written here.
 */

export type DocData = Record<string, unknown>
export type StoredDoc = DocData & { _id: string }

/** Opaque values produced by `db.command.*`; only the implementation reads them. */
export interface QueryCommand {
  readonly __cmd: 'query'
  and(...others: unknown[]): QueryCommand
  or(...others: unknown[]): QueryCommand
}
export interface UpdateCommand {
  readonly __cmd: 'update'
}

export interface DbCommand {
  // query operators (field level)
  eq(v: unknown): QueryCommand
  neq(v: unknown): QueryCommand
  gt(v: unknown): QueryCommand
  gte(v: unknown): QueryCommand
  lt(v: unknown): QueryCommand
  lte(v: unknown): QueryCommand
  in(v: unknown[]): QueryCommand
  nin(v: unknown[]): QueryCommand
  exists(v: boolean): QueryCommand
  size(n: number): QueryCommand
  all(v: unknown[]): QueryCommand
  elemMatch(q: unknown): QueryCommand
  mod(divisor: number, remainder: number): QueryCommand
  not(c: QueryCommand): QueryCommand
  // logical (field level with commands, or top level with whole conditions)
  and(...conds: unknown[]): QueryCommand
  or(...conds: unknown[]): QueryCommand
  nor(...conds: unknown[]): QueryCommand
  // update operators
  set(v: unknown): UpdateCommand
  remove(): UpdateCommand
  inc(n: number): UpdateCommand
  mul(n: number): UpdateCommand
  min(v: unknown): UpdateCommand
  max(v: unknown): UpdateCommand
  rename(newName: string): UpdateCommand
  push(v: unknown): UpdateCommand
  pop(): UpdateCommand
  shift(): UpdateCommand
  unshift(v: unknown): UpdateCommand
  addToSet(v: unknown): UpdateCommand
  pull(v: unknown): UpdateCommand
  pullAll(v: unknown[]): UpdateCommand
  /** Aggregation expression operators (`$.sum('$words')`, ...) as in CloudBase. */
  aggregate: AggregateCommand
}

/** Aggregation expression helpers; each returns a plain Mongo expression object. */
export interface AggregateCommand {
  sum(e: unknown): unknown
  avg(e: unknown): unknown
  min(e: unknown): unknown
  max(e: unknown): unknown
  first(e: unknown): unknown
  last(e: unknown): unknown
  push(e: unknown): unknown
  addToSet(e: unknown): unknown
  cond(e: unknown): unknown
  eq(a: unknown, b?: unknown): unknown
  add(...e: unknown[]): unknown
  subtract(...e: unknown[]): unknown
  multiply(...e: unknown[]): unknown
  divide(...e: unknown[]): unknown
  size(e: unknown): unknown
  ifNull(...e: unknown[]): unknown
  concat(...e: unknown[]): unknown
}

export interface WriteStats {
  stats: { updated: number }
}

export interface DocRef {
  /** Resolves `{ data: null }` when the document does not exist. */
  get(): Promise<{ data: StoredDoc | null }>
  /** Replaces the whole document (creating it if missing). */
  set(opts: { data: DocData }): Promise<{ _id: string; stats: { updated: number; created: number } }>
  /** Partial update; plain nested objects are merged field by field. */
  update(opts: { data: DocData }): Promise<WriteStats>
  remove(): Promise<{ stats: { removed: number } }>
}

export type SortOrder = 'asc' | 'desc'

export interface Query {
  where(cond: DocData): Query
  orderBy(field: string, order: SortOrder): Query
  skip(n: number): Query
  limit(n: number): Query
  field(projection: Record<string, boolean | 0 | 1>): Query
  get(): Promise<{ data: StoredDoc[] }>
  count(): Promise<{ total: number }>
  update(opts: { data: DocData }): Promise<WriteStats>
  remove(): Promise<{ stats: { removed: number } }>
}

export interface Aggregate {
  match(cond: DocData): Aggregate
  group(spec: DocData): Aggregate
  sort(spec: Record<string, 1 | -1>): Aggregate
  project(spec: DocData): Aggregate
  addFields(spec: DocData): Aggregate
  unwind(spec: string | DocData): Aggregate
  count(field: string): Aggregate
  skip(n: number): Aggregate
  limit(n: number): Aggregate
  end(): Promise<{ list: DocData[] }>
}

export interface Collection extends Query {
  doc(id: string): DocRef
  /** Rejects with DbError code 'DUPLICATE_ID' when `_id` is given and taken. */
  add(opts: { data: DocData }): Promise<{ _id: string }>
  aggregate(): Aggregate
}

export interface TransactionDocRef {
  get(): Promise<{ data: StoredDoc | null }>
  set(opts: { data: DocData }): Promise<{ stats: { updated: number; created: number } }>
  update(opts: { data: DocData }): Promise<WriteStats>
  remove(): Promise<{ stats: { removed: number } }>
}

export interface Transaction {
  collection(name: string): {
    doc(id: string): TransactionDocRef
    add(opts: { data: DocData }): Promise<{ _id: string }>
  }
}

export interface Database {
  command: DbCommand
  collection(name: string): Collection
  /**
   * Runs `fn` atomically: all of its writes commit together or none do.
   * Throwing inside `fn` rolls back and the promise rejects with that error.
   */
  runTransaction<T>(fn: (t: Transaction) => Promise<T>): Promise<T>
  /**
   * Creates a collection; an existing one is left alone (`created: false`).
   * CloudBase answers -502005 to any use of a collection that does not
   * exist, so `cron.setup` creates them once after deploy.
   */
  createCollection(name: string): Promise<{ created: boolean }>
}

/**
 * WRITE_CONFLICT: another transaction kept writing a document this one needs
 * (CloudBase, after the adapter's retries). TRANSACTION_ABORTED: CloudBase
 * no longer knows the transaction (past its 30 s, or aborted).
 */
export type DbErrorCode = 'DUPLICATE_ID' | 'INVALID_QUERY' | 'INVALID_UPDATE' | 'CLOSED' | 'WRITE_CONFLICT' | 'TRANSACTION_ABORTED'

export class DbError extends Error {
  readonly code: DbErrorCode
  constructor(code: DbErrorCode, message: string) {
    super(message)
    this.name = 'DbError'
    this.code = code
  }
}

/**
 * The body `doc(id).set()` takes: CloudBase refuses any `_id` key in set()
 * or update() data, even the document's own id (the id comes from doc(id)),
 * so a parsed document is written without it.
 */
export function withoutId<T extends { _id?: unknown }>(doc: T): Omit<T, '_id'> {
  const { _id: _omit, ...rest } = doc
  return rest
}

/** An `add` refused because the deterministic `_id` is taken: for idempotent steps, "already done". */
export function isDuplicateId(err: unknown): boolean {
  return err instanceof DbError && err.code === 'DUPLICATE_ID'
}

/**
 * An idempotent step: adds the document under its deterministic `_id`, or
 * finds it already there (an earlier attempt, a doubled tap). True when this
 * call wrote it.
 */
export async function addIfAbsent(collection: Pick<Collection, 'add'>, data: DocData & { _id: string }): Promise<boolean> {
  try {
    await collection.add({ data })
    return true
  } catch (err) {
    if (!isDuplicateId(err)) throw err
    return false
  }
}
