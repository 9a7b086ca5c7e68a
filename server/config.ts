import { randomBytes } from 'crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'fs'
import { join, resolve } from 'path'

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
    seedDemo: !production && env.ZBDK_SEED !== '0'
  }
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
