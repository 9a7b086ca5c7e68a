/**
 * The H5 app over real HTTP: precompressed copies (scripts/precompress.ts)
 * sent when the request accepts them, the original when not or when a copy is
 * stale; hashed assets immutable, index.html revalidated and under the page CSP.
 */
import type { FastifyInstance } from 'fastify'
import { mkdirSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'fs'
import http from 'http'
import { tmpdir } from 'os'
import { join } from 'path'
import { brotliDecompressSync, gunzipSync } from 'zlib'
import { buildApp } from '../../server/app'
import { precompressDir } from '../../scripts/precompress'
import { makeTestEnv, TEST_SECRET, type TestEnv } from '../helpers/env'

const INLINE = '!function(n){n.document.documentElement.style.fontSize="20px"}(window);'
const PAGE = `<!doctype html><html><head><script>${INLINE}</script><script defer="defer" src="/js/app.0123abcd.js"></script>` +
  `<link href="/css/app.89abcdef.css" rel="stylesheet"></head><body><div id="app"></div>${'<!-- padding -->'.repeat(40)}</body></html>`
const JS = `console.log(${JSON.stringify('支部学习打卡 '.repeat(2000))});\n`.repeat(3)

let env: TestEnv
let app: FastifyInstance
let port: number
let staticDir: string

beforeAll(async () => {
  env = await makeTestEnv({ seed: false })
  staticDir = mkdtempSync(join(tmpdir(), 'zbdk-h5-'))
  mkdirSync(join(staticDir, 'js'))
  mkdirSync(join(staticDir, 'css'))
  writeFileSync(join(staticDir, 'index.html'), PAGE)
  writeFileSync(join(staticDir, 'js', 'app.0123abcd.js'), JS)
  writeFileSync(join(staticDir, 'js', 'plain.js'), JS)
  writeFileSync(join(staticDir, 'css', 'app.89abcdef.css'), '.page{color:#c8102e}\n'.repeat(100))
  precompressDir(staticDir)
  app = await buildApp({ db: env.db, secret: TEST_SECRET, production: false, clock: env.clock, quiet: true, staticDir })
  const base = await app.listen({ host: '127.0.0.1', port: 0 })
  port = Number(new URL(base).port)
})
afterAll(async () => {
  await app.close()
  env.close()
  rmSync(staticDir, { recursive: true, force: true })
})

/** Raw HTTP (fetch would decode the body and hide what was sent). */
function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path, headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }))
      res.on('error', reject)
    }).on('error', reject)
  })
}

describe('compression and caching of the H5 app', () => {
  it('a hashed JS asset: brotli when accepted, gzip when only that is, identity otherwise; immutable either way', async () => {
    const br = await get('/js/app.0123abcd.js', { 'accept-encoding': 'gzip, deflate, br' })
    expect(br.status).toBe(200)
    expect(br.headers['content-encoding']).toBe('br')
    expect(br.headers['content-type']).toMatch(/javascript/)
    expect(br.headers['vary']).toMatch(/accept-encoding/i)
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable')
    expect(Number(br.headers['content-length'])).toBe(br.body.length)
    expect(br.body.length).toBeLessThan(Buffer.byteLength(JS) / 10)
    expect(brotliDecompressSync(br.body).toString()).toBe(JS)
    // Assets carry the no-script policy, as before.
    expect(br.headers['content-security-policy']).toContain("frame-ancestors 'none'")
    expect(br.headers['x-content-type-options']).toBe('nosniff')

    const gz = await get('/js/app.0123abcd.js', { 'accept-encoding': 'gzip' })
    expect(gz.headers['content-encoding']).toBe('gzip')
    expect(gunzipSync(gz.body).toString()).toBe(JS)
    expect(gz.headers['cache-control']).toBe('public, max-age=31536000, immutable')

    const plain = await get('/js/app.0123abcd.js')
    expect(plain.headers['content-encoding']).toBeUndefined()
    expect(plain.body.toString()).toBe(JS)
    expect(plain.headers['vary']).toMatch(/accept-encoding/i)
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable')

    const css = await get('/css/app.89abcdef.css', { 'accept-encoding': 'br' })
    expect(css.headers['content-encoding']).toBe('br')
    expect(css.headers['content-type']).toMatch(/text\/css/)
    expect(css.headers['cache-control']).toBe('public, max-age=31536000, immutable')
  })

  it('a file without a content hash is compressed but revalidated', async () => {
    const res = await get('/js/plain.js', { 'accept-encoding': 'br' })
    expect(res.headers['content-encoding']).toBe('br')
    expect(res.headers['cache-control']).toBe('no-cache')
  })

  it('index.html: compressed, no-cache, the page CSP; a 304 for it keeps the page CSP', async () => {
    const page = await get('/', { 'accept-encoding': 'gzip, br' })
    expect(page.status).toBe(200)
    expect(page.headers['content-encoding']).toBe('br')
    expect(page.headers['content-type']).toMatch(/text\/html/)
    expect(page.headers['cache-control']).toBe('no-cache')
    expect(brotliDecompressSync(page.body).toString()).toBe(PAGE)
    const csp = page.headers['content-security-policy'] as string
    expect(csp).toContain("script-src 'self' 'sha256-")
    expect(csp).toContain("default-src 'self'")

    const again = await get('/', { 'accept-encoding': 'gzip, br', 'if-none-match': page.headers.etag as string })
    expect(again.status).toBe(304)
    expect(again.headers['content-security-policy']).toBe(csp)
    expect(again.headers['cache-control']).toBe('no-cache')

    const byName = await get('/index.html')
    expect(byName.headers['content-encoding']).toBeUndefined()
    expect(byName.body.toString()).toBe(PAGE)
    expect(byName.headers['cache-control']).toBe('no-cache')
    expect(byName.headers['content-security-policy']).toBe(csp)
  })

  it('a compressed copy older than its source (a rebuild without precompress) is not sent', async () => {
    const file = join(staticDir, 'js', 'plain.js')
    const changed = JS.replace('console.log', 'console.info')
    writeFileSync(file, changed)
    const later = new Date(statSync(file).mtimeMs + 5000)
    utimesSync(file, later, later)
    const res = await get('/js/plain.js', { 'accept-encoding': 'gzip, br' })
    expect(res.headers['content-encoding']).toBeUndefined()
    expect(res.body.toString()).toBe(changed)
    // Precompressing again brings the compressed answer back, with the new content.
    precompressDir(staticDir)
    const fresh = await get('/js/plain.js', { 'accept-encoding': 'br' })
    expect(fresh.headers['content-encoding']).toBe('br')
    expect(brotliDecompressSync(fresh.body).toString()).toBe(changed)
  })
})
