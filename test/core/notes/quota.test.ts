import { noteQuota } from '../../../src/core/notes/quota'
import { DEFAULT_RETIRED_QUOTA, DEFAULT_SETTINGS, OrgSettingsValuesSchema } from '../../../src/core/schemas/settings'

const STAFF = { rank: 'staff' as const, exempt: null, retired: false }
const DEPUTY = { rank: 'deputy_section_plus' as const, exempt: null, retired: false }

describe('quota per category (在职 / 离退休)', () => {
  it('gives retired members their own lower figure by default, whatever their former rank', () => {
    expect(DEFAULT_RETIRED_QUOTA).toEqual({ words: 5000, essays: 2 })
    expect(noteQuota({ ...STAFF, retired: true }, DEFAULT_SETTINGS, 2026)).toEqual({ words: 5000, essays: 2 })
    expect(noteQuota({ ...DEPUTY, retired: true }, DEFAULT_SETTINGS, 2026)).toEqual({ words: 5000, essays: 2 })
    // Serving members keep the quoted figures.
    expect(noteQuota(STAFF, DEFAULT_SETTINGS, 2026)).toEqual({ words: 10000, essays: 4 })
    expect(noteQuota(DEPUTY, DEFAULT_SETTINGS, 2026)).toEqual({ words: 15000, essays: 4 })
  })

  it('follows the organisation’s 离退休 figures, 0 included', () => {
    const quotas = { ...DEFAULT_SETTINGS.quotas, retired: { words: 3000, essays: 1 } }
    expect(noteQuota({ ...DEPUTY, retired: true }, { ...DEFAULT_SETTINGS, quotas }, 2026)).toEqual({ words: 3000, essays: 1 })
    const none = { ...DEFAULT_SETTINGS.quotas, retired: { words: 0, essays: 0 } }
    expect(noteQuota({ ...STAFF, retired: true }, { ...DEFAULT_SETTINGS, quotas: none }, 2026)).toEqual({ words: 0, essays: 0 })
  })

  it('an exempt retired member still has none', () => {
    expect(noteQuota({ ...STAFF, retired: true, exempt: { reason: 'mobility', since: 0 } }, DEFAULT_SETTINGS, 2026)).toBeNull()
    expect(noteQuota({ ...STAFF, retired: true, birthYear: 1940 }, { ...DEFAULT_SETTINGS, exemptAge: 80 }, 2026)).toBeNull()
  })

  it('quotas written before the categories read the default, never the staff figure', () => {
    const old = { staffWords: 12000, deputyWords: 16000, essays: 5 }
    expect(noteQuota({ ...STAFF, retired: true }, { quotas: old }, 2026)).toEqual(DEFAULT_RETIRED_QUOTA)
    // A stored document of the old shape parses with the default filled in.
    const parsed = OrgSettingsValuesSchema.parse({ ...DEFAULT_SETTINGS, quotas: old })
    expect(parsed.quotas).toEqual({ ...old, retired: DEFAULT_RETIRED_QUOTA })
  })

  it('refuses figures out of range', () => {
    for (const retired of [{ words: -1, essays: 2 }, { words: 5000, essays: 51 }, { words: 200001, essays: 2 }, { words: '5000', essays: 2 }, { words: 5000 }]) {
      expect(OrgSettingsValuesSchema.safeParse({ ...DEFAULT_SETTINGS, quotas: { ...DEFAULT_SETTINGS.quotas, retired } }).success).toBe(false)
    }
  })
})
