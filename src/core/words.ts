/**
 * The published word-count rule (PRODUCT.md, "A published, stable word-count
 * rule"), run on the phone for live feedback and on the server, whose count is
 * the one kept. Decisions where the rule is silent:
 * - Han characters are matched by explicit block ranges, not by the engine's
 *   Unicode data, so phone and server agree whatever their Unicode version.
 *   The ranges are every CJK Unified Ideographs block (URO, Ext A–J) and both
 *   CJK Compatibility Ideographs blocks; unassigned code points inside a
 *   block count too. Kangxi and CJK radicals are symbols and count 0.
 * - The full-width range U+FF01–U+FF60 includes full-width digits and Latin
 *   letters (０–９, Ａ–Ｚ, ａ–ｚ): the rule lists the range as marks, so each
 *   counts 1 on its own and never forms a run. Likewise 々 and 〇 (in
 *   U+3001–U+303F) count 1 each.
 * - Letters are Unicode \p{L} outside the Han blocks (so kana, Hangul,
 *   Cyrillic and half-width katakana form runs); digits are \p{Nd}. Other
 *   numerals (①, Ⅻ, ²) are symbols and count 0.
 * - A run joiner is exactly one ASCII `.` `,` `'` `-` with a letter or digit
 *   right after it; `a--b`, `a. b` and a trailing `.` all end the run. Curly
 *   quotes and · are counted marks, so `don’t` is 3 and `马克思·韦伯` is 6.
 * - Combining marks (\p{M}, incl. variation selectors) belong to the run they
 *   follow; anywhere else they count 0. So a keycap 1️⃣ counts as its digit.
 * - A Han character or a counted mark right beside a letter ends the run:
 *   `中国GDP` is 3.
 * - Lone surrogates count 0.
 */

export const NOTE_MAX_CHARS = 20000

export const WORD_COUNT_RULE_ZH =
  '字数统计规则（与手机端、服务器端一致，以服务器统计为准）：每个汉字计 1 字；' +
  '每个中文或全角标点符号计 1 字（如，。、；：？！“”‘’《》（）……——·，全角数字和全角字母也各计 1 字）；' +
  '连续的英文字母或阿拉伯数字计 1 字，中间以一个“.”“,”“\'”或“-”相连的仍算同一个词，' +
  '例如 GDP、2022、1.5、e-mail、1,000 各计 1 字；' +
  '空格、换行、半角标点、表情符号和其他符号不计字数。'

/** Inclusive [start, end] code point ranges of the Han blocks, sorted. */
const HAN_RANGES: readonly number[] = [
  0x3400, 0x4dbf, // Extension A
  0x4e00, 0x9fff, // Unified Ideographs
  0xf900, 0xfaff, // Compatibility Ideographs
  0x20000, 0x2a6df, // Extension B
  0x2a700, 0x2ebef, // Extensions C, D, E, F (contiguous)
  0x2ebf0, 0x2ee5f, // Extension I
  0x2f800, 0x2fa1f, // Compatibility Ideographs Supplement
  0x30000, 0x3134f, // Extension G
  0x31350, 0x323af, // Extension H
  0x323b0, 0x3347f // Extension J
]

// Character classes. Plain numbers rather than an enum so Babel and ts-jest
// transpile this file identically and the BMP cache can store them as bytes.
type Kind = 0 | 1 | 2 | 3 | 4 | 5
/** Not classified yet (BMP cache only). */
const UNKNOWN = 0
/** Han character or counted mark: 1 each, ends any run. */
const COUNTED = 1
/** Letter or digit: starts or continues a run. */
const WORD = 2
/** Combining mark: continues a run, else nothing. */
const MARK = 3
/** `.` `,` `'` `-`: continues a run only between two word characters. */
const JOINER = 4
/** Everything else: 0, ends any run. */
const OTHER = 5

function isHan(cp: number): boolean {
  if (cp < 0x3400) return false
  for (let i = 0; i < HAN_RANGES.length; i += 2) {
    if (cp < HAN_RANGES[i]) return false
    if (cp <= HAN_RANGES[i + 1]) return true
  }
  return false
}

function isCountedMark(cp: number): boolean {
  return (
    (cp >= 0x3001 && cp <= 0x303f) ||
    (cp >= 0xff01 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    cp === 0x201c ||
    cp === 0x201d ||
    cp === 0x2018 ||
    cp === 0x2019 ||
    cp === 0x2026 ||
    cp === 0x2014 ||
    cp === 0x00b7
  )
}

// Babel (preset-env, via babel-preset-taro) expands these property escapes
// into plain character classes for the old mini-program engines.
const WORD_RE = /^[\p{L}\p{Nd}]$/u
const MARK_RE = /^\p{M}$/u

/** BMP classifications computed so far; the slow regex path runs once per character. */
let bmpCache: Uint8Array | null = null

function classifyByProperty(cp: number): Kind {
  const ch = String.fromCodePoint(cp)
  if (WORD_RE.test(ch)) return WORD
  if (MARK_RE.test(ch)) return MARK
  return OTHER
}

function classify(cp: number): Kind {
  if (cp < 0x80) {
    // ASCII fast path: the bulk of non-Han text in a note.
    if ((cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a)) {
      return WORD
    }
    if (cp === 0x2e || cp === 0x2c || cp === 0x27 || cp === 0x2d) return JOINER
    return OTHER
  }
  if (isHan(cp) || isCountedMark(cp)) return COUNTED
  if (cp >= 0xd800 && cp <= 0xdfff) return OTHER // lone surrogate
  if (cp > 0xffff) return classifyByProperty(cp)
  if (bmpCache === null) bmpCache = new Uint8Array(0x10000)
  let kind = bmpCache[cp] as Kind
  if (kind === UNKNOWN) {
    kind = classifyByProperty(cp)
    bmpCache[cp] = kind
  }
  return kind
}

/** Code point at index i and its UTF-16 width, treating a lone surrogate as itself. */
function codePointAt(text: string, i: number): number {
  const c = text.charCodeAt(i)
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
    const d = text.charCodeAt(i + 1)
    if (d >= 0xdc00 && d <= 0xdfff) return (c - 0xd800) * 0x400 + (d - 0xdc00) + 0x10000
  }
  return c
}

/** Counts words in one pass over code points by the published rule (see above). */
export function countNoteWords(text: string): number {
  let count = 0
  let inRun = false
  const n = text.length
  let i = 0
  while (i < n) {
    const cp = codePointAt(text, i)
    i += cp > 0xffff ? 2 : 1
    const kind = classify(cp)
    if (kind === WORD) {
      if (!inRun) {
        count++
        inRun = true
      }
    } else if (kind === MARK) {
      // Joins the run it follows; outside a run it counts nothing.
    } else if (kind === JOINER) {
      if (inRun) {
        // One joiner keeps the run alive only if a word character follows it.
        inRun = i < n && classify(codePointAt(text, i)) === WORD
      }
    } else {
      inRun = false
      if (kind === COUNTED) count++
    }
  }
  return count
}
