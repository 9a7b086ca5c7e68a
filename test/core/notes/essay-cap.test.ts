import { essayPointEarners, type EssayRankFacts } from '../../../src/core/notes/essay'
import { periodKeysOf } from '../../../src/core/period'

const Q = (at: number) => periodKeysOf(at).quarter
const T = Date.parse('2026-10-05T02:00:00Z')
const essay = (id: string, at: number, over: Partial<EssayRankFacts> = {}): EssayRankFacts => ({
  _id: id, memberId: 'm1', createdAt: at, kind: 'essay', words: 500, creditedWords: 500, review: { status: 'pending' }, ...over
})

describe('essayPointEarners: the first `cap` counting 心得 of a member’s quarter earn', () => {
  it('by first-save time, then id; per member and quarter', () => {
    const notes = [essay('c', T + 2), essay('a', T + 1), essay('b', T + 1), essay('q3', T - 30 * 86400e3), essay('x', T, { memberId: 'm2' })]
    expect([...essayPointEarners(notes, 300, 2, Q)].sort()).toEqual(['a', 'b', 'q3', 'x'])
  })
  it('what does not count takes no place: too short, returned, deleted, mostly copied, not an essay', () => {
    const notes = [
      essay('short', T, { words: 8, creditedWords: 8 }),
      essay('ret', T + 1, { review: { status: 'returned', by: 's', at: T } }),
      essay('del', T + 2, { deleted: true }),
      essay('copy', T + 3, { creditedWords: 100 }),
      essay('note', T + 4, { kind: 'note' }),
      essay('ok1', T + 5),
      essay('ok2', T + 6),
      essay('ok3', T + 7)
    ]
    expect([...essayPointEarners(notes, 300, 2, Q)]).toEqual(['ok1', 'ok2'])
  })
  it('a cap of 0 gives no essay points', () => {
    expect(essayPointEarners([essay('a', T)], 300, 0, Q).size).toBe(0)
  })
})
