/**
 * Organisation administration through the local runtime on a real SQLite
 * file: the tree (create, rename, move, close), invite codes and join
 * confirmation, member records and transfers — with a second 党委 whose
 * admin must see and touch nothing of the first.
 */
import { MemberSchema } from '../../src/core/schemas/member'
import { OrgSchema } from '../../src/core/schemas/org'
import { expectFail, expectOk, makeTestEnv, type TestEnv } from '../helpers/env'
import { BR2 } from './checkin.fixtures'

type OrgOut = { org: { _id: string; name: string; path: string[]; parentId: string | null; closed: boolean; inviteCode?: string } }
const ADMIN = 'm_br_1_01'
const OTHER_ADMIN = 'm_x_admin'

let env: TestEnv
beforeEach(async () => {
  env = await makeTestEnv()
  // A second 党委 with one branch and its own admin.
  const now = env.clock.now()
  await env.db.collection('orgs').add({ data: OrgSchema.parse({ _id: 'org_x', type: 'committee', name: '另一个党委', parentId: null, path: ['org_x'], closed: false, createdAt: now }) })
  await env.db.collection('orgs').add({ data: OrgSchema.parse({ _id: 'br_x', type: 'branch', name: '另一个支部', parentId: 'org_x', path: ['org_x', 'br_x'], inviteCode: 'XXXX2345', closed: false, createdAt: now }) })
  await env.db.collection('members').add({
    data: MemberSchema.parse({
      _id: OTHER_ADMIN, name: '赵其他', openid: `dev_${OTHER_ADMIN}`, branchId: 'br_x', groupId: null, orgPath: ['org_x', 'br_x'], rank: 'staff',
      roles: [{ role: 'admin', orgId: 'org_x' }], leadingCadre: false, retired: false, exempt: null, joinedAt: now, createdAt: now
    })
  })
})
afterEach(() => env.close())

const org = async (id: string) => OrgSchema.parse((await env.db.collection('orgs').doc(id).get()).data)
const member = async (id: string) => MemberSchema.parse((await env.db.collection('members').doc(id).get()).data)
const audit = async (action: string) => (await env.db.collection('audit').where({ action }).count()).total

describe('tree', () => {
  it('an admin creates a 总支 and a branch under it (with an invite code), once per clientId', async () => {
    const gb = expectOk(await env.call<OrgOut>('org', 'createOrg', { parentId: 'org_demo', type: 'general_branch', name: '机关总支', clientId: 'c1' }, ADMIN)).org
    expect(gb.path).toEqual(['org_demo', gb._id])
    const br = expectOk(await env.call<OrgOut>('org', 'createOrg', { parentId: gb._id, type: 'branch', name: '第四党支部', clientId: 'c2' }, ADMIN)).org
    expect(br.path).toEqual(['org_demo', gb._id, br._id])
    expect(br.inviteCode).toMatch(/^[A-HJ-NP-Z2-9]{8}$/)
    const again = expectOk(await env.call<OrgOut>('org', 'createOrg', { parentId: gb._id, type: 'branch', name: '第四党支部', clientId: 'c2' }, ADMIN)).org
    expect(again._id).toBe(br._id)
    expect((await env.db.collection('orgs').where({ parentId: gb._id }).count()).total).toBe(1)
    expect(await audit('org.create')).toBe(2)
  })

  it('refuses the wrong level, bad names, and other organisations', async () => {
    expectFail(await env.call('org', 'createOrg', { parentId: 'br_2', type: 'branch', name: '支部下的支部', clientId: 'c1' }, ADMIN), 'INVALID_INPUT')
    expectFail(await env.call('org', 'createOrg', { parentId: 'org_demo', type: 'group', name: '直属党小组', clientId: 'c2' }, ADMIN), 'INVALID_INPUT')
    expectFail(await env.call('org', 'createOrg', { parentId: 'org_demo', type: 'branch', name: '', clientId: 'c3' }, ADMIN), 'INVALID_INPUT')
    expectFail(await env.call('org', 'createOrg', { parentId: 'org_demo', type: 'branch', name: '长'.repeat(61), clientId: 'c4' }, ADMIN), 'INVALID_INPUT')
    expectFail(await env.call('org', 'createOrg', { parentId: 'org_demo', type: 'committee', name: '新党委', clientId: 'c5' }, ADMIN), 'INVALID_INPUT')
    expectFail(await env.call('org', 'createOrg', { parentId: 'org_demo', type: 'branch', name: 7, clientId: 'c6' }, ADMIN), 'INVALID_INPUT')
    // Another 党委's admin: the same refusal as for an id that does not exist.
    const a = expectFail(await env.call('org', 'createOrg', { parentId: 'org_demo', type: 'branch', name: '渗透支部', clientId: 'c7' }, OTHER_ADMIN), 'FORBIDDEN')
    const b = expectFail(await env.call('org', 'createOrg', { parentId: 'org_nope', type: 'branch', name: '不存在', clientId: 'c8' }, OTHER_ADMIN), 'FORBIDDEN')
    expect(a.message).toBe(b.message)
    expectFail(await env.call('org', 'renameOrg', { orgId: 'br_2', name: '改名' }, OTHER_ADMIN), 'FORBIDDEN')
    expectFail(await env.call('org', 'renameOrg', { orgId: 'br_x', name: '改名' }, ADMIN), 'FORBIDDEN')
    // A secretary runs the groups of their own branch, not the branch itself or another's groups.
    expectOk(await env.call('org', 'createOrg', { parentId: 'br_2', type: 'group', name: '第三党小组', clientId: 'g1' }, BR2.secretary))
    expectFail(await env.call('org', 'renameOrg', { orgId: 'br_2', name: '改名' }, BR2.secretary), 'FORBIDDEN')
    expectFail(await env.call('org', 'createOrg', { parentId: 'br_1', type: 'group', name: '别人的小组', clientId: 'g2' }, BR2.secretary), 'FORBIDDEN')
    expect((await env.db.collection('orgs').where({ parentId: 'org_x' }).count()).total).toBe(1)
  })

  it('renames; the tree and members follow a move, including what is below it', async () => {
    expectOk(await env.call('org', 'renameOrg', { orgId: 'br_2', name: '第二党支部（机关）' }, ADMIN))
    expect((await org('br_2')).name).toBe('第二党支部（机关）')
    const gb = expectOk(await env.call<OrgOut>('org', 'createOrg', { parentId: 'org_demo', type: 'general_branch', name: '机关总支', clientId: 'c1' }, ADMIN)).org
    const out = expectOk(await env.call<{ orgsMoved: number; membersMoved: number; sessionsMoved: number }>('org', 'moveOrg', { orgId: 'br_2', parentId: gb._id }, ADMIN))
    const groups = (await env.db.collection('orgs').where({ parentId: 'br_2' }).get()).data
    expect(out.orgsMoved).toBe(1 + groups.length)
    expect((await org('br_2')).path).toEqual(['org_demo', gb._id, 'br_2'])
    for (const g of groups) expect((await org(String(g._id))).path).toEqual(['org_demo', gb._id, 'br_2', g._id])
    expect((await member(BR2.member)).orgPath).toEqual(['org_demo', gb._id, 'br_2'])
    expect(out.membersMoved).toBeGreaterThan(0)
    const s = (await env.db.collection('sessions').where({ branchId: 'br_2' }).limit(1).get()).data[0]
    if (s) expect(s.orgPath).toEqual(['org_demo', gb._id, 'br_2'])
    // The branch's secretary still reaches it; the tree shows it under the 总支.
    const tree = expectOk(await env.call<{ roots: { children: { _id: string; children: { _id: string }[] }[] }[] }>('org', 'tree', {}, ADMIN))
    expect(tree.roots[0].children.find((c) => c._id === gb._id)!.children.map((c) => c._id)).toContain('br_2')
    // A retry finishes an interrupted move and changes nothing else.
    expectOk(await env.call('org', 'moveOrg', { orgId: 'br_2', parentId: gb._id }, ADMIN))
    expect(await audit('org.move')).toBe(1)
  })

  it('refuses a move into its own subtree, to the wrong level, or into another 党委', async () => {
    expectFail(await env.call('org', 'moveOrg', { orgId: 'br_3', parentId: 'br_3_g1' }, ADMIN), 'INVALID_INPUT')
    expectFail(await env.call('org', 'moveOrg', { orgId: 'br_3_g1', parentId: 'org_demo' }, ADMIN), 'INVALID_INPUT')
    expectFail(await env.call('org', 'moveOrg', { orgId: 'br_2', parentId: 'org_x' }, ADMIN), 'FORBIDDEN')
    expectFail(await env.call('org', 'moveOrg', { orgId: 'org_demo', parentId: 'org_demo' }, ADMIN), 'FORBIDDEN')
    expect((await org('br_2')).path).toEqual(['org_demo', 'br_2'])
  })

  it('closes an empty branch (its code stops working), refuses one with members', async () => {
    expectFail(await env.call('org', 'closeOrg', { orgId: 'br_2' }, ADMIN), 'CONFLICT')
    const br = expectOk(await env.call<OrgOut>('org', 'createOrg', { parentId: 'org_demo', type: 'branch', name: '临时支部', clientId: 'c1' }, ADMIN)).org
    expectOk(await env.call('org', 'closeOrg', { orgId: br._id, reason: '机构调整' }, ADMIN))
    const closed = await org(br._id)
    expect(closed.closed).toBe(true)
    expect(closed.inviteCode).toBeUndefined()
    expectFail(await env.call('auth', 'joinBranch', { inviteCode: br.inviteCode, name: '新同志' }, { openid: 'wx_new', source: 'wechat' }), 'NOT_FOUND')
    // History stays: the org is still there, just closed; nothing can be created under it.
    expectFail(await env.call('org', 'createOrg', { parentId: br._id, type: 'group', name: '小组', clientId: 'c2' }, ADMIN), 'INVALID_INPUT')
    // A group closes with its members simply ungrouped.
    expect((await env.db.collection('members').where({ groupId: 'br_3_g1' }).count()).total).toBeGreaterThan(0)
    expectFail(await env.call('org', 'closeOrg', { orgId: 'br_3_g1' }, BR2.secretary), 'FORBIDDEN')
    expectOk(await env.call('org', 'closeOrg', { orgId: 'br_3_g1' }, 'm_br_3_01'))
    expect((await env.db.collection('members').where({ groupId: 'br_3_g1' }).count()).total).toBe(0)
  })
})

describe('invite and join', () => {
  it('a new member joins with the code and waits; the secretary confirms one and declines another', async () => {
    const { inviteCode } = expectOk(await env.call<{ inviteCode: string }>('org', 'invite', { branchId: 'br_2' }, BR2.secretary))
    const a = { openid: 'wx_a', source: 'wechat' as const }
    const b = { openid: 'wx_b', source: 'wechat' as const }
    const joined = expectOk(await env.call<{ pendingConfirmation: boolean; me: { member: { _id: string } } }>('auth', 'joinBranch', { inviteCode: inviteCode.toLowerCase(), name: '刘新' }, a))
    expect(joined.pendingConfirmation).toBe(true)
    expectOk(await env.call('auth', 'joinBranch', { inviteCode, name: '冒名者' }, b))
    // Waiting: the app's own pages are closed to them.
    expectFail(await env.call('note', 'progress', { year: 2026 }, a), 'FORBIDDEN')
    const pending = expectOk(await env.call<{ members: { _id: string; name: string }[] }>('org', 'pending', { branchId: 'br_2' }, BR2.secretary)).members
    expect(pending.map((m) => m.name).sort()).toEqual(['冒名者', '刘新'].sort())
    const [liu, fake] = ['刘新', '冒名者'].map((n) => pending.find((m) => m.name === n)!._id)
    // Not their branch's officer: refused, as is a plain member.
    expectFail(await env.call('org', 'confirmMember', { memberId: liu, accept: true }, 'm_br_3_01'), 'FORBIDDEN')
    expectFail(await env.call('org', 'confirmMember', { memberId: liu, accept: true }, BR2.member), 'FORBIDDEN')
    expectOk(await env.call('org', 'confirmMember', { memberId: liu, accept: true }, BR2.secretary))
    expectOk(await env.call('org', 'confirmMember', { memberId: fake, accept: false }, BR2.secretary))
    expect((await member(liu)).joinStatus).toBe('confirmed')
    expect((await env.db.collection('members').doc(fake).get()).data).toBeNull()
    expectOk(await env.call('note', 'progress', { year: 2026 }, a))
    expectFail(await env.call('org', 'confirmMember', { memberId: liu, accept: true }, BR2.secretary), 'CONFLICT')
  })

  it('renewing the code retires the old one; members and other branches cannot read it', async () => {
    const old = expectOk(await env.call<{ inviteCode: string }>('org', 'invite', { branchId: 'br_2' }, BR2.secretary)).inviteCode
    const next = expectOk(await env.call<{ inviteCode: string }>('org', 'invite', { branchId: 'br_2', renew: true }, BR2.secretary)).inviteCode
    expect(next).not.toBe(old)
    expectFail(await env.call('auth', 'joinBranch', { inviteCode: old, name: '晚到的人' }, { openid: 'wx_c', source: 'wechat' }), 'NOT_FOUND')
    expectFail(await env.call('org', 'invite', { branchId: 'br_2' }, BR2.member), 'FORBIDDEN')
    expectFail(await env.call('org', 'invite', { branchId: 'br_2' }, 'm_br_3_01'), 'FORBIDDEN')
    expectFail(await env.call('org', 'invite', { branchId: 'br_2' }, OTHER_ADMIN), 'FORBIDDEN')
    expectFail(await env.call('org', 'invite', { branchId: 'br_2', renew: 'yes' }, BR2.secretary), 'INVALID_INPUT')
  })
})

describe('member records', () => {
  it('the secretary sets rank, flags, exemption with reason (its date kept on re-save), group and 长辈模式', async () => {
    const out = expectOk(
      await env.call<{ changed: string[] }>('org', 'updateMember', { memberId: BR2.member, rank: 'deputy_section_plus', leadingCadre: true, exempt: { reason: 'long_illness', note: '术后休养' }, largeText: true }, BR2.secretary)
    )
    expect(out.changed.sort()).toEqual(['exempt', 'largeText', 'leadingCadre', 'rank'])
    const m = await member(BR2.member)
    expect(m).toMatchObject({ rank: 'deputy_section_plus', leadingCadre: true, largeText: true, exempt: { reason: 'long_illness', note: '术后休养' } })
    // 党小组: one of the member's own branch.
    expectOk(await env.call('org', 'updateMember', { memberId: 'm_br_3_05', groupId: 'br_3_g3' }, 'm_br_3_01'))
    expect((await member('m_br_3_05')).groupId).toBe('br_3_g3')
    const since = m.exempt!.since
    env.clock.advance(86_400_000)
    expectOk(await env.call('org', 'updateMember', { memberId: BR2.member, exempt: { reason: 'long_illness' } }, BR2.secretary))
    expect((await member(BR2.member)).exempt).toEqual({ reason: 'long_illness', since })
    expectOk(await env.call('org', 'updateMember', { memberId: BR2.member, exempt: null }, BR2.secretary))
    expect((await member(BR2.member)).exempt).toBeNull()
    const rec = expectOk(await env.call<{ member: Record<string, unknown> }>('org', 'member', { memberId: BR2.member }, BR2.secretary)).member
    expect(rec.openid).toBeUndefined()
    expect(rec.branchName).toBeTruthy()
  })

  it('refuses another branch, a plain member, a group of another branch, bad values, self-deactivation', async () => {
    expectFail(await env.call('org', 'updateMember', { memberId: 'm_br_3_05', retired: true }, BR2.secretary), 'FORBIDDEN')
    expectFail(await env.call('org', 'member', { memberId: 'm_br_3_05' }, BR2.secretary), 'FORBIDDEN')
    expectFail(await env.call('org', 'updateMember', { memberId: 'm_br_2_06', retired: true }, BR2.member), 'FORBIDDEN')
    expectFail(await env.call('org', 'updateMember', { memberId: BR2.member, retired: true }, OTHER_ADMIN), 'FORBIDDEN')
    expectFail(await env.call('org', 'updateMember', { memberId: BR2.member, groupId: 'br_3_g1' }, BR2.secretary), 'INVALID_INPUT')
    expectFail(await env.call('org', 'updateMember', { memberId: BR2.member, rank: 'general' }, BR2.secretary), 'INVALID_INPUT')
    expectFail(await env.call('org', 'updateMember', { memberId: BR2.member, exempt: { reason: 'age', note: '长'.repeat(201) } }, BR2.secretary), 'INVALID_INPUT')
    expectFail(await env.call('org', 'updateMember', { memberId: BR2.member, roles: [{ role: 'admin', orgId: 'org_demo' }] }, BR2.secretary), 'INVALID_INPUT')
    // Nobody acts on their own record: another officer or the level above does (test/functions/authority.test.ts).
    expectFail(await env.call('org', 'updateMember', { memberId: BR2.secretary, active: false }, BR2.secretary), 'FORBIDDEN')
    expect((await member(BR2.member)).retired).toBe(false)
  })

  it('a member switches their own 长辈模式 and nothing else', async () => {
    const me = expectOk(await env.call<{ me: { member: { largeText: boolean } } }>('auth', 'updateMe', { largeText: true }, BR2.member)).me
    expect(me.member.largeText).toBe(true)
    expect((await member(BR2.member)).largeText).toBe(true)
    expectFail(await env.call('auth', 'updateMe', { largeText: true, rank: 'deputy_section_plus' }, BR2.member), 'INVALID_INPUT')
    expectFail(await env.call('auth', 'updateMe', {}, BR2.member), 'INVALID_INPUT')
    expectFail(await env.call('auth', 'updateMe', { largeText: true }, null), 'FORBIDDEN')
  })
})

describe('roles', () => {
  it('an admin makes a member secretary of their own branch; the new secretary can then act for it', async () => {
    expectFail(await env.call('org', 'invite', { branchId: 'br_2' }, 'm_br_2_06'), 'FORBIDDEN')
    const out = expectOk(await env.call<{ changed: boolean }>('org', 'setRole', { memberId: 'm_br_2_06', role: 'secretary', orgId: 'br_2', on: true }, ADMIN))
    expect(out.changed).toBe(true)
    expectOk(await env.call('org', 'invite', { branchId: 'br_2' }, 'm_br_2_06'))
    expect(expectOk(await env.call<{ changed: boolean }>('org', 'setRole', { memberId: 'm_br_2_06', role: 'secretary', orgId: 'br_2', on: true }, ADMIN)).changed).toBe(false)
    expectOk(await env.call('org', 'setRole', { memberId: 'm_br_2_06', role: 'secretary', orgId: 'br_2', on: false }, ADMIN))
    expectFail(await env.call('org', 'invite', { branchId: 'br_2' }, 'm_br_2_06'), 'FORBIDDEN')
    expect(await audit('member.role')).toBe(2)
  })

  it('refuses a branch role elsewhere, a secretary granting roles, another 党委, and removing one’s own admin role', async () => {
    expectFail(await env.call('org', 'setRole', { memberId: 'm_br_2_06', role: 'secretary', orgId: 'br_3', on: true }, ADMIN), 'INVALID_INPUT')
    expectFail(await env.call('org', 'setRole', { memberId: 'm_br_2_06', role: 'committee', orgId: 'br_2', on: true }, BR2.secretary), 'FORBIDDEN')
    expectFail(await env.call('org', 'setRole', { memberId: 'm_br_2_06', role: 'admin', orgId: 'org_x', on: true }, ADMIN), 'FORBIDDEN')
    expectFail(await env.call('org', 'setRole', { memberId: 'm_br_2_06', role: 'admin', orgId: 'org_demo', on: true }, OTHER_ADMIN), 'FORBIDDEN')
    expectFail(await env.call('org', 'setRole', { memberId: ADMIN, role: 'admin', orgId: 'org_demo', on: false }, ADMIN), 'INVALID_INPUT')
    expectFail(await env.call('org', 'setRole', { memberId: 'm_br_2_06', role: 'owner', orgId: 'br_2', on: true }, ADMIN), 'INVALID_INPUT')
    expect((await member('m_br_2_06')).roles).toEqual([])
  })
})

describe('transfer', () => {
  it('moves a member to another branch keeping history; offices of the old branch are dropped', async () => {
    const before = (await env.db.collection('checkins').where({ memberId: BR2.committee }).count()).total
    const out = expectOk(await env.call<{ member: { branchId: string; roles: unknown[]; branchHistory: { branchId: string }[] } }>('org', 'transferMember', { memberId: BR2.committee, toBranchId: 'br_3' }, ADMIN))
    expect(out.member).toMatchObject({ branchId: 'br_3', roles: [], branchHistory: [{ branchId: 'br_2' }] })
    const m = await member(BR2.committee)
    expect(m.orgPath).toEqual(['org_demo', 'br_3'])
    expect(m.groupId).toBeNull()
    // Past check-ins stay as they were, with their branch.
    const checkins = (await env.db.collection('checkins').where({ memberId: BR2.committee }).get()).data
    expect(checkins).toHaveLength(before)
    expect(checkins.every((c) => c.branchId === 'br_2')).toBe(true)
    // The new branch's secretary now keeps the record; the old one no longer can.
    expectOk(await env.call('org', 'member', { memberId: BR2.committee }, 'm_br_3_01'))
    expectFail(await env.call('org', 'member', { memberId: BR2.committee }, BR2.secretary), 'FORBIDDEN')
  })

  it('needs an admin over both branches', async () => {
    expectFail(await env.call('org', 'transferMember', { memberId: BR2.member, toBranchId: 'br_3' }, BR2.secretary), 'FORBIDDEN')
    expectFail(await env.call('org', 'transferMember', { memberId: BR2.member, toBranchId: 'br_x' }, ADMIN), 'FORBIDDEN')
    expectFail(await env.call('org', 'transferMember', { memberId: BR2.member, toBranchId: 'br_x' }, OTHER_ADMIN), 'FORBIDDEN')
    expectFail(await env.call('org', 'transferMember', { memberId: BR2.member, toBranchId: 'br_2' }, ADMIN), 'INVALID_INPUT')
    expectFail(await env.call('org', 'transferMember', { memberId: BR2.member, toBranchId: 'br_2_g1' }, ADMIN), 'FORBIDDEN')
    expect((await member(BR2.member)).branchId).toBe('br_2')
  })

  it('after a transfer, reconciliation keeps the old branch’s past and changes nothing the write path recorded', async () => {
    const year = 2026
    // Counted as things stand, then transfer, then reconcile both branches: no drift is "corrected".
    expectOk(await env.call('cron', 'reconcile', { year }, null))
    const branchBefore = (await env.db.collection('aggregates').where({ scope: 'branch', branchId: 'br_2', period: '2026' }).get()).data[0]
    expectOk(await env.call('org', 'transferMember', { memberId: BR2.committee, toBranchId: 'br_3' }, ADMIN))
    const r = expectOk(await env.call<{ corrected: number }>('cron', 'reconcile', { year, cursor: '' }, null))
    const branchAfter = (await env.db.collection('aggregates').where({ scope: 'branch', branchId: 'br_2', period: '2026' }).get()).data[0]
    // What happened in br_2 this year does not move, nor its members: they belonged to it this year
    // (branchBasisOf); br_3 counts them from this month on, as the transfer itself recorded.
    for (const k of ['attended', 'expected', 'absent', 'late', 'leave', 'points', 'creditedWords', 'members']) expect(branchAfter[k]).toBe(branchBefore[k])
    expect(r.corrected).toBe(0)
  })
})
