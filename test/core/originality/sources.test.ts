import { readFileSync } from 'fs'
import { join } from 'path'
import { MemoryIndex, SOURCE_PREFIX, noteSegments, normalise, subtractCovered, toSpans } from '../../../src/core/originality'
import { countNoteWords } from '../../../src/core/words'

const seeds = [1, 2, 3].map((i) => readFileSync(join(__dirname, '../../../data/seeds', `speech-${i}.txt`), 'utf8'))
const para = seeds[1]
  .split('\n')
  .map((p) => p.trim())
  .filter((p) => p.length >= 150)[2]

describe('passages and excerpts (pure)', () => {
  it('subtractCovered keeps only long enough pieces outside the mask', () => {
    const mask = new Uint8Array(100)
    mask.fill(1, 10, 40)
    expect(subtractCovered([{ from: 0, to: 80 }], mask, 24)).toEqual([{ from: 40, to: 80 }])
    expect(subtractCovered([{ from: 5, to: 60 }], mask, 24)).toEqual([])
  })

  it('toSpans maps normalised passages back to the original text', () => {
    const text = '一，二三 四五'
    const n = normalise(text)
    expect(toSpans(n, [{ from: 1, to: 3 }])).toEqual([{ start: 2, end: 4 }])
  })

  it('noteSegments rebuilds the text, copied passages winning over excerpts', () => {
    const text = 'abcdefghij'
    const segs = noteSegments(text, [{ at: Date.parse('2026-03-05T02:00:00Z'), passages: [{ start: 2, end: 5 }] }], [{ title: '讲话', passages: [{ start: 4, end: 8 }] }])
    expect(segs).toEqual([
      { text: 'ab', kind: 'own', label: '' },
      { text: 'cde', kind: 'copied', label: '与 2026-03-05 的笔记重复' },
      { text: 'fgh', kind: 'excerpt', label: '摘自《讲话》' },
      { text: 'ij', kind: 'own', label: '' }
    ])
  })

  it('MemoryIndex: an excerpt is credited, a copied reflection is not', () => {
    const idx = new MemoryIndex<{ memberId: string }>()
    idx.add(SOURCE_PREFIX + 's2', seeds[1], 0, { memberId: '' })
    const refl = '我在社区工作多年，深感基层党组织的战斗力来自每一名党员的日常表现，下一步准备牵头组织楼栋党员志愿服务队。'
    const a = `${para}\n${refl}`
    idx.add('n1', a, 10, { memberId: 'a' })
    const own = idx.judge('n2', `${para}\n今天学习后我决定把每周五下午定为科室集中学习时间，由我带头领学并分享体会。`, 20)
    expect(own.copiedWords).toBe(0)
    expect(own.excerptWords).toBeGreaterThanOrEqual(countNoteWords(para) - 2)
    expect(own.excerpts.map((e) => e.id)).toEqual([SOURCE_PREFIX + 's2'])
    const copy = idx.judge('n3', a, 30)
    expect(copy.matches.map((m) => m.id)).toEqual(['n1'])
    expect(copy.copiedWords).toBeGreaterThanOrEqual(countNoteWords(refl) - 8)
    // a later note never costs an earlier one
    expect(idx.judge('n1', a, 10).matches).toEqual([])
  })
})
