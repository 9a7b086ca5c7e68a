/**
 * The index-lookup rules shared by the note function's adapter (database
 * postings) and the in-memory index the demo seed uses, so both judge a note
 * the same way.
 */
import { MAX_CANDIDATES, MIN_SHARED, fingerprints, fingerprintSet, judgeCopies, normalise, type Candidate, type CopyJudgement } from './engine'

/** A posting keeps at most this many ids, the first ones indexed. */
export const POSTING_CAP = 100
/**
 * Postings read per check at most. A longer note (over ~2,700 characters)
 * looks up a deterministic 1-in-`step` sample of its fingerprints (by hash
 * value, so the same ones every time) to find candidates; the candidates'
 * full prints then give the exact overlap.
 */
export const LOOKUP_MAX = 600
/** Known source texts share the postings with notes under ids with this prefix. */
export const SOURCE_PREFIX = 'src:'

export function isSourceKey(id: string): boolean {
  return id.startsWith(SOURCE_PREFIX)
}

/** The fingerprints to look up, and the sampling step used. */
export function lookupSample(hashes: readonly string[]): { looked: string[]; step: number } {
  const step = Math.max(1, Math.ceil(hashes.length / LOOKUP_MAX))
  return { looked: step === 1 ? [...hashes] : hashes.filter((h) => parseInt(h.slice(0, 8), 16) % step === 0), step }
}

/**
 * From posting hits (id → how many looked-up fingerprints it carries): every
 * source key with enough hits, and the MAX_CANDIDATES most-hit notes.
 */
export function rankHits(hits: ReadonlyMap<string, number>, step: number): { sources: string[]; notes: string[] } {
  const minHits = step === 1 ? MIN_SHARED : 1
  const sorted = [...hits.entries()].filter(([, c]) => c >= minHits).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
  return {
    sources: sorted.filter(([id]) => isSourceKey(id)).map(([id]) => id),
    notes: sorted
      .filter(([id]) => !isSourceKey(id))
      .slice(0, MAX_CANDIDATES)
      .map(([id]) => id)
  }
}

interface Entry<M> {
  hashes: string[]
  createdAt: number
  meta: M
}

/**
 * The same index in memory: postings capped at POSTING_CAP, prints per id.
 * Used to seed demo data quickly; `postings()` / `prints()` give what the
 * adapter would have stored.
 */
export class MemoryIndex<M> {
  readonly postingMap = new Map<string, string[]>()
  readonly entries = new Map<string, Entry<M>>()

  /** Indexes a text (or its fingerprint set, as `judge` returned it). */
  add(id: string, text: string | { hashes: readonly string[] }, createdAt: number, meta: M): string[] {
    const hashes = typeof text === 'string' ? fingerprintSet(text) : [...text.hashes]
    for (const h of hashes) {
      const list = this.postingMap.get(h)
      if (!list) this.postingMap.set(h, [id])
      // Sources go past the cap, as in the adapter: a speech added late must still be found.
      else if ((list.length < POSTING_CAP || isSourceKey(id)) && !list.includes(id)) list.push(id)
    }
    this.entries.set(id, { hashes, createdAt, meta })
    return hashes
  }

  /** Judges `text` (note `id`, first written at `at`) against what is indexed. */
  judge(id: string, text: string, at: number): CopyJudgement<M> & { hashes: string[] } {
    const norm = normalise(text)
    const prints = fingerprints(norm)
    const hashes = [...new Set(prints.map((p) => p.hash))]
    const { looked, step } = lookupSample(hashes)
    const hits = new Map<string, number>()
    for (const h of looked) for (const other of this.postingMap.get(h) ?? []) if (other !== id) hits.set(other, (hits.get(other) ?? 0) + 1)
    const { sources, notes } = rankHits(hits, step)
    const mine = new Set(hashes)
    const candidates: Array<Candidate<M> & { source?: boolean }> = []
    for (const key of [...sources, ...notes]) {
      const e = this.entries.get(key)
      if (!e) continue
      const source = isSourceKey(key)
      if (!source && e.createdAt > at) continue
      candidates.push({ id: key, shared: new Set(e.hashes.filter((h) => mine.has(h))), meta: e.meta, source })
    }
    return { ...judgeCopies(text, candidates, norm, prints), hashes }
  }
}
