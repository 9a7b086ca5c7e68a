import { openDatabase } from '../db'
import { readFunctionConfig } from './function-config'
import { databaseActions, type ActionContext } from './emulator/actions'
import { Collections } from './emulator/collections'
import { CloudbaseError } from './emulator/errors'
import { closeServer, listen, type ApiRequest, type Reply } from './emulator/http'
import { DocLocks } from './emulator/locks'
import { answerOpenApi, decodeOpenApiRequest, encodeOpenApiResponse } from './emulator/openapi'
import { SnapshotPool } from './emulator/snapshots'
import { CloudStorage } from './emulator/storage'
import { Transactions } from './emulator/transactions'

/**
 * A local CloudBase: answers the HTTP API that the real wx-server-sdk 4.0.2
 * (→ @cloudbase/node-sdk → @cloudbase/database 1.4.3) speaks, on the same
 * SQLite file the embedded database uses, with CloudBase's rules (collections
 * must exist, doc-only transactions with write locks, snapshot reads and a
 * lifetime, read limits, per-call latency). Point a process at it with `env`.
 */

export interface EmulatorOptions {
  /** SQLite file (the kind server/db openDatabase makes); may already hold data seeded through the embedded DB. */
  file: string
  /** Added before answering every call; default 10. */
  latencyMs?: number
  /** A transaction not committed within this is aborted; default 30_000. */
  txLifetimeMs?: number
  /** Default 'zbdk-emulator'. */
  envId?: string
  /**
   * The deployable functions' folder: an open API call from a function is then
   * held to that function's config.json permissions.openapi, as CloudBase does.
   */
  functionsRoot?: string
}

export interface EmulatorStats {
  /** Requests per action (`database.getDocument`, `wx.openApi`, …; storage byte transfers as `cos.put` / `cos.get`). */
  calls: Record<string, number>
  /** API requests (POST /admin), all actions together; storage byte transfers are not API calls. */
  total: number
  /** Operations (reads and writes) of each transaction, in the order they ended (committed, aborted or expired). */
  txOps: number[]
}

export interface CloudbaseEmulator {
  /** What goes into TCB_CONTEXT_CNFG.URL, e.g. http://127.0.0.1:PORT/admin */
  url: string
  /** Every env var a process needs to point the real wx-server-sdk here, except WX_OPENID (set per invocation). */
  env: Record<string, string>
  stats(): EmulatorStats
  resetStats(): void
  setLatency(ms: number): void
  /** Creates collections as the console / db.createCollection does; existing ones are left as they are. */
  createCollections(names: string[]): Promise<void>
  close(): Promise<void>
}

/** How long a plain write waits for a document an open transaction has locked. */
const LOCK_WAIT_MS = 5000

export async function startCloudbaseEmulator(opts: EmulatorOptions): Promise<CloudbaseEmulator> {
  const envId = opts.envId ?? 'zbdk-emulator'
  let latency = opts.latencyMs ?? 10
  const db = openDatabase({ file: opts.file })
  const pool = new SnapshotPool(opts.file)
  const locks = new DocLocks()
  const collections = new Collections(db)
  let calls: Record<string, number> = {}
  let total = 0
  let txOps: number[] = []
  const txs = new Transactions(db, pool, locks, {
    lifetimeMs: opts.txLifetimeMs ?? 30_000,
    envId,
    onEnd: (ops) => txOps.push(ops)
  })
  const ctx: ActionContext = { db, collections, locks, txs, envId, lockWaitMs: LOCK_WAIT_MS }
  let origin = ''
  // Cloud storage files live in a folder next to the SQLite file.
  const storage = new CloudStorage(`${opts.file}-storage`, envId, () => origin)
  const storageActions: Record<string, (p: Record<string, unknown>) => Record<string, unknown>> = {
    'storage.getUploadMetadata': (p) => storage.getUploadMetadata(p),
    'storage.batchGetDownloadUrl': (p) => storage.batchGetDownloadUrl(p),
    'storage.batchDeleteFile': (p) => storage.batchDeleteFile(p)
  }
  const count = (key: string): void => {
    calls[key] = (calls[key] ?? 0) + 1
  }

  async function api(req: ApiRequest): Promise<Reply> {
    count(req.action || '(none)')
    total++
    if (req.action === 'wx.openApi') {
      const apiName = String(req.params.apiName ?? '')
      if (opts.functionsRoot && req.fn && !readFunctionConfig(opts.functionsRoot, req.fn).openapi.includes(apiName)) {
        // What WeChat answers a function whose config.json does not list the API.
        return { raw: encodeOpenApiResponse({ errcode: -604101, errmsg: `function has no permission to call this API: ${apiName} is not in ${req.fn}/config.json permissions.openapi` }), contentType: 'application/octet-stream' }
      }
      const requestData = req.parts?.get('requestData') ?? Buffer.alloc(0)
      const answer = await answerOpenApi(db, collections, apiName, decodeOpenApiRequest(requestData))
      // Not 'application/json; charset=utf-8': node-sdk would then parse the body as JSON (its error path).
      return { raw: encodeOpenApiResponse(answer), contentType: 'application/octet-stream' }
    }
    const fileAction = storageActions[req.action]
    if (fileAction) return { json: fileAction(req.params) }
    const handler = databaseActions[req.action]
    if (!handler) throw CloudbaseError.invalidAction(req.action)
    return { json: await handler(ctx, req.params) }
  }

  let server: Awaited<ReturnType<typeof listen>>
  try {
    server = await listen({
      api,
      async other(method, u, body, headers) {
        const reply = storage.serve(method, u, body, headers)
        // The byte transfers go to COS, not the CloudBase API: counted apart from `total`.
        if (reply) count(`cos.${method.toLowerCase()}`)
        return reply
      },
      latencyMs: () => latency
    })
  } catch (e) {
    pool.close()
    db.close()
    throw e
  }
  origin = `http://127.0.0.1:${server.port}`
  const url = `${origin}/admin`
  let closed = false

  return {
    url,
    env: {
      TCB_CONTEXT_CNFG: JSON.stringify({ URL: url }),
      TCB_ENV: envId,
      SCF_NAMESPACE: envId,
      // As inside a deployed function: node-sdk then takes the env id from TCB_ENV and
      // skips probing Tencent's metadata server on every request.
      TENCENTCLOUD_RUNENV: 'SCF',
      TENCENTCLOUD_REGION: 'ap-shanghai',
      TENCENTCLOUD_SECRETID: 'emulator-secret-id',
      TENCENTCLOUD_SECRETKEY: 'emulator-secret-key',
      TENCENTCLOUD_SESSIONTOKEN: 'emulator-session-token',
      WX_CONTEXT_KEYS: 'WX_OPENID,WX_APPID',
      WX_APPID: 'wx00emulator0000'
    },
    stats: () => ({ calls: { ...calls }, total, txOps: [...txOps] }),
    resetStats: () => {
      calls = {}
      total = 0
      txOps = []
    },
    setLatency: (ms) => {
      latency = Math.max(0, ms)
    },
    async createCollections(names) {
      for (const n of names) if (!collections.exists(n)) await collections.create(n)
    },
    async close() {
      if (closed) return
      closed = true
      await closeServer(server.server)
      txs.closeAll()
      pool.close()
      db.close()
    }
  }
}
