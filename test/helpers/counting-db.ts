/**
 * A Database wrapper that counts calls as CloudBase bills them, so a test can
 * hold a handler to its call budget on the fast local database.
 *
 * On CloudBase every operation is one HTTP request: a doc get/set/update/
 * remove, an add, a query's get/count/update/remove, an aggregate's end. A
 * transaction costs one request to start, one per operation inside, and one to
 * commit (or to abort). Builders (where, orderBy, limit, field, ...) cost
 * nothing until the query runs.
 *
 * Calls are attributed to a label taken from the async context
 * (`counter.run(label, fn)`), so concurrent actions are told apart; each
 * transaction records its operations and the documents it wrote, which is how
 * a test proves two members' transactions never write the same document.
 */
import { AsyncLocalStorage } from 'async_hooks'
import type {
  Aggregate,
  Collection,
  Database,
  DocData,
  DocRef,
  Query,
  Transaction,
  TransactionDocRef
} from '../../cloudfunctions/_shared/db'

export interface TxRecord {
  label: string
  /** Operations inside (get/set/update/remove/add), start and commit not included. */
  ops: number
  /** `collection/id` of every document set, updated, removed or added. */
  wrote: string[]
  committed: boolean
}

export interface CallFigures {
  /** Every billed request: plain calls, and per transaction start + ops + commit/abort. */
  calls: number
  /** Plain (non-transaction) calls by kind, e.g. `members.get`, `aggregates.where.update`. */
  byKind: Record<string, number>
  transactions: TxRecord[]
  /** The most operations one transaction held. */
  maxTxOps: number
}

const label = new AsyncLocalStorage<string>()

export class CallCounter {
  private figures = new Map<string, CallFigures>()

  /** Runs `fn` with its calls counted under `name` (nested runs count under the innermost). */
  run<T>(name: string, fn: () => Promise<T>): Promise<T> {
    return label.run(name, fn)
  }

  current(): string {
    return label.getStore() ?? ''
  }

  private of(name: string): CallFigures {
    let f = this.figures.get(name)
    if (!f) this.figures.set(name, (f = { calls: 0, byKind: {}, transactions: [], maxTxOps: 0 }))
    return f
  }

  call(kind: string): void {
    const f = this.of(this.current())
    f.calls++
    f.byKind[kind] = (f.byKind[kind] ?? 0) + 1
  }

  openTx(): TxRecord {
    const tx: TxRecord = { label: this.current(), ops: 0, wrote: [], committed: false }
    const f = this.of(tx.label)
    f.calls++ // start
    f.transactions.push(tx)
    return tx
  }

  txOp(tx: TxRecord, wrote?: string): void {
    const f = this.of(tx.label)
    f.calls++
    tx.ops++
    if (wrote) tx.wrote.push(wrote)
    if (tx.ops > f.maxTxOps) f.maxTxOps = tx.ops
  }

  closeTx(tx: TxRecord, committed: boolean): void {
    this.of(tx.label).calls++ // commit or abort
    tx.committed = committed
  }

  get(name = ''): CallFigures {
    return this.of(name)
  }

  labels(): string[] {
    return [...this.figures.keys()]
  }

  reset(): void {
    this.figures.clear()
  }
}

let generated = 0

function wrapQuery(q: Query, name: string, c: CallCounter): Query {
  return {
    where: (cond) => wrapQuery(q.where(cond), name, c),
    orderBy: (f, o) => wrapQuery(q.orderBy(f, o), name, c),
    skip: (n) => wrapQuery(q.skip(n), name, c),
    limit: (n) => wrapQuery(q.limit(n), name, c),
    field: (p) => wrapQuery(q.field(p), name, c),
    get: () => (c.call(`${name}.get`), q.get()),
    count: () => (c.call(`${name}.count`), q.count()),
    update: (o) => (c.call(`${name}.where.update`), q.update(o)),
    remove: () => (c.call(`${name}.where.remove`), q.remove())
  }
}

function wrapAggregate(a: Aggregate, name: string, c: CallCounter): Aggregate {
  const chain = (next: Aggregate) => wrapAggregate(next, name, c)
  return {
    match: (x) => chain(a.match(x)),
    group: (x) => chain(a.group(x)),
    sort: (x) => chain(a.sort(x)),
    project: (x) => chain(a.project(x)),
    addFields: (x) => chain(a.addFields(x)),
    unwind: (x) => chain(a.unwind(x)),
    count: (x) => chain(a.count(x)),
    skip: (x) => chain(a.skip(x)),
    limit: (x) => chain(a.limit(x)),
    end: () => (c.call(`${name}.aggregate`), a.end())
  }
}

function wrapDoc(ref: DocRef, name: string, c: CallCounter): DocRef {
  return {
    get: () => (c.call(`${name}.doc.get`), ref.get()),
    set: (o) => (c.call(`${name}.doc.set`), ref.set(o)),
    update: (o) => (c.call(`${name}.doc.update`), ref.update(o)),
    remove: () => (c.call(`${name}.doc.remove`), ref.remove())
  }
}

function wrapCollection(col: Collection, name: string, c: CallCounter): Collection {
  return {
    ...wrapQuery(col, name, c),
    doc: (id) => wrapDoc(col.doc(id), name, c),
    add: (o) => (c.call(`${name}.add`), col.add(o)),
    aggregate: () => wrapAggregate(col.aggregate(), name, c)
  }
}

function wrapTransaction(t: Transaction, tx: TxRecord, c: CallCounter): Transaction {
  return {
    collection(name) {
      const col = t.collection(name)
      return {
        doc(id): TransactionDocRef {
          const ref = col.doc(id)
          const at = `${name}/${id}`
          return {
            get: () => (c.txOp(tx), ref.get()),
            set: (o) => (c.txOp(tx, at), ref.set(o)),
            update: (o) => (c.txOp(tx, at), ref.update(o)),
            remove: () => (c.txOp(tx, at), ref.remove())
          }
        },
        add: (o: { data: DocData }) => {
          const id = typeof o.data._id === 'string' ? o.data._id : `(generated ${++generated})`
          c.txOp(tx, `${name}/${id}`)
          return col.add(o)
        }
      }
    }
  }
}

/** The same database, every call counted on `counter`. */
export function countingDb(db: Database, counter: CallCounter): Database {
  return {
    command: db.command,
    collection: (name) => wrapCollection(db.collection(name), name, counter),
    createCollection: (name) => db.createCollection(name),
    async runTransaction(fn) {
      const tx = counter.openTx()
      try {
        const out = await db.runTransaction((t) => fn(wrapTransaction(t, tx, counter)))
        counter.closeTx(tx, true)
        return out
      } catch (err) {
        counter.closeTx(tx, false)
        throw err
      }
    }
  }
}
