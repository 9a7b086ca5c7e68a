import { DEFAULT_ESSAY_MIN_WORDS, MIN_OWN_SHARE, essayCounts, essayStanding, essayStandingText, mostlyCopied } from '../../../src/core/notes/essay'
import { DEFAULT_SETTINGS, OrgSettingsValuesSchema } from '../../../src/core/schemas/settings'

const essay = (over: Partial<{ kind: 'note' | 'essay'; words: number; creditedWords: number; review: { status: 'pending' | 'passed' | 'returned' }; deleted: boolean }> = {}) => ({
  kind: 'essay' as const, words: 800, creditedWords: 800, review: { status: 'pending' as const }, ...over
})
const MIN = 300

describe('心得 toward the four: one judge', () => {
  it('counts while pending or passed, not returned, not mostly copied and long enough', () => {
    expect(essayStanding(essay(), MIN)).toBe('counts')
    expect(essayStanding(essay({ review: { status: 'passed' } }), MIN)).toBe('counts')
    expect(essayStanding(essay({ review: { status: 'returned' } }), MIN)).toBe('returned')
    expect(essayStanding(essay({ deleted: true }), MIN)).toBe('deleted')
    expect(essayStanding(essay({ kind: 'note' }), MIN)).toBe('not_essay')
    expect(essayCounts(essay({ kind: 'note' }), MIN)).toBe(false)
  })

  it('mostly copied: under half its words credited, whatever was credited (a 96 % copy included)', () => {
    expect(MIN_OWN_SHARE).toBe(0.5)
    expect(essayStanding(essay({ words: 800, creditedWords: 400 }), MIN)).toBe('counts')
    expect(essayStanding(essay({ words: 800, creditedWords: 399 }), MIN)).toBe('copied')
    expect(essayStanding(essay({ words: 8000, creditedWords: 320 }), MIN)).toBe('copied')
    expect(essayStanding(essay({ words: 800, creditedWords: 0 }), MIN)).toBe('copied')
    expect(mostlyCopied({ words: 0, creditedWords: 0 })).toBe(true)
    expect(mostlyCopied({ words: 100, creditedWords: 50 })).toBe(false)
  })

  it('too short: fewer credited words than the organisation’s minimum', () => {
    expect(essayStanding(essay({ words: 299, creditedWords: 299 }), MIN)).toBe('too_short')
    expect(essayStanding(essay({ words: 500, creditedWords: 299 }), MIN)).toBe('too_short')
    expect(essayStanding(essay({ words: 300, creditedWords: 300 }), MIN)).toBe('counts')
    expect(essayStanding(essay({ words: 100, creditedWords: 100 }), 0)).toBe('counts')
  })

  it('explains itself in plain words', () => {
    expect(essayStandingText('counts', MIN)).toBe('')
    expect(essayStandingText('too_short', 300)).toContain('300 字')
    expect(essayStandingText('copied', MIN)).toContain('重复')
    expect(essayStandingText('returned', MIN)).toContain('退回')
  })

  it('the minimum is a setting, 300 by default; documents saved before it read the default', () => {
    expect(DEFAULT_ESSAY_MIN_WORDS).toBe(300)
    expect(DEFAULT_SETTINGS.essayMinWords).toBe(300)
    const { essayMinWords: _omit, ...old } = DEFAULT_SETTINGS
    expect(OrgSettingsValuesSchema.parse(old).essayMinWords).toBe(300)
    expect(OrgSettingsValuesSchema.safeParse({ ...DEFAULT_SETTINGS, essayMinWords: -1 }).success).toBe(false)
    expect(OrgSettingsValuesSchema.safeParse({ ...DEFAULT_SETTINGS, essayMinWords: 1.5 }).success).toBe(false)
  })
})
