import type { FastifyInstance } from 'fastify'
import { mkdtempSync, rmSync } from 'fs'
import { tmpdir } from 'os'
import { join } from 'path'
import { buildApp } from '../../server/app'
import { FILE_TTL_MS, localFileStore } from '../../server/file-store'
import { DEMO_PEOPLE } from '../../server/seed/people'
import { signToken } from '../../server/token'
import { makeTestEnv, TEST_SECRET, type TestEnv } from '../helpers/env'

let env: TestEnv
let app: FastifyInstance
let base: string

// Real HTTP over a socket (not fastify.inject): what a browser does.
beforeAll(async () => {
  env = await makeTestEnv()
  app = await buildApp({ db: env.db, secret: TEST_SECRET, production: false, clock: env.clock, quiet: true })
  base = await app.listen({ host: '127.0.0.1', port: 0 })
})
afterAll(async () => {
  await app.close()
  env.close()
})

async function post(fn: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}/api/${fn}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body)
  })
  return { status: res.status, body: (await res.json()) as { ok: boolean; data?: any; error?: { code: string; message: string } } } // eslint-disable-line @typescript-eslint/no-explicit-any
}

async function login(memberId: string): Promise<string> {
  const r = await post('auth', { action: 'devLogin', memberId })
  expect(r.status).toBe(200)
  return r.body.data.token
}

describe('POST /api/<fn>', () => {
  it('logs in and answers whoami with the bearer token', async () => {
    const token = await login(DEMO_PEOPLE.member1)
    const r = await post('auth', { action: 'whoami' }, { authorization: `Bearer ${token}` })
    expect(r.status).toBe(200)
    expect(r.body.data.me.member._id).toBe(DEMO_PEOPLE.member1)
  })

  it('answers bad, expired and missing tokens with FORBIDDEN, not a crash', async () => {
    const cases: Array<[string | undefined, string]> = [
      [undefined, '请先登录'],
      ['Bearer not-a-token', '请先登录'],
      ['Basic abc', '请先登录'],
      [`Bearer ${signToken('another-secret', `dev_${DEMO_PEOPLE.admin}`, env.clock.now()).token}`, '请先登录'],
      [`Bearer ${signToken(TEST_SECRET, `dev_${DEMO_PEOPLE.admin}`, env.clock.now() - 10 * 86400000, 1000).token}`, '登录已过期，请重新登录'],
      [`Bearer ${'x'.repeat(5000)}`, '请先登录']
    ]
    for (const [header, message] of cases) {
      const r = await post('auth', { action: 'whoami' }, header ? { authorization: header } : {})
      expect([header?.slice(0, 20), r.status, r.body.error]).toEqual([header?.slice(0, 20), 403, { code: 'FORBIDDEN', message, details: { login: true } }])
    }
  })

  it('a tampered token payload is refused', async () => {
    const token = await login(DEMO_PEOPLE.member1)
    const [, sig] = token.split('.')
    const forged = Buffer.from(JSON.stringify({ sub: `dev_${DEMO_PEOPLE.admin}`, iat: 0, exp: 9e15 })).toString('base64url')
    const r = await post('auth', { action: 'whoami' }, { authorization: `Bearer ${forged}.${sig}` })
    expect(r.status).toBe(403)
  })

  it('maps every kind of bad request to the contract', async () => {
    const token = await login(DEMO_PEOPLE.admin)
    const auth = { authorization: `Bearer ${token}` }
    const cases: Array<[string, unknown, number, string]> = [
      ['auth', '{"action": "whoami"', 400, 'INVALID_INPUT'],
      ['auth', '', 400, 'INVALID_INPUT'],
      ['auth', '[]', 400, 'INVALID_INPUT'],
      ['auth', '"whoami"', 400, 'INVALID_INPUT'],
      ['auth', '{"__proto__": {"x": 1}, "action": "whoami"}', 400, 'INVALID_INPUT'],
      ['auth', {}, 400, 'INVALID_INPUT'],
      ['auth', { action: 7 }, 400, 'INVALID_INPUT'],
      ['auth', { action: 'fly' }, 400, 'INVALID_INPUT'],
      ['org', { action: 'members' }, 400, 'INVALID_INPUT'],
      ['org', { action: 'members', branchId: ['br_1'] }, 400, 'INVALID_INPUT'],
      ['nosuch', { action: 'x' }, 404, 'NOT_FOUND'],
      ['__proto__', { action: 'x' }, 404, 'NOT_FOUND'],
      ['toString', { action: 'x' }, 404, 'NOT_FOUND']
    ]
    for (const [fn, body, status, code] of cases) {
      const r = await post(fn, body, auth)
      expect([fn, body, r.status, r.body.ok, r.body.error?.code]).toEqual([fn, body, status, false, code])
      expect(typeof r.body.error?.message).toBe('string')
    }
  })

  it('refuses a 10 MB body with PAYLOAD_TOO_LARGE and writes nothing', async () => {
    const before = (await env.db.collection('members').count()).total
    const huge = JSON.stringify({ action: 'joinBranch', inviteCode: 'DEMO0001', name: '甲'.repeat(10 * 1024 * 1024 / 3) })
    const r = await post('auth', huge, { authorization: `Bearer ${signToken(TEST_SECRET, 'wx-someone', env.clock.now()).token}` })
    expect(r.status).toBe(413)
    expect(r.body.error?.code).toBe('PAYLOAD_TOO_LARGE')
    expect((await env.db.collection('members').count()).total).toBe(before)
  })

  it('refuses other content types and methods in the contract', async () => {
    const text = await fetch(`${base}/api/auth`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'action=whoami' })
    expect(text.status).toBe(400)
    expect((await text.json()).error.code).toBe('INVALID_INPUT')
    const get = await fetch(`${base}/api/auth`)
    expect(get.status).toBe(404)
    expect((await get.json()).error.code).toBe('NOT_FOUND')
  })

  it('takes up to 4 MB only for the org and session functions (roster files, meeting photos); 1 MB elsewhere is still too large', async () => {
    const token = await login(DEMO_PEOPLE.admin)
    const oneMb = 'a'.repeat(1024 * 1024)
    const other = await post('note', { action: 'list', pad: oneMb }, { authorization: `Bearer ${token}` })
    expect(other.status).toBe(413)
    // Through the size gate: the schema then refuses the unknown field, as it should.
    const org = await post('org', { action: 'tree', pad: oneMb }, { authorization: `Bearer ${token}` })
    expect([org.status, org.body.error?.code]).toEqual([400, 'INVALID_INPUT'])
    const five = await post('org', { action: 'tree', pad: 'a'.repeat(5 * 1024 * 1024) }, { authorization: `Bearer ${token}` })
    expect(five.status).toBe(413)
    const session = await post('session', { action: 'list', pad: oneMb }, { authorization: `Bearer ${token}` })
    expect([session.status, session.body.error?.code]).toEqual([400, 'INVALID_INPUT'])
    expect((await post('session', { action: 'list', pad: 'a'.repeat(5 * 1024 * 1024) }, { authorization: `Bearer ${token}` })).status).toBe(413)
  })

  it('serves a generated file once by its id, and nothing for a wrong or expired id', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zbdk-files-'))
    const store = localFileStore(dir, env.clock)
    const local = await buildApp({ db: env.db, secret: TEST_SECRET, production: false, clock: env.clock, quiet: true, filesDir: dir })
    const url = await local.listen({ host: '127.0.0.1', port: 0 })
    try {
      const put = await store.put({ name: '签到台账.xlsx', bytes: new Uint8Array([1, 2, 3]), contentType: 'application/octet-stream' })
      const res = await fetch(url + put.url)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-disposition')).toContain(encodeURIComponent('签到台账.xlsx'))
      expect([...new Uint8Array(await res.arrayBuffer())]).toEqual([1, 2, 3])
      expect((await fetch(`${url}/files/${'0'.repeat(32)}/x.xlsx`)).status).toBe(404)
      expect((await fetch(`${url}/files/..%2f..%2fsecret.key/x`)).status).toBe(404)
      env.clock.advance(FILE_TTL_MS + 1)
      expect((await fetch(url + put.url)).status).toBe(404)
    } finally {
      await local.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('keeps serving after all of the above', async () => {
    const r = await fetch(`${base}/api/health`)
    expect(r.status).toBe(200)
    expect((await r.json()).data.status).toBe('ok')
  })
})
