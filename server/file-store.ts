/**
 * The local runtime's file store: generated workbooks are written under the
 * data folder with an unguessable id and served by GET /files/<id>/<name>
 * until they expire (an hour), like CloudBase's temporary links. Uploads do
 * not go through here locally (the browser sends the roster's bytes inline).
 */
import { randomBytes } from 'crypto'
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
    }
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
