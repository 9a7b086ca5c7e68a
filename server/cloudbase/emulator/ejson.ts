import { CloudbaseError } from './errors'

/**
 * The wire format of @cloudbase/database: every query, update and document
 * travels as a string made by bson's `EJSON.stringify(value, { relaxed: false })`
 * (canonical Extended JSON), so numbers arrive as `{"$numberInt":"1"}`, dates
 * as `{"$date":{"$numberLong":"…"}}`, regexps as `{"$regularExpression":…}`
 * and `db.serverDate()` as `{"$tcb_server_date":{"offset":…}}`.
 *
 * A small decoder for exactly those forms, rather than bson itself: bson is
 * not a dependency of this project (only of the SDK), and its relaxed parse
 * would hand back BSONRegExp / Long objects that the embedded database
 * (mingo) does not understand.
 */

type Json = null | boolean | number | string | Json[] | { [k: string]: Json }

/** Parses an EJSON string (or an already parsed value) into plain JS values. */
export function decodeEJSON(input: unknown, what = 'value'): unknown {
  if (typeof input === 'string') {
    let parsed: Json
    try {
      parsed = JSON.parse(input) as Json
    } catch {
      throw CloudbaseError.invalidParam(`${what} is not valid JSON`)
    }
    return decodeValue(parsed)
  }
  return decodeValue(input as Json)
}

function decodeValue(v: Json): unknown {
  if (v === null || typeof v !== 'object') return v
  if (Array.isArray(v)) return v.map(decodeValue)
  const keys = Object.keys(v)
  if (keys.length >= 1 && keys.length <= 2 && keys[0].startsWith('$')) {
    const special = decodeWrapper(v, keys)
    if (special !== NOT_SPECIAL) return special
  }
  const out: Record<string, unknown> = {}
  for (const k of keys) {
    const d = decodeValue(v[k])
    if (d !== undefined) out[k] = d
  }
  return out
}

const NOT_SPECIAL = Symbol('not special')

function decodeWrapper(v: { [k: string]: Json }, keys: string[]): unknown {
  const [k] = keys
  const x = v[k]
  if (keys.length === 2) {
    // Legacy EJSON regexp: { $regex, $options } (also MongoDB's own query spelling).
    if (k === '$regex' && keys[1] === '$options' && typeof x === 'string' && typeof v.$options === 'string') {
      return makeRegExp(x, v.$options)
    }
    return NOT_SPECIAL
  }
  switch (k) {
    case '$numberInt':
    case '$numberLong':
    case '$numberDecimal':
      if (typeof x === 'string') return Number(x)
      break
    case '$numberDouble':
      if (typeof x === 'string') return x === 'Infinity' ? Infinity : x === '-Infinity' ? -Infinity : Number(x)
      break
    case '$date':
      return decodeDate(x)
    case '$regularExpression':
      if (x && typeof x === 'object' && !Array.isArray(x) && typeof x.pattern === 'string') {
        return makeRegExp(x.pattern, typeof x.options === 'string' ? x.options : '')
      }
      break
    case '$tcb_server_date': {
      // db.serverDate({ offset }): the server's clock plus offset milliseconds.
      const offset = x && typeof x === 'object' && !Array.isArray(x) ? Number(decodeValue(x.offset ?? 0)) : 0
      return new Date(Date.now() + (Number.isFinite(offset) ? offset : 0))
    }
    case '$oid':
      // ObjectIds never reach the embedded store (ids are strings there); keep the hex.
      if (typeof x === 'string') return x
      break
    case '$undefined':
      return undefined
    case '$binary':
    case '$timestamp':
    case '$minKey':
    case '$maxKey':
    case '$symbol':
    case '$code':
    case '$dbPointer':
      throw CloudbaseError.invalidParam(`EJSON type ${k} is not supported by this emulator`)
    default:
      return NOT_SPECIAL
  }
  throw CloudbaseError.invalidParam(`malformed EJSON ${k}`)
}

function decodeDate(x: Json): Date {
  let ms: number
  if (typeof x === 'string') ms = Date.parse(x)
  else if (typeof x === 'number') ms = x
  else if (x && typeof x === 'object' && !Array.isArray(x) && typeof x.$numberLong === 'string') ms = Number(x.$numberLong)
  else ms = NaN
  if (!Number.isFinite(ms)) throw CloudbaseError.invalidParam('malformed EJSON $date')
  return new Date(ms)
}

function makeRegExp(pattern: string, options: string): RegExp {
  // MongoDB flags i, m, s, x, u; JavaScript has no x (extended), so drop it.
  const flags = [...new Set(options.replace(/[^imsu]/g, ''))].join('')
  try {
    return new RegExp(pattern, flags)
  } catch (e) {
    throw CloudbaseError.invalidParam(`invalid regular expression: ${(e as Error).message}`)
  }
}

/**
 * A stored document as the SDK expects it in `data.list`: a string it
 * passes to `EJSON.parse`. Stored documents are plain JSON (the embedded
 * store keeps dates as epoch milliseconds), which is valid relaxed EJSON.
 */
export function encodeDoc(doc: unknown): string {
  return JSON.stringify(doc)
}
