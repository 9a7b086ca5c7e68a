import { update as mingoUpdate } from 'mingo'
import { DbError, type StoredDoc } from '../../cloudfunctions/_shared/db'
import { UpdateCmd, isQueryCmd, isUpdateCmd } from './commands'
import { tryFastUpdate } from './fastupdate'
import { operatorExpr, translateWhere } from './translate'
import { ID_IN_DATA, isPlainObject, toQueryValue, toStorable } from './values'

/** A MongoDB update document: operator → { path: argument }. */
export type Modifier = Record<string, Record<string, unknown>>

/**
 * Turns `update({ data })` into a MongoDB modifier the way @cloudbase/database's
 * UpdateSerializer does: nested plain objects are merged field by field
 * (flattened into dotted `$set` paths), flattening stops at arrays, Dates,
 * empty objects and commands; `_.set(obj)` replaces a field wholesale;
 * dotted keys (`{'a.b': 1}`) address nested fields. `_id` cannot change.
 */
export function buildModifier(data: unknown): Modifier {
  if (!isPlainObject(data)) throw new DbError('INVALID_UPDATE', 'update expects { data: { ... } } with an object')
  if (Object.prototype.hasOwnProperty.call(data, '_id')) throw new DbError('INVALID_UPDATE', ID_IN_DATA)
  const mod: Modifier = {}
  walk(data, '', mod)
  return mod
}

function walk(obj: Record<string, unknown>, prefix: string, mod: Modifier): void {
  for (const key of Object.keys(obj)) {
    const v = obj[key]
    if (v === undefined) continue
    if (key.split('.').some((s) => s === '' || s.startsWith('$'))) {
      throw new DbError('INVALID_UPDATE', `field name "${key}" is not allowed in an update`)
    }
    const path = prefix ? `${prefix}.${key}` : key
    if (isUpdateCmd(v)) add(mod, ...commandOp(v, path), path)
    else if (isQueryCmd(v)) throw new DbError('INVALID_UPDATE', `a query command cannot be used in update data (at ${path})`)
    else if (isPlainObject(v) && Object.keys(v).length > 0) walk(v, path, mod)
    else add(mod, '$set', toStorable(v, path), path)
  }
}

function add(mod: Modifier, op: string, arg: unknown, path: string): void {
  ;(mod[op] ??= {})[path] = arg
}

/** The Mongo operator and argument for one update command at `path`. */
function commandOp(c: UpdateCmd, path: string): [string, unknown] {
  const a = c.arg
  switch (c.op) {
    case 'set': return ['$set', toStorable(a, path)]
    case 'remove': return ['$unset', '']
    case 'inc': return ['$inc', a]
    case 'mul': return ['$mul', a]
    case 'min': return ['$min', toStorable(a, path)]
    case 'max': return ['$max', toStorable(a, path)]
    case 'rename': {
      const to = a as string
      if (to === '_id' || to.startsWith('$')) throw new DbError('INVALID_UPDATE', `cannot rename ${path} to ${to}`)
      return ['$rename', to]
    }
    case 'push': case 'unshift': case 'addToSet': {
      // Arguments carry $each/$position/...; only the values need cleaning.
      const op = c.op === 'addToSet' ? '$addToSet' : '$push'
      if (isPlainObject(a) && Array.isArray(a.$each)) return [op, { ...a, $each: toStorable(a.$each, path) }]
      return [op, toStorable(a, path)]
    }
    case 'pop': case 'shift': return ['$pop', a]
    case 'pull': return ['$pull', pullCondition(a)]
    case 'pullAll': return ['$pullAll', toStorable(a, path)]
  }
}

/** `_.pull(3)`, `_.pull(_.gt(3))` or `_.pull({ score: _.lt(5) })` (documents). */
function pullCondition(a: unknown): unknown {
  if (isQueryCmd(a)) return operatorExpr(a)
  if (isPlainObject(a)) {
    try {
      return translateWhere(a)
    } catch (e) {
      throw e instanceof DbError ? new DbError('INVALID_UPDATE', e.message) : e
    }
  }
  return toQueryValue(a)
}

/**
 * Applies a modifier to a document in place (MongoDB semantics via mingo's
 * updater). Returns true when something changed, which is what `updated`
 * counts (MongoDB's modifiedCount: an update that sets the same values
 * reports 0).
 */
export function applyModifier(doc: StoredDoc, mod: Modifier): boolean {
  checkTypes(doc, mod)
  const fast = tryFastUpdate(doc, mod)
  if (fast !== undefined) return fast
  try {
    return mingoUpdate(doc, mod as Parameters<typeof mingoUpdate>[1]).length > 0
  } catch (e) {
    throw new DbError('INVALID_UPDATE', `update rejected: ${(e as Error).message}`)
  }
}

const NUMERIC_OPS = new Set(['$inc', '$mul'])
const ARRAY_OPS = new Set(['$push', '$addToSet', '$pop', '$pull', '$pullAll'])

/**
 * MongoDB refuses updates that do not fit the stored types ($inc on a string,
 * $push on a number, creating `a.b` inside a scalar `a`); mingo skips them
 * silently, which would hide bugs that fail in the cloud. So check first.
 */
function checkTypes(doc: StoredDoc, mod: Modifier): void {
  for (const [op, fields] of Object.entries(mod)) {
    if (op === '$unset') continue // unsetting a path that cannot exist is a no-op in MongoDB
    for (const path of Object.keys(fields)) {
      const segs = path.split('.')
      let cur: unknown = doc
      for (let i = 0; i < segs.length; i++) {
        const seg = segs[i]
        if (cur === undefined) break
        const isLast = i === segs.length - 1
        if (Array.isArray(cur) && /^\d+$/.test(seg)) cur = cur[Number(seg)]
        else if (isPlainObject(cur)) cur = cur[seg]
        else throw new DbError('INVALID_UPDATE', `cannot ${op} ${path}: ${segs.slice(0, i).join('.')} is ${JSON.stringify(cur)}, not an object`)
        if (!isLast || cur === undefined) continue
        if (NUMERIC_OPS.has(op) && typeof cur !== 'number') {
          throw new DbError('INVALID_UPDATE', `cannot ${op} ${path}: it holds ${JSON.stringify(cur)}, not a number`)
        }
        if (ARRAY_OPS.has(op) && !Array.isArray(cur)) {
          throw new DbError('INVALID_UPDATE', `cannot ${op} ${path}: it holds ${JSON.stringify(cur)}, not an array`)
        }
      }
    }
  }
}
