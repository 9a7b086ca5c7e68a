import { DEFAULT_EXCELLENT_SHARE, checkGradeSheet, checkOutcomes, excellentLimit, tallyGrades, tallyShown, type GradeSheet } from '../../../src/core/review/grades'
import { DEFAULT_SETTINGS, ExcellentShareSchema, OrgSettingsValuesSchema } from '../../../src/core/schemas/settings'

const MEMBERS = ['a', 'b', 'c', 'd', 'e', 'f', 'g']

describe('民主评议: ballots and outcomes', () => {
  it('优秀 is limited to a share of those graded, at least one', () => {
    expect(excellentLimit(0, 0.3)).toBe(0)
    expect(excellentLimit(2, 0.3)).toBe(1)
    expect(excellentLimit(6, 0.3)).toBe(1)
    expect(excellentLimit(10, 0.3)).toBe(3)
    expect(excellentLimit(20, 0.25)).toBe(5)
  })

  it('a ballot grades every other member once, never oneself or a stranger', () => {
    const others = Object.fromEntries(MEMBERS.filter((m) => m !== 'a').map((m) => [m, 'qualified'])) as GradeSheet
    expect(checkGradeSheet(others, { graderId: 'a', members: MEMBERS, excellentShare: 0.3 }).ok).toBe(true)
    const self = checkGradeSheet({ ...others, a: 'excellent' }, { graderId: 'a', members: MEMBERS, excellentShare: 0.3 })
    expect(self.ok ? null : self.error.message).toBe('不给自己评定等次')
    const stranger = checkGradeSheet({ ...others, z: 'qualified' }, { graderId: 'a', members: MEMBERS, excellentShare: 0.3 })
    expect(stranger.ok ? null : stranger.error.details).toEqual({ memberIds: ['z'] })
    const { b: _b, c: _c, ...partial } = others
    const missing = checkGradeSheet(partial, { graderId: 'a', members: MEMBERS, excellentShare: 0.3 })
    expect(missing.ok ? null : missing.error.message).toBe('还有 2 位同志没有评定')
  })

  it('a ballot with more 优秀 than the limit is refused with the limit', () => {
    const sheet: GradeSheet = { b: 'excellent', c: 'excellent', d: 'qualified', e: 'qualified', f: 'qualified', g: 'qualified' }
    const r = checkGradeSheet(sheet, { graderId: 'a', members: MEMBERS, excellentShare: 0.3 })
    expect(r.ok ? null : r.error.message).toBe('评为“优秀”的最多 1 位，现在是 2 位')
    expect(checkGradeSheet({ ...sheet, c: 'qualified' }, { graderId: 'a', members: MEMBERS, excellentShare: 0.3 }).ok).toBe(true)
  })

  it('the tally counts grades per member and knows nothing of graders', () => {
    const tally = tallyGrades(
      [
        { b: 'excellent', c: 'qualified' },
        { a: 'qualified', c: 'basic' },
        { a: 'qualified', b: 'qualified' }
      ],
      ['a', 'b', 'c']
    )
    expect(tally).toEqual({
      a: { excellent: 0, qualified: 2, basic: 0, unqualified: 0 },
      b: { excellent: 1, qualified: 1, basic: 0, unqualified: 0 },
      c: { excellent: 0, qualified: 1, basic: 1, unqualified: 0 }
    })
    expect(JSON.stringify(tally)).not.toMatch(/grader/)
  })

  it('the committee writes a reason for 基本合格 and 不合格, and keeps 优秀 within the limit', () => {
    const o = { members: MEMBERS, excellentShare: 0.3 }
    const noReason = checkOutcomes({ a: { grade: 'qualified' }, b: { grade: 'basic', reason: '  ' } }, o)
    expect(noReason.ok ? null : noReason.error.details).toEqual({ memberIds: ['b'] })
    expect(checkOutcomes({ a: { grade: 'excellent' }, b: { grade: 'unqualified', reason: '全年缺席组织生活 4 次' } }, o).ok).toBe(true)
    const tooMany = checkOutcomes({ a: { grade: 'excellent' }, b: { grade: 'excellent' }, c: { grade: 'excellent' } }, o)
    expect(tooMany.ok ? null : tooMany.error.message).toBe('评为“优秀”的最多 2 位，现在是 3 位')
    const stranger = checkOutcomes({ x: { grade: 'qualified' } }, o)
    expect(stranger.ok).toBe(false)
  })
})

describe('民主评议: when a tally is shown, and the 优秀 share setting', () => {
  it('withholds a tally of fewer than three ballots (one ballot would be its grader\'s sheet)', () => {
    expect([0, 1, 2, 3, 10].map((n) => tallyShown(n))).toEqual([false, false, false, true, true])
  })

  it('takes a share between 10% and 50% in whole percents; older settings read 30%', () => {
    expect(ExcellentShareSchema.safeParse(0.3).success).toBe(true)
    expect(ExcellentShareSchema.safeParse(0.29).success).toBe(true)
    expect([0.05, 0.55, 0.305, '0.3'].map((v) => ExcellentShareSchema.safeParse(v).success)).toEqual([false, false, false, false])
    const { reviewExcellentShare: _, ...older } = DEFAULT_SETTINGS
    expect(OrgSettingsValuesSchema.parse(older).reviewExcellentShare).toBe(DEFAULT_EXCELLENT_SHARE)
  })
})
