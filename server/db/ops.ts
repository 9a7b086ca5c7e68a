import { randomUUID } from 'crypto'
import type BetterSqlite3 from 'better-sqlite3'
import { Query as MingoQuery, find } from 'mingo'
import { DbError, type StoredDoc } from '../../cloudfunctions/_shared/db'
import { planPrefilter } from './pushdown'
import type { CollectionStore } from './store'
import type { MongoQuery } from './translate'
import { applyModifier, buildModifier } from './update'
import { ID_IN_DATA, checkId, isPlainObject, toStorable } from './values'

/**
 * The synchronous core of every operation. Callers (query.ts, transaction.ts)
 * decide when these may run — under the database lock or inside the
 * transaction that holds it — and wrap the result in a promise.
 */

/**
 * Read limits, mimicking CloudBase so code that forgets to page fails
 * locally the same way it would in the cloud: `get()` returns 100 documents
 * when no limit is set and never more than 1,000 (a larger limit is clamped,
 * as wx-server-sdk does); `aggregate().end()` returns 20 unless the pipeline
 * has a `limit()` stage.
 */
export interface Limits {
  defaultGet: number
  maxGet: number
  defaultAggregate: number
}
export const CLOUDBASE_LIMITS: Limits = { defaultGet: 100, maxGet: 1000, defaultAggregate: 20 }

export interface Engine {
  readonly raw: BetterSqlite3.Database
  readonly limits: Limits
  /** The collection's store, creating its table and indexes on first use. */
  store(name: string): CollectionStore
  /** Runs a synchronous operation when the database may be touched. */
  exec<T>(fn: () => T): Promise<T>
}

export interface QueryState {
  where: MongoQuery | null
  order: Array<[string, 1 | -1]>
  skip: number
  /** 0 = not set. */
  limit: number
  projection: Record<string, unknown> | null
}

/** Runs mingo code, reporting its complaints (unknown operator, bad projection) as INVALID_QUERY. */
export function viaMingo<T>(fn: () => T): T {
  try {
    return fn()
  } catch (e) {
    if (e instanceof DbError) throw e
    throw new DbError('INVALID_QUERY', (e as Error).message)
  }
}

type Test = (doc: StoredDoc) => boolean

function compile(where: MongoQuery | null): Test | null {
  if (!where || Object.keys(where).length === 0) return null
  let slow: Test | null = null
  const viaQuery: Test = (doc) => {
    if (!slow) {
      const q = viaMingo(() => new MingoQuery(where))
      slow = (d) => viaMingo(() => q.test(d))
    }
    return slow(doc)
  }
  return compileScalarEquality(where, viaQuery) ?? viaQuery
}

const isScalar = (v: unknown): v is string | number | boolean =>
  typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))

const UNDECIDED = Symbol('undecided')

/**
 * The hottest queries (a member by openid, rows by branch and month) are
 * equalities of fields with plain values. mingo compiles a query object on
 * every call, which cost a fifth of a check-in's server time, so these get a
 * direct test with MongoDB's meaning: equal, or an array field holding the
 * value. A dotted path is walked through plain objects only; when an array
 * lies on the way (where MongoDB's rules fan out) that document goes to
 * mingo. Anything else (null, operators) goes to mingo for every document.
 */
function compileScalarEquality(where: MongoQuery, fallback: Test): Test | null {
  const pairs: Array<[string[], string | number | boolean]> = []
  let idIn: Set<string> | null = null
  for (const [key, value] of Object.entries(where)) {
    // `_id: {$in: [...strings]}` (the bulk increment after every check-in): a stored _id is always a
    // string, never an array, so plain membership is exactly MongoDB's answer.
    const ids = key === '_id' ? stringIn(value) : null
    if (ids) {
      idIn = ids
      continue
    }
    if (key.startsWith('$') || !isScalar(value)) return null
    pairs.push([key.split('.'), value])
  }
  const matches = (doc: StoredDoc, path: string[], value: string | number | boolean): boolean | typeof UNDECIDED => {
    let v: unknown = doc
    for (let i = 0; i < path.length; i++) {
      if (Array.isArray(v)) return UNDECIDED
      if (v === null || typeof v !== 'object') return false
      v = (v as Record<string, unknown>)[path[i]]
    }
    return v === value || (Array.isArray(v) && (path.length === 1 ? v.includes(value) : UNDECIDED))
  }
  return (doc) => {
    if (idIn && !idIn.has(doc._id)) return false
    for (const [path, value] of pairs) {
      const m = matches(doc, path, value)
      if (m === UNDECIDED) return fallback(doc)
      if (!m) return false
    }
    return true
  }
}

/** The ids of `{$in: [...]}` when it is exactly that, over strings only; else null. */
function stringIn(value: unknown): Set<string> | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null
  const keys = Object.keys(value)
  const list = (value as Record<string, unknown>).$in
  if (keys.length !== 1 || !Array.isArray(list) || !list.every((v) => typeof v === 'string')) return null
  return new Set(list as string[])
}

export function getDoc(store: CollectionStore, id: string): StoredDoc | null {
  return store.get(checkId(id, 'INVALID_QUERY'))
}

export function addDoc(store: CollectionStore, data: unknown): string {
  if (!isPlainObject(data)) throw new DbError('INVALID_UPDATE', 'add expects { data: { ... } } with an object')
  const clean = toStorable(data, 'data') as Record<string, unknown>
  const id = clean._id === undefined ? randomUUID().replace(/-/g, '') : checkId(clean._id, 'INVALID_UPDATE')
  store.insert({ _id: id, ...clean })
  return id
}

export function setDoc(store: CollectionStore, id: string, data: unknown): { updated: number; created: number } {
  checkId(id, 'INVALID_UPDATE')
  if (!isPlainObject(data)) throw new DbError('INVALID_UPDATE', 'set expects { data: { ... } } with an object')
  // @cloudbase/database refuses any own `_id` key here, even the document's own id (document.js).
  if (Object.prototype.hasOwnProperty.call(data, '_id')) throw new DbError('INVALID_UPDATE', ID_IN_DATA)
  const clean = toStorable(data, 'data') as Record<string, unknown>
  const doc = { _id: id, ...clean }
  if (store.replace(doc)) return { updated: 1, created: 0 }
  store.insert(doc)
  return { updated: 0, created: 1 }
}

export function updateDoc(store: CollectionStore, id: string, data: unknown): number {
  checkId(id, 'INVALID_UPDATE')
  const mod = buildModifier(data)
  const doc = store.get(id)
  if (!doc || !applyModifier(doc, mod)) return 0
  store.replace(doc)
  return 1
}

export function removeDoc(store: CollectionStore, id: string): number {
  return store.delete(checkId(id, 'INVALID_UPDATE'))
}

export function findDocs(store: CollectionStore, s: QueryState, limits: Limits): StoredDoc[] {
  const limit = s.limit > 0 ? Math.min(s.limit, limits.maxGet) : limits.defaultGet
  const pre = planPrefilter(s.where, store.canPush)
  const test = compile(s.where)
  const cut = excludedInSql(s)
  let out: StoredDoc[] = []
  if (s.order.length === 0) {
    // Natural order: stop reading as soon as the page is full.
    let skipped = 0
    for (const doc of store.scan(pre, cut)) {
      if (test && !test(doc)) continue
      if (skipped < s.skip) {
        skipped++
        continue
      }
      out.push(doc)
      if (out.length >= limit) break
    }
  } else {
    const matched: StoredDoc[] = []
    for (const doc of store.scan(pre, cut)) if (!test || test(doc)) matched.push(doc)
    out = sortSimple(matched, s.order)?.slice(s.skip, s.skip + limit) ??
      (viaMingo(() => find(matched, {}).sort(Object.fromEntries(s.order)).skip(s.skip).limit(limit).all()) as StoredDoc[])
  }
  if (!s.projection || cut.length > 0) return out
  const projection = s.projection
  return viaMingo(() => find(out, {}, projection).all()) as StoredDoc[]
}

const PLAIN_FIELD = /^[A-Za-z_][A-Za-z0-9_]*$/

/**
 * A projection that only leaves out plain top-level fields (`{ content: 0 }`)
 * is done by SQLite's json_remove, so a large field is never parsed at all.
 * Exact only when no condition or sort key looks at a removed field (they
 * are tested on the trimmed document); otherwise mingo projects as before.
 */
function excludedInSql(s: QueryState): string[] {
  const p = s.projection
  if (!p) return []
  const fields = Object.keys(p)
  if (fields.some((f) => p[f] !== 0 || f === '_id' || !PLAIN_FIELD.test(f))) return []
  const touched = [...Object.keys(s.where ?? {}), ...s.order.map(([f]) => f)].map((k) => k.split('.')[0])
  if (touched.some((k) => k.startsWith('$') || fields.includes(k))) return []
  return fields
}

/**
 * One top-level sort key whose values are all strings or all finite numbers
 * (`_id` for paging, a timestamp): a plain comparison gives MongoDB's order,
 * without mingo's general machinery. Anything else returns undefined.
 */
function sortSimple(docs: StoredDoc[], order: QueryState['order']): StoredDoc[] | undefined {
  if (order.length !== 1) return undefined
  const [field, dir] = order[0]
  if (field.includes('.') || docs.length === 0) return docs.length === 0 ? docs : undefined
  const first = typeof (docs[0] as Record<string, unknown>)[field]
  if (first !== 'string' && first !== 'number') return undefined
  for (const d of docs) {
    const v = (d as Record<string, unknown>)[field]
    if (typeof v !== first || (first === 'number' && !Number.isFinite(v))) return undefined
  }
  const sign = dir
  // Stable, and by code unit for strings, as MongoDB's binary collation.
  return [...docs].sort((a, b) => {
    const x = (a as Record<string, unknown>)[field] as string | number
    const y = (b as Record<string, unknown>)[field] as string | number
    return x < y ? -sign : x > y ? sign : 0
  })
}

export function countDocs(store: CollectionStore, where: MongoQuery | null): number {
  const test = compile(where)
  if (!test) return store.countAll()
  let n = 0
  for (const doc of store.scan(planPrefilter(where, store.canPush))) if (!test || test(doc)) n++
  return n
}

/** Bulk update in one SQLite transaction (a savepoint inside an open one): all or nothing. */
export function updateWhere(raw: BetterSqlite3.Database, store: CollectionStore, where: MongoQuery | null, data: unknown): number {
  const mod = buildModifier(data)
  const test = compile(where)
  return raw.transaction(() => {
    let n = 0
    // Materialised first: SQLite cannot write the table while a read cursor on it is open.
    for (const doc of store.scanAll(planPrefilter(where, store.canPush))) {
      if (test && !test(doc)) continue
      if (applyModifier(doc, mod)) {
        store.replace(doc)
        n++
      }
    }
    return n
  })()
}

export function removeWhere(raw: BetterSqlite3.Database, store: CollectionStore, where: MongoQuery | null): number {
  const test = compile(where)
  return raw.transaction(() => {
    let n = 0
    for (const doc of store.scanAll(planPrefilter(where, store.canPush))) {
      if (test && !test(doc)) continue
      n += store.delete(doc._id)
    }
    return n
  })()
}
