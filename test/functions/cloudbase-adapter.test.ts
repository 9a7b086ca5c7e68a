/**
 * The CloudBase adapter, with wx-server-sdk replaced at the true edge by the
 * thinnest stand-in that behaves as the platform does in the cases that
 * matter: a missing doc rejects, a duplicate id rejects, OPENID comes from
 * the WeChat context.
 */
const platform = {
  openid: 'wx-openid-real' as string | undefined,
  docs: new Map<string, Record<string, unknown>>(),
  sent: [] as unknown[]
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
  return {
    __esModule: true,
    default: {
      DYNAMIC_CURRENT_ENV: Symbol('current'),
      init: () => undefined,
      database: () => fakeDb,
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

import { makeCloudbaseMain, makeCloudbaseRuntime, wrapDatabase } from '../../cloudfunctions/_shared/cloudbase-runtime'
import { DbError } from '../../cloudfunctions/_shared/db'
import { auth } from '../../cloudfunctions/auth/src/index'
import cloud from 'wx-server-sdk'

beforeEach(() => {
  platform.docs.clear()
  platform.openid = 'wx-openid-real'
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
