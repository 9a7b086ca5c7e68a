import { fieldExpr } from './indexes'
import type { MongoQuery } from './translate'
import { isPlainObject } from './values'

/**
 * SQL prefilter for a MongoDB query: a WHERE clause over the same
 * `json_extract(doc, '$.path')` expressions the indexes are built on, so
 * SQLite can use them. mingo still tests every candidate row, so the prefilter
 * only has to be a SUPERSET of the true matches: it may let extra rows
 * through (a boolean `true` passes `= 1`), it must never drop a match.
 *
 * What is pushed down, and why it is safe:
 * - only conjuncts (top-level fields and members of a top-level `$and`);
 * - only paths the store vouches for (`canPush`): indexed paths along which
 *   no stored document has ever held an array. With an array on the way,
 *   MongoDB matches elements (`{tags: 'a'}` matches `tags: ['a','b']`) and
 *   json_extract would return the array's JSON text, so such paths stay in JS;
 * - equality / `$in` with strings, finite numbers, booleans (json_extract
 *   yields 1/0) and null (`IS NULL`: missing or null, as in MongoDB);
 * - `$gt/$gte/$lt/$lte` with a number or a string. MongoDB (and mingo) only
 *   compare within a type; SQLite orders NULL < numbers < text, which can only
 *   add candidates, never lose them. Strings compare by UTF-8 bytes in SQLite
 *   and by UTF-16 units in JS; the orders agree unless the bound contains a
 *   character at or above U+D800, so such bounds are not pushed.
 * - `_id` is the TEXT primary key column; every stored id is a string, so
 *   only string conditions are pushed for it.
 */
export interface Prefilter {
  /** SQL boolean expression, or '' for no prefilter (full scan). */
  where: string
  params: unknown[]
}

const HIGH_UNITS = /[\uD800-\uFFFF]/
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:[^\uD800-\uDBFF]|^)[\uDC00-\uDFFF]/

export function planPrefilter(q: MongoQuery | null, canPush: (path: string) => boolean): Prefilter {
  const conds: string[] = []
  const params: unknown[] = []
  if (q) visit(q, canPush, conds, params)
  return { where: conds.join(' AND '), params }
}

function visit(q: MongoQuery, canPush: (path: string) => boolean, conds: string[], params: unknown[]): void {
  for (const key of Object.keys(q)) {
    const v = q[key]
    if (key === '$and') {
      if (Array.isArray(v)) for (const member of v) if (isPlainObject(member)) visit(member, canPush, conds, params)
      continue
    }
    if (key.startsWith('$')) continue
    const isId = key === '_id'
    if (!isId && !canPush(key)) continue
    const expr = fieldExpr(key)
    if (isOperatorObject(v)) {
      for (const op of Object.keys(v)) pushOp(expr, isId, op, v[op], conds, params)
    } else {
      pushOp(expr, isId, '$eq', v, conds, params)
    }
  }
}

function isOperatorObject(v: unknown): v is Record<string, unknown> {
  if (!isPlainObject(v)) return false
  const keys = Object.keys(v)
  return keys.length > 0 && keys.every((k) => k.startsWith('$'))
}

const RANGE: Record<string, string> = { $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' }

function pushOp(expr: string, isId: boolean, op: string, v: unknown, conds: string[], params: unknown[]): void {
  if (op === '$eq') {
    const p = eqParam(v, isId)
    if (p === undefined) return
    if (p === null) conds.push(`${expr} IS NULL`)
    else {
      conds.push(`${expr} = ?`)
      params.push(p)
    }
    return
  }
  if (op in RANGE) {
    const ok = (typeof v === 'number' && Number.isFinite(v) && !isId) || (typeof v === 'string' && !HIGH_UNITS.test(v))
    if (!ok) return
    conds.push(`${expr} ${RANGE[op]} ?`)
    params.push(v)
    return
  }
  if (op === '$in' && Array.isArray(v)) {
    if (v.length === 0) {
      conds.push('0') // $in [] matches nothing
      return
    }
    const values: unknown[] = []
    let withNull = false
    for (const x of v) {
      const p = eqParam(x, isId)
      if (p === undefined) return // a regex or object member: leave the whole $in to mingo
      if (p === null) withNull = true
      else values.push(p)
    }
    const parts: string[] = []
    if (values.length) parts.push(`${expr} IN (${values.map(() => '?').join(', ')})`)
    if (withNull) parts.push(`${expr} IS NULL`)
    conds.push(parts.length === 1 ? parts[0] : `(${parts.join(' OR ')})`)
    params.push(...values)
  }
}

/** The SQL parameter for an equality, null for IS NULL, undefined when not pushable. */
function eqParam(v: unknown, isId: boolean): unknown {
  if (typeof v === 'string') return LONE_SURROGATE.test(v) ? undefined : v
  if (isId) return undefined
  if (v === null) return null
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined
  if (typeof v === 'boolean') return v ? 1 : 0
  return undefined
}
