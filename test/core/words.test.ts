import * as fs from 'fs'
import * as path from 'path'
import { NOTE_MAX_CHARS, WORD_COUNT_RULE_ZH, countNoteWords } from '../../src/core/words'

/**
 * A second, deliberately plain reading of the published rule: label every
 * code point with one letter, then count with two regular expressions over
 * the labels. Shares no code with the real implementation.
 *   C counted 1 each · W letter/digit · M combining mark · J joiner · _ nothing
 */
const HAN_BLOCKS: Array<[number, number]> = [
  [0x4e00, 0x9fff], // CJK Unified Ideographs
  [0x3400, 0x4dbf], // Extension A
  [0x20000, 0x2a6df], // Extension B
  [0x2a700, 0x2b73f], // Extension C
  [0x2b740, 0x2b81f], // Extension D
  [0x2b820, 0x2ceaf], // Extension E
  [0x2ceb0, 0x2ebef], // Extension F
  [0x30000, 0x3134f], // Extension G
  [0x31350, 0x323af], // Extension H
  [0x2ebf0, 0x2ee5f], // Extension I
  [0x323b0, 0x3347f], // Extension J
  [0xf900, 0xfaff], // Compatibility Ideographs
  [0x2f800, 0x2fa1f] // Compatibility Ideographs Supplement
]
const FULL_WIDTH_BLOCKS: Array<[number, number]> = [
  [0x3001, 0x303f],
  [0xff01, 0xff60],
  [0xffe0, 0xffe6]
]
const LISTED_MARKS = ['\u201c', '\u201d', '\u2018', '\u2019', '\u2026', '\u2014', '\u00b7']
const JOINERS = ['.', ',', "'", '-']

function inBlocks(cp: number, blocks: Array<[number, number]>): boolean {
  return blocks.some(([lo, hi]) => cp >= lo && cp <= hi)
}

function label(ch: string): string {
  const cp = ch.codePointAt(0) as number
  if (inBlocks(cp, HAN_BLOCKS)) return 'C'
  if (inBlocks(cp, FULL_WIDTH_BLOCKS) || LISTED_MARKS.includes(ch)) return 'C'
  if (JOINERS.includes(ch)) return 'J'
  if (/\p{L}|\p{Nd}/u.test(ch)) return 'W'
  if (/\p{M}/u.test(ch)) return 'M'
  return '_'
}

function referenceCount(text: string): number {
  const labels = Array.from(text).map(label).join('')
  const counted = labels.match(/C/g)?.length ?? 0
  const runs = labels.match(/W[WM]*(?:JW[WM]*)*/g)?.length ?? 0
  return counted + runs
}

const HAND_CASES: Array<[string, number, string]> = [
  ['', 0, 'empty'],
  ['学习', 2, 'Han characters'],
  ['学习。', 3, 'full-width full stop'],
  ['、，；：？！（）《》【】', 12, 'CJK and full-width marks'],
  ['“学习”‘笔记’……——·', 13, 'listed quotes, ellipsis, dash, middle dot'],
  ['￥100', 2, 'full-width yen then a digit run'],
  ['GDP', 1, 'letter run'],
  ['2022', 1, 'digit run'],
  ['1.5', 1, 'decimal'],
  ['e-mail', 1, 'hyphen joins'],
  ['1,000', 1, 'thousands comma joins'],
  ["it's", 1, 'apostrophe joins'],
  ['a--b', 2, 'two joiners break the run'],
  ['a.-b', 2, 'two different joiners break the run'],
  ['GDP.', 1, 'trailing full stop is not part of a run'],
  ['.5', 1, 'leading full stop is not part of a run'],
  ['1.2.3', 1, 'repeated single joiners keep one run'],
  ['end. Next', 2, 'joiner then space ends the run'],
  ['hello world', 2, 'space separates runs'],
  ['中国GDP增长5.2%', 6, 'Han breaks runs; % counts 0'],
  ['a中b', 3, 'Han between letters'],
  ['a-中', 2, 'joiner before Han is dropped'],
  ['don\u2019t', 3, 'curly apostrophe is a counted mark, not a joiner'],
  ['马克思·韦伯', 6, 'middle dot counts 1'],
  ['1，000', 3, 'full-width comma does not join'],
  ['\u{20000}', 1, 'Extension B Han (surrogate pair)'],
  ['\u{20000}\u{2A700}\u{30000}\u{31350}', 4, 'Extensions B, C, G, H'],
  ['\u{2EBF0}', 1, 'Extension I'],
  ['\uF900\u{2F800}', 2, 'compatibility ideographs'],
  ['\u3400\u4DBF', 2, 'Extension A edges'],
  ['\u2F00\u2E80', 0, 'Kangxi and CJK radicals are symbols'],
  ['👍🏽', 0, 'emoji with skin tone'],
  ['👨‍👩‍👧', 0, 'ZWJ family emoji'],
  ['学习👍好', 3, 'emoji between Han'],
  ['\u3000\u3000学', 1, 'ideographic space counts 0'],
  [' \t\n\r', 0, 'whitespace'],
  ['\u0000\u0007\u007f', 0, 'control characters'],
  ['!?;:()[]{}"/\\@#$%^&*_+=<>|~`', 0, 'half-width punctuation and symbols alone'],
  ['©®™°±×÷€$', 0, 'symbols'],
  ['①②Ⅻ²', 0, 'numerals that are not decimal digits'],
  ['ＡＢＣ', 3, 'full-width letters count one each'],
  ['１２３', 3, 'full-width digits count one each'],
  ['ｈｅｌｌｏ', 5, 'full-width lower case'],
  ['ｶﾀｶﾅ', 1, 'half-width katakana is a letter run'],
  ['ひらがな', 1, 'kana form a run'],
  ['〇々', 2, 'ideographic zero and iteration mark are in U+3001–U+303F'],
  ['café', 1, 'precomposed accent'],
  ['cafe\u0301 au lait', 3, 'combining acute joins its run'],
  ['\u0301', 0, 'combining mark alone'],
  ['学\u0301', 1, 'combining mark after Han counts nothing'],
  ['1\uFE0F\u20E3', 1, 'keycap digit counts as its digit'],
  ['Привет мир', 2, 'Cyrillic runs'],
  ['٣٤٥', 1, 'Arabic-Indic digits are \\p{Nd}'],
  ['\uD800', 0, 'lone high surrogate'],
  ['a\uDC00b', 2, 'lone low surrogate breaks the run'],
  ['学\uD840', 1, 'high surrogate at end'],
  ['习近平新时代中国特色社会主义思想（2017年版）', 21, 'typical title'],
  ['COVID-19疫情', 3, 'hyphenated run then Han'],
  ['www.example.com', 1, 'dotted name is one run']
]

describe('countNoteWords: the published rule, case by case', () => {
  test.each(HAND_CASES)('%j counts %i (%s)', (text, expected) => {
    expect(countNoteWords(text)).toBe(expected)
  })

  test.each(HAND_CASES)('reference agrees on %j', (text, expected) => {
    expect(referenceCount(text)).toBe(expected)
  })

  test.each(HAN_BLOCKS)('Han block %d..%d counts at both ends', (lo, hi) => {
    expect(countNoteWords(String.fromCodePoint(lo))).toBe(1)
    expect(countNoteWords(String.fromCodePoint(hi))).toBe(1)
    expect(countNoteWords(String.fromCodePoint(lo, Math.floor((lo + hi) / 2), hi))).toBe(3)
  })

  test('unassigned or symbol code points beside the ranges count 0', () => {
    // ㏿ (symbol), U+3000 (space), then unassigned neighbours of the ranges.
    for (const cp of [0x33ff, 0x3000, 0xff00, 0xffe7, 0x2a6e0, 0x2fa20, 0x33480]) {
      expect([cp.toString(16), countNoteWords(String.fromCodePoint(cp))]).toEqual([cp.toString(16), 0])
    }
  })
})

/** The repo's copy of the shared seed speeches, so a fresh clone in CI has them too. */
const REPO_SEEDS = path.join(__dirname, '..', '..', 'data', 'seeds')
const seedDir = fs.existsSync(REPO_SEEDS) ? REPO_SEEDS : '/work/shared/seeds'

describe('countNoteWords against the reference implementation', () => {
  const seeds = ['speech-1.txt', 'speech-2.txt', 'speech-3.txt']

  test.each(seeds)('seed %s', (name) => {
    const text = fs.readFileSync(path.join(seedDir, name), 'utf8')
    const expected = referenceCount(text)
    expect(countNoteWords(text)).toBe(expected)
    expect(expected).toBeGreaterThan(1000)
    // A Chinese speech is mostly Han and marks: the count is close to its length.
    expect(expected).toBeLessThanOrEqual(text.length)
    expect(expected).toBeGreaterThan(text.length * 0.9)
  })

  test('random strings of awkward characters', () => {
    const alphabet = Array.from(
      '学习党\u{20000}\u{2B740}\uF900、。，“”‘’…—·！（￥ＡＡ１ \u3000\n\t.,\'-aZ09é\u0301\uFE0F👍🏽\u200D①%_@ｶПぁ٣'
    ).concat(['\uD800', '\uDC00'])
    let seed = 20260331
    const next = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648
      return seed
    }
    for (let round = 0; round < 3000; round++) {
      const length = next() % 24
      let s = ''
      for (let i = 0; i < length; i++) s += alphabet[next() % alphabet.length]
      expect([s, countNoteWords(s)]).toEqual([s, referenceCount(s)])
    }
  })
})

describe('speed', () => {
  test('a 20,000-character note counts in well under a millisecond', () => {
    const base = fs.readFileSync(path.join(seedDir, 'speech-1.txt'), 'utf8') + ' GDP 1.5 e-mail 👍 \u{20000} '
    let text = ''
    while (text.length < NOTE_MAX_CHARS) text += base
    text = text.slice(0, NOTE_MAX_CHARS)
    for (let i = 0; i < 20; i++) countNoteWords(text)
    let best = Infinity
    for (let i = 0; i < 20; i++) {
      const t0 = process.hrtime.bigint()
      countNoteWords(text)
      best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e6)
    }
    expect(best).toBeLessThan(1)
  })
})

describe('published constants', () => {
  test('the note limit is 20,000 characters', () => {
    expect(NOTE_MAX_CHARS).toBe(20000)
  })

  test('the Chinese rule text names each part of the rule', () => {
    for (const phrase of ['汉字计 1 字', '标点', 'GDP', 'e-mail', '空格', '表情符号', '以服务器统计为准']) {
      expect(WORD_COUNT_RULE_ZH).toContain(phrase)
    }
  })
})
