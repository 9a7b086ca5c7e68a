import { randomBytes } from 'crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'fs'
import { join, resolve } from 'path'
import type { Clock } from '../cloudfunctions/_shared/runtime'

export const REPO_ROOT = resolve(__dirname, '..')

export interface ServerConfig {
  dataDir: string
  dbFile: string
  host: string
  port: number
  /** Production refuses dev login and demo seeding. */
  production: boolean
  staticDir: string
  seedDemo: boolean
  /** The clock everything runs on: the wall clock, or one shifted to `ZBDK_NOW` (tests, demos of a given day). */
  clock: Clock
}

/** Everything comes from the environment with defaults that work on a fresh clone. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const dataDir = resolve(env.ZBDK_DATA_DIR || join(REPO_ROOT, '.data'))
  const production = env.ZBDK_PRODUCTION === '1'
  return {
    dataDir,
    dbFile: join(dataDir, 'zbdk.sqlite'),
    host: env.HOST || '127.0.0.1',
    port: env.PORT ? Number(env.PORT) : 8787,
    production,
    staticDir: resolve(env.ZBDK_STATIC_DIR || join(REPO_ROOT, 'dist', 'h5')),
    seedDemo: !production && env.ZBDK_SEED !== '0',
    clock: clockFrom(env, production)
  }
}

/**
 * `ZBDK_NOW` (an ISO time or epoch ms) starts the server's clock at that
 * instant and lets it run on, so the browser tests and the demo seed see the
 * same day whatever the real date is (a suite that passed in November must
 * not fail in December). `ZBDK_NOW_AT` (epoch ms) says at which real instant
 * `ZBDK_NOW` held, so a test process and the server it spawned agree to the
 * millisecond; without it, the server's start. Refused in production: a
 * server there must never run on a made-up time.
 */
export function clockFrom(env: Record<string, string | undefined>, production: boolean, realNow: () => number = Date.now): Clock {
  if (!env.ZBDK_NOW) return { now: realNow }
  if (production) throw new Error('ZBDK_NOW is for tests and demos only; unset it when ZBDK_PRODUCTION=1')
  const start = parseInstant(env.ZBDK_NOW, 'ZBDK_NOW')
  const anchor = env.ZBDK_NOW_AT ? parseInstant(env.ZBDK_NOW_AT, 'ZBDK_NOW_AT') : realNow()
  const offset = start - anchor
  return { now: () => realNow() + offset }
}

function parseInstant(text: string, name: string): number {
  const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text)
  if (!Number.isFinite(ms)) throw new Error(`${name} must be an ISO time (2026-06-15T10:00:00+08:00) or epoch milliseconds, got ${JSON.stringify(text)}`)
  return ms
}

/** The signing secret lives in the data folder so tokens survive restarts. */
export function loadOrCreateSecret(dataDir: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.ZBDK_SECRET) return env.ZBDK_SECRET
  mkdirSync(dataDir, { recursive: true })
  const file = join(dataDir, 'secret.key')
  if (existsSync(file)) return readFileSync(file, 'utf8').trim()
  const secret = randomBytes(32).toString('hex')
  writeFileSync(file, secret + '\n', { mode: 0o600 })
  return secret
}
