/**
 * One seam around every database call as CloudBase bills it (a doc get/set/
 * update/remove, an add, a query's get/count/update/remove, an aggregate's
 * end, and a transaction with its operations). Used to bound how many calls
 * a job has in flight (a basic plan allows 20 connections) and, in tests and
 * benchmarks, to add CloudBase's per-call latency to the fast local database.
 */
import type { Aggregate, Collection, Database, DocRef, Query, Transaction } from './db'

/** What a call does: reads are get/count/aggregate, the rest write. */
export type CallKind = 'get' | 'count' | 'aggregate' | 'set' | 'update' | 'remove' | 'add' | 'createCollection'

export const isWrite = (kind: CallKind) => kind !== 'get' && kind !== 'count' && kind !== 'aggregate'

export interface CallHooks {
  /** A plain call (outside a transaction). */
  call<T>(run: () => Promise<T>, kind: CallKind): Promise<T>
  /** A whole transaction, from its start to its commit or abort. */
  transaction<T>(run: () => Promise<T>): Promise<T>
  /** One operation inside a transaction. */
  txOp<T>(run: () => Promise<T>, kind: CallKind): Promise<T>
}

function query(q: Query, h: CallHooks): Query {
  return {
    where: (c) => query(q.where(c), h),
    orderBy: (f, o) => query(q.orderBy(f, o), h),
    skip: (n) => query(q.skip(n), h),
    limit: (n) => query(q.limit(n), h),
    field: (p) => query(q.field(p), h),
    get: () => h.call(() => q.get(), 'get'),
    count: () => h.call(() => q.count(), 'count'),
    update: (o) => h.call(() => q.update(o), 'update'),
    remove: () => h.call(() => q.remove(), 'remove')
  }
}

function aggregate(a: Aggregate, h: CallHooks): Aggregate {
  const next = (x: Aggregate) => aggregate(x, h)
  return {
    match: (x) => next(a.match(x)),
    group: (x) => next(a.group(x)),
    sort: (x) => next(a.sort(x)),
    project: (x) => next(a.project(x)),
    addFields: (x) => next(a.addFields(x)),
    unwind: (x) => next(a.unwind(x)),
    count: (x) => next(a.count(x)),
    skip: (x) => next(a.skip(x)),
    limit: (x) => next(a.limit(x)),
    end: () => h.call(() => a.end(), 'aggregate')
  }
}

function doc(ref: DocRef, h: CallHooks): DocRef {
  return {
    get: () => h.call(() => ref.get(), 'get'),
    set: (o) => h.call(() => ref.set(o), 'set'),
    update: (o) => h.call(() => ref.update(o), 'update'),
    remove: () => h.call(() => ref.remove(), 'remove')
  }
}

function collection(col: Collection, h: CallHooks): Collection {
  return {
    ...query(col, h),
    doc: (id) => doc(col.doc(id), h),
    add: (o) => h.call(() => col.add(o), 'add'),
    aggregate: () => aggregate(col.aggregate(), h)
  }
}

function transaction(t: Transaction, h: CallHooks): Transaction {
  return {
    collection(name) {
      const col = t.collection(name)
      return {
        doc(id) {
          const ref = col.doc(id)
          return {
            get: () => h.txOp(() => ref.get(), 'get'),
            set: (o) => h.txOp(() => ref.set(o), 'set'),
            update: (o) => h.txOp(() => ref.update(o), 'update'),
            remove: () => h.txOp(() => ref.remove(), 'remove')
          }
        },
        add: (o) => h.txOp(() => col.add(o), 'add')
      }
    }
  }
}

/** The same database with `hooks` around every billed call. */
export function aroundCalls(db: Database, hooks: CallHooks): Database {
  return {
    command: db.command,
    collection: (name) => collection(db.collection(name), hooks),
    createCollection: (name) => hooks.call(() => db.createCollection(name), 'createCollection'),
    runTransaction: (fn) => hooks.transaction(() => db.runTransaction((t) => fn(transaction(t, hooks))))
  }
}

/**
 * At most `max` calls of this handle in flight at once. A transaction holds
 * one slot from start to commit and its operations run under it (our
 * transactions issue their operations one after another), so a transaction
 * never waits for a slot it could only get after it commits — the embedded
 * database serialises transactions, and that wait would be a deadlock.
 */
export function limitCalls(db: Database, max: number): Database {
  const gate = slotGate(max)
  return aroundCalls(db, { call: gate, transaction: gate, txOp: (run) => run() })
}

/** At most `max` runs at once, the rest waiting first come first served. */
export function slotGate(max: number): <T>(run: () => Promise<T>) => Promise<T> {
  let active = 0
  const waiting: (() => void)[] = []
  return async <T>(run: () => Promise<T>): Promise<T> => {
    if (active >= max) await new Promise<void>((resolve) => waiting.push(resolve))
    else active++
    try {
      return await run()
    } finally {
      // The slot passes straight to the next waiter, so `active` never overshoots.
      const next = waiting.shift()
      if (next) next()
      else active--
    }
  }
}
