import { expectedAt, expectedMembers, isExpected } from '../../src/core/audience'

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

describe('expectedAt: expected as the member was when the session started', () => {
  const DAY = 86_400_000
  const joined = 100 * DAY
  const newcomer = { ...base, _id: 'n', branchId: 'b1', groupId: 'g1', joinedAt: joined }
  const session = (startAt: number, audience: Parameters<typeof isExpected>[0]['audience'] = { kind: 'branch' }) => ({ branchId: 'b1', startAt, audience })

  it('a newcomer is expected only at sessions held after joining', () => {
    expect(expectedAt(session(joined - DAY), newcomer)).toBe(false)
    expect(expectedAt(session(joined - 1), newcomer)).toBe(false)
    expect(expectedAt(session(joined), newcomer)).toBe(true)
    expect(expectedAt(session(joined + DAY, { kind: 'group', groupId: 'g1' }), newcomer)).toBe(true)
    // isExpected answers for today and knows nothing of the date.
    expect(isExpected(session(joined - DAY), newcomer)).toBe(true)
  })

  it('a transfer keeps each branch its share, with the group and offices held there', () => {
    const moved = {
      ...base,
      _id: 't',
      branchId: 'b2',
      joinedAt: 0,
      roles: [],
      branchHistory: [{ branchId: 'b1', from: 0, to: joined, groupId: 'g2', roles: [{ role: 'committee' as const, orgId: 'b1' }] }]
    }
    const old = (startAt: number, audience: Parameters<typeof isExpected>[0]['audience'] = { kind: 'branch' }) => ({ branchId: 'b1', startAt, audience })
    expect(expectedAt(old(joined - DAY), moved)).toBe(true)
    expect(expectedAt(old(joined - DAY, { kind: 'committee' }), moved)).toBe(true)
    expect(expectedAt(old(joined - DAY, { kind: 'group', groupId: 'g2' }), moved)).toBe(true)
    expect(expectedAt(old(joined), moved)).toBe(false)
    expect(expectedAt({ branchId: 'b2', startAt: joined - DAY, audience: { kind: 'branch' } }, moved)).toBe(false)
    expect(expectedAt({ branchId: 'b2', startAt: joined, audience: { kind: 'branch' } }, moved)).toBe(true)
  })

  it('pending and inactive members are never expected', () => {
    expect(expectedAt(session(joined + DAY), { ...newcomer, joinStatus: 'pending' })).toBe(false)
    expect(expectedAt(session(joined + DAY), { ...newcomer, active: false })).toBe(false)
  })
})
