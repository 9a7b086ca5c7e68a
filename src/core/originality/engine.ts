/**
 * Near-duplicate detection for reading notes (issue 4, "Credited words:
 * copying is visible"). Pure and synchronous, so the phone and the server can
 * share it; the storage of fingerprints lives in the note function
 * (cloudfunctions/_shared/originality.ts).
 *
 * Method: character k-gram shingles over a normalised text, selected by
 * winnowing (Schleimer, Wilkerson & Aiken, SIGMOD 2003), looked up through an
 * inverted index (fingerprint → notes), then passage reconstruction on the
 * new note's side.
 *
 * Normalisation: every character that is not a letter or a digit (spaces,
 * line breaks, CJK and ASCII punctuation, symbols, emoji) is dropped;
 * full-width ASCII (U+FF01–U+FF5E) folds to half-width; Latin A–Z folds to
 * lower case. Each kept character remembers its UTF-16 span in the original
 * text, so passages can be cut out of the original for the word count.
 *
 * Thresholds (chosen on data/seeds, see test/core/originality). Experiment
 * (each seed paragraph ≥ 150 chars, one Han character in every N replaced
 * and ，。 turned into ASCII; share of its words still credited against the
 * original; and fingerprints shared between DIFFERENT speeches):
 *
 *   K   1 in 15 changed   1 in 25   1 in 40   cross-speech shared prints
 *   8        12 %            4 %       4 %        24 / 5984
 *   10       30 %            5 %       5 %        14 / 6038
 *   12       59 %            5 %       4 %         8 / 6002
 *   14       95 %            6 %       5 %      (not measured)
 *
 * No cross-speech pair forms a passage at any K (MIN_PASSAGE below), so K
 * trades robustness to heavy editing against index noise; 10 is the middle.
 *
 * - K = 10 normalised characters per gram. At 8 the three seed speeches (same
 *   genre, same register) share many set phrases of 8–9 characters
 *   ("全面从严治党", "中国特色社会主义"…); at 12 and above a single changed
 *   character every ~20 characters already hides most of a paragraph.
 * - W = 8 grams per winnowing window: density ≈ 2/(W+1) ≈ 22 % of positions,
 *   and any shared run of at least K + W − 1 = 17 characters is guaranteed a
 *   common fingerprint. W ≤ K, so consecutive fingerprints of a copied run
 *   cover it without holes.
 * - EDGE = W − 1 = 7: a qualifying passage is widened by this on each side,
 *   since winnowing may leave that many edge grams of a copied run unselected.
 * - BRIDGE = 2K = 20: matched stretches of the same earlier note that are at
 *   most this far apart join into one passage, so a changed character (which
 *   breaks the K grams through it, plus up to W at the selection edge) does
 *   not split a copied paragraph into credited pieces.
 * - MIN_PASSAGE = 30 normalised characters for a passage, of which at least
 *   MIN_MATCHED = 24 are inside matched grams (not bridged). Shared slogans
 *   such as "不忘初心、牢记使命" (8) or "以习近平新时代中国特色社会主义思想为指导"
 *   (20) never count; a quoted full sentence does.
 * - MIN_SHARED = 2 common fingerprints before an earlier note is examined at
 *   all; MAX_CANDIDATES = 50 most-sharing notes are examined.
 * - Hashes: 32-bit FNV-1a over the gram's code points (Math.imul, no BigInt)
 *   drives winnowing; the stored fingerprint is that hash plus 16 bits of a
 *   second, independently seeded hash (12 hex digits), so chance collisions
 *   among tens of millions of stored grams stay rare; a stray collision
 *   gives one 10-character span, far below MIN_MATCHED.
 *
 * Source excerpts (issue 4: "allowed and counted, shown as excerpt vs own
 * writing where the source text is known"): a candidate flagged `source` is a
 * reference text (a speech), found through the same index. Its passages, with
 * the same thresholds, are EXCERPTS: credited and reported apart. A passage
 * shared with another note counts as copied only where no source covers it;
 * what remains of it after taking the source-covered characters out must
 * still hold MIN_MATCHED characters in one piece (so the EDGE widening of an
 * excerpt never turns into a sliver of "copying" next to it).
 */
import { countNoteWords } from '../words'

export const K = 10
export const W = 8
export const BRIDGE = 2 * K
export const MIN_PASSAGE = 30
export const MIN_MATCHED = 24
/**
 * Winnowing leaves up to W − 1 grams unselected at each end of a copied run,
 * so a qualifying passage is widened by that much on both sides (the error at
 * a true passage edge is then at most W − 1 characters either way).
 */
export const EDGE = W - 1
export const MIN_SHARED = 2
export const MAX_CANDIDATES = 50
/** Matches kept on a note (NoteSchema.matches is at most 20). */
export const MAX_MATCHES = 20

export interface Normalised {
  /** Kept code points, folded. */
  cps: number[]
  /** UTF-16 start of each kept code point in the original text. */
  start: number[]
  /** UTF-16 end (exclusive) of each kept code point in the original text. */
  end: number[]
}

const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u
let bmpKeep: Uint8Array | null = null // 0 unknown, 1 keep, 2 drop

function keepCodePoint(cp: number): boolean {
  if (cp < 0x80) return (cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a)
  if (cp >= 0x4e00 && cp <= 0x9fff) return true
  if (cp >= 0xd800 && cp <= 0xdfff) return false
  if (cp > 0xffff) return LETTER_OR_DIGIT.test(String.fromCodePoint(cp))
  if (bmpKeep === null) bmpKeep = new Uint8Array(0x10000)
  let k = bmpKeep[cp]
  if (k === 0) {
    k = LETTER_OR_DIGIT.test(String.fromCharCode(cp)) ? 1 : 2
    bmpKeep[cp] = k
  }
  return k === 1
}

/** Drops spacing and punctuation, folds width and case, keeping positions. */
export function normalise(text: string): Normalised {
  const cps: number[] = []
  const start: number[] = []
  const end: number[] = []
  const n = text.length
  let i = 0
  while (i < n) {
    let cp = text.charCodeAt(i)
    let width = 1
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < n) {
      const d = text.charCodeAt(i + 1)
      if (d >= 0xdc00 && d <= 0xdfff) {
        cp = (cp - 0xd800) * 0x400 + (d - 0xdc00) + 0x10000
        width = 2
      }
    }
    if (cp >= 0xff01 && cp <= 0xff5e) cp -= 0xfee0 // full-width ASCII → ASCII
    if (keepCodePoint(cp)) {
      if (cp >= 0x41 && cp <= 0x5a) cp += 0x20
      cps.push(cp)
      start.push(i)
      end.push(i + width)
    }
    i += width
  }
  return { cps, start, end }
}

/** A selected gram: its hash (as stored) and where it starts in the normalised text. */
export interface Fingerprint {
  hash: string
  pos: number
}

function hex8(h: number): string {
  return ((h >>> 0) + 0x100000000).toString(16).slice(1)
}

/** 32-bit FNV-1a (two seeds) of every K-gram of the normalised text. */
// A module binding, not a global lookup per character (a vm context such as
// jest's makes every global lookup slow).
const imul = Math.imul

function gramHashes(list: readonly number[]): { h1: Uint32Array; h2: Uint32Array } {
  const cps = Int32Array.from(list)
  const count = Math.max(0, cps.length - K + 1)
  const h1 = new Uint32Array(count)
  const h2 = new Uint32Array(count)
  for (let p = 0; p < count; p++) {
    let a = 0x811c9dc5
    let b = 0x050c5d1f
    for (let j = 0; j < K; j++) {
      const c = cps[p + j]
      a = imul(a ^ (c & 0xffff), 0x01000193)
      a = imul(a ^ (c >>> 16), 0x01000193)
      b = imul(b ^ c, 0x2c1b3c6d)
      b ^= b >>> 15
    }
    h1[p] = a >>> 0
    h2[p] = b >>> 0
  }
  return { h1, h2 }
}

/**
 * Winnowing with robust tie-breaking: in every window of W consecutive gram
 * hashes the minimum (rightmost on ties) is selected; each selection is
 * recorded once. Texts shorter than K give nothing; shorter than K + W − 1
 * give the single minimum.
 */
export function fingerprints(text: string | Normalised): Fingerprint[] {
  const norm = typeof text === 'string' ? normalise(text) : text
  const { h1, h2 } = gramHashes(norm.cps)
  const count = h1.length
  const out: Fingerprint[] = []
  if (count === 0) return out
  const win = Math.min(W, count)
  let last = -1
  for (let s = 0; s + win <= count; s++) {
    let best = s
    for (let j = s + 1; j < s + win; j++) if (h1[j] <= h1[best]) best = j
    if (best !== last) {
      out.push({ hash: hex8(h1[best]) + hex8(h2[best]).slice(0, 4), pos: best })
      last = best
    }
  }
  return out
}

/** The distinct fingerprint hashes of a text, as stored in the index. */
export function fingerprintSet(text: string): string[] {
  return [...new Set(fingerprints(text).map((f) => f.hash))]
}

/** An earlier note that shares fingerprints with the new one. */
export interface Candidate<M = unknown> {
  id: string
  /** Fingerprint hashes this earlier note shares with the new one (a subset is fine). */
  shared: ReadonlySet<string>
  meta: M
}

export interface Passage {
  /** Normalised character range [from, to). */
  from: number
  to: number
}

/** A range of the ORIGINAL text, UTF-16 [start, end). */
export interface Span {
  start: number
  end: number
}

/** Passages shown per match at most (NoteMatchSchema.passages). */
export const MAX_MATCH_PASSAGES = 10

export interface CopyMatch<M = unknown> {
  id: string
  meta: M
  /** Normalised characters of the new note inside passages found in this earlier note. */
  chars: number
  passages: Passage[]
  /** The same passages in the new note's original text (first MAX_MATCH_PASSAGES, in order). */
  spans: Span[]
}

/** Normalised passages → ranges of the original text (first kept character to last). */
export function toSpans(norm: Normalised, passages: readonly Passage[], max = MAX_MATCH_PASSAGES): Span[] {
  return [...passages]
    .filter((p) => p.to > p.from)
    .sort((a, b) => a.from - b.from)
    .slice(0, max)
    .map((p) => ({ start: norm.start[p.from], end: norm.end[p.to - 1] }))
}

/** The pieces of `passages` outside `mask` (1 = taken), kept when at least `min` long. */
export function subtractCovered(passages: readonly Passage[], mask: Uint8Array, min = MIN_MATCHED): Passage[] {
  const out: Passage[] = []
  for (const p of passages) {
    let i = p.from
    while (i < p.to) {
      while (i < p.to && mask[i]) i++
      let j = i
      while (j < p.to && !mask[j]) j++
      if (j - i >= min) out.push({ from: i, to: j })
      i = j
    }
  }
  return out
}

export interface CopyJudgement<M = unknown> {
  words: number
  copiedWords: number
  /** words − copiedWords: excerpts from a known source are credited. */
  creditedWords: number
  /** Words inside passages found in a known source text (credited, shown as excerpt). */
  excerptWords: number
  /** Source texts excerpted, biggest first. */
  excerpts: Array<CopyMatch<M>>
  /** Excerpted ranges of the original text, UTF-16 [start, end), merged, in order. */
  excerptSpans: Array<[number, number]>
  /** Normalised characters copied from any earlier note. */
  copiedChars: number
  /** Biggest first, at most MAX_MATCHES. */
  matches: Array<CopyMatch<M>>
  /** Copied ranges of the original text, UTF-16 [start, end), merged, in order. */
  copiedSpans: Array<[number, number]>
}

/** Passages of the new note covered by the given fingerprint positions. */
export function passagesFrom(positions: readonly number[], length: number): Passage[] {
  if (positions.length === 0) return []
  const sorted = [...positions].sort((a, b) => a - b)
  const raw: Array<{ from: number; to: number; matched: number }> = []
  for (const p of sorted) {
    const to = Math.min(length, p + K)
    const cur = raw[raw.length - 1]
    if (cur && p <= cur.to) {
      if (to > cur.to) {
        cur.matched += to - cur.to
        cur.to = to
      }
    } else if (cur && p - cur.to <= BRIDGE) {
      cur.matched += to - p
      cur.to = to
    } else {
      raw.push({ from: p, to, matched: to - p })
    }
  }
  return raw
    .filter((r) => r.to - r.from >= MIN_PASSAGE && r.matched >= MIN_MATCHED)
    .map((r) => ({ from: Math.max(0, r.from - EDGE), to: Math.min(length, r.to + EDGE) }))
}

/** Merged runs of a mask as original-text spans, with the words they hold. */
function spansOf(text: string, n: Normalised, mask: Uint8Array): { spans: Array<[number, number]>; chars: number; words: number } {
  const spans: Array<[number, number]> = []
  let chars = 0
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue
    let j = i
    while (j + 1 < mask.length && mask[j + 1]) j++
    chars += j - i + 1
    // Punctuation and spacing right after a stretch belong to it (the "。"
    // ending a copied sentence); before the first kept character too.
    spans.push([i === 0 ? 0 : n.start[i], j + 1 < mask.length ? n.start[j + 1] : text.length])
    i = j
  }
  let words = 0
  for (const [s, e] of spans) words += countNoteWords(text.slice(s, e))
  return { spans, chars, words }
}

/**
 * Judges a new text against earlier notes (and known source texts, flagged
 * `source`) sharing fingerprints with it. Candidates below MIN_SHARED are
 * ignored; every source and the MAX_CANDIDATES most-sharing notes are
 * examined. Excerpts (source passages) are credited; a note passage counts
 * as copied only outside them. Copied words are counted with the published
 * rule over the copied stretches of the original text (punctuation inside
 * them included), so creditedWords = words − copiedWords, never below 0.
 */
export function judgeCopies<M>(
  text: string,
  candidates: ReadonlyArray<Candidate<M> & { source?: boolean }>,
  norm?: Normalised,
  prints?: Fingerprint[]
): CopyJudgement<M> {
  const words = countNoteWords(text)
  const n = norm ?? normalise(text)
  const fps = prints ?? fingerprints(n)
  const positionsOf = new Map<string, number[]>()
  for (const f of fps) {
    const list = positionsOf.get(f.hash)
    if (list) list.push(f.pos)
    else positionsOf.set(f.hash, [f.pos])
  }
  const passagesOf = (c: Candidate<M>): Passage[] => {
    const positions: number[] = []
    for (const h of c.shared) {
      const ps = positionsOf.get(h)
      if (ps) for (const p of ps) positions.push(p)
    }
    return passagesFrom(positions, n.cps.length)
  }
  const byShare = (a: Candidate<M>, b: Candidate<M>) => b.shared.size - a.shared.size || (a.id < b.id ? -1 : 1)
  const eligible = candidates.filter((c) => c.shared.size >= MIN_SHARED)

  // 1. Excerpts: passages found in a known source text.
  const excerpted = new Uint8Array(n.cps.length)
  const excerpts: Array<CopyMatch<M>> = []
  for (const c of eligible.filter((c) => c.source).sort(byShare)) {
    const passages = passagesOf(c)
    if (passages.length === 0) continue
    let chars = 0
    for (const p of passages) {
      chars += p.to - p.from
      excerpted.fill(1, p.from, p.to)
    }
    excerpts.push({ id: c.id, meta: c.meta, chars, passages, spans: toSpans(n, passages) })
  }

  // 2. Copies: passages found in an earlier note, outside the excerpts.
  const ranked = eligible
    .filter((c) => !c.source)
    .sort(byShare)
    .slice(0, MAX_CANDIDATES)
  const matches: Array<CopyMatch<M>> = []
  const covered = new Uint8Array(n.cps.length)
  for (const c of ranked) {
    const found = passagesOf(c)
    const passages = excerpts.length > 0 ? subtractCovered(found, excerpted) : found
    if (passages.length === 0) continue
    let chars = 0
    for (const p of passages) {
      chars += p.to - p.from
      covered.fill(1, p.from, p.to)
    }
    matches.push({ id: c.id, meta: c.meta, chars, passages, spans: toSpans(n, passages) })
  }
  matches.sort((a, b) => b.chars - a.chars || (a.id < b.id ? -1 : 1))
  excerpts.sort((a, b) => b.chars - a.chars || (a.id < b.id ? -1 : 1))
  const copied = spansOf(text, n, covered)
  for (let i = 0; i < excerpted.length; i++) if (covered[i]) excerpted[i] = 0
  const excerpt = spansOf(text, n, excerpted)
  const copiedWords = Math.min(words, copied.words)
  return {
    words,
    copiedWords,
    creditedWords: words - copiedWords,
    excerptWords: Math.min(words - copiedWords, excerpt.words),
    excerpts: excerpts.slice(0, MAX_MATCHES),
    excerptSpans: excerpt.spans,
    copiedChars: copied.chars,
    matches: matches.slice(0, MAX_MATCHES),
    copiedSpans: copied.spans
  }
}

/** Shanghai calendar date (YYYY-MM-DD) of an instant, for notices. */
export function shanghaiDate(ms: number): string {
  return new Date(ms + 8 * 3600 * 1000).toISOString().slice(0, 10)
}

/** Who the copied text matched, as the notice and the note view both say it. */
export function copySubject(matches: ReadonlyArray<{ own: boolean }>): string {
  const own = matches.filter((m) => m.own).length
  if (own === matches.length) return `您自己 ${matches.length} 篇早先的笔记`
  return ` ${matches.length} 篇已有笔记${own > 0 ? `（其中 ${own} 篇是您自己的）` : ''}`
}

/** The dates of the matched notes, earliest first, at most three. */
export function copyDates(ats: readonly number[]): string {
  const dates = [...new Set([...ats].sort((a, b) => a - b).map((at) => shanghaiDate(at)))]
  return dates.slice(0, 3).join('、') + (dates.length > 3 ? '等' : '')
}

/**
 * The sentence a member reads when some words were not credited; '' when all
 * were. Dates only, never whose note: another member's text stays private.
 * The one wording of the copy notice: the save, a repeated save and the note
 * view all say it this way.
 */
export function creditNotice(copiedWords: number, matches: ReadonlyArray<{ at: number; own: boolean }>): string {
  if (copiedWords <= 0 || matches.length === 0) return ''
  return `有约 ${copiedWords} 字与${copySubject(matches)}（${copyDates(matches.map((m) => m.at))}）重复，这部分不计入字数。`
}
