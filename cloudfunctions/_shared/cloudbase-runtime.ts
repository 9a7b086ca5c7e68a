/**
 * The CloudBase side of the runtime seam: wraps wx-server-sdk so handlers see
 * the same Database/Runtime as on the local runtime. Kept thin on purpose:
 * it only normalises where CloudBase differs from the contract in db.ts.
 */
import { randomBytes } from 'crypto'
import cloud from 'wx-server-sdk'
import type { Result } from '../../src/core/errors'
import { AppError, fail } from '../../src/core/errors'
import type { Collection, Database, DocRef, Transaction } from './db'
import { DbError } from './db'
import type { DispatchFn } from './dispatch'
import { FILE_TOO_LARGE, type FileStore, type Notifier, type Runtime } from './runtime'

// The SDK's typings say string, but DYNAMIC_CURRENT_ENV is a symbol meaning
// "the environment this function is deployed in".
cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string })

type AnyObj = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

const messageOf = (err: unknown): string => String((err as AnyObj)?.errMsg ?? (err as Error)?.message ?? err ?? '')

// wx-server-sdk rejects doc().get() of a missing id with "document.get:fail
// document with _id … does not exist". Only that text: a transaction the
// server no longer knows also says "does not exist" and must not read as an
// empty document.
function isNotFound(err: unknown): boolean {
  return /document with _id .* does not exist|cannot find document/i.test(messageOf(err))
}

// CloudBase's transaction failures, as they reach us (see isWriteConflict).
const SYS_ERR = -501001
const CONFLICT_CODE = 'DATABASE_TRANSACTION_CONFLICT'
const GONE_CODE = 'DATABASE_TRANSACTION_FAIL'

/**
 * A write conflict: another open transaction holds a document this one
 * writes. The server answers `{code: 'DATABASE_TRANSACTION_CONFLICT',
 * message}`; node-sdk throws that as a TcbError with `.code`, and
 * wx-server-sdk, for an operation inside the callback, turns it into an
 * Error with `errCode: -501001` (the string is missing from its TCB_ERR_CODE
 * table, so SYS_ERR) and `errMsg: 'document.update:fail -501001 resource
 * system error. <server message>'`, dropping `.code`. The server message
 * names the conflict (the emulator answers "[ResourceUnavailable.
 * TransactionConflict] Transaction is conflict, …"). The SDK does not retry
 * it: runTransaction rejects with that same Error after one run of the
 * callback. A conflict at commit keeps `.code` (the SDK retries those three
 * times itself, then rejects with the TcbError: `{code, message, requestId}`,
 * no errCode). Both checked against the real wx-server-sdk 4.0.2 over HTTP.
 */
export function isWriteConflict(err: unknown): boolean {
  const e = err as AnyObj
  if (e?.code === CONFLICT_CODE) return true
  // Any SYS_ERR that speaks of a conflict: the server's exact wording is not documented.
  return e?.errCode === SYS_ERR && /conflict|冲突/i.test(messageOf(err))
}

/** The transaction is gone: past its 30 s, aborted by the server, or unknown (DATABASE_TRANSACTION_FAIL). */
export function isTransactionGone(err: unknown): boolean {
  const e = err as AnyObj
  if (e?.code === GONE_CODE) return true
  return e?.errCode === SYS_ERR && /TransactionNotExist|transaction does not exist|transaction not exist|DATABASE_TRANSACTION_FAIL|事务不存在/i.test(messageOf(err))
}

/**
 * createCollection of an existing name. wx-server-sdk wraps this call's
 * TcbError without mapping it, so `.code` survives (errCode -1) next to
 * "createCollection:fail <server message>".
 */
function alreadyExists(err: unknown): boolean {
  const e = err as AnyObj
  return /ALREADY_EXIST/i.test(String(e?.code ?? '')) || /already exists?|table exist|collection exist|ResourceInUse|已存在/i.test(messageOf(err))
}

/** CloudBase's failures that the contract names, as DbErrors; anything else unchanged. */
function toDbError(err: unknown): unknown {
  if (err instanceof DbError) return err
  if (isWriteConflict(err)) return new DbError('WRITE_CONFLICT', `write conflict with another transaction: ${messageOf(err)}`)
  if (isTransactionGone(err)) {
    return new DbError('TRANSACTION_ABORTED', `the transaction expired or was aborted by CloudBase (it must commit within 30 s): ${messageOf(err)}`)
  }
  if (/duplicate|E11000/i.test(messageOf(err))) return new DbError('DUPLICATE_ID', messageOf(err))
  return err
}

const rethrow = (err: unknown): never => {
  throw toDbError(err)
}

// CloudBase rejects doc().get() for a missing id; the contract says `{ data: null }`.
function wrapDoc(ref: AnyObj): DocRef {
  return {
    get: () => ref.get().then((r: AnyObj) => ({ data: r.data ?? null }), (e: unknown) => (isNotFound(e) ? { data: null } : rethrow(e))),
    set: (o) => ref.set(o).catch(rethrow),
    update: (o) => ref.update(o).catch(rethrow),
    remove: () => ref.remove().catch(rethrow)
  }
}

function wrapCollection(raw: AnyObj): Collection {
  return new Proxy(raw, {
    get(target, prop) {
      if (prop === 'doc') return (id: string) => wrapDoc(target.doc(id))
      if (prop === 'add') return (o: AnyObj) => target.add(o).catch(rethrow)
      const v = target[prop as string]
      return typeof v === 'function' ? v.bind(target) : v
    }
  }) as unknown as Collection
}

function wrapTransaction(t: AnyObj): Transaction {
  return {
    collection: (name) => {
      const c = t.collection(name)
      return { doc: (id: string) => wrapDoc(c.doc(id)), add: (o: AnyObj) => c.add(o).catch(rethrow) }
    }
  }
}

/**
 * Whole-callback retries on write conflicts. The SDK's own runTransaction
 * retries only errors whose `.code` is the conflict string, which
 * wx-server-sdk strips from every operation inside the callback, so a
 * branch checking in at once would otherwise see its conflicts as failures.
 */
export interface RetryPolicy {
  attempts: number
  minDelayMs: number
  maxDelayMs: number
  sleep: (ms: number) => Promise<void>
  random: () => number
}

export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 5,
  minDelayMs: 20,
  maxDelayMs: 400,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random
}

/** Exponential (20, 40, 80, … up to 400 ms) with the upper half jittered, so colliding callers spread out. */
export function backoffMs(retry: number, p: RetryPolicy = DEFAULT_RETRY): number {
  const cap = Math.min(p.maxDelayMs, p.minDelayMs * 2 ** (retry - 1))
  return Math.round(cap / 2 + (p.random() * cap) / 2)
}

export function wrapDatabase(raw: AnyObj, retry: Partial<RetryPolicy> = {}): Database {
  const policy = { ...DEFAULT_RETRY, ...retry }
  return {
    command: raw.command,
    collection: (name) => wrapCollection(raw.collection(name)),
    async createCollection(name) {
      try {
        await raw.createCollection(name)
        return { created: true }
      } catch (err) {
        if (alreadyExists(err)) return { created: false }
        throw err
      }
    },
    async runTransaction(fn) {
      for (let attempt = 1; ; attempt++) {
        try {
          return await raw.runTransaction((t: AnyObj) => fn(wrapTransaction(t)))
        } catch (err) {
          const mapped = toDbError(err)
          const conflict = mapped instanceof DbError && mapped.code === 'WRITE_CONFLICT'
          if (!conflict) throw mapped
          if (attempt >= policy.attempts) throw new DbError('WRITE_CONFLICT', `${(mapped as DbError).message} (gave up after ${attempt} attempts)`)
          await policy.sleep(backoffMs(attempt, policy))
        }
      }
    }
  }
}

const notifier: Notifier = {
  async sendSubscribeMessage(msg) {
    try {
      await cloud.openapi.subscribeMessage.send({
        touser: msg.openid,
        templateId: msg.templateId,
        page: msg.page,
        data: msg.data
      })
      return { status: 'sent' }
    } catch (err) {
      const e = err as AnyObj
      return { status: 'failed', errCode: Number(e?.errCode ?? -1), errMsg: String(e?.errMsg ?? e?.message ?? err) }
    }
  }
}

/** Not testable here (no cloud): kept to the two SDK calls each direction needs. */
const files: FileStore = {
  async put(file) {
    const cloudPath = `exports/${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}/${file.name}`
    const { fileID } = await cloud.uploadFile({ cloudPath, fileContent: Buffer.from(file.bytes) })
    const maxAge = 60 * 60
    const res = (await cloud.getTempFileURL({ fileList: [{ fileID, maxAge }] } as never)) as AnyObj
    return { url: String(res?.fileList?.[0]?.tempFileURL ?? ''), expiresAt: Date.now() + maxAge * 1000 }
  },
  async read(fileId, maxBytes) {
    const { fileContent } = await cloud.downloadFile({ fileID: fileId })
    const bytes = fileContent as Buffer
    if (bytes.length > maxBytes) throw new AppError('INVALID_INPUT', '文件太大', { reason: FILE_TOO_LARGE })
    return new Uint8Array(bytes)
  },
  async keep(file) {
    const cloudPath = `${file.folder}/${randomBytes(12).toString('hex')}-${file.name}`
    const { fileID } = await cloud.uploadFile({ cloudPath, fileContent: Buffer.from(file.bytes) })
    return { fileId: fileID }
  },
  async urls(fileIds, maxAgeMs) {
    if (fileIds.length === 0) return {}
    const maxAge = Math.ceil(maxAgeMs / 1000)
    const res = (await cloud.getTempFileURL({ fileList: fileIds.map((fileID) => ({ fileID, maxAge })) } as never)) as AnyObj
    const out: Record<string, string> = {}
    for (const f of (res?.fileList ?? []) as AnyObj[]) if (f?.status === 0 && f.tempFileURL) out[String(f.fileID)] = String(f.tempFileURL)
    return out
  },
  async remove(fileIds) {
    if (fileIds.length > 0) await cloud.deleteFile({ fileList: [...fileIds] })
  }
}

// One wrapper per instance: module-level caches keyed on the database
// handle (the known-aggregates set in tally.ts) only hit when every
// invocation of this instance sees the same object.
let instanceDb: Database | null = null
function databaseOfInstance(): Database {
  instanceDb ??= wrapDatabase(cloud.database())
  return instanceDb
}

export function makeCloudbaseRuntime(): Runtime {
  const { OPENID } = cloud.getWXContext()
  return {
    db: databaseOfInstance(),
    identity: OPENID ? { openid: OPENID, source: 'wechat' } : { openid: null, source: 'none' },
    clock: { now: () => Date.now() },
    notifier,
    files,
    env: { kind: 'cloudbase', production: true },
    // Set in each function's environment variables at deploy time.
    secret: process.env.ZBDK_SECRET ?? '',
    log: (level, msg, extra) => console[level](msg, extra ?? '')
  }
}

export function makeCloudbaseMain(handler: DispatchFn) {
  return async (event: unknown): Promise<Result<unknown>> => {
    try {
      return await handler(makeCloudbaseRuntime(), event)
    } catch (err) {
      console.error(err)
      return fail('INTERNAL')
    }
  }
}
