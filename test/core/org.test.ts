import { currentSince, historyAfterTransfer, memberAsOf, memberOfBranchAt, transferChanges, transferredWithin } from '../../src/core/org/membership'
import { canPlace, inviteCodeFrom, planMove } from '../../src/core/org/tree'
import type { Org } from '../../src/core/schemas/org'

const org = (id: string, type: Org['type'], path: string[], closed = false): Org => ({ _id: id, type, name: id, parentId: path.length > 1 ? path[path.length - 2] : null, path, closed, createdAt: 0 })

describe('tree rules', () => {
  it('places each type only under its allowed parents', () => {
    const committee = org('c', 'committee', ['c'])
    const branch = org('b', 'branch', ['c', 'b'])
    expect(canPlace('general_branch', committee).ok).toBe(true)
    expect(canPlace('branch', committee).ok).toBe(true)
    expect(canPlace('group', branch).ok).toBe(true)
    expect(canPlace('group', committee).ok).toBe(false)
    expect(canPlace('branch', branch).ok).toBe(false)
    expect(canPlace('branch', null).ok).toBe(false)
    expect(canPlace('committee', null).ok).toBe(true)
    expect(canPlace('branch', org('x', 'committee', ['x'], true)).ok).toBe(false)
    expect(canPlace('committee', org('deep', 'committee', ['1', '2', '3', '4', '5', '6', '7', '8'])).ok).toBe(false)
  })

  it('a move rewrites every path below and refuses loops', () => {
    const b = org('b', 'branch', ['c', 'b'])
    const g = org('g', 'group', ['c', 'b', 'g'])
    const gb = org('gb', 'general_branch', ['c', 'gb'])
    const plan = planMove(b, [b, g], gb)
    expect(plan.ok && Object.fromEntries(plan.plan.paths)).toEqual({ b: ['c', 'gb', 'b'], g: ['c', 'gb', 'b', 'g'] })
    expect(planMove(b, [b, g], g).ok).toBe(false)
    expect(planMove(b, [b, g], b).ok).toBe(false)
    expect(planMove(g, [g], gb).ok).toBe(false)
    // The parent it has: the same paths (a retry).
    const again = planMove(b, [b, g], org('c', 'committee', ['c']))
    expect(again.ok && again.plan.paths.get('g')).toEqual(['c', 'b', 'g'])
    // Half done: the branch already under the 总支, its group still on the old path.
    const moved = org('b', 'branch', ['c', 'gb', 'b'])
    const half = planMove(moved, [moved, g], gb)
    expect(half.ok && Object.fromEntries(half.plan.paths)).toEqual({ b: ['c', 'gb', 'b'], g: ['c', 'gb', 'b', 'g'] })
  })

  it('invite codes avoid look-alike characters', () => {
    const code = inviteCodeFrom([0, 8, 14, 24, 31, 255, 100, 7])
    expect(code).toMatch(/^[A-HJ-NP-Z2-9]{8}$/)
    expect(() => inviteCodeFrom([1, 2])).toThrow()
  })
})

describe('membership over time', () => {
  const base = { _id: 'm', branchId: 'a', joinedAt: 100, groupId: 'a_g1', roles: [{ role: 'secretary' as const, orgId: 'a' }, { role: 'admin' as const, orgId: 'c' }] }
  const moved = { ...base, branchId: 'b', groupId: null, roles: [{ role: 'admin' as const, orgId: 'c' }], branchHistory: historyAfterTransfer(base, 500) }

  it('records the old branch with its group and offices', () => {
    expect(moved.branchHistory).toEqual([{ branchId: 'a', from: 100, to: 500, groupId: 'a_g1', roles: [{ role: 'secretary', orgId: 'a' }] }])
    expect(currentSince(moved)).toBe(500)
    // Without a transfer, membership began at joining.
    expect(currentSince(base)).toBe(100)
  })

  it('answers which branch at which instant', () => {
    expect(memberOfBranchAt(moved, 'a', 499)).toBe(true)
    expect(memberOfBranchAt(moved, 'a', 500)).toBe(false)
    expect(memberOfBranchAt(moved, 'b', 500)).toBe(true)
    expect(memberOfBranchAt(moved, 'b', 499)).toBe(false)
    // Before joining, no branch counts: a newcomer was not expected at earlier sessions.
    expect(memberOfBranchAt(moved, 'a', 0)).toBe(false)
    expect(memberOfBranchAt(moved, 'a', 100)).toBe(true)
    expect(memberOfBranchAt(base, 'a', 99)).toBe(false)
    expect(memberOfBranchAt(base, 'a', 100)).toBe(true)
    expect(memberAsOf(base, 'a', 99)).toBeNull()
    expect(memberAsOf(moved, 'a', 99)).toBeNull()
    expect(memberAsOf(moved, 'a', 300)).toMatchObject({ branchId: 'a', groupId: 'a_g1', roles: expect.arrayContaining([{ role: 'secretary', orgId: 'a' }]) })
    expect(memberAsOf(moved, 'b', 300)).toBeNull()
    expect(memberAsOf(moved, 'b', 600)).toBe(moved)
  })

  it('knows whose year spans two branches', () => {
    expect(transferredWithin(moved, 0, 1000)).toBe(true)
    expect(transferredWithin(moved, 501, 1000)).toBe(false)
    expect(transferredWithin(base, 0, 1000)).toBe(false)
  })
})

describe('transferChanges', () => {
  it('moves branch and path, ends the old branch’s offices, keeps admin roles, records the history', () => {
    const m = { branchId: 'a', joinedAt: 100, groupId: 'a_g1', roles: [{ role: 'secretary' as const, orgId: 'a' }, { role: 'admin' as const, orgId: 'c' }] }
    expect(transferChanges(m, { _id: 'b', path: ['c', 'b'] }, 500)).toEqual({
      branchId: 'b',
      orgPath: ['c', 'b'],
      groupId: null,
      roles: [{ role: 'admin', orgId: 'c' }],
      branchHistory: [{ branchId: 'a', from: 100, to: 500, groupId: 'a_g1', roles: [{ role: 'secretary', orgId: 'a' }] }]
    })
    expect(transferChanges(m, { _id: 'b', path: ['c', 'b'] }, 500, 'b_g2').groupId).toBe('b_g2')
  })
})
