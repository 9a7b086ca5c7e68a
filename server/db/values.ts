import { DbError } from '../../cloudfunctions/_shared/db'

/**
 * Value checks shared by queries and writes. Type tests use
 * Object.prototype.toString rather than instanceof so objects from another
 * realm (jest runs test code in a vm context) are still recognised.
 */

export function tagOf(v: unknown): string {
  return Object.prototype.toString.call(v)
}

/** A literal `{...}` (or Object.create(null)); not arrays, Dates, class instances or commands. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || tagOf(v) !== '[object Object]') return false
  const proto = Object.getPrototypeOf(v)
  return proto === null || Object.getPrototypeOf(proto) === null
}

export function isDate(v: unknown): v is Date {
  return tagOf(v) === '[object Date]'
}

export function isRegExp(v: unknown): v is RegExp {
  return tagOf(v) === '[object RegExp]'
}

const MAX_DEPTH = 100

/**
 * Makes a value safe to store as JSON, the way CloudBase would see it:
 * undefined object members are dropped (arrays get null, like JSON.stringify),
 * Dates become epoch milliseconds (the project stores times as numbers), and
 * anything JSON cannot carry faithfully (functions, symbols, bigints, NaN,
 * class instances, db.command objects) is refused rather than silently mangled.
 * Keys may not start with `$` or contain `.`, since both would collide with
 * query and update path syntax.
 */
export function toStorable(v: unknown, where = 'value', depth = 0): unknown {
  if (v === null) return null
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v
    case 'number':
      if (!Number.isFinite(v)) throw invalid(`${where} is ${v}, which JSON cannot store`)
      return v
    case 'object': {
      if (depth > MAX_DEPTH) throw invalid(`${where} is nested too deeply (or circular)`)
      if (Array.isArray(v)) return v.map((x, i) => (x === undefined ? null : toStorable(x, `${where}[${i}]`, depth + 1)))
      if (isDate(v)) return dateToMs(v, where)
      if (!isPlainObject(v)) throw invalid(`${where} is a ${describe(v)}; only plain objects, arrays and scalars can be stored`)
      const out: Record<string, unknown> = {}
      for (const key of Object.keys(v)) {
        const x = v[key]
        if (x === undefined) continue
        checkKey(key, where)
        out[key] = toStorable(x, `${where}.${key}`, depth + 1)
      }
      return out
    }
    case 'undefined':
      throw invalid(`${where} is undefined`)
    default:
      throw invalid(`${where} is a ${typeof v}, which cannot be stored`)
  }
}

export function checkKey(key: string, where: string): void {
  if (key === '' || key.startsWith('$') || key.includes('.')) {
    throw invalid(`field name "${key}" in ${where} is not allowed (empty, starts with $ or contains .)`)
  }
}

export function dateToMs(d: Date, where: string): number {
  const t = d.getTime()
  if (!Number.isFinite(t)) throw invalid(`${where} is an invalid Date`)
  return t
}

/**
 * A value used inside a query: Dates become milliseconds (matching what was
 * stored), RegExps stay (mingo matches them as patterns), the rest must be
 * JSON-like.
 */
export function toQueryValue(v: unknown, depth = 0): unknown {
  if (v === null || typeof v !== 'object') {
    if (typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint') {
      throw new DbError('INVALID_QUERY', `a ${typeof v} cannot be used in a query`)
    }
    return v
  }
  if (depth > MAX_DEPTH) throw new DbError('INVALID_QUERY', 'query value nested too deeply (or circular)')
  if (isDate(v)) return v.getTime()
  if (isRegExp(v)) return v
  if (Array.isArray(v)) return v.map((x) => toQueryValue(x, depth + 1))
  if (isPlainObject(v)) {
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(v)) if (v[key] !== undefined) out[key] = toQueryValue(v[key], depth + 1)
    return out
  }
  throw new DbError('INVALID_QUERY', `a ${describe(v)} cannot be used as a query value`)
}

function describe(v: object): string {
  const ctor = (v as { constructor?: { name?: string } }).constructor
  return ctor?.name || tagOf(v).slice(8, -1)
}

function invalid(message: string): DbError {
  return new DbError('INVALID_UPDATE', message)
}

/** Ids are non-empty strings: the primary key is TEXT and pushdown relies on it. */
export function checkId(id: unknown, code: 'INVALID_QUERY' | 'INVALID_UPDATE'): string {
  if (typeof id !== 'string' || id.length === 0 || id.length > 256) {
    throw new DbError(code, `document id must be a non-empty string of at most 256 characters, got ${JSON.stringify(id)}`)
  }
  return id
}

/**
 * @cloudbase/database refuses any own `_id` key in set()/update() data, even
 * the document's own id (document.js); the id comes from doc(id).
 */
export const ID_IN_DATA = 'set()/update() data may not hold _id (CloudBase refuses it: 不能更新_id的值); the id comes from doc(id)'
