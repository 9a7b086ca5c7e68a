/**
 * Security headers on the page and the API, and the error contract for what
 * Fastify would otherwise answer in its own words: URLs that do not decode,
 * unknown routes and methods under /api. Real HTTP over a socket.
 */
import type { FastifyInstance } from 'fastify'
import { createHash } from 'crypto'
import http from 'http'
import { mkdtempSync, rmSync, writeFileSync } from 'fs'
import { tmpdir } from 'os'
import { join } from 'path'
import { buildApp } from '../../server/app'
import { inlineScriptHashes } from '../../server/security-headers'
import { makeTestEnv, TEST_SECRET, type TestEnv } from '../helpers/env'

const INLINE = '!function(n){n.document.documentElement.style.fontSize="20px"}(window);'
const PAGE = `<!doctype html><html><head><script>${INLINE}</script><script defer="defer" src="/js/app.js"></script></head><body><div id="app"></div></body></html>`

let env: TestEnv
let app: FastifyInstance
let base: string
let staticDir: string

beforeAll(async () => {
  env = await makeTestEnv({ seed: false })
  staticDir = mkdtempSync(join(tmpdir(), 'zbdk-h5-'))
  writeFileSync(join(staticDir, 'index.html'), PAGE)
  writeFileSync(join(staticDir, 'app.js'), 'console.log(1)')
  app = await buildApp({ db: env.db, secret: TEST_SECRET, production: false, clock: env.clock, quiet: true, staticDir })
  base = await app.listen({ host: '127.0.0.1', port: 0 })
})
afterAll(async () => {
  await app.close()
  env.close()
  rmSync(staticDir, { recursive: true, force: true })
})

function expectBaseHeaders(h: Headers): void {
  expect(h.get('x-content-type-options')).toBe('nosniff')
  expect(h.get('referrer-policy')).toBe('same-origin')
  expect(h.get('x-frame-options')).toBe('DENY')
  expect(h.get('content-security-policy')).toContain("frame-ancestors 'none'")
}

describe('security headers', () => {
  it('on the page: a CSP that allows its own inline script by hash and nothing else inline', async () => {
    const res = await fetch(`${base}/`)
    expect(res.status).toBe(200)
    expectBaseHeaders(res.headers)
    const csp = res.headers.get('content-security-policy')!
    const hash = `'sha256-${createHash('sha256').update(INLINE).digest('base64')}'`
    const directives = Object.fromEntries(csp.split(/;\s*/).map((d) => [d.split(' ')[0], d.split(' ').slice(1)]))
    expect(directives['script-src']).toEqual(["'self'", hash])
    expect(directives['default-src']).toEqual(["'self'"])
    expect(directives['object-src']).toEqual(["'none'"])
    expect(directives['base-uri']).toEqual(["'self'"])
    expect(directives['connect-src']).toEqual(["'self'"])
    expect(directives['img-src']).toEqual(["'self'", 'data:', 'blob:'])
  })

  it('on a revalidated page too: a 304 carries the page policy (the browser applies it to the cached page)', async () => {
    const first = await fetch(`${base}/`)
    const etag = first.headers.get('etag')
    expect(etag).toBeTruthy()
    // Plain http: Node's fetch does not hand back a 304.
    const again = await new Promise<http.IncomingMessage>((resolve) => http.get(`${base}/`, { headers: { 'if-none-match': etag! } }, (r) => resolve(r.resume())))
    expect(again.statusCode).toBe(304)
    expect(again.headers['content-type']).toBeUndefined()
    expect(again.headers['content-security-policy']).toBe(first.headers.get('content-security-policy'))
    expectBaseHeaders(new Headers(again.headers as Record<string, string>))
  })

  it('on the API, its errors and files: nothing may run or be framed', async () => {
    const answers = [
      await fetch(`${base}/api/health`),
      await fetch(`${base}/api/auth`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"action":"whoami"}' }),
      await fetch(`${base}/api/auth`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{bad' }),
      await fetch(`${base}/files/0123456789abcdef0123456789abcdef/x.xlsx`)
    ]
    for (const res of answers) {
      expectBaseHeaders(res.headers)
      expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
    }
    expect(answers[0].headers.get('content-type')).toMatch(/^application\/json/)
    // Assets and missing pages carry the headers too.
    for (const path of ['/app.js', '/no-such-page']) expectBaseHeaders((await fetch(`${base}${path}`)).headers)
  })

  it('reads every inline script of the built page, skipping external ones', () => {
    expect(inlineScriptHashes('<script>a</script><script src="x.js"></script><SCRIPT type="module">b</SCRIPT>')).toEqual([
      `'sha256-${createHash('sha256').update('a').digest('base64')}'`,
      `'sha256-${createHash('sha256').update('b').digest('base64')}'`
    ])
  })
})

describe('the error contract for requests Fastify would answer itself', () => {
  it('a URL that does not decode: INVALID_INPUT, 400, with the headers', async () => {
    for (const [method, path] of [['POST', '/api/note%ff'], ['GET', '/api/note%ff'], ['POST', '/api/%c0%af'], ['GET', '/api%ff']] as const) {
      const res = await fetch(`${base}${path}`, { method, headers: { 'content-type': 'application/json' }, body: method === 'POST' ? '{}' : undefined })
      expect([path, res.status]).toEqual([path, 400])
      expect(await res.json()).toEqual({ ok: false, error: { code: 'INVALID_INPUT', message: '请求地址不正确', details: { reason: 'FST_ERR_BAD_URL' } } })
      expectBaseHeaders(res.headers)
    }
    // Outside /api: plain words, not Fastify's JSON.
    const page = await fetch(`${base}/%ff`)
    expect(page.status).toBe(400)
    expect(await page.text()).toBe('请求地址不正确')
  })

  it('unknown functions, routes and methods under /api: NOT_FOUND in the contract', async () => {
    const cases: Array<[string, string]> = [
      ['POST', '/api/nothing'],
      ['POST', '/api/cron'],
      ['GET', '/api/note'],
      ['PUT', '/api/note'],
      ['DELETE', '/api/note'],
      ['PATCH', '/api'],
      ['GET', '/api/note/extra/path'],
      ['OPTIONS', '/api/note']
    ]
    for (const [method, path] of cases) {
      const res = await fetch(`${base}${path}`, { method, headers: method === 'POST' ? { 'content-type': 'application/json' } : {}, body: method === 'POST' ? '{}' : undefined })
      const body = await res.json()
      expect([method, path, res.status, body.ok, body.error.code]).toEqual([method, path, 404, false, 'NOT_FOUND'])
      expect(res.headers.get('cache-control')).toBe('no-store')
    }
  })
})
