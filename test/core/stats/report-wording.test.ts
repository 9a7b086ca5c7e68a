/**
 * The 预警 page and the printable 季度通报 are read by officers: they speak of
 * the member in the third person ("林华已完成 6,391 字"), never "您", and a
 * name hidden in the report stays hidden inside its sentences (issue 16).
 */
import type { MemberWarning } from '../../../src/core/functions/stats'
import { notePace } from '../../../src/core/notes/pace'
import { periodBounds } from '../../../src/core/period'
import { DEFAULT_SETTINGS } from '../../../src/core/schemas/settings'
import { buildReport, memberWarning, type BuildReportArgs } from '../../../src/core/stats'

const Q4 = '2026-Q4'
const AFTER_Q4 = periodBounds(Q4).end + 86400e3
const NOV = Date.UTC(2026, 10, 20, 4, 0)

/** Far behind at 20 November: 6,391 of 24,000 words. */
const paceFor = (subject?: string) =>
  notePace({ creditedWords: 6391, quota: { words: 24000 }, at: NOV, year: 2026, subject })

function warningOf(name: string, subject?: string): MemberWarning {
  const w = memberWarning(
    {
      member: { _id: 'm1', name, exempt: false },
      quarter: Q4,
      quarterAgg: { absent: 0, points: 20 },
      absences: [],
      monthsAbsent: 0,
      pace: paceFor(subject),
      now: NOV
    },
    DEFAULT_SETTINGS.warnings
  )
  if (!w) throw new Error('expected a warning')
  return w
}

test('the member reads their own pace as 您; an officer reads it by name', () => {
  expect(paceFor().sentence).toContain('您已完成 6,391 字')
  const named = paceFor('林华')
  expect(named.status).toBe('far_behind')
  expect(named.sentence).toContain('林华已完成 6,391 字')
  expect(named.sentence).not.toContain('您')
})

test('a 预警 fact names the member, even from a pace worded for the member', () => {
  for (const w of [warningOf('林华', '林华'), warningOf('林华')]) {
    const texts = w.facts.map((f) => f.text).join('\n')
    expect(texts).toContain('林华已完成 6,391 字')
    expect(texts).not.toContain('您')
  }
})

test('the 季度通报 speaks of warned members in the third person, 该党员 where names are hidden', () => {
  const w = warningOf('林华', '林华')
  // buildReport lists warned members only for ranked branches: give it one.
  const withBranch = (visible: boolean) =>
    buildReport({
      orgName: '某某党委',
      quarter: Q4,
      generatedAt: AFTER_Q4,
      branches: [{ branch: { _id: 'b1', name: '红星支部' }, agg: null, meetings: [] }],
      warnings: { b1: [w] },
      namesVisibleFor: () => visible,
      previous: []
    } as BuildReportArgs)

  const shown = withBranch(true).warned
  expect(shown).toHaveLength(1)
  expect(shown[0].name).toBe('林华')
  expect(shown[0].facts.join('\n')).toContain('林华已完成 6,391 字')

  const hidden = withBranch(false).warned
  expect(hidden[0].name).toBeNull()
  const text = hidden[0].facts.join('\n')
  expect(text).toContain('该党员已完成 6,391 字')
  expect(text).not.toContain('林华')

  for (const r of [shown, hidden]) expect(r.flatMap((x) => x.facts).join('\n')).not.toContain('您')
})
