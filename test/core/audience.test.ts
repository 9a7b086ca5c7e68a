import { expectedMembers, isExpected } from '../../src/core/audience'

const base = { active: true, joinStatus: 'confirmed' as const, groupId: null as string | null, roles: [] as Array<{ role: 'admin' | 'secretary' | 'committee'; orgId: string }> }
const members = [
  { ...base, _id: 'a', branchId: 'b1', roles: [{ role: 'secretary' as const, orgId: 'b1' }] },
  { ...base, _id: 'b', branchId: 'b1', groupId: 'g1' },
  { ...base, _id: 'c', branchId: 'b1', groupId: 'g2', roles: [{ role: 'committee' as const, orgId: 'b1' }] },
  { ...base, _id: 'd', branchId: 'b2', roles: [{ role: 'secretary' as const, orgId: 'b2' }] },
  { ...base, _id: 'e', branchId: 'b1', active: false },
  { ...base, _id: 'f', branchId: 'b1', joinStatus: 'pending' as const },
  // An admin above the branch is not on the branch committee.
  { ...base, _id: 'g', branchId: 'b1', roles: [{ role: 'admin' as const, orgId: 'org' }] }
]
const ids = (s: Parameters<typeof expectedMembers>[0]) => expectedMembers(s, members).map((m) => m._id)

describe('expected attendees (应到)', () => {
  it('a branch session expects every active, confirmed member of the branch only', () => {
    expect(ids({ branchId: 'b1', audience: { kind: 'branch' } })).toEqual(['a', 'b', 'c', 'g'])
  })
  it('支委会 expects the secretary and committee members of that branch', () => {
    expect(ids({ branchId: 'b1', audience: { kind: 'committee' } })).toEqual(['a', 'c'])
    expect(ids({ branchId: 'b2', audience: { kind: 'committee' } })).toEqual(['d'])
  })
  it('党小组会 expects the group', () => {
    expect(ids({ branchId: 'b1', audience: { kind: 'group', groupId: 'g1' } })).toEqual(['b'])
  })
  it('a chosen list never reaches into another branch', () => {
    expect(ids({ branchId: 'b1', audience: { kind: 'list', memberIds: ['b', 'd', 'e'] } })).toEqual(['b'])
    expect(isExpected({ branchId: 'b1', audience: { kind: 'list', memberIds: ['d'] } }, members[3])).toBe(false)
  })
})
