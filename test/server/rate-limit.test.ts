/**
 * Rate limits seen over real HTTP: the local server's per-address limits (in
 * memory, by the client's address) and the functions' per-member limits, both
 * answered as `{ ok: false, error: { code: 'RATE_LIMITED', message } }` with
 * status 429 and Retry-After. The server runs on the fixed test clock.
 */
import type { FastifyInstance } from 'fastify'
import http from 'http'
import { buildApp } from '../../server/app'
import { DEMO_PEOPLE } from '../../server/seed/people'
import { signToken } from '../../server/token'
import { ADDRESS_RATE_RULES, MEMBER_RATE_RULES } from '../../src/core/rate-limit'
import { makeTestEnv, TEST_SECRET, type TestEnv } from '../helpers/env'

let env: TestEnv
let app: FastifyInstance
let base: string

beforeAll(async () => {
  env = await makeTestEnv()
})
afterAll(() => env.close())

async function start(opts: { trustProxy?: boolean } = {}): Promise<void> {
  app = await buildApp({ db: env.db, secret: TEST_SECRET, production: false, clock: env.clock, quiet: true, ...opts })
  base = await app.listen({ host: '127.0.0.1', port: 0 })
}
afterEach(async () => {
  await app?.close()
  // Each test starts in a fresh window of every rule.
  env.clock.advance(60 * 60_000)
})

interface Reply {
  status: number
  retryAfter: string | null
  body: { ok: boolean; data?: any; error?: { code: string; message: string; details?: Record<string, unknown> } } // eslint-disable-line @typescript-eslint/no-explicit-any
}

async function post(fn: string, body: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const res = await fetch(`${base}/api/${fn}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) })
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.json() }
}

/** A POST from another loopback address (127.0.0.2 reaches a server listening on 127.0.0.1 on Linux). */
function postFrom(localAddress: string, fn: string, body: unknown): Promise<Reply> {
  const url = new URL(`${base}/api/${fn}`)
  const data = JSON.stringify(body)
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', localAddress, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } },
      (res) => {
        let text = ''
        res.on('data', (d) => (text += d))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: (res.headers['retry-after'] as string) ?? null, body: JSON.parse(text) }))
      }
    )
    req.on('error', reject)
    req.end(data)
  })
}

const bearer = (openid: string) => ({ authorization: `Bearer ${signToken(TEST_SECRET, openid, env.clock.now()).token}` })
const wrongCode = (i: number) => `ZZ${String(i).padStart(6, '0')}`

function expectLimited(r: Reply): void {
  expect(r.status).toBe(429)
  expect(r.body.ok).toBe(false)
  expect(r.body.error?.code).toBe('RATE_LIMITED')
  expect(r.body.error?.message).toMatch(/太(频繁|多).*后再试/)
  expect(Number(r.retryAfter)).toBeGreaterThan(0)
  expect(Number(r.retryAfter)).toBe(r.body.error?.details?.retryAfterSeconds)
}

describe('invite codes', () => {
  it('300 wrong codes from one person: refused after the member limit, with 429 and Retry-After', async () => {
    await start()
    const me = bearer('wx_stranger_http')
    const started = performance.now()
    const replies: Reply[] = []
    for (let i = 0; i < 300; i++) replies.push(await post('auth', { action: 'joinBranch', inviteCode: wrongCode(i), name: '试探者' }, me))
    const ms = performance.now() - started
    const limit = MEMBER_RATE_RULES.invite.limit
    expect(replies.slice(0, limit).map((r) => r.status)).toEqual(Array(limit).fill(404))
    replies.slice(limit).forEach(expectLimited)
    const first = replies.findIndex((r) => r.status === 429)
    console.log(`300 wrong invite codes over HTTP from one person: ${ms.toFixed(0)} ms in all; limited from attempt ${first + 1}`)
    // Even the right code, until the window passes.
    expectLimited(await post('auth', { action: 'joinBranch', inviteCode: 'DEMO0002', name: '新同志' }, me))
    env.clock.advance(MEMBER_RATE_RULES.invite.windowMs)
    expect((await post('auth', { action: 'joinBranch', inviteCode: 'DEMO0002', name: '新同志' }, me)).status).toBe(200)
  })

  it('a stranger rotating identities (a fresh demo newcomer per try) meets the per-address limit', async () => {
    await start()
    const replies: Reply[] = []
    for (let i = 0; i < 100; i++) replies.push(await post('auth', { action: 'joinBranch', inviteCode: wrongCode(i), name: '试探者' }, bearer(`wx_rotating_${i}`)))
    const limit = ADDRESS_RATE_RULES.invite.limit
    expect(replies.slice(0, limit).every((r) => r.status === 404)).toBe(true)
    replies.slice(limit).forEach(expectLimited)
    expect(replies[limit].body.error?.message).toMatch(/^邀请码尝试次数太多，请 \d+ 分钟后再试$/)
    // Another address is not affected.
    const other = await postFrom('127.0.0.2', 'auth', { action: 'joinBranch', inviteCode: wrongCode(999), name: '甲' })
    expect(other.status).toBe(403) // no login: refused as before, not rate limited
  })
})

describe('demo login', () => {
  it('is limited per address (devLogin and devNewcomer alike), and per member it logs in as', async () => {
    await start()
    const limit = ADDRESS_RATE_RULES.login.limit
    const ids = Object.values(DEMO_PEOPLE)
    const statuses: number[] = []
    for (let i = 0; i < limit + 5; i++) {
      const r = i % 2 ? await post('auth', { action: 'devNewcomer' }) : await post('auth', { action: 'devLogin', memberId: ids[i % ids.length] })
      statuses.push(r.status)
      if (r.status === 429) expectLimited(r)
    }
    expect(statuses.slice(0, limit).every((s) => s === 200)).toBe(true)
    expect(statuses.slice(limit)).toEqual(Array(5).fill(429))
    // Another address logs in.
    expect((await postFrom('127.0.0.2', 'auth', { action: 'devLogin', memberId: DEMO_PEOPLE.member1 })).status).toBe(200)
    // The per-member count (the database's): one identity, from many addresses.
    env.clock.advance(ADDRESS_RATE_RULES.login.windowMs)
    const perMember: number[] = []
    for (let i = 0; i < MEMBER_RATE_RULES.login.limit + 2; i++) {
      perMember.push((await postFrom(`127.0.1.${(i % 200) + 1}`, 'auth', { action: 'devLogin', memberId: DEMO_PEOPLE.secretary3 })).status)
    }
    expect(perMember.filter((s) => s === 429)).toHaveLength(2)
  })
})

describe('every API call', () => {
  it('has a generous ceiling per address; past it, 429 before the body is read', async () => {
    await start()
    const limit = ADDRESS_RATE_RULES.api.limit
    const token = (await post('auth', { action: 'devLogin', memberId: DEMO_PEOPLE.member1 })).body.data.token as string
    let ok = 1
    let limited = 0
    let sent = 1
    // Reads as fast as one client can send them, 20 at a time.
    for (let i = 1; i < limit + 20; i += 20) {
      const batch = await Promise.all(Array.from({ length: 20 }, () => post('auth', { action: 'whoami' }, { authorization: `Bearer ${token}` })))
      sent += batch.length
      for (const r of batch) {
        if (r.status === 200) ok++
        else {
          expectLimited(r)
          limited++
        }
      }
    }
    expect(ok).toBe(limit)
    expect(limited).toBe(sent - limit)
    expect(limited).toBeGreaterThan(0)
    // Not JSON, not parsed: refused all the same, in the contract.
    const res = await fetch(`${base}/api/note`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' })
    expect(res.status).toBe(429)
    expect((await res.json()).error.code).toBe('RATE_LIMITED')
    // The page and its assets are not API calls.
    expect((await fetch(`${base}/`)).status).toBe(200)
    // The next window opens again.
    env.clock.advance(ADDRESS_RATE_RULES.api.windowMs)
    expect((await post('auth', { action: 'whoami' }, { authorization: `Bearer ${token}` })).status).toBe(200)
  }, 60_000)

  it('X-Forwarded-For is believed only behind a proxy that says so (ZBDK_TRUST_PROXY=1)', async () => {
    await start()
    // Without trustProxy, a forged header does not buy a new address.
    for (let i = 0; i < ADDRESS_RATE_RULES.invite.limit; i++) await post('auth', { action: 'joinBranch', inviteCode: wrongCode(i), name: '甲' }, bearer(`wx_xff_${i}`))
    expectLimited(await post('auth', { action: 'joinBranch', inviteCode: wrongCode(0), name: '甲' }, { ...bearer('wx_xff_x'), 'x-forwarded-for': '203.0.113.9' }))
    await app.close()
    env.clock.advance(60 * 60_000)
    await start({ trustProxy: true })
    for (let i = 0; i < ADDRESS_RATE_RULES.invite.limit; i++) {
      await post('auth', { action: 'joinBranch', inviteCode: wrongCode(i), name: '甲' }, { ...bearer(`wx_xff2_${i}`), 'x-forwarded-for': '203.0.113.9' })
    }
    expectLimited(await post('auth', { action: 'joinBranch', inviteCode: wrongCode(0), name: '甲' }, { ...bearer('wx_xff2_x'), 'x-forwarded-for': '203.0.113.9' }))
    expect((await post('auth', { action: 'joinBranch', inviteCode: wrongCode(0), name: '甲' }, { ...bearer('wx_xff2_y'), 'x-forwarded-for': '203.0.113.10' })).status).toBe(404)
  })
})
