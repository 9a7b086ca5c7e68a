import { mkdtempSync, rmSync } from 'fs'
import { tmpdir } from 'os'
import { join } from 'path'
import { openDatabase, type EmbeddedDatabase, type IndexSpec } from '../../server/db'

/** A fresh folder per test file, removed afterwards. */
export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`))
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

let counter = 0

/** Opens a new database file in `dir` (one per call, so tests do not share state). */
export function freshDb(dir: string, indexes?: IndexSpec, limits?: Parameters<typeof openDatabase>[0]['limits']): EmbeddedDatabase {
  return openDatabase({ file: join(dir, `db-${++counter}.sqlite`), indexes, limits })
}

export function ids(docs: Array<{ _id?: unknown }>): string[] {
  return docs.map((d) => String(d._id)).sort()
}

/** Awaits a promise expected to reject with a DbError of `code`. */
export async function expectCode(p: Promise<unknown> | (() => unknown), code: string): Promise<void> {
  try {
    await (typeof p === 'function' ? p() : p)
  } catch (e) {
    expect((e as { code?: string }).code).toBe(code)
    return
  }
  throw new Error(`expected a DbError ${code}, but it succeeded`)
}
