/**
 * Changing points rules without rewriting history (积分规则调整). A rule is
 * known by its key and its start (`from`). Once a rule has started to apply,
 * the points it gave stay as they were: its value and its past window are
 * frozen, and a new value comes in as a new dated rule that takes over from
 * its effective date. Pure, so the page can check a change before sending it
 * and the server checks it again before storing.
 */
import { shanghaiDayStart } from '../period'
import type { PointsRule } from '../schemas/settings'

export type RulePlan = { ok: true; rules: PointsRule[] } | { ok: false; message: string }

const identity = (r: Pick<PointsRule, 'rule' | 'from'>): string => `${r.rule}@${r.from}`

/** End of the part of a rule's window that lies before `today`. */
function pastEnd(r: PointsRule, today: number): number {
  return Math.min(r.to ?? Infinity, today)
}

function nameOf(r: PointsRule): string {
  return `「${r.label}」`
}

/** Within each key, a rule stops where the next one starts, once that next one is new (dated today or later). */
function closeSuperseded(rules: PointsRule[], today: number): PointsRule[] {
  const order: string[] = []
  const byKey = new Map<string, PointsRule[]>()
  for (const r of rules) {
    const list = byKey.get(r.rule)
    if (list) list.push({ ...r })
    else {
      order.push(r.rule)
      byKey.set(r.rule, [{ ...r }])
    }
  }
  const out: PointsRule[] = []
  for (const key of order) {
    const list = (byKey.get(key) as PointsRule[]).sort((a, b) => a.from - b.from)
    for (let i = 0; i + 1 < list.length; i++) {
      const next = list[i + 1]
      const cur = list[i]
      // Older overlaps stay as stored: touching them would move past points.
      if (next.from >= today && (cur.to === undefined || cur.to > next.from)) cur.to = next.from
    }
    out.push(...list)
  }
  return out
}

/**
 * Checks a submitted list of rules against the stored one and completes it.
 * Refused: changing the value or the past window of a rule that has already
 * applied, removing such a rule, and starting a new rule before today
 * (Asia/Shanghai). Labels may change freely. A new rule dated today or later
 * closes the earlier open rule of its key at its own start.
 */
export function planRuleChanges(current: readonly PointsRule[], submitted: readonly PointsRule[], now: number): RulePlan {
  const today = shanghaiDayStart(now)
  const currentById = new Map(current.map((r) => [identity(r), r]))
  const submittedById = new Map<string, PointsRule>()
  for (const s of submitted) {
    const id = identity(s)
    if (submittedById.has(id)) {
      return { ok: false, message: `${nameOf(s)}在同一天生效的规则只能有一条，请合并后再保存` }
    }
    submittedById.set(id, s)
  }

  for (const s of submitted) {
    const c = currentById.get(identity(s))
    if (!c) {
      if (s.from < today) {
        return {
          ok: false,
          message: `${nameOf(s)}的生效日期不能早于今天。调整只对以后的活动和笔记生效，已经计入的积分不会改变`
        }
      }
      continue
    }
    if (c.from >= today) continue // not applied yet: free to edit
    if (s.points !== c.points) {
      return {
        ok: false,
        message: `${nameOf(c)}已经开始计分，不能直接改分值。请设置一个从今天或以后开始的生效日期，之前的积分保持不变`
      }
    }
    if (pastEnd(s, today) !== pastEnd(c, today)) {
      return {
        ok: false,
        message: `${nameOf(c)}的停用日期不能早于今天，已经计入的积分不会改变`
      }
    }
  }

  for (const c of current) {
    if (submittedById.has(identity(c)) || c.from >= today) continue
    return {
      ok: false,
      message: `${nameOf(c)}已经计过积分，不能删除或改动开始日期。如果不再使用，请为它设置停用日期`
    }
  }

  return { ok: true, rules: closeSuperseded([...submitted], today) }
}

/** The rule of a key in force at `at` (the latest start whose window holds it), if any. */
export function ruleInForce(rules: readonly PointsRule[], key: string, at: number): PointsRule | undefined {
  let best: PointsRule | undefined
  for (const r of rules) {
    if (r.rule !== key || at < r.from || (r.to !== undefined && at >= r.to)) continue
    if (!best || r.from >= best.from) best = r
  }
  return best
}

/** The newest rule of a key, whatever its window: what the page shows as the key's row. */
export function latestRule(rules: readonly PointsRule[], key: string): PointsRule | undefined {
  let best: PointsRule | undefined
  for (const r of rules) if (r.rule === key && (!best || r.from >= best.from)) best = r
  return best
}

/**
 * The list after giving `key` a new value from `effectiveFrom` (any instant
 * of the day; it is rounded to the start of that Shanghai day). A rule that
 * already starts that day is edited in place; otherwise a new dated rule is
 * added with the same label unless one is given, and the previous one is
 * closed at its start. Pass the result to planRuleChanges to check it.
 */
export function changeRuleValue(
  current: readonly PointsRule[],
  key: string,
  points: number,
  effectiveFrom: number,
  label?: string
): PointsRule[] {
  const from = shanghaiDayStart(effectiveFrom)
  const same = current.find((r) => r.rule === key && r.from === from)
  if (same) {
    return current.map((r) => (r === same ? { ...r, points, label: label ?? r.label } : { ...r }))
  }
  const base = ruleInForce(current, key, from) ?? latestRule(current, key)
  const added: PointsRule = { rule: key, label: label ?? base?.label ?? key, points, from }
  // Ending the new rule where a later one already starts keeps that later change in place.
  const later = current.filter((r) => r.rule === key && r.from > from).sort((a, b) => a.from - b.from)[0]
  if (later) added.to = later.from
  const rules = current.map((r) => {
    const copy = { ...r }
    if (r.rule === key && r.from < from && (r.to === undefined || r.to > from)) copy.to = from
    return copy
  })
  return [...rules, added]
}

/** Only the label of every rule of `key` changes; the values and windows stay. */
export function renameRule(current: readonly PointsRule[], key: string, label: string): PointsRule[] {
  return current.map((r) => (r.rule === key ? { ...r, label } : { ...r }))
}
