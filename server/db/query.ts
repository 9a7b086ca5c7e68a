import {
  DbError,
  type Aggregate,
  type Collection,
  type DocData,
  type DocRef,
  type Query,
  type SortOrder,
  type StoredDoc,
  type WriteStats
} from '../../cloudfunctions/_shared/db'
import { AggregateImpl } from './aggregate'
import {
  addDoc,
  countDocs,
  findDocs,
  getDoc,
  removeDoc,
  removeWhere,
  setDoc,
  updateDoc,
  updateWhere,
  type Engine,
  type QueryState
} from './ops'
import { translateWhere } from './translate'
import { checkId, isPlainObject } from './values'

const EMPTY: QueryState = { where: null, order: [], skip: 0, limit: 0, projection: null }

function nonNegativeInt(name: string, n: unknown): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new DbError('INVALID_QUERY', `${name}() expects a non-negative integer`)
  return n
}

function dataOf(opts: unknown): unknown {
  if (!isPlainObject(opts) || !('data' in opts)) throw new DbError('INVALID_UPDATE', 'expected { data: { ... } }')
  return opts.data
}

/**
 * An immutable query builder, like wx-server-sdk's: every call returns a new
 * query. As there, a second `where()` replaces the first, and repeating
 * `orderBy()` on a field changes its direction but keeps its sort position.
 * `update()`/`remove()` act on every match and ignore orderBy/skip/limit;
 * `count()` ignores skip/limit.
 */
export class QueryImpl implements Query {
  constructor(protected readonly engine: Engine, protected readonly coll: string, protected readonly state: QueryState = EMPTY) {}

  private with(patch: Partial<QueryState>): QueryImpl {
    return new QueryImpl(this.engine, this.coll, { ...this.state, ...patch })
  }

  where(cond: DocData): Query {
    return this.with({ where: translateWhere(cond) })
  }

  orderBy(field: string, order: SortOrder): Query {
    if (typeof field !== 'string' || field === '' || field.startsWith('$')) throw new DbError('INVALID_QUERY', 'orderBy() needs a field path')
    if (order !== 'asc' && order !== 'desc') throw new DbError('INVALID_QUERY', `orderBy() order must be 'asc' or 'desc', got ${String(order)}`)
    const dir: 1 | -1 = order === 'desc' ? -1 : 1
    const i = this.state.order.findIndex(([f]) => f === field)
    const next = this.state.order.slice()
    if (i >= 0) next[i] = [field, dir]
    else next.push([field, dir])
    return this.with({ order: next })
  }

  skip(n: number): Query {
    return this.with({ skip: nonNegativeInt('skip', n) })
  }

  /** limit(0), like an unset limit, means the default page of 100. */
  limit(n: number): Query {
    return this.with({ limit: nonNegativeInt('limit', n) })
  }

  field(projection: Record<string, boolean | 0 | 1>): Query {
    if (!isPlainObject(projection)) throw new DbError('INVALID_QUERY', 'field() expects an object')
    const p: Record<string, unknown> = {}
    // As wx-server-sdk: booleans and numbers become 1/0, objects ($slice, $elemMatch) pass through.
    for (const [k, v] of Object.entries(projection)) {
      if (typeof v === 'boolean') p[k] = v ? 1 : 0
      else if (typeof v === 'number') p[k] = v > 0 ? 1 : 0
      else if (v !== null && typeof v === 'object') p[k] = v
    }
    return this.with({ projection: Object.keys(p).length ? p : null })
  }

  get(): Promise<{ data: StoredDoc[] }> {
    const { engine, coll, state } = this
    return engine.exec(() => ({ data: findDocs(engine.store(coll), state, engine.limits) }))
  }

  count(): Promise<{ total: number }> {
    const { engine, coll, state } = this
    return engine.exec(() => ({ total: countDocs(engine.store(coll), state.where) }))
  }

  update(opts: { data: DocData }): Promise<WriteStats> {
    const { engine, coll, state } = this
    return engine.exec(() => ({ stats: { updated: updateWhere(engine.raw, engine.store(coll), state.where, dataOf(opts)) } }))
  }

  remove(): Promise<{ stats: { removed: number } }> {
    const { engine, coll, state } = this
    return engine.exec(() => ({ stats: { removed: removeWhere(engine.raw, engine.store(coll), state.where) } }))
  }
}

export class CollectionImpl extends QueryImpl implements Collection {
  constructor(engine: Engine, coll: string) {
    super(engine, coll)
  }

  doc(id: string): DocRef {
    return new DocRefImpl(this.engine, this.coll, checkId(id, 'INVALID_QUERY'))
  }

  add(opts: { data: DocData }): Promise<{ _id: string }> {
    const { engine, coll } = this
    return engine.exec(() => ({ _id: addDoc(engine.store(coll), dataOf(opts)) }))
  }

  aggregate(): Aggregate {
    return new AggregateImpl(this.engine, this.coll)
  }
}

export class DocRefImpl implements DocRef {
  constructor(private readonly engine: Engine, private readonly coll: string, private readonly id: string) {}

  get(): Promise<{ data: StoredDoc | null }> {
    const { engine, coll, id } = this
    return engine.exec(() => ({ data: getDoc(engine.store(coll), id) }))
  }

  set(opts: { data: DocData }): Promise<{ _id: string; stats: { updated: number; created: number } }> {
    const { engine, coll, id } = this
    return engine.exec(() => ({ _id: id, stats: setDoc(engine.store(coll), id, dataOf(opts)) }))
  }

  update(opts: { data: DocData }): Promise<WriteStats> {
    const { engine, coll, id } = this
    return engine.exec(() => ({ stats: { updated: updateDoc(engine.store(coll), id, dataOf(opts)) } }))
  }

  remove(): Promise<{ stats: { removed: number } }> {
    const { engine, coll, id } = this
    return engine.exec(() => ({ stats: { removed: removeDoc(engine.store(coll), id) } }))
  }
}
