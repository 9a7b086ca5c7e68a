import type { StoredDoc } from '../../cloudfunctions/_shared/db'
import type { Modifier } from './update'
import { isPlainObject } from './values'

/**
 * A fast path for the update operators aggregates and counters live on
 * ($set, $unset, $inc, $mul, $min, $max). mingo's updater rebuilds its
 * operator context on every call (~70 µs), which would dominate a check-in
 * transaction; these operators are simple enough to apply directly when:
 * - every path is plain field names (no array indexes, no positional `$`),
 * - the walk meets only objects or missing fields (no arrays on the way),
 * - no path is a prefix of another (MongoDB's "conflict" error),
 * - $min/$max compare a number with a number or a string with a string.
 * Otherwise it returns undefined and the caller uses mingo, which stays the
 * reference: the update test suite checks both agree on random modifiers.
 * Returns whether the document changed.
 */
const FAST_OPS = new Set(['$set', '$unset', '$inc', '$mul', '$min', '$max'])

/** A field name: not empty, not an operator (`$`, `$[]`), not an array index. */
function plainSegment(s: string): boolean {
  return s !== '' && !s.startsWith('$') && !/^\d+$/.test(s)
}

export function tryFastUpdate(doc: StoredDoc, mod: Modifier): boolean | undefined {
  const ops = Object.keys(mod)
  if (!ops.every((op) => FAST_OPS.has(op))) return undefined
  const paths: string[] = []
  for (const op of ops) paths.push(...Object.keys(mod[op]))
  if (!paths.every((p) => p.split('.').every(plainSegment))) return undefined
  if (hasConflict(paths)) return undefined
  // Check every path first so a fallback never follows a partial change.
  for (const op of ops) {
    for (const [path, arg] of Object.entries(mod[op])) {
      const leaf = locate(doc, path)
      if (leaf === undefined) return undefined
      const cur = leaf.parent?.[leaf.key]
      if (cur === undefined) continue
      if ((op === '$inc' || op === '$mul') && typeof cur !== 'number') return undefined
      if ((op === '$min' || op === '$max') && !(typeof cur === typeof arg && (typeof arg === 'number' || typeof arg === 'string'))) {
        return undefined
      }
    }
  }
  let changed = false
  for (const op of ops) {
    for (const [path, arg] of Object.entries(mod[op])) {
      if (apply(doc, op, path, arg)) changed = true
    }
  }
  return changed
}

function hasConflict(paths: string[]): boolean {
  const sorted = paths.slice().sort()
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1]
    const b = sorted[i]
    if (a === b || b.startsWith(`${a}.`)) return true
  }
  return false
}

/**
 * Where `path` lives: its parent object (null when a parent is missing and
 * would have to be created) and last key; undefined when an array or a
 * scalar is on the way (the slow path decides what that means).
 */
function locate(doc: StoredDoc, path: string): { parent: Record<string, unknown> | null; key: string } | undefined {
  const segs = path.split('.')
  let cur: Record<string, unknown> | null = doc
  for (let i = 0; i < segs.length - 1; i++) {
    const next: unknown = cur ? cur[segs[i]] : undefined
    if (next === undefined) cur = null
    else if (isPlainObject(next)) cur = next
    else return undefined
  }
  return { parent: cur, key: segs[segs.length - 1] }
}

function parentFor(doc: StoredDoc, path: string, create: boolean): { parent: Record<string, unknown> | null; key: string } {
  const segs = path.split('.')
  let cur: Record<string, unknown> | null = doc
  for (let i = 0; i < segs.length - 1 && cur; i++) {
    let next = cur[segs[i]] as Record<string, unknown> | undefined
    if (next === undefined) {
      if (!create) return { parent: null, key: '' }
      next = {}
      cur[segs[i]] = next
    }
    cur = next
  }
  return { parent: cur, key: segs[segs.length - 1] }
}

function apply(doc: StoredDoc, op: string, path: string, arg: unknown): boolean {
  if (op === '$unset') {
    const { parent, key } = parentFor(doc, path, false)
    if (!parent || !(key in parent)) return false
    delete parent[key]
    return true
  }
  const { parent, key } = parentFor(doc, path, true) as { parent: Record<string, unknown>; key: string }
  const cur = parent[key]
  let next: unknown
  switch (op) {
    case '$set':
      if (cur !== undefined && jsonEqual(cur, arg)) return false
      parent[key] = clone(arg)
      return true
    case '$inc':
      next = cur === undefined ? arg : (cur as number) + (arg as number)
      break
    case '$mul':
      next = ((cur as number | undefined) ?? 0) * (arg as number)
      break
    case '$min':
      next = cur === undefined || (arg as number) < (cur as number) ? arg : cur
      break
    case '$max':
      next = cur === undefined || (arg as number) > (cur as number) ? arg : cur
      break
  }
  if (cur !== undefined && next === cur) return false
  parent[key] = next
  return true
}

/** Equality of JSON values, key order ignored (as mingo's isEqual). */
function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]))
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a)
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && jsonEqual(a[k], b[k]))
  }
  return false
}

/** Values from one modifier may be set on many documents (bulk update): never share them. */
function clone<T>(v: T): T {
  return v !== null && typeof v === 'object' ? (JSON.parse(JSON.stringify(v)) as T) : v
}
