/**
 * Who may act on whom (src/core/org/authority.ts), through the local runtime
 * on the demo 党委: an officer acts on a member's record only when strictly
 * above them, never on themselves, and no org loses its last active admin.
 * Each refusal is FORBIDDEN and leaves the record as it was.
 */
import { MemberSchema, type Member } from '../../src/core/schemas/member'
import { DEMO_PEOPLE } from '../../server/seed/people'
import { expectFail, expectOk, makeTestEnv, type TestEnv } from '../helpers/env'
import { BR2 } from './checkin.fixtures'

const ADMIN = DEMO_PEOPLE.admin
/** 第一党支部: the 党委 admin is a member of it, beside its secretary. */
const BR1 = { admin: ADMIN, secretary: DEMO_PEOPLE.secretary1, committee: 'm_br_1_04', member: DEMO_PEOPLE.member1 } as const

let env: TestEnv
beforeAll(async () => {
  env = await makeTestEnv()
  // 第一党支部 is small and has no 支委委员 in the demo: one is appointed for the matrix.
  await env.db.collection('members').doc(BR1.committee).update({ data: { roles: env.db.command.set([{ role: 'committee', orgId: 'br_1' }]) } })
})
afterAll(() => env.close())
beforeEach(() => env.clock.set(Date.parse('2026-11-20T02:00:10Z')))

const read = async (id: string): Promise<Member> => MemberSchema.parse((await env.db.collection('members').doc(id).get()).data)
const audits = async (id: string) => (await env.db.collection('audit').where({ 'target.id': id }).count()).total

/** Refused with FORBIDDEN, and neither the record nor its audit trail moved. */
async function refused(fn: string, action: string, input: Record<string, unknown>, as: string, targetId: string, message?: RegExp) {
  const before = JSON.stringify(await read(targetId))
  const trail = await audits(targetId)
  const e = expectFail(await env.call(fn, action, input, as), 'FORBIDDEN')
  if (message) expect(e.message).toMatch(message)
  expect(JSON.stringify(await read(targetId))).toBe(before)
  expect(await audits(targetId)).toBe(trail)
  return e
}

describe('org.updateMember: the role matrix member < 支委 < 书记 < 党委管理员', () => {
  const ladder = [BR1.member, BR1.committee, BR1.secretary, BR1.admin]
  const names = ['党员', '支委', '书记', '管理员']
  const cases = ladder.flatMap((actor, i) => ladder.map((target, j) => [`${names[i]} → ${names[j]}`, actor, target, i > j] as const))

  it.each(cases)('%s', async (_label, actor, target, allowed) => {
    if (!allowed) {
      await refused('org', 'updateMember', { memberId: target, leadingCadre: true }, actor, target)
      return
    }
    const out = expectOk(await env.call<{ changed: string[] }>('org', 'updateMember', { memberId: target, leadingCadre: true }, actor))
    expect(out.changed).toEqual(['leadingCadre'])
    expect((await read(target)).leadingCadre).toBe(true)
    expectOk(await env.call('org', 'updateMember', { memberId: target, leadingCadre: false }, actor))
  })
})

describe('nobody locks out a superior', () => {
  it('a 支委 cannot deactivate their secretary; the 党委 admin can', async () => {
    const e = await refused('org', 'updateMember', { memberId: BR2.secretary, active: false }, BR2.committee, BR2.secretary)
    expect(e.message).toContain('支部书记')
    expectOk(await env.call('org', 'updateMember', { memberId: BR2.secretary, active: false }, ADMIN))
    expect((await read(BR2.secretary)).active).toBe(false)
    expectOk(await env.call('org', 'updateMember', { memberId: BR2.secretary, active: true }, ADMIN))
  })

  it('a branch secretary cannot deactivate the 党委 admin, nor change their exemption or rank', async () => {
    for (const change of [{ active: false }, { exempt: { reason: 'long_illness' } }, { rank: 'deputy_section_plus' }, { retired: true }]) {
      await refused('org', 'updateMember', { memberId: ADMIN, ...change }, BR1.secretary, ADMIN, /党委管理员/)
    }
  })

  it('the 支委 cannot exempt their secretary; the admin can, and the secretary exempts a member', async () => {
    await refused('org', 'updateMember', { memberId: BR2.secretary, exempt: { reason: 'long_illness' } }, BR2.committee, BR2.secretary)
    expectOk(await env.call('org', 'updateMember', { memberId: BR2.secretary, exempt: { reason: 'long_illness', note: '术后休养' } }, ADMIN))
    expect((await read(BR2.secretary)).exempt?.reason).toBe('long_illness')
    expectOk(await env.call('org', 'updateMember', { memberId: BR2.secretary, exempt: null }, ADMIN))
    expectOk(await env.call('org', 'updateMember', { memberId: BR2.member, exempt: { reason: 'mobility' } }, BR2.committee))
    expect((await read(BR2.member)).exempt?.reason).toBe('mobility')
    expectOk(await env.call('org', 'updateMember', { memberId: BR2.member, exempt: null }, BR2.secretary))
  })

  it('nobody exempts, deactivates or re-ranks themselves', async () => {
    await refused('org', 'updateMember', { memberId: BR2.secretary, exempt: { reason: 'age' } }, BR2.secretary, BR2.secretary, /^不能为自己设置“不计入定额和预警”，请由其他支委或上级办理$/)
    await refused('org', 'updateMember', { memberId: ADMIN, exempt: { reason: 'other' } }, ADMIN, ADMIN)
    await refused('org', 'updateMember', { memberId: BR2.committee, active: false }, BR2.committee, BR2.committee, /^不能停用自己的账号/)
    await refused('org', 'updateMember', { memberId: BR2.secretary, rank: 'deputy_section_plus' }, BR2.secretary, BR2.secretary, /^不能修改自己的党员信息/)
  })

  it('peers do not act on each other: one 支委 on another', async () => {
    await env.db.collection('members').doc(BR2.others[0]).update({ data: { roles: env.db.command.set([{ role: 'committee', orgId: 'br_2' }]) } })
    try {
      await refused('org', 'updateMember', { memberId: BR2.committee, active: false }, BR2.others[0], BR2.committee, /支委委员/)
    } finally {
      await env.db.collection('members').doc(BR2.others[0]).update({ data: { roles: env.db.command.set([]) } })
    }
  })
})

describe('setRole and transferMember follow the same order', () => {
  it('a co-admin of the 党委 may take another admin role away (the org keeps one), not deactivate or transfer them', async () => {
    const co = BR2.others[1]
    expectOk(await env.call('org', 'setRole', { memberId: co, role: 'admin', orgId: 'org_demo', on: true }, ADMIN))
    await refused('org', 'updateMember', { memberId: ADMIN, active: false }, co, ADMIN)
    await refused('org', 'transferMember', { memberId: ADMIN, toBranchId: 'br_2' }, co, ADMIN)
    await refused('org', 'transferMember', { memberId: co, toBranchId: 'br_3' }, co, co, /^不能转接自己的组织关系/)
    // The admin hands over: the new one takes the old one's role away, and is then the last.
    expectOk(await env.call('org', 'setRole', { memberId: ADMIN, role: 'admin', orgId: 'org_demo', on: false }, co))
    expect((await read(ADMIN)).roles).toEqual([])
    expectOk(await env.call('org', 'setRole', { memberId: ADMIN, role: 'admin', orgId: 'org_demo', on: true }, co))
    expectOk(await env.call('org', 'setRole', { memberId: co, role: 'admin', orgId: 'org_demo', on: false }, ADMIN))
    expect((await read(co)).roles).toEqual([])
  })

  it('an admin appoints and removes a 支委 below them', async () => {
    expectOk(await env.call('org', 'setRole', { memberId: BR2.others[2], role: 'committee', orgId: 'br_2', on: true }, ADMIN))
    expectOk(await env.call('org', 'setRole', { memberId: BR2.others[2], role: 'committee', orgId: 'br_2', on: false }, ADMIN))
    expect((await read(BR2.others[2])).roles).toEqual([])
  })
})

describe('no org without an active admin of its own', () => {
  it('the 总支 admin: out of reach of a branch secretary, kept until a successor is appointed', async () => {
    const gb = expectOk(await env.call<{ org: { _id: string } }>('org', 'createOrg', { parentId: 'org_demo', type: 'general_branch', name: '机关总支', clientId: 'gb-1' }, ADMIN)).org
    // A member of 第三党支部 (not under the 总支) runs the 总支.
    const gbAdmin = 'm_br_3_05'
    const next = 'm_br_3_06'
    expectOk(await env.call('org', 'setRole', { memberId: gbAdmin, role: 'admin', orgId: gb._id, on: true }, ADMIN))
    // Their branch's secretary ranks above them in the branch, but not over the 总支 they run.
    await refused('org', 'updateMember', { memberId: gbAdmin, active: false }, DEMO_PEOPLE.secretary3, gbAdmin)
    // The 党委 admin may, but not while they are the 总支's only admin.
    await refused('org', 'updateMember', { memberId: gbAdmin, active: false }, ADMIN, gbAdmin, /唯一在用的管理员，请先另设一位管理员/)
    await refused('org', 'setRole', { memberId: gbAdmin, role: 'admin', orgId: gb._id, on: false }, ADMIN, gbAdmin, /机关总支唯一在用的管理员/)
    // A successor first; then the old admin steps down and can be deactivated.
    expectOk(await env.call('org', 'setRole', { memberId: next, role: 'admin', orgId: gb._id, on: true }, ADMIN))
    expectOk(await env.call('org', 'setRole', { memberId: gbAdmin, role: 'admin', orgId: gb._id, on: false }, ADMIN))
    expect((await read(gbAdmin)).roles).toEqual([])
    expectOk(await env.call('org', 'updateMember', { memberId: gbAdmin, active: false }, ADMIN))
    expect((await read(gbAdmin)).active).toBe(false)
    // Now the successor is the one the 总支 cannot lose.
    await refused('org', 'updateMember', { memberId: next, active: false }, ADMIN, next, /唯一在用的管理员/)
  })

  it('the 党委 admin cannot be deactivated or demoted by anyone below, nor by themselves', async () => {
    for (const who of [BR1.secretary, BR1.committee, DEMO_PEOPLE.secretary2, DEMO_PEOPLE.secretary3]) {
      await refused('org', 'updateMember', { memberId: ADMIN, active: false }, who, ADMIN)
    }
    expectFail(await env.call('org', 'setRole', { memberId: ADMIN, role: 'admin', orgId: 'org_demo', on: false }, ADMIN), 'INVALID_INPUT')
    const me = await read(ADMIN)
    expect(me.active).toBe(true)
    expect(me.roles).toEqual([{ role: 'admin', orgId: 'org_demo' }])
  })
})
