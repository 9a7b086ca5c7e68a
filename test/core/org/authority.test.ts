import { adminOrgsOutside, lastAdminOf, mayActOn, mayRevokeAdmin, outranks, standingOver, superiorRefusal, topOffice } from '../../../src/core/org/authority'
import type { Role } from '../../../src/core/schemas/member'

/** 党委 → 总支 → 支部, and a sibling 总支 with its own branch. */
const ROOT = 'org'
const GB = 'gb'
const BR = { _id: 'br', path: [ROOT, GB, 'br'] }
const OTHER_GB = { _id: 'gb2', path: [ROOT, 'gb2'] }
const person = (_id: string, ...roles: Role[]) => ({ _id, name: _id, roles, active: true })

const member = person('member')
const committee = person('committee', { role: 'committee', orgId: 'br' })
const secretary = person('secretary', { role: 'secretary', orgId: 'br' })
const gbAdmin = person('gbAdmin', { role: 'admin', orgId: GB })
const rootAdmin = person('rootAdmin', { role: 'admin', orgId: ROOT })
/** Secretary of the branch and admin of the 党委 (a small 党委's secretary often is). */
const secretaryAndAdmin = person('both', { role: 'secretary', orgId: 'br' }, { role: 'admin', orgId: ROOT })
const ladder = [member, committee, secretary, gbAdmin, rootAdmin]

describe('standingOver: member < 支委 < 书记 < 总支管理员 < 党委管理员', () => {
  it('ranks each office over the branch, the higher admin above the lower', () => {
    const s = ladder.map((p) => standingOver(p, BR))
    expect([...s].sort((a, b) => a - b)).toEqual(s)
    expect(new Set(s).size).toBe(ladder.length)
    expect(standingOver(secretaryAndAdmin, BR)).toBe(standingOver(rootAdmin, BR))
  })

  it('an office of another branch, or an admin role off the path, gives nothing here', () => {
    expect(standingOver(person('x', { role: 'secretary', orgId: 'br9' }), BR)).toBe(0)
    expect(standingOver(person('y', { role: 'admin', orgId: 'gb2' }), BR)).toBe(0)
    expect(topOffice(person('y', { role: 'admin', orgId: 'gb2' }), BR)).toBeNull()
    expect(topOffice(committee, BR)).toBe('committee')
    expect(topOffice(gbAdmin, BR)).toBe('admin')
  })
})

describe('mayActOn: strictly below, never oneself', () => {
  it('the role matrix: each acts on those below and on nobody at or above', () => {
    ladder.forEach((actor, i) =>
      ladder.forEach((target, j) => {
        expect([actor._id, target._id, mayActOn(actor, target, BR)]).toEqual([actor._id, target._id, i > j])
      })
    )
  })

  it('never on oneself, whatever the office', () => {
    for (const p of [...ladder, secretaryAndAdmin]) expect(mayActOn(p, p, BR)).toBe(false)
  })

  it('a secretary who is also the 党委 admin is out of reach of the 总支 admin', () => {
    expect(mayActOn(gbAdmin, secretaryAndAdmin, BR)).toBe(false)
    expect(mayActOn(rootAdmin, secretaryAndAdmin, BR)).toBe(false)
    expect(outranks(secretaryAndAdmin, gbAdmin, BR)).toBe(true)
  })

  it('a member who is admin of another 总支: only someone above that 总支 acts on them', () => {
    const elsewhereAdmin = person('ea', { role: 'admin', orgId: 'gb2' })
    expect(adminOrgsOutside(elsewhereAdmin, BR)).toEqual(['gb2'])
    expect(adminOrgsOutside(rootAdmin, BR)).toEqual([])
    expect(mayActOn(secretary, elsewhereAdmin, BR)).toBe(true)
    expect(mayActOn(secretary, elsewhereAdmin, BR, [OTHER_GB])).toBe(false)
    expect(mayActOn(gbAdmin, elsewhereAdmin, BR, [OTHER_GB])).toBe(false)
    expect(mayActOn(rootAdmin, elsewhereAdmin, BR, [OTHER_GB])).toBe(true)
  })
})

describe('mayRevokeAdmin', () => {
  const root = { _id: ROOT, path: [ROOT] }
  const coAdmin = person('co', { role: 'admin', orgId: ROOT })
  it('an admin of the same org or above, never oneself, never someone higher', () => {
    expect(mayRevokeAdmin(coAdmin, rootAdmin, root)).toBe(true)
    expect(mayRevokeAdmin(rootAdmin, rootAdmin, root)).toBe(false)
    const gb = { _id: GB, path: [ROOT, GB] }
    expect(mayRevokeAdmin(rootAdmin, gbAdmin, gb)).toBe(true)
    expect(mayRevokeAdmin(gbAdmin, secretaryAndAdmin, gb)).toBe(false)
    expect(mayRevokeAdmin(secretary, gbAdmin, gb)).toBe(false)
  })
})

describe('lastAdminOf: no org without an active admin of its own', () => {
  it('names the orgs the target is the only active, confirmed admin of', () => {
    const co = person('co', { role: 'admin', orgId: ROOT })
    expect(lastAdminOf(rootAdmin, [ROOT], [rootAdmin])).toEqual([ROOT])
    expect(lastAdminOf(rootAdmin, [ROOT], [rootAdmin, co])).toEqual([])
    expect(lastAdminOf(rootAdmin, [ROOT], [rootAdmin, { ...co, active: false }])).toEqual([ROOT])
    expect(lastAdminOf(rootAdmin, [ROOT], [rootAdmin, { ...co, joinStatus: 'pending' as const }])).toEqual([ROOT])
    // An admin of the 党委 does not stand in for the 总支's own.
    expect(lastAdminOf(gbAdmin, [GB], [gbAdmin, rootAdmin])).toEqual([GB])
    // Already inactive: nothing more is lost.
    expect(lastAdminOf({ ...rootAdmin, active: false }, [ROOT], [])).toEqual([])
  })
})

it('superiorRefusal names the office in Chinese', () => {
  expect(superiorRefusal(secretary, BR)).toMatch(/^secretary是支部书记，/)
  expect(superiorRefusal(member, BR)).not.toMatch(/是/)
})
