import {
  INITIAL_STATE,
  TX_LIFETIME_MS,
  countedState,
  declaredState,
  isQuietWindow,
  pendingFromFor,
  sameState,
  sessionAt
} from '../../../src/core/stats/counted-state'
import { groupIncrements, incrementTargets, planIncrement, type PlannedIncrement } from '../../../src/core/stats/increments'

const at = Date.parse('2026-03-31T16:30:00Z') // 1 April 2026, 00:30 in Shanghai (still March in UTC)
const window = { opensAt: at - 1000, closesAt: at + 60 * 60 * 1000, lateAfter: at }

describe('counted state', () => {
  it('is the mark, else the pending change’s start, else what the session declares', () => {
    const tallied = { status: 'scheduled' as const, talliedAt: at }
    expect(countedState(tallied, null)).toEqual({ status: 'scheduled', tallied: true })
    expect(countedState({ ...tallied, pendingFrom: INITIAL_STATE }, null)).toEqual(INITIAL_STATE)
    expect(countedState({ ...tallied, pendingFrom: INITIAL_STATE }, { status: 'scheduled', tallied: true })).toEqual({ status: 'scheduled', tallied: true })
    expect(sameState(declaredState({ status: 'cancelled' }), { status: 'cancelled', tallied: false })).toBe(true)
  })

  it('keeps an unfinished change’s start when another change is declared on top', () => {
    expect(pendingFromFor({ status: 'scheduled', talliedAt: at })).toEqual({ status: 'scheduled', tallied: true })
    expect(pendingFromFor({ status: 'scheduled', talliedAt: at, pendingFrom: INITIAL_STATE })).toEqual(INITIAL_STATE)
  })

  it('shows a contribution the session at a state (status and talliedAt only)', () => {
    const s = { _id: 's1', status: 'cancelled' as const, talliedAt: at, title: 't' }
    expect(sessionAt(s, INITIAL_STATE)).toEqual({ _id: 's1', status: 'scheduled', title: 't' })
    expect(sessionAt({ _id: 's1', status: 'scheduled' as const }, { status: 'cancelled', tallied: true })).toEqual({ _id: 's1', status: 'cancelled', talliedAt: 0 })
  })

  it('calls a window quiet only when nothing is changing and the tally cannot start before a write commits', () => {
    const s = { status: 'scheduled' as const, checkin: window }
    expect(isQuietWindow(s, at)).toBe(true)
    expect(isQuietWindow(s, window.closesAt - TX_LIFETIME_MS)).toBe(false)
    expect(isQuietWindow({ ...s, talliedAt: at }, at)).toBe(false)
    expect(isQuietWindow({ ...s, status: 'cancelled' as const }, at)).toBe(false)
    expect(isQuietWindow({ ...s, pendingFrom: INITIAL_STATE }, at)).toBe(false)
  })
})

describe('planned increments', () => {
  const owner = { memberId: 'm1', branchId: 'b1', countsForBranch: true }

  it('lands in the member’s and the branch’s year, quarter and month (Shanghai periods)', () => {
    expect(incrementTargets(owner, at).map((t) => t.id)).toEqual([
      'agg:member:m1:2026', 'agg:member:m1:2026-Q2', 'agg:member:m1:2026-04',
      'agg:branch:b1:2026', 'agg:branch:b1:2026-Q2', 'agg:branch:b1:2026-04'
    ])
    expect(incrementTargets({ ...owner, countsForBranch: false }, at)).toHaveLength(3)
  })

  it('sums per document and groups documents taking the same increment into one write', () => {
    const plan = new Map<string, PlannedIncrement>()
    for (const t of incrementTargets(owner, at)) planIncrement(plan, t, { points: 2 })
    for (const t of incrementTargets(owner, at, ['member'])) planIncrement(plan, t, { creditedWords: 900 })
    const groups = groupIncrements(plan.values())
    expect(groups.map((g) => [g.counters, g.docs.length])).toEqual([
      [{ points: 2, creditedWords: 900 }, 3],
      [{ points: 2 }, 3]
    ])
  })

  it('drops a document whose increments cancel out', () => {
    const plan = new Map<string, PlannedIncrement>()
    const [t] = incrementTargets(owner, at, ['member'])
    planIncrement(plan, t, { points: 2, absent: 1 })
    planIncrement(plan, t, { points: -2, absent: -1 })
    expect(groupIncrements(plan.values())).toEqual([])
  })
})
