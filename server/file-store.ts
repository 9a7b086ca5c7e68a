/**
 * The local runtime's file store: generated workbooks are written under the
 * data folder with an unguessable id and served by GET /files/<id>/<name>
 * until they expire (an hour), like CloudBase's temporary links. Uploads do
 * not go through here locally (the browser sends the roster's bytes inline).
 * Kept files (a meeting's photos) live in kept/, are never swept, and are
 * served by GET /files/kept/<id>?e=<expiry>&s=<signature>: a link that
 * expires like getTempFileURL's, signed with a key kept beside them so links
 * survive a restart and every store instance over the folder agrees.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'crypto'
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs'
import { join } from 'path'
import { AppError } from '../src/core/errors'
import type { Clock, FileStore } from '../cloudfunctions/_shared/runtime'

export const FILE_TTL_MS = 60 * 60 * 1000
const ID = /^[a-f0-9]{32}$/

interface Meta {
  name: string
  contentType: string
  expiresAt: number
}

export function localFileStore(dir: string, clock: Clock): FileStore {
  return {
    async put(file) {
      mkdirSync(dir, { recursive: true, mode: 0o700 })
      sweep(dir, clock.now())
      const id = randomBytes(16).toString('hex')
      const expiresAt = clock.now() + FILE_TTL_MS
      // Exports hold members' names and figures: the owner's alone, like secret.key.
      writeFileSync(join(dir, `${id}.bin`), file.bytes, { mode: 0o600 })
      writeFileSync(join(dir, `${id}.json`), JSON.stringify({ name: file.name, contentType: file.contentType, expiresAt } satisfies Meta), { mode: 0o600 })
      return { url: `/files/${id}/${encodeURIComponent(file.name)}`, expiresAt }
    },
    async read() {
      throw new AppError('NOT_AVAILABLE', '本地试用版请直接选择文件上传')
    },
    async keep(file) {
      const kept = keptDir(dir)
      const id = randomBytes(16).toString('hex')
      writeFileSync(join(kept, `${id}.bin`), file.bytes, { mode: 0o600 })
      writeFileSync(join(kept, `${id}.json`), JSON.stringify({ name: file.name, contentType: file.contentType, folder: file.folder } satisfies KeptMeta), { mode: 0o600 })
      return { fileId: `${KEPT_PREFIX}${id}` }
    },
    async urls(fileIds, maxAgeMs) {
      const key = urlKey(dir)
      const e = clock.now() + maxAgeMs
      const out: Record<string, string> = {}
      for (const fileId of fileIds) {
        const id = keptId(fileId)
        if (id) out[fileId] = `/files/kept/${id}?e=${e}&s=${sign(key, id, e)}`
      }
      return out
    },
    async remove(fileIds) {
      for (const fileId of fileIds) {
        const id = keptId(fileId)
        if (!id) continue
        rmSync(join(dir, 'kept', `${id}.bin`), { force: true })
        rmSync(join(dir, 'kept', `${id}.json`), { force: true })
      }
    }
  }
}

const KEPT_PREFIX = 'local:kept/'

interface KeptMeta {
  name: string
  contentType: string
  folder: string
}

function keptDir(dir: string): string {
  const kept = join(dir, 'kept')
  mkdirSync(kept, { recursive: true, mode: 0o700 })
  return kept
}

function keptId(fileId: string): string | null {
  const id = fileId.startsWith(KEPT_PREFIX) ? fileId.slice(KEPT_PREFIX.length) : ''
  return ID.test(id) ? id : null
}

function urlKey(dir: string): Buffer {
  const file = join(keptDir(dir), 'url.key')
  try {
    return readFileSync(file)
  } catch {
    // First link ever: made once; a concurrent first writer loses to whoever wrote first ('wx').
    try {
      writeFileSync(file, randomBytes(32), { mode: 0o600, flag: 'wx' })
    } catch {
      // someone else made it
    }
    return readFileSync(file)
  }
}

function sign(key: Buffer, id: string, e: number): string {
  return createHmac('sha256', key).update(`${id}\n${e}`).digest('hex')
}

/**
 * A kept file a link names, or null when the id is malformed (nothing outside
 * kept/ can be named: the id is 32 hex characters), the signature is wrong,
 * the link has expired or the file is gone.
 */
export function openKeptFile(dir: string, id: string, e: string | undefined, s: string | undefined, now: number): { contentType: string; bytes: Buffer } | null {
  if (!ID.test(id) || !/^\d{1,15}$/.test(e ?? '') || !/^[a-f0-9]{64}$/.test(s ?? '')) return null
  const expires = Number(e)
  if (expires <= now) return null
  try {
    const wanted = Buffer.from(sign(urlKey(dir), id, expires), 'hex')
    if (!timingSafeEqual(wanted, Buffer.from(s!, 'hex'))) return null
    const meta = JSON.parse(readFileSync(join(dir, 'kept', `${id}.json`), 'utf8')) as KeptMeta
    return { contentType: meta.contentType, bytes: readFileSync(join(dir, 'kept', `${id}.bin`)) }
  } catch {
    return null
  }
}

/** A stored file by id, or null when unknown or expired. */
export function openStoredFile(dir: string, id: string, now: number): { meta: Meta; bytes: Buffer } | null {
  if (!ID.test(id)) return null
  try {
    const meta = JSON.parse(readFileSync(join(dir, `${id}.json`), 'utf8')) as Meta
    if (meta.expiresAt <= now) return null
    return { meta, bytes: readFileSync(join(dir, `${id}.bin`)) }
  } catch {
    return null
  }
}

/** Old exports are removed as new ones are made, so the folder does not grow for ever. */
function sweep(dir: string, now: number): void {
  for (const f of readdirSync(dir)) {
    if (!f.endsWith('.json')) continue
    const path = join(dir, f)
    try {
      const meta = JSON.parse(readFileSync(path, 'utf8')) as Meta
      if (meta.expiresAt > now && statSync(path).size > 0) continue
    } catch {
      // Unreadable: remove it too.
    }
    rmSync(path, { force: true })
    rmSync(path.replace(/\.json$/, '.bin'), { force: true })
  }
}
