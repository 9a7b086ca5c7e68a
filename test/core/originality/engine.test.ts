import { readFileSync } from 'fs'
import { join } from 'path'
import {
  EDGE,
  K,
  MIN_PASSAGE,
  creditNotice,
  fingerprintSet,
  fingerprints,
  judgeCopies,
  normalise,
  passagesFrom,
  shanghaiDate,
  type Candidate
} from '../../../src/core/originality'
import { countNoteWords } from '../../../src/core/words'

const seeds = [1, 2, 3].map((i) => readFileSync(join(__dirname, '../../../data/seeds', `speech-${i}.txt`), 'utf8'))
const paragraphs = seeds.map((s) =>
  s
    .split('\n')
    .map((p) => p.trim())
    .filter((p) => p.length >= 150)
)

/** Judges `text` against earlier texts as the inverted index would present them. */
function judge(text: string, earlier: Record<string, string>) {
  const mine = new Set(fingerprints(text).map((f) => f.hash))
  const cands: Array<Candidate<null>> = Object.entries(earlier).map(([id, t]) => ({
    id,
    shared: new Set(fingerprintSet(t).filter((h) => mine.has(h))),
    meta: null
  }))
  return judgeCopies(text, cands)
}

/** Replaces every `every`-th Han character and swaps CJK punctuation for ASCII with spaces. */
function lightlyEdit(p: string, every = 30): string {
  const chars = [...p]
  let han = 0
  for (let i = 0; i < chars.length; i++) {
    if (/[\u4e00-\u9fff]/.test(chars[i]) && ++han % every === 7) chars[i] = chars[i] === '某' ? '甲' : '某'
  }
  return chars.join('').replace(/，/g, ', ').replace(/。/g, '. ').replace(/、/g, ',').replace(/“|”/g, '"')
}

describe('normalise', () => {
  it('drops spacing and punctuation, folds width and case, keeps positions', () => {
    const text = '学习 ＡＢｃ１２，Go！\n党建'
    const n = normalise(text)
    expect(String.fromCodePoint(...n.cps)).toBe('学习abc12go党建')
    const i = n.cps.indexOf('g'.codePointAt(0)!)
    expect(text.slice(n.start[i], n.end[i])).toBe('G')
    expect(text.slice(n.start[0], n.end[n.cps.length - 1])).toBe(text.replace(/\n?$/, ''))
  })

  it('keeps astral Han characters whole', () => {
    const n = normalise('𠀀学')
    expect(n.cps).toEqual([0x20000, '学'.codePointAt(0)])
    expect(n.end[0]).toBe(2)
  })

  it('gives the same fingerprints whatever the punctuation and spacing', () => {
    const p = paragraphs[0][0]
    const q = p.replace(/[，。、；：“”]/g, ' ').replace(/\s+/g, '  ')
    expect(fingerprintSet(q)).toEqual(fingerprintSet(p))
  })
})

describe('fingerprints', () => {
  it('is empty below K characters and deterministic', () => {
    expect(fingerprints('不忘初心')).toEqual([])
    expect(fingerprints('')).toEqual([])
    const p = paragraphs[1][0]
    expect(fingerprints(p)).toEqual(fingerprints(p))
    expect(fingerprints(p).every((f) => /^[0-9a-f]{12}$/.test(f.hash))).toBe(true)
  })

  it('selects a fingerprint in every window (density about 2/(W+1))', () => {
    const p = paragraphs[0].join('')
    const n = normalise(p).cps.length
    const count = fingerprints(p).length
    expect(count / n).toBeGreaterThan(0.15)
    expect(count / n).toBeLessThan(0.3)
  })
})

describe('passagesFrom', () => {
  it('bridges small gaps and drops short passages', () => {
    expect(passagesFrom([0], 100)).toEqual([]) // one gram: 10 chars
    // widened by EDGE on both sides, clamped to the text
    expect(passagesFrom([0, 8, 16, 24], 100)).toEqual([{ from: 0, to: 24 + K + EDGE }])
    expect(passagesFrom([20, 28, 36, 44], 60)).toEqual([{ from: 20 - EDGE, to: 60 }])
    // two matched stretches 15 apart join into one passage
    expect(passagesFrom([0, 5, 10, 35, 40], 100)).toEqual([{ from: 0, to: 50 + EDGE }])
    // two isolated grams bridged are still not enough matched text
    expect(passagesFrom([0, 25], 100)).toEqual([])
  })
})

describe('judgeCopies on the seed speeches', () => {
  const long = paragraphs.flat().filter((p) => p.length >= 150)

  it('has paragraphs to test with', () => {
    expect(long.length).toBeGreaterThan(20)
  })

  it.each(long.slice(0, 12).map((p, i) => [i, p]))('detects a lightly edited paragraph %i', (_i, p) => {
    const other = `读书心得。\n${p}\n以上是我的体会。`
    const copy = lightlyEdit(p as string)
    const r = judge(copy, { theirs: other })
    expect(r.words).toBe(countNoteWords(copy))
    expect(r.matches).toHaveLength(1)
    expect(r.matches[0].id).toBe('theirs')
    expect(r.creditedWords).toBeLessThanOrEqual(0.2 * r.words)
  })

  it('detects every long paragraph with a few characters changed (aggregate ≥ 80 %)', () => {
    let words = 0
    let copied = 0
    for (const p of long) {
      const r = judge(lightlyEdit(p, 25), { theirs: p })
      words += r.words
      copied += r.copiedWords
    }
    expect(copied / words).toBeGreaterThanOrEqual(0.9)
  })

  it('detects re-ordered paragraphs, each against its own source', () => {
    const [a, b, c] = paragraphs[0]
    const earlier = { n1: `${a}\n${b}`, n2: c }
    const note = `${lightlyEdit(c)}\n\n${lightlyEdit(b)}\n${lightlyEdit(a)}`
    const r = judge(note, earlier)
    expect(r.matches.map((m) => m.id).sort()).toEqual(['n1', 'n2'])
    expect(r.creditedWords).toBeLessThanOrEqual(0.2 * r.words)
    expect(r.matches[0].chars).toBeGreaterThanOrEqual(r.matches[1].chars)
  })

  it('credits only the copied part of a mixed note', () => {
    const src = paragraphs[1][2]
    const own =
      '我在学习中体会到，支部工作要落到实处，关键是把每一次组织生活都开成解决问题的会。' +
      '过去我们有时候念完文件就散会，大家记不住，也用不上。今后我打算结合本科室的业务，' +
      '每月找一个具体问题，先调研再讨论，让学习真正转化为工作成效，而不是为了完成字数抄抄写写。'
    const note = `${own}\n${src}`
    const r = judge(note, { theirs: src })
    const ownWords = countNoteWords(own)
    expect(r.creditedWords).toBeGreaterThanOrEqual(ownWords - 5)
    expect(r.creditedWords).toBeLessThanOrEqual(ownWords + 5)
  })

  it('does not flag a different paragraph on the same topic', () => {
    for (let i = 0; i < 3; i++) {
      const others = Object.fromEntries(seeds.map((s, j) => [`speech${j}`, s]).filter((_e, j) => j !== i))
      for (const p of paragraphs[i]) {
        const r = judge(p, others)
        expect(r.copiedWords).toBe(0)
        expect(r.matches).toEqual([])
      }
    }
  })

  it('does not flag a hand-written reflection on 党建 against all three speeches', () => {
    const mine =
      '通过这次学习，我对抓党建就是抓发展有了更深的认识。作为一名普通党员，' +
      '我要把学习成果体现在日常工作中：按时参加“三会一课”，主动向支部汇报思想，' +
      '在窗口岗位上耐心服务群众，遇到困难不推诿。不忘初心、牢记使命，不是一句口号，' +
      '而是每天把手头的事情做好、做实。'
    const r = judge(mine, { a: seeds[0], b: seeds[1], c: seeds[2] })
    expect(r.copiedWords).toBe(0)
    expect(r.creditedWords).toBe(countNoteWords(mine))
  })

  it('does not flag shared slogans shorter than a passage', () => {
    const slogan = '不忘初心、牢记使命，以习近平新时代中国特色社会主义思想为指导'
    const a = `我们支部坚持${slogan}，认真开展主题教育，组织党员到红色教育基地参观学习。`
    const b = `本月学习中我体会到，${slogan}，就要从身边小事做起，把群众的急难愁盼放在心上。`
    expect(normalise(slogan).cps.length).toBeLessThan(MIN_PASSAGE)
    const r = judge(b, { a })
    expect(r.copiedWords).toBe(0)
  })

  it('detects my own earlier note resubmitted verbatim', () => {
    const p = paragraphs[2][0]
    const r = judge(p, { mine: p })
    expect(r.creditedWords).toBe(0)
    expect(r.copiedWords).toBe(r.words)
    expect(r.copiedSpans).toHaveLength(1)
  })

  it('handles empty and short notes', () => {
    expect(judge('', { a: seeds[0] })).toMatchObject({ words: 0, creditedWords: 0, matches: [] })
    const r = judge('学习了。', { a: seeds[0] })
    expect(r).toMatchObject({ words: 4, creditedWords: 4, matches: [] })
  })

  it('ignores candidates sharing fewer than MIN_SHARED fingerprints', () => {
    const p = paragraphs[0][0]
    const one = new Set([fingerprints(p)[0].hash])
    expect(judgeCopies(p, [{ id: 'x', shared: one, meta: null }]).matches).toEqual([])
  })
})

describe('creditNotice', () => {
  it('is empty when everything is credited', () => {
    expect(creditNotice(0, [])).toBe('')
  })

  it('names the count and dates, never whose', () => {
    const at1 = Date.parse('2026-03-04T17:00:00Z') // 03-05 in Shanghai
    expect(shanghaiDate(at1)).toBe('2026-03-05')
    expect(creditNotice(320, [{ at: at1, own: false }, { at: at1 + 3600e3, own: false }])).toBe(
      '有约 320 字与 2 篇已有笔记（2026-03-05）重复，这部分不计入字数。'
    )
    expect(creditNotice(50, [{ at: at1, own: true }])).toBe('有约 50 字与您自己 1 篇早先的笔记（2026-03-05）重复，这部分不计入字数。')
    expect(creditNotice(50, [{ at: at1, own: true }, { at: at1 + 86400e3, own: false }])).toContain('（其中 1 篇是您自己的）')
  })
})
