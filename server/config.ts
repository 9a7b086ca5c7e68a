import { randomBytes } from 'crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'fs'
import { join, resolve } from 'path'
import { MIN_SECRET_CHARS, SECRET_ENV } from '../cloudfunctions/_shared/checkin-token'
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
  /** Per-address rate limits (on unless `ZBDK_ADDRESS_LIMITS=off`, which benchmarks use; refused in production). */
  addressLimits: boolean
  /** `ZBDK_TRUST_PROXY=1`: behind a reverse proxy, the client's address is X-Forwarded-For's (per-address limits). */
  trustProxy: boolean
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
    clock: clockFrom(env, production),
    addressLimits: addressLimitsFrom(env, production),
    trustProxy: env.ZBDK_TRUST_PROXY === '1'
  }
}

function addressLimitsFrom(env: Record<string, string | undefined>, production: boolean): boolean {
  if (env.ZBDK_ADDRESS_LIMITS !== 'off') return true
  if (production) throw new Error('ZBDK_ADDRESS_LIMITS=off is for benchmarks only; unset it when ZBDK_PRODUCTION=1')
  return false
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

/**
 * The local server signs session tokens with its secret: anyone who guesses
 * it logs in as anyone. 32 bytes (256 bits, the HMAC-SHA256 key size) at
 * least; the check-in QR signer's own floor (checkin-token.ts, shared with
 * CloudBase deployments) is the lower one it applies everywhere.
 */
export const MIN_SESSION_SECRET_BYTES = 32

export function requireSessionSecret(secret: string, from = SECRET_ENV): string {
  const bytes = typeof secret === 'string' ? Buffer.byteLength(secret.trim(), 'utf8') : 0
  if (bytes < Math.max(MIN_SESSION_SECRET_BYTES, MIN_SECRET_CHARS)) {
    throw new Error(
      `${from} is too short (${bytes} bytes): the signing secret must be at least ${MIN_SESSION_SECRET_BYTES} bytes of random characters, e.g. \`openssl rand -hex 32\``
    )
  }
  return secret
}

/** The signing secret lives in the data folder so tokens survive restarts. */
export function loadOrCreateSecret(dataDir: string, env: Record<string, string | undefined> = process.env): string {
  if (env.ZBDK_SECRET) return requireSessionSecret(env.ZBDK_SECRET)
  mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  const file = join(dataDir, 'secret.key')
  if (existsSync(file)) return requireSessionSecret(readFileSync(file, 'utf8').trim(), file)
  const secret = randomBytes(32).toString('hex')
  writeFileSync(file, secret + '\n', { mode: 0o600 })
  return secret
}
