/**
 * Security headers on every answer of the local server: the H5 page, its
 * assets, the API and the export downloads.
 *
 * The page's Content-Security-Policy is what the Taro H5 build needs and no
 * more: its scripts and styles come from this origin; Taro's index.html has
 * one inline script (the rem sizing snippet), allowed by its SHA-256 read
 * from the built file (so a rebuild needs no edit here); styles may be
 * inline (Taro's components inject <style> at run time); images may be
 * data:/blob: (the check-in QR is drawn as a data: URL; the favicon is
 * `data:,`); the API is same-origin. No framing anywhere (clickjacking a
 * secretary's 确认 taps), no MIME sniffing, no Referer leaving the origin.
 * An e2e test loads the pages in Chromium and fails on any CSP violation.
 */
import { createHash } from 'crypto'
import { readFileSync, statSync } from 'fs'
import { join } from 'path'

export const BASE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  // frame-ancestors is the rule; X-Frame-Options is for browsers (old WebViews) that know only it.
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin'
})

/** Anything that is not the page (JSON, assets, downloads): nothing may run or be framed. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

/** The inline `<script>` blocks of an HTML file, as CSP hash sources. */
export function inlineScriptHashes(html: string): string[] {
  const out: string[] = []
  const re = /<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi
  for (const m of html.matchAll(re)) {
    if (/\bsrc\s*=/i.test(m[1])) continue
    out.push(`'sha256-${createHash('sha256').update(m[2], 'utf8').digest('base64')}'`)
  }
  return [...new Set(out)]
}

export function pageCsp(scriptHashes: string[]): string {
  return [
    "default-src 'self'",
    `script-src 'self'${scriptHashes.map((h) => ' ' + h).join('')}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "media-src 'self' blob:",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'"
  ].join('; ')
}

/** The page policy for a static folder, re-read when index.html changes (a rebuild under `dev:h5 --watch`). */
export function pageCspFor(staticDir: string | undefined): () => string {
  let cached: { mtimeMs: number; size: number; policy: string } | null = null
  return () => {
    if (!staticDir) return pageCsp([])
    const file = join(staticDir, 'index.html')
    try {
      const st = statSync(file)
      if (!cached || cached.mtimeMs !== st.mtimeMs || cached.size !== st.size) {
        cached = { mtimeMs: st.mtimeMs, size: st.size, policy: pageCsp(inlineScriptHashes(readFileSync(file, 'utf8'))) }
      }
      return cached.policy
    } catch {
      return pageCsp([])
    }
  }
}
