import type { Database } from '../cloudfunctions/_shared/db'
import { tmpdir } from 'os'
import { join } from 'path'
import type { Clock, FileStore, Identity, Notifier, Runtime } from '../cloudfunctions/_shared/runtime'
import { localFileStore } from './file-store'
import { signToken } from './token'

export interface LocalRuntimeDeps {
  db: Database
  secret: string
  production: boolean
  clock?: Clock
  notifier?: Notifier
  log?: Runtime['log']
  /** Where generated files go (the data folder's `files`); a temp folder when not given. */
  filesDir?: string
  files?: FileStore
}

export const systemClock: Clock = { now: () => Date.now() }

/**
 * Locally there is no WeChat to deliver subscribe messages: each one is kept
 * in an outbox collection so the secretary's delivery log and tests can see
 * exactly what would have been sent.
 */
export function outboxNotifier(db: Database, clock: Clock): Notifier {
  return {
    async sendSubscribeMessage(msg) {
      await db.collection('wechat_outbox').add({ data: { ...msg, at: clock.now() } })
      return { status: 'logged' }
    }
  }
}

export function consoleLog(level: 'info' | 'warn' | 'error', msg: string, extra?: Record<string, unknown>): void {
  const line = extra ? `${msg} ${JSON.stringify(extra)}` : msg
  if (level === 'error') console.error(line)
  else if (level === 'warn') console.warn(line)
  else console.log(line)
}

/** One runtime per request: the identity is the request's, the rest is shared. */
export function makeLocalRuntime(deps: LocalRuntimeDeps, identity: Identity): Runtime {
  const clock = deps.clock ?? systemClock
  return {
    db: deps.db,
    identity,
    clock,
    notifier: deps.notifier ?? outboxNotifier(deps.db, clock),
    files: deps.files ?? localFileStore(deps.filesDir ?? join(tmpdir(), 'zbdk-files'), clock),
    env: { kind: 'local', production: deps.production },
    secret: deps.secret,
    issueSessionToken: deps.production ? undefined : (openid) => signToken(deps.secret, openid, clock.now()),
    log: deps.log ?? consoleLog
  }
}
