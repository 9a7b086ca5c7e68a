import { randomBytes } from 'crypto'
import http from 'http'
import type { AddressInfo } from 'net'
import { CloudbaseError, toCloudbaseError } from './errors'
import { parseMultipart } from './multipart'

/** What a route answers: CloudBase JSON (requestId added here) or raw bytes. */
export type Reply =
  | { json: Record<string, unknown> }
  | { raw: Buffer; contentType: string; status?: number }

export interface ApiRequest {
  action: string
  params: Record<string, unknown>
  /** Multipart fields as sent (binary ones intact), for wx.openApi. */
  parts: Map<string, Buffer> | null
  /** The deployed function making the call (see function-host callerUrl); null from anything else. */
  fn: string | null
}

export interface Routes {
  /** POST /admin: one CloudBase API action. */
  api(req: ApiRequest): Promise<Reply>
  /** Any other path (the storage emulation's upload and download URLs); null = 404. */
  other(method: string, url: URL, body: Buffer, headers: http.IncomingHttpHeaders): Promise<Reply | null>
  /** Milliseconds to wait before handling each request (read on every call). */
  latencyMs(): number
}

const MAX_BODY = 20 * 1024 * 1024
/**
 * Storage uploads are PUTs to COS, not API requests: COS takes up to 5 GB in
 * one PUT, so the API's cap must not apply to them (a 党委's year of 积分台账
 * is over 20 MB). Bounded here only to keep the emulator's memory sane.
 */
const MAX_UPLOAD = 512 * 1024 * 1024

function readBody(req: http.IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > max) reject(CloudbaseError.invalidParam('request body too large'))
      else chunks.push(c)
    })
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

function parseApi(body: Buffer, contentType: string): Omit<ApiRequest, 'fn'> {
  if (/multipart\/form-data/i.test(contentType)) {
    const parts = parseMultipart(body, contentType)
    const params: Record<string, unknown> = {}
    for (const [k, v] of parts) params[k] = v.toString('utf8')
    return { action: String(params.action ?? ''), params, parts }
  }
  let params: unknown
  try {
    params = JSON.parse(body.toString('utf8'))
  } catch {
    throw CloudbaseError.invalidParam('request body is not JSON')
  }
  if (!params || typeof params !== 'object' || Array.isArray(params)) throw CloudbaseError.invalidParam('request body must be an object')
  const p = params as Record<string, unknown>
  return { action: String(p.action ?? ''), params: p, parts: null }
}

function send(res: http.ServerResponse, reply: Reply, requestId: string): void {
  if ('json' in reply) {
    const body = JSON.stringify({ ...reply.json, requestId })
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) })
    res.end(body)
  } else {
    res.writeHead(reply.status ?? 200, { 'content-type': reply.contentType, 'content-length': reply.raw.length, 'x-cos-request-id': requestId })
    res.end(reply.raw)
  }
}

/**
 * The emulator's HTTP face. CloudBase answers API errors with HTTP 200 and
 * `{ code, message, requestId }`, which node-sdk turns into a TcbError; the
 * same is done here for every failure, so the SDK wraps them as it really does.
 */
export async function listen(routes: Routes): Promise<{ server: http.Server; port: number }> {
  const server = http.createServer((req, res) => {
    const requestId = randomBytes(12).toString('hex')
    void (async () => {
      let reply: Reply
      try {
        const url = new URL(req.url ?? '/', 'http://emulator')
        const isApi = req.method === 'POST' && url.pathname === '/admin'
        const body = await readBody(req, isApi ? MAX_BODY : MAX_UPLOAD)
        const latency = routes.latencyMs()
        if (latency > 0) await sleep(latency)
        if (isApi) {
          reply = await routes.api({ ...parseApi(body, String(req.headers['content-type'] ?? '')), fn: url.searchParams.get('fn') })
        } else {
          reply = (await routes.other(req.method ?? 'GET', url, body, req.headers)) ?? { raw: Buffer.from('not found'), contentType: 'text/plain', status: 404 }
        }
      } catch (e) {
        const err = toCloudbaseError(e)
        reply = { json: { code: err.code, message: err.message } }
      }
      if (!res.destroyed) send(res, reply, requestId)
    })()
  })
  // Keep-alive sockets must not hold close() up.
  server.keepAliveTimeout = 1000
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  return { server, port: (server.address() as AddressInfo).port }
}

export function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve())
    server.closeAllConnections?.()
  })
}
