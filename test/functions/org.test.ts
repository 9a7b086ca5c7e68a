import type { OrgNode } from '../../src/core/schemas/org'
import { DEMO_PEOPLE } from '../../server/seed/people'
import { expectFail, expectOk, makeTestEnv, type TestEnv } from '../helpers/env'

let env: TestEnv
beforeAll(async () => {
  env = await makeTestEnv()
  // A second, unrelated 党委 with its own branch and people: nothing of it may leak.
  const now = env.clock.now()
  await env.db.collection('orgs').add({ data: { _id: 'org_other', type: 'committee', name: '另一个党委', parentId: null, path: ['org_other'], closed: false, createdAt: now } })
  await env.db.collection('orgs').add({ data: { _id: 'br_x', type: 'branch', name: '外单位支部', parentId: 'org_other', path: ['org_other', 'br_x'], inviteCode: 'OTHER001', closed: false, createdAt: now } })
  const base = { groupId: null, rank: 'staff', leadingCadre: false, retired: false, exempt: null, largeText: false, active: true, joinStatus: 'confirmed', joinedAt: now, createdAt: now }
  await env.db.collection('members').add({ data: { ...base, _id: 'm_x_1', name: '外单位书记', openid: 'dev_m_x_1', branchId: 'br_x', orgPath: ['org_other', 'br_x'], roles: [{ role: 'secretary', orgId: 'br_x' }] } })
  await env.db.collection('members').add({ data: { ...base, _id: 'm_x_2', name: '外单位管理员', openid: 'dev_m_x_2', branchId: 'br_x', orgPath: ['org_other', 'br_x'], roles: [{ role: 'admin', orgId: 'org_other' }] } })
})
afterAll(() => env.close())

function flatten(node: OrgNode): OrgNode[] {
  return [node, ...node.children.flatMap(flatten)]
}

describe('org.tree', () => {
  it('shows an admin the whole 党委 with member counts at every level', async () => {
    const { roots } = expectOk(await env.call<{ roots: OrgNode[] }>('org', 'tree', {}, DEMO_PEOPLE.admin))
    expect(roots).toHaveLength(1)
    const [root] = roots
    expect(root).toMatchObject({ _id: 'org_demo', type: 'committee', memberCount: 47 })
    expect(root.children.map((c) => [c.name, c.memberCount])).toEqual([
      ['第一党支部', 5],
      ['第二党支部', 12],
      ['第三党支部（离退休）', 30]
    ])
    const groups = root.children[2].children
    expect(groups.map((g) => g.memberCount)).toEqual([10, 10, 10])
    expect(flatten(root).some((n) => n._id === 'br_x')).toBe(false)
  })

  it('shows a member only their own branch and refuses other scopes', async () => {
    const { roots } = expectOk(await env.call<{ roots: OrgNode[] }>('org', 'tree', {}, DEMO_PEOPLE.member2))
    expect(roots.map((r) => r._id)).toEqual(['br_2'])
    expectFail(await env.call('org', 'tree', { rootId: 'org_demo' }, DEMO_PEOPLE.member2), 'FORBIDDEN')
    expectFail(await env.call('org', 'tree', { rootId: 'org_other' }, DEMO_PEOPLE.admin), 'FORBIDDEN')
    expectFail(await env.call('org', 'tree', { rootId: 'br_1' }, 'm_x_2'), 'FORBIDDEN')
    const other = expectOk(await env.call<{ roots: OrgNode[] }>('org', 'tree', {}, 'm_x_2'))
    expect(other.roots.map((r) => r._id)).toEqual(['org_other'])
    expect(other.roots[0].memberCount).toBe(2)
  })

  it('validates input', async () => {
    expectFail(await env.call('org', 'tree', { rootId: 5 }, DEMO_PEOPLE.admin), 'INVALID_INPUT')
    expectFail(await env.call('org', 'tree', { rootId: 'nope' }, DEMO_PEOPLE.admin), 'NOT_FOUND')
    expectFail(await env.call('org', 'tree', {}, null), 'FORBIDDEN')
  })
})

describe('org.members', () => {
  it('lists a branch to its own members and officers, without private fields', async () => {
    const { members } = expectOk(await env.call<{ members: Array<Record<string, unknown>> }>('org', 'members', { branchId: 'br_2' }, DEMO_PEOPLE.secretary2))
    expect(members).toHaveLength(12)
    for (const m of members) {
      expect(m).not.toHaveProperty('openid')
      expect(m).not.toHaveProperty('phone')
      expect(m.branchId).toBe('br_2')
    }
    expect(expectOk(await env.call<{ members: unknown[] }>('org', 'members', { branchId: 'br_2' }, DEMO_PEOPLE.member2)).members).toHaveLength(12)
    expect(expectOk(await env.call<{ members: unknown[] }>('org', 'members', { branchId: 'br_3' }, DEMO_PEOPLE.admin)).members).toHaveLength(30)
  })

  it("refuses another branch's roster and other organisations alike", async () => {
    expectFail(await env.call('org', 'members', { branchId: 'br_3' }, DEMO_PEOPLE.secretary2), 'FORBIDDEN')
    expectFail(await env.call('org', 'members', { branchId: 'br_1' }, DEMO_PEOPLE.member2), 'FORBIDDEN')
    expectFail(await env.call('org', 'members', { branchId: 'br_x' }, DEMO_PEOPLE.admin), 'FORBIDDEN')
    expectFail(await env.call('org', 'members', { branchId: 'br_2' }, 'm_x_1'), 'FORBIDDEN')
    expectFail(await env.call('org', 'members', { branchId: 'does_not_exist' }, DEMO_PEOPLE.admin), 'FORBIDDEN')
    // A group id is not a branch.
    expectFail(await env.call('org', 'members', { branchId: 'br_3_g1' }, DEMO_PEOPLE.secretary3), 'FORBIDDEN')
  })

  it('validates input', async () => {
    expectFail(await env.call('org', 'members', {}, DEMO_PEOPLE.admin), 'INVALID_INPUT')
    expectFail(await env.call('org', 'members', { branchId: null }, DEMO_PEOPLE.admin), 'INVALID_INPUT')
    expectFail(await env.call('org', 'members', { branchId: 'b'.repeat(5000) }, DEMO_PEOPLE.admin), 'INVALID_INPUT')
    expectFail(await env.call('org', 'members', { branchId: { $ne: null } }, DEMO_PEOPLE.admin), 'INVALID_INPUT')
  })
})
