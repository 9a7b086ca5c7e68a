import { lifeMeetingSpan, lifeMeetingsOf } from '../../../src/core/review/meetings'

const at = (iso: string) => Date.parse(iso)

describe('组织生活会 of a year’s 民主评议', () => {
  it('spans the year and the first quarter after it, in Shanghai time', () => {
    const span = lifeMeetingSpan(2026)
    expect(span.start).toBe(at('2026-01-01T00:00:00+08:00'))
    expect(span.end).toBe(at('2027-04-01T00:00:00+08:00'))
  })

  it('keeps held or planned 组织生活会 in the span, earliest first; not other types, cancelled ones or other years', () => {
    const s = (id: string, type: string, startAt: string, status = 'scheduled') => ({ _id: id, type, status, startAt: at(startAt) })
    const sessions = [
      s('late', 'life_meeting', '2027-02-20T09:00:00+08:00'),
      s('early', 'life_meeting', '2026-12-28T09:00:00+08:00'),
      s('general', 'branch_general_meeting', '2027-01-10T09:00:00+08:00'),
      s('cancelled', 'life_meeting', '2027-01-15T09:00:00+08:00', 'cancelled'),
      s('last-year', 'life_meeting', '2025-12-31T23:59:00+08:00'),
      s('too-late', 'life_meeting', '2027-04-01T00:00:00+08:00')
    ]
    expect(lifeMeetingsOf(sessions, 2026).map((x) => x._id)).toEqual(['early', 'late'])
  })
})
