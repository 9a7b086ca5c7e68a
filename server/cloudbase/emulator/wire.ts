import type { Aggregate, DbCommand, DocData, Query } from '../../../cloudfunctions/_shared/db'
import { decodeEJSON } from './ejson'
import { CloudbaseError } from './errors'

/**
 * From what @cloudbase/database puts on the wire to calls on the embedded
 * database's API, which holds the query and update semantics (mingo).
 * Queries arrive already as MongoDB documents (dotted paths, `$gt`, `$or`);
 * the embedded `where()` takes those as they are. Updates arrive as MongoDB
 * modifiers (`{ $set: { 'a.b': 1 }, $inc: { n: 1 } }`) and are turned back
 * into `db.command` values, the form the embedded `update()` takes.
 */

type Obj = Record<string, unknown>

export function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date) && !(v instanceof RegExp)
}

/** The decoded `query` parameter; `{}` when absent. */
export function queryOf(params: Obj): Obj {
  if (params.query === undefined || params.query === '') return {}
  const q = decodeEJSON(params.query, 'query')
  if (!isObj(q)) throw CloudbaseError.invalidParam('query must be an object')
  return q
}

/** The `_id` of a DOC-type request (`query: {"_id": "…"}`). */
export function docIdOf(params: Obj): string {
  const id = queryOf(params)._id
  if (typeof id !== 'string' || id === '') throw CloudbaseError.invalidParam('a document request needs a string _id')
  return id
}

/** `where()` on the embedded query, skipped for an empty condition. */
export function whereOn<Q extends Query>(q: Q, cond: Obj): Query {
  return Object.keys(cond).length ? q.where(cond) : q
}

/** order (`{"a":-1}` as 1.4.3 sends it, or `[{field, direction}]`), offset, limit, projection. */
export function withReadOptions(q: Query, params: Obj): Query {
  let out = q
  if (params.order !== undefined && params.order !== '') {
    const order = decodeEJSON(params.order, 'order')
    const pairs: Array<[string, unknown]> = Array.isArray(order)
      ? order.map((o) => [String((o as Obj).field), (o as Obj).direction])
      : isObj(order) ? Object.entries(order) : []
    for (const [field, dir] of pairs) out = out.orderBy(field, dir === -1 || dir === 'desc' ? 'desc' : 'asc')
  }
  if (typeof params.offset === 'number' && params.offset > 0) out = out.skip(params.offset)
  // The embedded store applies CloudBase's limits: 100 when unset (0), at most 1,000.
  if (typeof params.limit === 'number' && params.limit > 0) out = out.limit(Math.floor(params.limit))
  if (params.projection !== undefined && params.projection !== '') {
    const p = decodeEJSON(params.projection, 'projection')
    if (isObj(p) && Object.keys(p).length) out = out.field(p as Record<string, 0 | 1>)
  }
  return out
}

/** A MongoDB update modifier as `update({ data })` input: `{ path: _.inc(1), … }`. */
export function updateDataOf(modifier: unknown, _: DbCommand): DocData {
  if (!isObj(modifier)) throw CloudbaseError.invalidParam('update data must be an object')
  const data: DocData = {}
  for (const [op, fields] of Object.entries(modifier)) {
    if (!op.startsWith('$')) throw CloudbaseError.requestFailed(`update document mixes operators and the plain field ${JSON.stringify(op)}`)
    if (!isObj(fields)) throw CloudbaseError.requestFailed(`${op} expects an object of field paths`)
    for (const [path, arg] of Object.entries(fields)) {
      if (path in data) throw CloudbaseError.requestFailed(`Updating the path '${path}' would create a conflict`)
      data[path] = commandFor(op, arg, _)
    }
  }
  return data
}

function commandFor(op: string, arg: unknown, _: DbCommand): unknown {
  switch (op) {
    case '$set': return _.set(arg)
    case '$unset': return _.remove()
    case '$inc': return _.inc(arg as number)
    case '$mul': return _.mul(arg as number)
    case '$min': return _.min(arg)
    case '$max': return _.max(arg)
    case '$rename': return _.rename(arg as string)
    // `{ $each, $position, $slice, $sort }` or a single value; the embedded push reads both.
    case '$push': return isObj(arg) && '$each' in arg ? _.push(arg as never) : _.push([arg] as never)
    case '$addToSet': return _.addToSet(arg)
    case '$pop': return arg === -1 ? _.shift() : _.pop()
    case '$pull': return _.pull(arg)
    case '$pullAll': return _.pullAll(arg as unknown[])
    default: throw CloudbaseError.requestFailed(`unknown update operator ${op}`)
  }
}

/** The `stages` of `database.aggregateDocuments` ({stageKey: '$match', stageValue: '<EJSON>'}) onto the embedded builder. */
export function pipelineOn(agg: Aggregate, stages: unknown): Aggregate {
  if (!Array.isArray(stages)) throw CloudbaseError.invalidParam('stages must be an array')
  let out = agg
  for (const s of stages) {
    const key = isObj(s) ? s.stageKey : undefined
    const value = isObj(s) ? decodeEJSON(s.stageValue, String(key)) : undefined
    switch (key) {
      case '$match': out = out.match(value as DocData); break
      case '$group': out = out.group(value as DocData); break
      case '$sort': out = out.sort(value as Record<string, 1 | -1>); break
      case '$project': out = out.project(value as DocData); break
      case '$addFields': out = out.addFields(value as DocData); break
      case '$unwind': out = out.unwind(value as string | DocData); break
      case '$count': out = out.count(value as string); break
      case '$skip': out = out.skip(value as number); break
      case '$limit': out = out.limit(value as number); break
      default:
        throw CloudbaseError.requestFailed(`aggregate stage ${String(key)} is not supported by the local emulator (the embedded database has no such stage)`)
    }
  }
  return out
}
