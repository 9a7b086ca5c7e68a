import { selfCopiedWords } from '../../../src/core/review/self-copy'
import { countNoteWords } from '../../../src/core/words'

const A = '一年来我坚持参加支部的组织生活，按时交纳党费，完成了全年学习笔记的定额。不足是联系群众不够主动，常常等群众上门。今后每月抽出两个半天到服务窗口听取意见，把群众的难处记下来、办下去。'
const B = '今年我在业务学习上下了功夫，主动承担了两项急难任务。但理论学习还不够系统，有时以干代学。明年我打算每周固定一个晚上通读原著，并在党小组会上交流一次体会。'
const T = 1_000_000

describe('自我评价 copied from a colleague', () => {
  it('finds nothing between two texts written apart', () => {
    expect(selfCopiedWords(B, T, [{ memberId: 'a', text: A, firstSavedAt: T - 1 }])).toBe(0)
  })

  it('counts the words of a passage found in a colleague\'s earlier 自我评价, and only those', () => {
    const copied = A.slice(38) // "不足是联系群众不够主动……办下去。": one whole passage of A
    const text = `今年我在业务学习上下了功夫。${copied}`
    const words = selfCopiedWords(text, T, [{ memberId: 'a', text: A, firstSavedAt: T - 1 }])
    expect(words).toBeGreaterThanOrEqual(countNoteWords(copied) - 2)
    // The engine widens a passage by EDGE (7) characters where winnowing may have left its edge unselected.
    expect(words).toBeLessThanOrEqual(countNoteWords(copied) + 7)
  })

  it('does not flag the earlier text for being copied from, nor a colleague\'s own empty text', () => {
    const later = { memberId: 'b', text: `${A}明年继续努力。`, firstSavedAt: T + 5 }
    expect(selfCopiedWords(A, T, [later, { memberId: 'c', text: '  ', firstSavedAt: T - 9 }])).toBe(0)
  })

  it('leaves set phrases everyone uses alone', () => {
    const slogan = '不忘初心、牢记使命，以习近平新时代中国特色社会主义思想为指导。'
    expect(selfCopiedWords(`${slogan}${B}`, T, [{ memberId: 'a', text: `${slogan}${A}`, firstSavedAt: T - 1 }])).toBe(0)
  })
})
