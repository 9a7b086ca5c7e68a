/**
 * The CloudBase adapter, with wx-server-sdk replaced at the true edge by the
 * thinnest stand-in that behaves as the platform does in the cases that
 * matter: a missing doc rejects, a duplicate id rejects, OPENID comes from
 * the WeChat context.
 */
const platform = {
  openid: 'wx-openid-real' as string | undefined,
  docs: new Map<string, Record<string, unknown>>(),
  sent: [] as unknown[],
  databaseCalls: 0,
  /** What the server answers the next transactional writes / commits: a CloudBase error code, or nothing. */
  writeFailures: [] as string[],
  commitFailures: [] as string[],
  callbacks: 0,
  collections: new Set<string>()
}

/**
 * CloudBase's answers, shaped as they reach the callback through
 * wx-server-sdk 4.0.2 (observed against the real SDK over HTTP): an
 * operation inside the callback rejects with an Error carrying errCode
 * -501001 (the transaction codes are missing from the SDK's TCB_ERR_CODE)
 * and errMsg "<api>:fail -501001 resource system error. <server message>",
 * no `.code`; a commit rejects with node-sdk's TcbError `{code, message}`.
 */
const SERVER_MESSAGES: Record<string, string> = {
  DATABASE_TRANSACTION_CONFLICT: '[ResourceUnavailable.TransactionConflict] Transaction is conflict, maybe resource operated by others.',
  DATABASE_TRANSACTION_FAIL: '[ResourceNotFound.TransactionNotExist] Transaction does not exist on the server',
  DATABASE_COLLECTION_NOT_EXIST: '[ResourceNotFound] Db or Table not exist.'
}
const SDK_ERR_CODES: Record<string, number> = { DATABASE_COLLECTION_NOT_EXIST: -502005 }
function opError(api: string, code: string): Error {
  const errCode = SDK_ERR_CODES[code] ?? -501001
  const text = errCode === -501001 ? 'resource system error' : 'database collection not exists'
  const e = new Error(`${api}:fail ${errCode} ${text}. ${SERVER_MESSAGES[code]}`) as Error & { errCode: number; errMsg: string }
  e.errCode = errCode
  e.errMsg = e.message
  return e
}
function tcbError(code: string): Error {
  return Object.assign(new Error(SERVER_MESSAGES[code]), { code, requestId: 'req' })
}

jest.mock('wx-server-sdk', () => {
  const fakeDb = {
    command: { marker: 'platform-command' },
    collection: (name: string) => ({
      doc: (id: string) => ({
        get: async () => {
          const d = platform.docs.get(`${name}/${id}`)
          if (!d) throw { errCode: -502001, errMsg: `document.get:fail document with _id ${id} does not exist` }
          return { data: d }
        }
      }),
      add: async ({ data }: { data: Record<string, unknown> }) => {
        const key = `${name}/${String(data._id)}`
        if (platform.docs.has(key)) throw { errCode: -502001, errMsg: 'database.add:fail E11000 duplicate key error' }
        platform.docs.set(key, data)
        return { _id: data._id }
      },
      where: (q: unknown) => ({
        limit: () => ({
          get: async () => ({
            data: [...platform.docs.values()].filter((d) => d.openid === (q as { openid: string }).openid)
          })
        })
      })
    })
  }
  // @cloudbase/database's runTransaction(callback, times = 3): retries only `.code === 'DATABASE_TRANSACTION_CONFLICT'`.
  const runTransaction = async (cb: (t: unknown) => Promise<unknown>, times = 3): Promise<unknown> => {
    const staged = new Map<string, Record<string, unknown>>()
    const t = {
      collection: (name: string) => ({
        doc: (id: string) => ({
          get: async () => ({ data: staged.get(`${name}/${id}`) ?? platform.docs.get(`${name}/${id}`) ?? null }),
          update: async ({ data }: { data: Record<string, unknown> }) => {
            const failure = platform.writeFailures.shift()
            if (failure) throw opError('document.update', failure)
            const key = `${name}/${id}`
            staged.set(key, { ...(staged.get(key) ?? platform.docs.get(key)), ...data })
            return { stats: { updated: 1 } }
          }
        })
      })
    }
    try {
      platform.callbacks++
      const result = await cb(t)
      const failure = platform.commitFailures.shift()
      if (failure) throw tcbError(failure)
      for (const [k, v] of staged) platform.docs.set(k, v)
      return result
    } catch (e) {
      if (times > 0 && (e as { code?: string }).code === 'DATABASE_TRANSACTION_CONFLICT') return runTransaction(cb, times - 1)
      throw e
    }
  }
  // wx-server-sdk's createCollection wraps node-sdk's TcbError without mapping it: `.code` stays, errCode is -1.
  const createCollection = async (name: string) => {
    if (name === 'forbidden') throw Object.assign(new Error('createCollection:fail [PermissionDenied] no permission'), { code: 'PERMISSION_DENIED', errCode: -1 })
    if (platform.collections.has(name)) {
      throw Object.assign(new Error('createCollection:fail [ResourceInUse] Table exist.'), { code: 'DATABASE_COLLECTION_ALREADY_EXIST', errCode: -1 })
    }
    platform.collections.add(name)
    return { errMsg: 'createCollection:ok' }
  }
  Object.assign(fakeDb, { runTransaction, createCollection })
  return {
    __esModule: true,
    default: {
      DYNAMIC_CURRENT_ENV: Symbol('current'),
      init: () => undefined,
      database: () => {
        platform.databaseCalls++
        return fakeDb
      },
      getWXContext: () => ({ OPENID: platform.openid }),
      openapi: {
        subscribeMessage: {
          send: async (msg: unknown) => {
            platform.sent.push(msg)
            throw { errCode: 43101, errMsg: 'user refuse to accept the msg' }
          }
        }
      }
    }
  }
})

import { backoffMs, DEFAULT_RETRY, makeCloudbaseMain, makeCloudbaseRuntime, wrapDatabase } from '../../cloudfunctions/_shared/cloudbase-runtime'
import { AppError } from '../../src/core/errors'
import { DbError } from '../../cloudfunctions/_shared/db'
import { auth } from '../../cloudfunctions/auth/src/index'
import cloud from 'wx-server-sdk'

beforeEach(() => {
  platform.docs.clear()
  platform.openid = 'wx-openid-real'
  platform.writeFailures = []
  platform.commitFailures = []
  platform.callbacks = 0
})

describe('CloudBase adapter', () => {
  it('turns a missing doc into { data: null } as the contract says', async () => {
    const db = wrapDatabase(cloud.database())
    await expect(db.collection('members').doc('nope').get()).resolves.toEqual({ data: null })
    platform.docs.set('members/a', { _id: 'a' })
    await expect(db.collection('members').doc('a').get()).resolves.toEqual({ data: { _id: 'a' } })
  })

  it('maps a duplicate id to DbError DUPLICATE_ID', async () => {
    const db = wrapDatabase(cloud.database())
    await db.collection('x').add({ data: { _id: 'k' } })
    const err = await db.collection('x').add({ data: { _id: 'k' } }).catch((e) => e)
    expect(err).toBeInstanceOf(DbError)
    expect(err.code).toBe('DUPLICATE_ID')
  })

  it('takes identity from the WeChat context and refuses dev login', async () => {
    const rt = makeCloudbaseRuntime()
    expect(rt.identity).toEqual({ openid: 'wx-openid-real', source: 'wechat' })
    expect(rt.env).toEqual({ kind: 'cloudbase', production: true })
    expect(rt.issueSessionToken).toBeUndefined()
    const main = makeCloudbaseMain(auth)
    const r = await main({ action: 'devLogin', memberId: 'm_1' })
    expect(r).toMatchObject({ ok: false, error: { code: 'NOT_AVAILABLE' } })
  })

  it('never trusts userInfo in the event', async () => {
    platform.openid = undefined
    const main = makeCloudbaseMain(auth)
    const r = await main({ action: 'whoami', userInfo: { openId: 'someone-else', appId: 'wx1' } })
    expect(r).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
  })

  it('records a refused subscribe message instead of throwing', async () => {
    const rt = makeCloudbaseRuntime()
    const outcome = await rt.notifier.sendSubscribeMessage({ openid: 'o', templateId: 't', data: { thing1: { value: 'x' } } })
    expect(outcome).toEqual({ status: 'failed', errCode: 43101, errMsg: 'user refuse to accept the msg' })
    expect(platform.sent).toHaveLength(1)
  })
})

describe('one database wrapper per instance', () => {
  it('gives every invocation the same db, so per-db caches (known aggregates) hit', () => {
    const before = platform.databaseCalls
    const a = makeCloudbaseRuntime()
    const b = makeCloudbaseRuntime()
    expect(a.db).toBe(b.db)
    expect(platform.databaseCalls - before).toBeLessThanOrEqual(1)
    expect(a.identity).toEqual(b.identity)
  })
})

describe('write conflicts in transactions', () => {
  const sleeps: number[] = []
  const db = () => wrapDatabase(cloud.database(), { sleep: async (ms) => void sleeps.push(ms), random: () => 1 })
  const bump = (t: Parameters<Parameters<ReturnType<typeof db>['runTransaction']>[0]>[0]) =>
    t.collection('aggregates').doc('agg').update({ data: { n: 2 } })
  beforeEach(() => {
    sleeps.length = 0
    platform.docs.set('aggregates/agg', { _id: 'agg', n: 1 })
  })

  it('retries the whole callback when a write inside it conflicts, with growing jittered pauses', async () => {
    platform.writeFailures = ['DATABASE_TRANSACTION_CONFLICT', 'DATABASE_TRANSACTION_CONFLICT', 'DATABASE_TRANSACTION_CONFLICT']
    await expect(db().runTransaction(async (t) => (await bump(t), 'done'))).resolves.toBe('done')
    expect(platform.callbacks).toBe(4)
    expect(sleeps).toEqual([20, 40, 80])
    expect(platform.docs.get('aggregates/agg')).toEqual({ _id: 'agg', n: 2 })
  })

  it('gives up after five attempts with DbError WRITE_CONFLICT', async () => {
    platform.writeFailures = Array(10).fill('DATABASE_TRANSACTION_CONFLICT')
    const err = await db().runTransaction(bump).catch((e) => e)
    expect(err).toBeInstanceOf(DbError)
    expect(err.code).toBe('WRITE_CONFLICT')
    expect(platform.callbacks).toBe(5)
    expect(sleeps).toHaveLength(4)
    expect(platform.docs.get('aggregates/agg')).toEqual({ _id: 'agg', n: 1 })
  })

  it('retries a conflict at commit that outlasted the SDK\'s own three retries', async () => {
    platform.commitFailures = Array(4).fill('DATABASE_TRANSACTION_CONFLICT')
    await expect(db().runTransaction(async (t) => (await bump(t), 'ok'))).resolves.toBe('ok')
    expect(platform.callbacks).toBe(5)
    expect(sleeps).toHaveLength(1)
  })

  it('never retries anything else', async () => {
    const refusal = new AppError('CONFLICT', '内容已在别处修改')
    await expect(db().runTransaction(async () => Promise.reject(refusal))).rejects.toBe(refusal)
    platform.writeFailures = ['DATABASE_COLLECTION_NOT_EXIST']
    const err = await db().runTransaction(bump).catch((e) => e)
    expect(err.errCode).toBe(-502005)
    expect(platform.callbacks).toBe(2)
    expect(sleeps).toEqual([])
  })

  it('reports an expired or aborted transaction as DbError TRANSACTION_ABORTED, once', async () => {
    platform.writeFailures = ['DATABASE_TRANSACTION_FAIL']
    const inside: unknown[] = []
    const err = await db()
      .runTransaction(async (t) => bump(t).catch((e) => Promise.reject((inside.push(e), e))))
      .catch((e) => e)
    expect(err).toBeInstanceOf(DbError)
    expect(err.code).toBe('TRANSACTION_ABORTED')
    expect(err.message).toMatch(/30 s/)
    // The callback itself already sees the typed error.
    expect(inside[0]).toBe(err)
    expect(platform.callbacks).toBe(1)
    platform.commitFailures = ['DATABASE_TRANSACTION_FAIL']
    await expect(db().runTransaction(bump)).rejects.toMatchObject({ code: 'TRANSACTION_ABORTED' })
  })

  it('backs off exponentially from 20 ms, capped at 400 ms, jittered in the upper half', () => {
    const at = (random: number) => [1, 2, 3, 4, 5, 6].map((n) => backoffMs(n, { ...DEFAULT_RETRY, random: () => random }))
    expect(at(1)).toEqual([20, 40, 80, 160, 320, 400])
    expect(at(0)).toEqual([10, 20, 40, 80, 160, 200])
  })
})

describe('createCollection', () => {
  it('creates, takes "already exists" as success, and passes other failures on', async () => {
    const db = wrapDatabase(cloud.database())
    await expect(db.createCollection('members')).resolves.toEqual({ created: true })
    await expect(db.createCollection('members')).resolves.toEqual({ created: false })
    await expect(db.createCollection('forbidden')).rejects.toThrow(/no permission/)
  })
})
