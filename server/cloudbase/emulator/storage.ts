import { createHash, createHmac, randomBytes, timingSafeEqual } from 'crypto'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'fs'
import { join } from 'path'
import { CloudbaseError } from './errors'
import type { Reply } from './http'

/**
 * Cloud storage as node-sdk 3.17 (under wx-server-sdk) uses it:
 * - `cloud.uploadFile`: action `storage.getUploadMetadata` {path, method:'put'}
 *   answers `data: {url, token, authorization, fileId, cosFileId}`; the SDK
 *   then PUTs the bytes to `url` (COS) with `x-cos-security-token: token`, and
 *   takes an empty answer as success.
 * - `cloud.getTempFileURL`: `storage.batchGetDownloadUrl` {file_list:
 *   [{fileid, max_age}]} answers `data.download_list: [{fileID, tempFileURL,
 *   code: 'SUCCESS', maxAge}]` (code STORAGE_FILE_NONEXIST for a missing file).
 * - `cloud.downloadFile`: a temp URL (max_age 600), then a GET of
 *   `encodeURI(tempFileURL)`.
 * - `cloud.deleteFile`: `storage.batchDeleteFile` {fileid_list}.
 * Both byte URLs are served by the emulator under /cos/; files live in a
 * folder next to the SQLite file, named by a hash of their cloud path.
 */

const UPLOAD_TTL_MS = 10 * 60 * 1000

export class CloudStorage {
  private readonly secret = randomBytes(16)
  private readonly uploads = new Map<string, { path: string; expires: number }>()

  constructor(private readonly dir: string, private readonly envId: string, private readonly origin: () => string) {}

  private bucket(): string {
    return `${this.envId}.emulator-${this.envId}`
  }

  private fileIdOf(path: string): string {
    return `cloud://${this.bucket()}/${path}`
  }

  /** The cloud path of one of this environment's file ids, or null. */
  private pathOf(fileId: unknown): string | null {
    const prefix = `cloud://${this.bucket()}/`
    return typeof fileId === 'string' && fileId.startsWith(prefix) && fileId.length > prefix.length ? fileId.slice(prefix.length) : null
  }

  private fileOf(path: string): string {
    return join(this.dir, createHash('sha256').update(path).digest('hex'))
  }

  private sign(path: string, expires: number): string {
    return createHmac('sha256', this.secret).update(`${path}\n${expires}`).digest('hex')
  }

  getUploadMetadata(p: Record<string, unknown>): Record<string, unknown> {
    const path = p.path
    if (typeof path !== 'string' || path === '' || path.startsWith('/')) throw CloudbaseError.invalidParam('cloudPath must be a non-empty relative path')
    const token = randomBytes(16).toString('hex')
    this.uploads.set(token, { path, expires: Date.now() + UPLOAD_TTL_MS })
    const encoded = path.split('/').map(encodeURIComponent).join('/')
    return {
      data: {
        url: `${this.origin()}/cos/${encoded}`,
        token,
        authorization: `q-sign-algorithm=sha1&emulator=${token}`,
        fileId: this.fileIdOf(path),
        cosFileId: token
      }
    }
  }

  batchGetDownloadUrl(p: Record<string, unknown>): Record<string, unknown> {
    if (!Array.isArray(p.file_list)) throw CloudbaseError.invalidParam('file_list must be an array')
    const download_list = p.file_list.map((f: Record<string, unknown>) => {
      const fileID = f?.fileid
      const path = this.pathOf(fileID)
      if (path === null || !existsSync(this.fileOf(path))) {
        return { fileID, tempFileURL: '', code: 'STORAGE_FILE_NONEXIST', message: 'storage file not exists' }
      }
      const maxAge = typeof f.max_age === 'number' && f.max_age > 0 ? f.max_age : 86400
      const expires = Date.now() + maxAge * 1000
      // Unencoded, like COS temp URLs: downloadFile() runs encodeURI over it.
      return { fileID, tempFileURL: `${this.origin()}/cos/${path}?t=${expires}&sign=${this.sign(path, expires)}`, code: 'SUCCESS', maxAge }
    })
    return { data: { download_list } }
  }

  batchDeleteFile(p: Record<string, unknown>): Record<string, unknown> {
    if (!Array.isArray(p.fileid_list)) throw CloudbaseError.invalidParam('fileid_list must be an array')
    const delete_list = p.fileid_list.map((fileID: unknown) => {
      const path = this.pathOf(fileID)
      if (path === null || !existsSync(this.fileOf(path))) return { fileID, code: 'STORAGE_FILE_NONEXIST' }
      rmSync(this.fileOf(path), { force: true })
      return { fileID, code: 'SUCCESS' }
    })
    return { data: { delete_list } }
  }

  /** PUT (upload) and GET (download) of the bytes; null when the path is not a storage URL. */
  serve(method: string, url: URL, body: Buffer, headers: Record<string, string | string[] | undefined>): Reply | null {
    if (!url.pathname.startsWith('/cos/')) return null
    const path = decodeURIComponent(url.pathname.slice('/cos/'.length))
    if (method === 'PUT') {
      const token = String(headers['x-cos-security-token'] ?? '')
      const grant = this.uploads.get(token)
      if (!grant || grant.path !== path || grant.expires < Date.now()) return cosError(403, 'AccessDenied', 'upload token invalid or expired')
      this.uploads.delete(token)
      // Created on the first upload, so an emulator that stores no file leaves no folder behind.
      mkdirSync(this.dir, { recursive: true })
      writeFileSync(this.fileOf(path), body)
      return { raw: Buffer.alloc(0), contentType: 'text/plain' }
    }
    if (method === 'GET') {
      const expires = Number(url.searchParams.get('t'))
      const given = Buffer.from(url.searchParams.get('sign') ?? '', 'utf8')
      const wanted = Buffer.from(this.sign(path, expires), 'utf8')
      if (given.length !== wanted.length || !timingSafeEqual(given, wanted) || expires < Date.now()) {
        return cosError(403, 'AccessDenied', 'Request has expired or the signature does not match')
      }
      const file = this.fileOf(path)
      if (!existsSync(file)) return cosError(404, 'NoSuchKey', 'The specified key does not exist.')
      return { raw: readFileSync(file), contentType: 'application/octet-stream' }
    }
    return cosError(405, 'MethodNotAllowed', `${method} is not allowed`)
  }
}

/** COS answers failures with an XML body; node-sdk's uploadFile parses `Error.Code/Message`. */
function cosError(status: number, code: string, message: string): Reply {
  const xml = `<?xml version='1.0' encoding='utf-8' ?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>emulator</RequestId><TraceId>emulator</TraceId></Error>`
  return { raw: Buffer.from(xml), contentType: 'application/xml', status }
}
