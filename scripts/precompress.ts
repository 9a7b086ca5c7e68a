/**
 * Build-time compression of the H5 app (run by `npm run build:h5` after
 * `taro build --type h5`):  tsx scripts/precompress.ts [dir]   (default dist/h5)
 *
 * Writes `<file>.br` (brotli, quality 11) and `<file>.gz` (gzip -9) next to
 * each text asset, with the source's mtime, so the local server sends them
 * as they are (@fastify/static `preCompressed`) instead of compressing on
 * every request. A file that does not shrink gets none (the server then sends
 * the original); a `.br`/`.gz` whose source is gone is removed. Run again, it
 * redoes only files whose source changed. The server refuses a compressed copy
 * whose mtime differs from its source (a `dev:h5 --watch` rebuild without
 * this step): it sends the original instead of a stale one.
 */
import { existsSync, readdirSync, readFileSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'fs'
import { join, resolve } from 'path'
import { brotliCompressSync, constants, gzipSync } from 'zlib'

export const COMPRESSIBLE = /\.(?:js|css|html|svg|json|txt|map|xml|webmanifest)$/i
/** A copy's mtime is set from its source's at millisecond precision (utimes takes a Date). */
export function sameMtime(copyMs: number, sourceMs: number): boolean {
  return Math.abs(copyMs - sourceMs) < 1
}

/** Below this a compressed copy saves less than its headers cost. */
const MIN_BYTES = 256

export interface PrecompressReport {
  files: number
  written: number
  bytes: number
  br: number
  gz: number
}

function walk(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    if (e.isDirectory()) walk(p, out)
    else if (e.isFile()) out.push(p)
  }
  return out
}

export function precompressDir(dir: string): PrecompressReport {
  const report: PrecompressReport = { files: 0, written: 0, bytes: 0, br: 0, gz: 0 }
  for (const file of walk(dir)) {
    const m = /^(.*)\.(br|gz)$/.exec(file)
    if (m) {
      if (!existsSync(m[1])) unlinkSync(file)
      continue
    }
    if (!COMPRESSIBLE.test(file)) continue
    const st = statSync(file)
    if (st.size < MIN_BYTES) continue
    report.files++
    report.bytes += st.size
    let source: Buffer | null = null
    for (const [ext, compress] of [
      ['.br', (b: Buffer) => brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: b.length } })],
      ['.gz', (b: Buffer) => gzipSync(b, { level: 9 })]
    ] as const) {
      const target = file + ext
      const existing = existsSync(target) ? statSync(target) : null
      if (existing && sameMtime(existing.mtimeMs, st.mtimeMs)) {
        if (ext === '.br') report.br += existing.size
        else report.gz += existing.size
        continue
      }
      source ??= readFileSync(file)
      const packed = compress(source)
      if (packed.length >= source.length) {
        if (existing) unlinkSync(target)
        continue
      }
      writeFileSync(target, packed)
      utimesSync(target, st.atime, st.mtime)
      report.written++
      if (ext === '.br') report.br += packed.length
      else report.gz += packed.length
    }
  }
  return report
}

if (require.main === module) {
  const dir = resolve(process.argv[2] ?? join(__dirname, '..', 'dist', 'h5'))
  if (!existsSync(dir)) {
    console.error(`precompress: ${dir} does not exist (run taro build --type h5 first)`)
    process.exit(1)
  }
  const t0 = Date.now()
  const r = precompressDir(dir)
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`
  console.log(`precompress: ${r.files} files, ${kb(r.bytes)} -> br ${kb(r.br)}, gz ${kb(r.gz)} (${r.written} written, ${Date.now() - t0} ms)`)
}
