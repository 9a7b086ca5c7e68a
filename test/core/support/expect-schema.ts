import type { z } from '../../../src/core/zod'

/** Parses and fails the test with zod's own explanation when the document is refused. */
export function expectAccepts(schema: z.ZodType, doc: unknown): void {
  const r = schema.safeParse(doc)
  if (!r.success) throw new Error(`expected acceptance, got: ${JSON.stringify(r.error.issues, null, 1)}`)
}

/**
 * Expects a refusal, and (when given) an issue at `path`, so a test cannot
 * pass because some other, unrelated field happened to be wrong.
 */
export function expectRejects(schema: z.ZodType, doc: unknown, path?: string): void {
  const r = schema.safeParse(doc)
  if (r.success) throw new Error(`expected refusal of ${JSON.stringify(doc).slice(0, 200)}`)
  if (path !== undefined) {
    const paths = r.error.issues.map((i) => i.path.map(String).join('.'))
    if (!paths.includes(path)) throw new Error(`expected an issue at "${path}", got ${JSON.stringify(paths)}`)
  }
}

/** A copy of `doc` with one field replaced or (value undefined) removed. */
export function withField<T extends object>(doc: T, key: string, value: unknown): T {
  const copy = { ...doc } as Record<string, unknown>
  if (value === undefined) delete copy[key]
  else copy[key] = value
  return copy as T
}
