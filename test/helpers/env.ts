import { mkdtempSync, rmSync } from 'fs'
import { tmpdir } from 'os'
import { join } from 'path'
import type { Result } from '../../src/core/errors'
import type { Database } from '../../cloudfunctions/_shared/db'
import type { Identity } from '../../cloudfunctions/_shared/runtime'
import { openDatabase } from '../../server/db'
import { getFunction } from '../../server/functions'
import { makeLocalRuntime } from '../../server/local-runtime'
import { seedDemoData } from '../../server/seed'
import { copySeeded } from './seed-template'

export const TEST_SECRET = 'test-secret-0123456789abcdef-0123456789abcdef'

/** A clock the test moves by hand. */
export function manualClock(start = Date.parse('2026-11-20T02:00:00Z')) {
  let now = start
  return { now: () => now, set: (t: number) => void (now = t), advance: (ms: number) => void (now += ms) }
}

export type Caller = string | null | Identity

/**
 * A real SQLite file in a temp folder, seeded with the demo organisation, and
 * a `call` that runs the same handlers the server runs, as a given member.
 */
export async function makeTestEnv(opts: { seed?: boolean; production?: boolean; wrapDb?: (db: Database) => Database } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'zbdk-test-'))
  const file = join(dir, 'test.sqlite')
  const clock = manualClock()
  const seed = opts.seed !== false
  const copied = seed && (await copySeeded(file, clock.now()))
  const db = openDatabase({ file })
  // Handlers see the wrapped database (e.g. a call counter); fixtures written through env.db are not counted.
  const handlerDb = opts.wrapDb ? opts.wrapDb(db) : db
  if (seed && !copied) await seedDemoData(db, clock.now())
  const identityOf = (as: Caller): Identity => {
    if (as === null) return { openid: null, source: 'none' }
    if (typeof as === 'object') return as
    return { openid: `dev_${as}`, source: 'local-token' }
  }
  async function call<T = unknown>(fn: string, action: string, input: Record<string, unknown> = {}, as: Caller = null): Promise<Result<T>> {
    const handler = getFunction(fn)
    if (!handler) throw new Error(`no function ${fn}`)
    const rt = makeLocalRuntime({ db: handlerDb, secret: TEST_SECRET, production: opts.production ?? false, clock, log: () => undefined, filesDir: join(dir, 'files') }, identityOf(as))
    return (await handler(rt, { action, ...input })) as Result<T>
  }
  return {
    dir,
    db,
    clock,
    call,
    close() {
      db.close()
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

export type TestEnv = Awaited<ReturnType<typeof makeTestEnv>>

export function expectOk<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`)
  return r.data
}

export function expectFail(r: Result<unknown>, code: string): { code: string; message: string; details?: Record<string, unknown> } {
  if (r.ok) throw new Error(`expected ${code}, got ok: ${JSON.stringify(r.data).slice(0, 200)}`)
  if (r.error.code !== code) throw new Error(`expected ${code}, got ${r.error.code}: ${r.error.message}`)
  return r.error
}
