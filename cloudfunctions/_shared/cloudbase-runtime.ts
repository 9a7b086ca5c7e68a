/**
 * The CloudBase side of the runtime seam: wraps wx-server-sdk so handlers see
 * the same Database/Runtime as on the local runtime. Kept thin on purpose:
 * it only normalises where CloudBase differs from the contract in db.ts.
 */
import cloud from 'wx-server-sdk'
import type { Result } from '../../src/core/errors'
import { fail } from '../../src/core/errors'
import type { Collection, Database, DocRef, Transaction } from './db'
import { DbError } from './db'
import type { DispatchFn } from './dispatch'
import type { FileStore, Notifier, Runtime } from './runtime'

// The SDK's typings say string, but DYNAMIC_CURRENT_ENV is a symbol meaning
// "the environment this function is deployed in".
cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string })

type AnyObj = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

function isNotFound(err: unknown): boolean {
  const msg = String((err as AnyObj)?.errMsg ?? (err as Error)?.message ?? '')
  return /does not exist|not exist|cannot find document/i.test(msg)
}

function mapWriteError(err: unknown): never {
  const msg = String((err as AnyObj)?.errMsg ?? (err as Error)?.message ?? '')
  if (/duplicate|E11000/i.test(msg)) throw new DbError('DUPLICATE_ID', msg)
  throw err
}

// CloudBase rejects doc().get() for a missing id; the contract says `{ data: null }`.
function wrapDoc(ref: AnyObj): DocRef {
  return {
    get: () => ref.get().then((r: AnyObj) => ({ data: r.data ?? null }), (e: unknown) => {
      if (isNotFound(e)) return { data: null }
      throw e
    }),
    set: (o) => ref.set(o),
    update: (o) => ref.update(o),
    remove: () => ref.remove()
  }
}

function wrapCollection(raw: AnyObj): Collection {
  return new Proxy(raw, {
    get(target, prop) {
      if (prop === 'doc') return (id: string) => wrapDoc(target.doc(id))
      if (prop === 'add') return (o: AnyObj) => target.add(o).catch(mapWriteError)
      const v = target[prop as string]
      return typeof v === 'function' ? v.bind(target) : v
    }
  }) as unknown as Collection
}

export function wrapDatabase(raw: AnyObj): Database {
  return {
    command: raw.command,
    collection: (name) => wrapCollection(raw.collection(name)),
    runTransaction: (fn) =>
      raw.runTransaction(async (t: AnyObj) => {
        const tx: Transaction = {
          collection: (name) => {
            const c = t.collection(name)
            return {
              doc: (id: string) => wrapDoc(c.doc(id)),
              add: (o: AnyObj) => c.add(o).catch(mapWriteError)
            }
          }
        }
        return fn(tx)
      })
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
    if (bytes.length > maxBytes) throw new Error('file too large')
    return new Uint8Array(bytes)
  }
}

export function makeCloudbaseRuntime(): Runtime {
  const { OPENID } = cloud.getWXContext()
  return {
    db: wrapDatabase(cloud.database()),
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
