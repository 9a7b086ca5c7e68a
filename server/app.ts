import fastifyStatic from '@fastify/static'
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify'
import { existsSync, statSync } from 'fs'
import { tmpdir } from 'os'
import { join, resolve, sep } from 'path'
import { fail, HTTP_STATUS, type Result } from '../src/core/errors'
import { ADDRESS_RATE_RULES, MemoryRateLimiter, rateLimitedError, type AddressRateClass, type RateRule } from '../src/core/rate-limit'
import type { Database } from '../cloudfunctions/_shared/db'
import type { Clock, Identity, Notifier } from '../cloudfunctions/_shared/runtime'
import { getFunction } from './functions'
import { makeLocalRuntime, systemClock, type LocalRuntimeDeps } from './local-runtime'
import { verifyToken } from './token'
import { localFileStore, openKeptFile, openStoredFile } from './file-store'
import { requireSessionSecret } from './config'
import { API_CSP, BASE_HEADERS, pageCspFor } from './security-headers'
import { COMPRESSIBLE, sameMtime } from '../scripts/precompress'

/** A 20,000-character note is ~60 KB as UTF-8 JSON; anything far above is not a real request. */
export const BODY_LIMIT_BYTES = 256 * 1024

export interface AppOptions {
  db: Database
  secret: string
  production: boolean
  staticDir?: string
  clock?: Clock
  notifier?: Notifier
  quiet?: boolean
  /** Generated files (exports); defaults to a temp folder. */
  filesDir?: string
  /** Per-address limits (ADDRESS_RATE_RULES, or these rules); `false` turns them off (benchmarks). */
  addressLimits?: false | Partial<Record<AddressRateClass, RateRule>>
  /** Behind a reverse proxy: take the client's address from X-Forwarded-For. */
  trustProxy?: boolean
}

/** Webpack's `[contenthash:8]` names: js/app.5cfb45ce.js, css/156.4b735be8.css. */
const HASHED_ASSET = /\.[0-9a-f]{8,}\.(?:js|css)$/

/** The file under `root` a static GET names (`/` is index.html), or null. */
function staticFileOf(root: string, url: string): string | null {
  let path: string
  try {
    path = decodeURIComponent(url.split('?')[0])
  } catch {
    return null
  }
  if (path.endsWith('/')) path += 'index.html'
  const file = resolve(root, '.' + path)
  return file.startsWith(root + sep) && COMPRESSIBLE.test(file) ? file : null
}

function hasStaleCompressedCopy(file: string): boolean {
  let source: number
  try {
    source = statSync(file).mtimeMs
  } catch {
    return false
  }
  for (const ext of ['.br', '.gz']) {
    try {
      if (!sameMtime(statSync(file + ext).mtimeMs, source)) return true
    } catch {
      // no copy: nothing stale
    }
  }
  return false
}

/** `/api`, `/api/…`, `/api?…`, or a raw `/api%…` that did not decode: answered in the contract. */
function isApiPath(url: string): boolean {
  return /^\/api(?:[/?%]|$)/.test(url)
}

/** Which per-address class an API call counts in, besides `api` (every call). */
function addressClassOf(fn: string, body: unknown): AddressRateClass | null {
  if (fn !== 'auth' || typeof body !== 'object' || body === null) return null
  const action = (body as { action?: unknown }).action
  if (action === 'devLogin' || action === 'devNewcomer') return 'login'
  if (action === 'joinBranch') return 'invite'
  return null
}

/** The roster import sends its file inline: up to 2 MB as base64 plus the envelope. */
export const UPLOAD_BODY_LIMIT_BYTES = 4 * 1024 * 1024

function send(reply: FastifyReply, result: Result<unknown>): FastifyReply {
  const status = result.ok ? 200 : HTTP_STATUS[result.error.code]
  if (!result.ok && result.error.code === 'RATE_LIMITED') {
    const after = result.error.details?.retryAfterSeconds
    if (typeof after === 'number') reply.header('retry-after', String(after))
  }
  return reply.code(status).header('cache-control', 'no-store').send(result)
}

function identityFrom(header: string | undefined, secret: string, now: number): Identity {
  if (!header) return { openid: null, source: 'none' }
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim())
  if (!match) return { openid: null, source: 'none', problem: 'invalid' }
  const verified = verifyToken(secret, match[1], now)
  return verified.ok
    ? { openid: verified.openid, source: 'local-token' }
    : { openid: null, source: 'none', problem: verified.problem }
}

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  // Tokens signed with a guessable secret are worth nothing: refuse to start with one.
  requireSessionSecret(opts.secret)
  const app = Fastify({
    bodyLimit: BODY_LIMIT_BYTES,
    logger: false,
    return503OnClosing: true,
    trustProxy: opts.trustProxy ?? false,
    // A URL that does not decode (`/api/note%ff`) answers in the contract, not Fastify's own body.
    frameworkErrors: (err, req, raw) => {
      const reply = raw as unknown as FastifyReply
      // Answered outside the routing: the onSend hook below does not run for these.
      for (const [k, v] of Object.entries(BASE_HEADERS)) reply.header(k, v)
      reply.header('content-security-policy', API_CSP)
      if (isApiPath(req.url)) {
        return send(reply, fail('INVALID_INPUT', '请求地址不正确', { reason: String((err as { code?: string }).code ?? 'BAD_URL') }))
      }
      return reply.code(400).type('text/plain; charset=utf-8').send('请求地址不正确')
    }
  })
  const clock = opts.clock ?? systemClock
  const deps: LocalRuntimeDeps = {
    db: opts.db,
    secret: opts.secret,
    production: opts.production,
    clock,
    notifier: opts.notifier,
    log: opts.quiet ? () => undefined : undefined,
    filesDir: opts.filesDir
  }
  const filesDir = opts.filesDir ?? join(tmpdir(), 'zbdk-files')
  deps.files = localFileStore(filesDir, clock)

  // Fastify's own refusals (bad JSON, too large, wrong content type) answer
  // in the same contract as the functions, so clients handle one shape.
  app.setErrorHandler((err: { statusCode?: number; code?: string; message?: string }, _req, reply) => {
    const status = err.statusCode ?? 500
    if (status === 413) return send(reply, fail('PAYLOAD_TOO_LARGE'))
    if (status >= 400 && status < 500) {
      return send(reply, fail('INVALID_INPUT', '请求格式不正确', { reason: String(err.code ?? 'BAD_REQUEST') }))
    }
    if (!opts.quiet) console.error(err)
    return send(reply, fail('INTERNAL'))
  })

  // Every answer carries the security headers; the page gets its own policy (security-headers.ts).
  const pagePolicy = pageCspFor(opts.staticDir)
  // Chosen by the path, not the content type: a 304 for index.html has none, and the browser
  // applies the 304's headers to the page it keeps in cache.
  app.addHook('onSend', async (req, reply, payload) => {
    for (const [k, v] of Object.entries(BASE_HEADERS)) reply.header(k, v)
    const api = isApiPath(req.url) || req.url.startsWith('/files/')
    reply.header('content-security-policy', api ? API_CSP : pagePolicy())
    return payload
  })

  // Per-address limits, in memory (one process). CloudBase has no address here: there the platform's gateway fronts the functions.
  const rules = opts.addressLimits === false ? null : { ...ADDRESS_RATE_RULES, ...opts.addressLimits }
  const limiter = new MemoryRateLimiter()
  const overLimit = (cls: AddressRateClass, ip: string) => {
    if (!rules) return null
    const d = limiter.hit(`${cls}:${ip}`, rules[cls], clock.now())
    return d.allowed ? null : rateLimitedError(cls, d.retryAfterMs)
  }
  app.addHook('onRequest', async (req, reply) => {
    if (!isApiPath(req.url)) return
    // Before the body is read: a flood costs neither parsing nor the database.
    const refused = overLimit('api', req.ip)
    if (refused) return send(reply, { ok: false, error: refused.toBody() })
  })

  app.setNotFoundHandler((req, reply) => {
    if (isApiPath(req.url)) return send(reply, fail('NOT_FOUND', '没有这个接口'))
    return reply.code(404).type('text/plain; charset=utf-8').send('没有找到这个页面')
  })

  app.get('/api/health', async (_req, reply) => send(reply, { ok: true, data: { status: 'ok', now: clock.now() } }))

  const callFunction = async (fn: string, req: { headers: { authorization?: string }; body: unknown; ip: string }, reply: FastifyReply) => {
    // cron is for the platform's timer and the local scheduler, never for HTTP callers.
    const handler = fn === 'cron' ? undefined : getFunction(fn)
    if (!handler) return send(reply, fail('NOT_FOUND', '没有这个功能'))
    const cls = addressClassOf(fn, req.body)
    const refused = cls ? overLimit(cls, req.ip) : null
    if (refused) return send(reply, { ok: false, error: refused.toBody() })
    const identity = identityFrom(req.headers.authorization, opts.secret, clock.now())
    const runtime = makeLocalRuntime(deps, identity)
    return send(reply, await handler(runtime, req.body ?? null))
  }
  // Only org (the roster import) and session (a meeting photo: ≤ 2 MB is ≤ 2.7 MB as base64) take a
  // file; every other function stays at the small limit, and each action's schema bounds its own fields.
  app.post('/api/org', { bodyLimit: UPLOAD_BODY_LIMIT_BYTES }, (req, reply) => callFunction('org', req, reply))
  app.post('/api/session', { bodyLimit: UPLOAD_BODY_LIMIT_BYTES }, (req, reply) => callFunction('session', req, reply))
  app.post<{ Params: { fn: string } }>('/api/:fn', (req, reply) => callFunction(req.params.fn, req, reply))

  // Generated files: the id is the capability (unguessable, short-lived), as with CloudBase's temporary links.
  app.get<{ Params: { id: string; name: string } }>('/files/:id/:name', async (req, reply) => {
    const file = openStoredFile(filesDir, req.params.id, clock.now())
    if (!file) return reply.code(404).type('text/plain; charset=utf-8').send('文件不存在或已过期，请重新导出')
    return reply
      .header('content-type', file.meta.contentType)
      .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.meta.name)}`)
      .header('cache-control', 'no-store')
      .send(file.bytes)
  })

  // Kept files (meeting photos): the signed, expiring link is the capability, as with getTempFileURL;
  // an <img> cannot send the Bearer token. The type is the one sniffed from the bytes when kept.
  app.get<{ Params: { id: string }; Querystring: { e?: string; s?: string } }>('/files/kept/:id', async (req, reply) => {
    const file = openKeptFile(filesDir, req.params.id, req.query.e, req.query.s, clock.now())
    if (!file) return reply.code(404).type('text/plain; charset=utf-8').send('照片不存在或链接已过期，请刷新页面')
    return reply.header('content-type', file.contentType).header('cache-control', 'private, max-age=600').send(file.bytes)
  })

  const staticDir = opts.staticDir
  if (staticDir && existsSync(join(staticDir, 'index.html'))) {
    // Compressed copies (`.br`, `.gz`) are written at build time (scripts/precompress.ts) with their
    // source's mtime. One whose mtime differs is stale (a rebuild without that step, e.g. dev:h5
    // --watch): the request is then answered with the original, never with old content.
    const root = resolve(staticDir)
    app.addHook('onRequest', async (req) => {
      if ((req.method !== 'GET' && req.method !== 'HEAD') || isApiPath(req.url) || !req.headers['accept-encoding']) return
      const file = staticFileOf(root, req.url)
      if (file && hasStaleCompressedCopy(file)) delete req.headers['accept-encoding']
    })
    await app.register(fastifyStatic, {
      root: staticDir,
      prefix: '/',
      preCompressed: true,
      // Set here, not by send (whose `public, max-age=0` would overwrite it).
      cacheControl: false,
      // Hashed assets (name.<contenthash>.js/css) may be cached for good; the HTML that names them,
      // and anything without a hash, is revalidated (ETag / Last-Modified, a 304 when unchanged).
      setHeaders(res, path) {
        const original = path.replace(/\.(?:br|gz)$/, '')
        res.setHeader('cache-control', HASHED_ASSET.test(original) ? 'public, max-age=31536000, immutable' : 'no-cache')
        if (COMPRESSIBLE.test(original)) res.setHeader('vary', 'accept-encoding')
      }
    })
  } else {
    app.get('/', async (_req, reply) =>
      reply.type('text/plain; charset=utf-8').send('H5 页面还没有构建：请先运行 npm run build:h5（npm start 会自动构建）。')
    )
  }
  return app
}
