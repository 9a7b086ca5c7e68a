/**
 * The table of contents of a zip (an .xlsx is one), read from its central
 * directory without unpacking anything: the import decides from the sizes
 * the file declares whether it will unpack a part at all, and then unpacks
 * it with the declared size as a hard limit (workbook.ts), so a part that
 * lies about its size is stopped at the lie, not after gigabytes.
 */
export interface ZipEntry {
  name: string
  /** 0 stored, 8 deflated; anything else is refused when read. */
  method: number
  encrypted: boolean
  compressedSize: number
  /** As declared by the central directory. */
  size: number
  /** Offset of the entry's local header. */
  localOffset: number
}

/** Not a zip, or a damaged one. */
export class ZipError extends Error {}

const EOCD = 0x06054b50
const EOCD64_LOCATOR = 0x07064b50
const EOCD64 = 0x06064b50
const CENTRAL = 0x02014b50
const LOCAL = 0x04034b50
const MAX32 = 0xffffffff

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

function u64(v: DataView, at: number): number {
  // Exact up to 2^53, far past any size this code accepts.
  return v.getUint32(at, true) + v.getUint32(at + 4, true) * 2 ** 32
}

function findEnd(v: DataView): number {
  // The end record is the last 22 bytes plus a comment of at most 65,535.
  const stop = Math.max(0, v.byteLength - 22 - 0xffff)
  for (let i = v.byteLength - 22; i >= stop; i--) if (v.getUint32(i, true) === EOCD) return i
  throw new ZipError('no end of central directory')
}

/** Every entry of the central directory; at most `maxEntries`, else ZipError. */
export function zipDirectory(bytes: Uint8Array, maxEntries = 2000): ZipEntry[] {
  const v = view(bytes)
  if (bytes.length < 22) throw new ZipError('too short')
  const end = findEnd(v)
  let count = v.getUint16(end + 10, true)
  let offset = v.getUint32(end + 16, true)
  if ((count === 0xffff || offset === MAX32) && end >= 20 && v.getUint32(end - 20, true) === EOCD64_LOCATOR) {
    const at = u64(v, end - 12)
    if (at + 56 > bytes.length || v.getUint32(at, true) !== EOCD64) throw new ZipError('bad zip64 end record')
    count = u64(v, at + 32)
    offset = u64(v, at + 48)
  }
  if (count > maxEntries) throw new ZipError('too many entries')
  const entries: ZipEntry[] = []
  let p = offset
  const names = new TextDecoder('utf-8')
  for (let i = 0; i < count; i++) {
    if (p + 46 > bytes.length || v.getUint32(p, true) !== CENTRAL) throw new ZipError('bad central directory')
    const flags = v.getUint16(p + 8, true)
    const method = v.getUint16(p + 10, true)
    let compressedSize = v.getUint32(p + 20, true)
    let size = v.getUint32(p + 24, true)
    const nameLen = v.getUint16(p + 28, true)
    const extraLen = v.getUint16(p + 30, true)
    const commentLen = v.getUint16(p + 32, true)
    let localOffset = v.getUint32(p + 42, true)
    if (p + 46 + nameLen + extraLen > bytes.length) throw new ZipError('bad central directory')
    const name = names.decode(bytes.subarray(p + 46, p + 46 + nameLen))
    // Zip64: the fields set to 0xFFFFFFFF are in the extra field 0x0001, in this order.
    if (size === MAX32 || compressedSize === MAX32 || localOffset === MAX32) {
      let x = p + 46 + nameLen
      const xEnd = x + extraLen
      let found = false
      while (x + 4 <= xEnd) {
        const id = v.getUint16(x, true)
        const len = v.getUint16(x + 2, true)
        if (id === 1) {
          let q = x + 4
          const take = () => {
            if (q + 8 > x + 4 + len) throw new ZipError('bad zip64 extra field')
            const n = u64(v, q)
            q += 8
            return n
          }
          if (size === MAX32) size = take()
          if (compressedSize === MAX32) compressedSize = take()
          if (localOffset === MAX32) localOffset = take()
          found = true
          break
        }
        x += 4 + len
      }
      if (!found) throw new ZipError('zip64 sizes missing')
    }
    entries.push({ name: name.replace(/^\/+/, ''), method, encrypted: (flags & 1) === 1, compressedSize, size, localOffset })
    p += 46 + nameLen + extraLen + commentLen
  }
  return entries
}

/** The entry's stored (usually deflated) bytes, located through its local header. */
export function entryData(bytes: Uint8Array, e: ZipEntry): Uint8Array {
  const v = view(bytes)
  const at = e.localOffset
  if (at + 30 > bytes.length || v.getUint32(at, true) !== LOCAL) throw new ZipError('bad local header')
  const start = at + 30 + v.getUint16(at + 26, true) + v.getUint16(at + 28, true)
  if (start + e.compressedSize > bytes.length) throw new ZipError('entry past the end of the file')
  return bytes.subarray(start, start + e.compressedSize)
}
