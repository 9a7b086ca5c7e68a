import { VISIBILITY_LEVELS, type VisibilityLevel } from '../../../src/core/schemas/settings'
import { canSeeRanking, hiddenRankingReason, type Viewer } from '../../../src/core/stats'

const admin: Viewer = { admin: true, officer: false, member: false }
const officer: Viewer = { admin: false, officer: true, member: true }
const member: Viewer = { admin: false, officer: false, member: true }
const outsider: Viewer = { admin: false, officer: false, member: false }

describe('canSeeRanking', () => {
  it.each<[VisibilityLevel, boolean, boolean, boolean, boolean]>([
    // level, admin, officer, member, outsider
    ['admins', true, false, false, false],
    ['secretaries', true, true, false, false],
    ['members', true, true, true, false]
  ])('%s: admin %s, officer %s, member %s, outsider %s', (level, a, o, m, x) => {
    expect(canSeeRanking(level, admin)).toBe(a)
    expect(canSeeRanking(level, officer)).toBe(o)
    expect(canSeeRanking(level, member)).toBe(m)
    expect(canSeeRanking(level, outsider)).toBe(x)
  })

  it('lets an officer who is not a member of the scope see what officers may see', () => {
    expect(canSeeRanking('secretaries', { admin: false, officer: true, member: false })).toBe(true)
  })
})

describe('hiddenRankingReason', () => {
  it('says who may see the ranking and that one’s own record is always open', () => {
    expect(hiddenRankingReason('secretaries')).toBe('本组织设置为仅支部书记及以上可查看排行，您可以随时查看自己的记录。')
    expect(hiddenRankingReason('admins')).toContain('仅党委管理员')
    for (const level of VISIBILITY_LEVELS) expect(hiddenRankingReason(level)).toContain('您可以随时查看自己的记录')
  })
})
