import { shanghaiDayStart } from '../../src/core/period'
import { DEFAULT_SETTINGS, PointsRuleSchema, pointsFor, type PointsRule } from '../../src/core/schemas/settings'
import { changeRuleValue, latestRule, planRuleChanges, renameRule, ruleInForce } from '../../src/core/stats/rule-changes'

const DAY = 24 * 60 * 60 * 1000
/** 2026-11-20 10:00 in Shanghai. */
const NOW = Date.parse('2026-11-20T02:00:00Z')
const TODAY = shanghaiDayStart(NOW)
const LAST_YEAR = Date.parse('2025-01-01T00:00:00+08:00')

const attend = (points: number, from: number, to?: number, label = '按时参加组织生活'): PointsRule =>
  to === undefined ? { rule: 'attend', label, points, from } : { rule: 'attend', label, points, from, to }
const essay: PointsRule = { rule: 'essay', label: '心得体会每篇', points: 2, from: LAST_YEAR }

function accepted(plan: ReturnType<typeof planRuleChanges>): PointsRule[] {
  if (!plan.ok) throw new Error(`refused: ${plan.message}`)
  return plan.rules
}
function refused(plan: ReturnType<typeof planRuleChanges>): string {
  if (plan.ok) throw new Error('expected a refusal')
  return plan.message
}

describe('planRuleChanges', () => {
  const current = [attend(2, LAST_YEAR), essay]

  it('takes TODAY as the Shanghai day start', () => {
    expect(TODAY).toBe(Date.parse('2026-11-20T00:00:00+08:00'))
  })

  it('accepts the same list unchanged', () => {
    expect(accepted(planRuleChanges(current, current, NOW))).toEqual(current)
  })

  it('accepts a label change on a rule that has already applied', () => {
    const rules = accepted(planRuleChanges(current, [attend(2, LAST_YEAR, undefined, '参加三会一课'), essay], NOW))
    expect(rules[0].label).toBe('参加三会一课')
    expect(rules[0].points).toBe(2)
  })

  it('refuses a retroactive change of points, kindly', () => {
    const msg = refused(planRuleChanges(current, [attend(5, LAST_YEAR), essay], NOW))
    expect(msg).toContain('按时参加组织生活')
    expect(msg).toContain('生效日期')
    expect(msg).toContain('之前的积分保持不变')
  })

  it('refuses moving the start of an applied rule, earlier or later', () => {
    expect(refused(planRuleChanges(current, [attend(2, LAST_YEAR - DAY), essay], NOW))).toContain('不能早于今天')
    expect(refused(planRuleChanges(current, [attend(2, TODAY + DAY), essay], NOW))).toContain('不能删除或改动开始日期')
  })

  it('refuses removing a rule that has already applied, and says to close it instead', () => {
    expect(refused(planRuleChanges(current, [attend(2, LAST_YEAR)], NOW))).toContain('停用日期')
  })

  it('accepts closing an applied rule from today or later, refuses closing it in the past', () => {
    expect(accepted(planRuleChanges(current, [attend(2, LAST_YEAR, TODAY), essay], NOW))[0].to).toBe(TODAY)
    expect(accepted(planRuleChanges(current, [attend(2, LAST_YEAR, TODAY + 10 * DAY), essay], NOW))[0].to).toBe(TODAY + 10 * DAY)
    expect(refused(planRuleChanges(current, [attend(2, LAST_YEAR, TODAY - DAY), essay], NOW))).toContain('停用日期不能早于今天')
  })

  it('refuses reopening or moving the end of a rule closed in the past', () => {
    const closed = [attend(2, LAST_YEAR, LAST_YEAR + 30 * DAY), essay]
    expect(refused(planRuleChanges(closed, [attend(2, LAST_YEAR), essay], NOW))).toContain('停用日期')
    expect(refused(planRuleChanges(closed, [attend(2, LAST_YEAR, LAST_YEAR + 60 * DAY), essay], NOW))).toContain('停用日期')
  })

  it('accepts a new rule from today and closes the open one at its start', () => {
    const rules = accepted(planRuleChanges(current, [...current, attend(3, TODAY)], NOW))
    expect(rules).toEqual([attend(2, LAST_YEAR, TODAY), attend(3, TODAY), essay])
    // History keeps its value; today on, the new one.
    expect(pointsFor(rules, 'attend', TODAY - 1)).toBe(2)
    expect(pointsFor(rules, 'attend', NOW)).toBe(3)
  })

  it('accepts a future-dated rule; the old value holds until then', () => {
    const from = TODAY + 11 * DAY
    const rules = accepted(planRuleChanges(current, [...current, attend(4, from)], NOW))
    expect(pointsFor(rules, 'attend', NOW)).toBe(2)
    expect(pointsFor(rules, 'attend', from)).toBe(4)
    expect(rules.find((r) => r.from === LAST_YEAR && r.rule === 'attend')?.to).toBe(from)
  })

  it('truncates an old rule that was closed after the new start', () => {
    const cur = [attend(2, LAST_YEAR, TODAY + 30 * DAY)]
    const rules = accepted(planRuleChanges(cur, [...cur, attend(3, TODAY + 5 * DAY)], NOW))
    expect(rules[0].to).toBe(TODAY + 5 * DAY)
  })

  it('refuses a new rule dated before today, even by a second', () => {
    expect(refused(planRuleChanges(current, [...current, attend(3, TODAY - 1)], NOW))).toContain('不能早于今天')
  })

  it('lets a rule that has not applied yet be edited or removed freely', () => {
    const future = [attend(2, LAST_YEAR, TODAY + DAY), attend(3, TODAY + DAY)]
    const edited = accepted(planRuleChanges(future, [attend(2, LAST_YEAR, TODAY + DAY), attend(5, TODAY + DAY)], NOW))
    expect(edited[1].points).toBe(5)
    // Removing the future rule and moving the end of the old one to a later date is fine.
    const removed = accepted(planRuleChanges(future, [attend(2, LAST_YEAR)], NOW))
    expect(removed).toEqual([attend(2, LAST_YEAR)])
    // A rule from today has not applied to an earlier day either.
    const todayRule = [attend(2, LAST_YEAR, TODAY), attend(3, TODAY)]
    expect(accepted(planRuleChanges(todayRule, [attend(2, LAST_YEAR, TODAY), attend(4, TODAY)], NOW))[1].points).toBe(4)
  })

  it('refuses two rules of one key starting the same day', () => {
    expect(refused(planRuleChanges(current, [...current, attend(3, TODAY), attend(4, TODAY)], NOW))).toContain('只能有一条')
  })

  it('accepts a new key, and an empty list when nothing has applied', () => {
    const rules = accepted(planRuleChanges(current, [...current, { rule: 'volunteer', label: '志愿服务', points: 1, from: TODAY }], NOW))
    expect(rules).toHaveLength(3)
    expect(accepted(planRuleChanges([attend(2, TODAY + DAY)], [], NOW))).toEqual([])
    expect(refused(planRuleChanges(current, [], NOW))).toContain('不能删除')
  })

  it('leaves old overlapping history as stored', () => {
    const messy = [attend(2, LAST_YEAR), attend(1, LAST_YEAR + 100 * DAY)]
    expect(accepted(planRuleChanges(messy, messy, NOW))).toEqual(messy)
  })

  it('does not change its inputs', () => {
    const cur = [attend(2, LAST_YEAR)]
    const sub = [attend(2, LAST_YEAR), attend(3, TODAY)]
    const snapshot = JSON.stringify([cur, sub])
    planRuleChanges(cur, sub, NOW)
    expect(JSON.stringify([cur, sub])).toBe(snapshot)
  })

  it('keeps the defaults valid against themselves and every result valid against the schema', () => {
    const rules = accepted(planRuleChanges(DEFAULT_SETTINGS.pointsRules, changeRuleValue(DEFAULT_SETTINGS.pointsRules, 'essay', 3, NOW), NOW))
    for (const r of rules) expect(PointsRuleSchema.safeParse(r).success).toBe(true)
  })
})

describe('changeRuleValue', () => {
  const current = [attend(2, LAST_YEAR), essay]

  it('adds a dated rule from the start of the chosen day and closes the old one', () => {
    const next = changeRuleValue(current, 'attend', 3, NOW)
    expect(next).toEqual([attend(2, LAST_YEAR, TODAY), essay, attend(3, TODAY)])
    expect(accepted(planRuleChanges(current, next, NOW))).toHaveLength(3)
  })

  it('keeps the label unless a new one is given', () => {
    expect(changeRuleValue(current, 'essay', 4, NOW).at(-1)?.label).toBe('心得体会每篇')
    expect(changeRuleValue(current, 'essay', 4, NOW, '心得体会').at(-1)?.label).toBe('心得体会')
  })

  it('edits in place a rule that already starts that day', () => {
    const once = changeRuleValue(current, 'attend', 3, NOW)
    const twice = changeRuleValue(once, 'attend', 4, NOW + 60_000)
    expect(twice.filter((r) => r.rule === 'attend')).toEqual([attend(2, LAST_YEAR, TODAY), attend(4, TODAY)])
    expect(accepted(planRuleChanges(current, twice, NOW))).toHaveLength(3)
  })

  it('ends a change before a later one already planned', () => {
    const planned = changeRuleValue(current, 'attend', 5, TODAY + 30 * DAY)
    const next = changeRuleValue(planned, 'attend', 3, NOW)
    const rules = accepted(planRuleChanges(planned, next, NOW))
    expect(pointsFor(rules, 'attend', TODAY - 1)).toBe(2)
    expect(pointsFor(rules, 'attend', NOW)).toBe(3)
    expect(pointsFor(rules, 'attend', TODAY + 30 * DAY)).toBe(5)
  })

  it('produces a change that is refused when dated in the past', () => {
    expect(refused(planRuleChanges(current, changeRuleValue(current, 'attend', 3, NOW - 2 * DAY), NOW))).toContain('不能早于今天')
  })

  it('starts a rule for a key that had none', () => {
    const next = changeRuleValue(current, 'lecture', 3, NOW)
    expect(next.at(-1)).toEqual({ rule: 'lecture', label: 'lecture', points: 3, from: TODAY })
  })
})

describe('rule lookups', () => {
  const rules = [attend(2, LAST_YEAR, TODAY), attend(3, TODAY), essay]
  it('finds the rule in force and the latest rule', () => {
    expect(ruleInForce(rules, 'attend', TODAY - 1)?.points).toBe(2)
    expect(ruleInForce(rules, 'attend', NOW)?.points).toBe(3)
    expect(ruleInForce(rules, 'attend', LAST_YEAR - 1)).toBeUndefined()
    expect(latestRule(rules, 'attend')?.points).toBe(3)
    expect(latestRule(rules, 'none')).toBeUndefined()
  })
  it('renames every rule of a key, leaving values alone', () => {
    const renamed = renameRule(rules, 'attend', '参加组织生活')
    expect(renamed.filter((r) => r.rule === 'attend').map((r) => [r.label, r.points])).toEqual([
      ['参加组织生活', 2],
      ['参加组织生活', 3]
    ])
    expect(accepted(planRuleChanges(rules, renamed, NOW))).toHaveLength(3)
  })
})
