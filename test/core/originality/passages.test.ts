/**
 * The note view lists each copied stretch of a note once, however many
 * earlier notes hold it, with its length in 字 by the published rule and the
 * copy notice's own wording.
 */
import { copiedPassages, creditNotice, noteSegments } from '../../../src/core/originality'
import { countNoteWords } from '../../../src/core/words'

const D = (iso: string) => Date.parse(`${iso}T02:00:00Z`)
// 81 characters of a speech, as a paragraph twenty colleagues also pasted.
const PARA = '党支部是党的基础组织，是党在社会基层组织中的战斗堡垒，是党的全部工作和战斗力的基础，担负直接教育党员、管理党员、监督党员和服务群众的职责。我们要按照要求，树立狠抓党支部的导向。'
const OWN = '读了这段话，我想到自己所在的科室。'

describe('copiedPassages', () => {
  it('one paragraph found in twenty earlier notes is one line saying twenty, in 字', () => {
    const content = OWN + PARA
    const start = OWN.length
    const matches = Array.from({ length: 20 }, (_v, i) => ({ at: D('2026-03-05') + i * 86400e3, own: false, passages: [{ start, end: content.length }] }))
    const list = copiedPassages(content, matches)
    expect(list).toHaveLength(1)
    expect(list[0]).toMatchObject({ start, end: content.length, notes: 20, words: countNoteWords(PARA) })
    expect(list[0].preview).toBe(`${PARA.slice(0, 12)}…`)
    expect(list[0].text).toBe('与 20 篇已有笔记（2026-03-05、2026-03-06、2026-03-07等）重复')
    // The inline marks agree: the paragraph is one copied segment, named by the earliest note.
    const segs = noteSegments(content, matches)
    expect(segs.map((s) => [s.kind, s.label])).toEqual([
      ['own', ''],
      ['copied', '与 2026-03-05 的笔记重复']
    ])
  })

  it('merges overlapping ranges, and ranges with only punctuation or spacing between, across notes', () => {
    const content = `${OWN}${PARA}\n\n${PARA}`
    const a = OWN.length
    const b = a + PARA.length + 2
    const list = copiedPassages(content, [
      { at: D('2026-03-05'), own: false, passages: [{ start: a, end: a + 40 }] },
      { at: D('2026-03-06'), own: true, passages: [{ start: a + 30, end: a + PARA.length }, { start: b, end: content.length }] }
    ])
    expect(list).toHaveLength(1)
    expect(list[0]).toMatchObject({ start: a, end: content.length, notes: 2 })
    expect(list[0].text).toBe('与 2 篇已有笔记（其中 1 篇是您自己的）（2026-03-05、2026-03-06）重复')
  })

  it('keeps stretches with own words between them apart, in text order', () => {
    const content = `${PARA}${OWN}${PARA}`
    const second = PARA.length + OWN.length
    const list = copiedPassages(content, [
      { at: D('2026-04-01'), own: true, passages: [{ start: second, end: content.length }] },
      { at: D('2026-03-01'), own: true, passages: [{ start: 0, end: PARA.length }] }
    ])
    expect(list.map((p) => [p.start, p.notes, p.text])).toEqual([
      [0, 1, '与您自己 1 篇早先的笔记（2026-03-01）重复'],
      [second, 1, '与您自己 1 篇早先的笔记（2026-04-01）重复']
    ])
  })

  it('uses the same words as the copy notice a save answers', () => {
    const at = D('2026-03-05')
    expect(creditNotice(81, [{ at, own: false }])).toBe('有约 81 字与 1 篇已有笔记（2026-03-05）重复，这部分不计入字数。')
    expect(copiedPassages(PARA, [{ at, own: false, passages: [{ start: 0, end: PARA.length }] }])[0].text).toBe('与 1 篇已有笔记（2026-03-05）重复')
  })

  it('survives odd ranges and cuts a preview between characters, never inside one', () => {
    const emoji = '𠀀'.repeat(20)
    expect(copiedPassages(emoji, [{ at: 0, own: true, passages: [{ start: 0, end: emoji.length }] }])[0].preview).toBe(`${'𠀀'.repeat(12)}…`)
    expect(copiedPassages('abc', [{ at: 0, own: true, passages: [{ start: -5, end: 99 }, { start: 2, end: 2 }] }, { at: 0, own: false }])).toHaveLength(1)
    expect(copiedPassages('abc', [])).toEqual([])
  })
})
