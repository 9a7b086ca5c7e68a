import { exemptionOf, exemptionYear, isExempt } from '../../../src/core/org/exemption'
import { noteQuota } from '../../../src/core/notes/quota'
import { DEFAULT_SETTINGS } from '../../../src/core/schemas/settings'
import { countsInBranch } from '../../../src/core/stats/rebuild'
import { incrementTargets } from '../../../src/core/stats/increments'

/** 2026-01-01 00:30 in Shanghai (still 2025 in UTC). */
const NEW_YEAR_2026 = Date.parse('2025-12-31T16:30:00Z')
const marked = (reason: 'age' | 'long_illness' | 'mobility' | 'other', since = NEW_YEAR_2026) => ({ exempt: { reason, since } })
const plain = { exempt: null }
const AGE80 = { exemptAge: 80 }

describe('exemptionOf: who is exempt from what', () => {
  it('a member marked 长期病休 / 行动不便 / 高龄 is exempt from everything the rule covers', () => {
    for (const reason of ['age', 'long_illness', 'mobility', 'other'] as const) {
      expect(exemptionOf(marked(reason), {}, 2026)).toEqual({
        cause: reason, quota: true, ranking: true, warnings: true, absenceDeduction: true, branchFigures: true
      })
    }
  })

  it('a member at or over the org’s exemptAge in the year judged is exempt the same way', () => {
    expect(exemptionOf({ ...plain, birthYear: 1946 }, AGE80, 2026)).toMatchObject({ cause: 'over_age', quota: true, ranking: true, warnings: true, absenceDeduction: true, branchFigures: true })
    // Turns 80 next year: judged like everyone this year, exempt next year.
    expect(isExempt({ ...plain, birthYear: 1947 }, AGE80, 2026)).toBe(false)
    expect(isExempt({ ...plain, birthYear: 1947 }, AGE80, 2027)).toBe(true)
  })

  it('nobody by age when the org sets no age or the birth year is unknown', () => {
    expect(exemptionOf({ ...plain, birthYear: 1930 }, { exemptAge: null }, 2026).cause).toBeNull()
    expect(exemptionOf({ ...plain, birthYear: 1930 }, {}, 2026).cause).toBeNull()
    expect(exemptionOf({ ...plain, birthYear: null }, AGE80, 2026).cause).toBeNull()
    expect(exemptionOf(plain, AGE80, 2026)).toEqual({ cause: null, quota: false, ranking: false, warnings: false, absenceDeduction: false, branchFigures: false })
  })

  it('a mark counts from the Shanghai year it was set, never rewriting the years before', () => {
    expect(isExempt(marked('long_illness'), {}, 2026)).toBe(true)
    expect(isExempt(marked('long_illness'), {}, 2025)).toBe(false)
    expect(exemptionYear(NEW_YEAR_2026)).toBe(2026)
    // Marked in 2026 but already over the age in 2025: the age still exempts 2025.
    expect(exemptionOf({ ...marked('mobility'), birthYear: 1940 }, AGE80, 2025).cause).toBe('over_age')
  })
})

describe('every reader asks the same rule', () => {
  const over = { rank: 'staff' as const, exempt: null, birthYear: 1940, active: true, joinStatus: 'confirmed' as const }
  const settings = { ...DEFAULT_SETTINGS, exemptAge: 80 }

  it('quota and branch denominators leave out the member over the age', () => {
    expect(noteQuota(over, settings, 2026)).toBeNull()
    expect(countsInBranch(over, settings, 2026)).toBe(false)
    expect(countsInBranch({ ...over, birthYear: 1980 }, settings, 2026)).toBe(true)
    expect(countsInBranch({ ...over, birthYear: 1980, joinStatus: 'pending' }, settings, 2026)).toBe(false)
    // Without a year only the mark is known (an old caller), as before.
    expect(noteQuota({ ...over, exempt: { reason: 'age', since: 0 } }, settings)).toBeNull()
    expect(noteQuota(over, settings)).not.toBeNull()
  })

  it('a branch counter lands in the branch only for a year the member is not exempt', () => {
    const owner = { memberId: 'm', branchId: 'b', countsForBranch: (at: number) => !exemptionOf({ ...plain, birthYear: 1946 }, AGE80, exemptionYear(at)).branchFigures }
    expect(incrementTargets(owner, Date.parse('2026-03-01T00:00:00Z')).filter((t) => t.scope === 'branch')).toHaveLength(0)
    expect(incrementTargets(owner, Date.parse('2025-03-01T00:00:00Z')).filter((t) => t.scope === 'branch')).toHaveLength(3)
  })
})
