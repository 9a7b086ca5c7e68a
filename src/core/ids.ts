/**
 * Deterministic document ids. Idempotency rests on them: a retried or doubled
 * request derives the same id, so the database's unique `_id` turns the second
 * write into a no-op or a conflict instead of a duplicate.
 */

/** Longest id IdSchema accepts; derived ids must stay within it. */
export const MAX_ID_LENGTH = 128

const ID_PART = /^[A-Za-z0-9_.-]+$/

/**
 * 64-bit FNV-1a over UTF-16 code units, as 16 hex digits. Written out with two
 * 32-bit halves because BigInt is missing on the older mini-program engines;
 * stable forever, since stored ids depend on it. Not a security hash.
 */
export function stableHash(text: string): string {
  // 64-bit state as four 16-bit limbs (h3 most significant) so every product
  // stays exactly representable in a double.
  let h0 = 0x2325
  let h1 = 0x8422
  let h2 = 0x9ce4
  let h3 = 0xcbf2
  for (let i = 0; i < text.length; i++) {
    h0 ^= text.charCodeAt(i)
    // Multiply by the FNV prime 0x100000001b3 = 2^40 + 0x1b3.
    const t0 = h0 * 0x1b3
    const t1 = h1 * 0x1b3
    const t2 = h2 * 0x1b3 + (h0 << 8)
    const t3 = h3 * 0x1b3 + (h1 << 8)
    const c1 = t1 + (t0 >>> 16)
    const c2 = t2 + Math.floor(c1 / 0x10000)
    const c3 = t3 + Math.floor(c2 / 0x10000)
    h0 = t0 & 0xffff
    h1 = c1 & 0xffff
    h2 = c2 & 0xffff
    h3 = c3 & 0xffff
  }
  return [h3, h2, h1, h0].map((h) => (h + 0x10000).toString(16).slice(1)).join('')
}

/**
 * `prefix:part:part`, readable when the parts are plain ids. When a part
 * carries a `:` (the joiner would become ambiguous) or the result would be too
 * long, the parts are hashed instead, so any input still yields a valid id.
 */
export function deriveId(prefix: string, ...parts: readonly string[]): string {
  if (!ID_PART.test(prefix)) throw new Error(`bad id prefix: ${prefix}`)
  const plain = parts.every((p) => ID_PART.test(p))
  const joined = [prefix, ...parts].join(':')
  if (plain && joined.length <= MAX_ID_LENGTH) return joined
  return `${prefix}:h${stableHash(JSON.stringify(parts))}`
}
