import { DbError } from '../../cloudfunctions/_shared/db'
import { FieldCmd, LogicCmd, isQueryCmd } from './commands'
import { isPlainObject, toQueryValue } from './values'

/** A MongoDB query document, as mingo and pushdown.ts read it. */
export type MongoQuery = Record<string, unknown>

/**
 * Turns a CloudBase `where()` condition into a MongoDB query, following
 * @cloudbase/database's QuerySerializer:
 * - plain nested objects become dotted equality paths (`{a: {b: 1}}` → `{'a.b': 1}`);
 *   arrays, Dates, RegExps and commands stop the flattening;
 * - `db.command` objects become `$gt`, `$in`, `$and`, ...;
 * - `$`-prefixed keys written by hand pass through as raw MongoDB operators.
 * One deliberate difference: an empty object `{a: {}}` means "a equals {}"
 * (CloudBase silently drops the condition, which turns a bug into a full match).
 */
export function translateWhere(cond: unknown): MongoQuery {
  if (cond instanceof LogicCmd) return logicTop(cond)
  if (isQueryCmd(cond)) throw bad(`command.${(cond as FieldCmd).op} needs a field: where({ field: _.${(cond as FieldCmd).op}(...) })`)
  if (!isPlainObject(cond)) throw bad('where() expects an object')
  const keys = Object.keys(cond)
  if (keys.length > 0 && keys.every((k) => cond[k] === undefined)) {
    // Same guard as CloudBase: an all-undefined filter is almost always a bug.
    throw bad('every value in the where() condition is undefined')
  }
  const parts: MongoQuery[] = []
  flattenInto(cond, '', parts)
  return combine(parts)
}

/** `_.or([{...}, {...}])` used as the whole condition. */
function logicTop(c: LogicCmd): MongoQuery {
  if (c.operands.length === 0) throw bad(`command.${c.op} needs at least one condition`)
  return {
    [`$${c.op}`]: c.operands.map((o) => {
      if (o instanceof LogicCmd) return logicTop(o)
      if (isQueryCmd(o)) throw bad(`command.${o.op} needs a field inside a top-level command.${c.op}`)
      return translateWhere(o)
    })
  }
}

function bad(message: string): DbError {
  return new DbError('INVALID_QUERY', message)
}

function flattenInto(obj: Record<string, unknown>, prefix: string, out: MongoQuery[]): void {
  let rawOps: Record<string, unknown> | null = null
  for (const key of Object.keys(obj)) {
    const v = obj[key]
    if (v === undefined) continue
    if (key.startsWith('$')) {
      if (prefix === '') out.push(rawTopLevel(key, v))
      else (rawOps ??= {})[key] = rawFieldOperand(key, v)
      continue
    }
    const path = prefix ? `${prefix}.${key}` : key
    if (isQueryCmd(v)) out.push(cmdAt(path, v))
    else if (isPlainObject(v) && Object.keys(v).length > 0) flattenInto(v, path, out)
    else out.push({ [path]: toQueryValue(v) })
  }
  if (rawOps) out.push({ [prefix]: rawOps })
}

/** Hand-written top-level operators: logical ones are translated recursively. */
function rawTopLevel(key: string, v: unknown): MongoQuery {
  if (key === '$and' || key === '$or' || key === '$nor') {
    if (!Array.isArray(v) || v.length === 0) throw bad(`${key} expects a non-empty array of conditions`)
    return { [key]: v.map((c) => translateWhere(c)) }
  }
  if (key === '$expr') return { $expr: v }
  throw bad(`top-level operator ${key} is not supported`)
}

/** A hand-written field operator value (`{ a: { $gt: 1 } }`); commands inside are translated. */
function rawFieldOperand(key: string, v: unknown): unknown {
  if (key === '$elemMatch') return elemMatchArg(v)
  if (key === '$not' && isQueryCmd(v)) return operatorExpr(v)
  if (isQueryCmd(v)) throw bad(`a command cannot be the operand of ${key}`)
  return toQueryValue(v)
}

/** Merges single-path parts into one object; repeated paths go into `$and`. */
function combine(parts: MongoQuery[]): MongoQuery {
  if (parts.length === 1) return parts[0]
  const merged: MongoQuery = {}
  const extra: MongoQuery[] = []
  for (const p of parts) {
    const keys = Object.keys(p)
    if (keys.some((k) => k in merged || k === '$and')) extra.push(p)
    else Object.assign(merged, p)
  }
  if (extra.length) merged.$and = extra
  return merged
}

/** A whole condition for one field path and one command. */
function cmdAt(path: string, c: FieldCmd | LogicCmd): MongoQuery {
  if (c instanceof LogicCmd) {
    const parts = c.operands.map((o) => operandAt(path, o))
    if (parts.length === 0) throw bad(`command.${c.op} needs at least one operand`)
    return { [`$${c.op}`]: parts }
  }
  if (c.op === 'not' && c.arg instanceof LogicCmd) {
    // $not only takes operator expressions; "not (A or B)" on a field is $nor.
    return { $nor: [cmdAt(path, c.arg)] }
  }
  return { [path]: operatorExpr(c) }
}

/** An operand of a field-level and/or/nor: a command, nested conditions or a value. */
function operandAt(path: string, o: unknown): MongoQuery {
  if (isQueryCmd(o)) return cmdAt(path, o)
  if (isPlainObject(o) && Object.keys(o).length > 0) {
    const parts: MongoQuery[] = []
    flattenInto(o, path, parts)
    return combine(parts)
  }
  return { [path]: toQueryValue(o) }
}

/**
 * The operator expression of a command without its field (`{ $gt: 1 }`), as
 * `$not`, `$elemMatch` over scalars and `pull` need. Throws for commands that
 * have no such form (or/nor).
 */
export function operatorExpr(c: FieldCmd | LogicCmd): Record<string, unknown> {
  if (c instanceof LogicCmd) {
    if (c.op !== 'and') throw bad(`command.${c.op} cannot be used here; use it at field or top level`)
    const merged: Record<string, unknown> = {}
    for (const o of c.operands) {
      if (!isQueryCmd(o)) throw bad('command.and here must combine commands only')
      const expr = operatorExpr(o)
      for (const k of Object.keys(expr)) {
        if (k in merged) throw bad(`operator ${k} repeated inside command.and`)
        merged[k] = expr[k]
      }
    }
    return merged
  }
  const a = c.arg
  switch (c.op) {
    case 'eq': return { $eq: toQueryValue(a) }
    case 'neq': return { $ne: toQueryValue(a) }
    case 'gt': case 'gte': case 'lt': case 'lte':
      return { [`$${c.op}`]: toQueryValue(a) }
    case 'in': case 'nin': case 'all':
      return { [`$${c.op}`]: toQueryValue(a) }
    case 'exists': return { $exists: a }
    case 'size': return { $size: a }
    case 'mod': return { $mod: a }
    case 'elemMatch': return { $elemMatch: elemMatchArg(a) }
    case 'not': return { $not: operatorExpr(a as FieldCmd | LogicCmd) }
  }
}

/** `_.elemMatch({ score: _.gt(5) })` (documents) or `_.elemMatch(_.gt(5))` (scalars). */
function elemMatchArg(q: unknown): Record<string, unknown> {
  if (isQueryCmd(q)) return operatorExpr(q)
  if (isPlainObject(q)) {
    const keys = Object.keys(q)
    const operatorsOnly = keys.length > 0 && keys.every((k) => k.startsWith('$') && !['$and', '$or', '$nor'].includes(k))
    // `{ $gt: 5 }` written by hand applies to scalar elements; anything else is element conditions.
    return operatorsOnly ? (toQueryValue(q) as Record<string, unknown>) : translateWhere(q)
  }
  throw bad('command.elemMatch expects conditions or a command')
}
