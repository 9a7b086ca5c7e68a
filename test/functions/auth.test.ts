import type { DevLoginResult, WhoamiResult } from '../../src/core/functions/auth'
import { MemberSchema } from '../../src/core/schemas/member'
import { DEMO_PEOPLE } from '../../server/seed/people'
import { verifyToken } from '../../server/token'
import { expectFail, expectOk, makeTestEnv, TEST_SECRET, type TestEnv } from '../helpers/env'

let env: TestEnv
beforeEach(async () => {
  env = await makeTestEnv()
})
afterEach(() => env.close())

describe('auth.devIdentities / devLogin (local only)', () => {
  it('lists every active demo member with branch and role', async () => {
    const { identities } = expectOk(await env.call<{ identities: Array<Record<string, unknown>> }>('auth', 'devIdentities'))
    expect(identities).toHaveLength(5 + 12 + 30)
    const admin = identities.find((i) => i.memberId === DEMO_PEOPLE.admin)
    expect(admin).toMatchObject({ name: '王建国', branchName: '第一党支部', roleLabel: '党委管理员' })
    expect(identities.find((i) => i.memberId === DEMO_PEOPLE.secretary2)?.roleLabel).toBe('支部书记')
    expect(identities.find((i) => i.memberId === DEMO_PEOPLE.retired)).toMatchObject({ retired: true, roleLabel: '离退休党员' })
  })

  it('issues a signed token for the member and describes them', async () => {
    const data = expectOk(await env.call<DevLoginResult>('auth', 'devLogin', { memberId: DEMO_PEOPLE.secretary2 }))
    const verified = verifyToken(TEST_SECRET, data.token, env.clock.now())
    expect(verified).toEqual({ ok: true, openid: `dev_${DEMO_PEOPLE.secretary2}` })
    expect(data.me.branch).toEqual({ _id: 'br_2', name: '第二党支部', type: 'branch' })
    expect(data.me.orgPathNames).toEqual(['示范机关党委', '第二党支部'])
    expect(data.me.isSecretary).toBe(true)
    expect(data.me.isAdmin).toBe(false)
    expect(data.expiresAt).toBeGreaterThan(env.clock.now())
  })

  it('refuses an unknown member id and malformed ids', async () => {
    expectFail(await env.call('auth', 'devLogin', { memberId: 'm_nobody' }), 'NOT_FOUND')
    expectFail(await env.call('auth', 'devLogin', {}), 'INVALID_INPUT')
    expectFail(await env.call('auth', 'devLogin', { memberId: 42 }), 'INVALID_INPUT')
    expectFail(await env.call('auth', 'devLogin', { memberId: '' }), 'INVALID_INPUT')
    expectFail(await env.call('auth', 'devLogin', { memberId: 'x'.repeat(200) }), 'INVALID_INPUT')
    expectFail(await env.call('auth', 'devLogin', { memberId: "m'; drop table members;--" }), 'INVALID_INPUT')
    expectFail(await env.call('auth', 'devLogin', { memberId: DEMO_PEOPLE.member1, extra: 1 }), 'INVALID_INPUT')
  })

  it('is refused in production', async () => {
    const prod = await makeTestEnv({ production: true })
    try {
      expectFail(await prod.call('auth', 'devLogin', { memberId: DEMO_PEOPLE.member1 }), 'NOT_AVAILABLE')
      expectFail(await prod.call('auth', 'devIdentities'), 'NOT_AVAILABLE')
    } finally {
      prod.close()
    }
  })
})

describe('auth.whoami', () => {
  it('answers the caller from the identity, never from the payload', async () => {
    const r = expectOk(await env.call<WhoamiResult>('auth', 'whoami', {}, DEMO_PEOPLE.member1))
    expect(r.me?.member._id).toBe(DEMO_PEOPLE.member1)
    // A payload naming someone else is not input at all.
    expectFail(await env.call('auth', 'whoami', { memberId: DEMO_PEOPLE.admin }, DEMO_PEOPLE.member1), 'INVALID_INPUT')
    // CloudBase's injected userInfo is dropped, not trusted.
    const spoof = expectOk(
      await env.call<WhoamiResult>('auth', 'whoami', { userInfo: { openId: `dev_${DEMO_PEOPLE.admin}` } }, DEMO_PEOPLE.member1)
    )
    expect(spoof.me?.member._id).toBe(DEMO_PEOPLE.member1)
  })

  it('asks for login when there is no identity or a bad one', async () => {
    const none = expectFail(await env.call('auth', 'whoami', {}, null), 'FORBIDDEN')
    expect(none.details).toEqual({ login: true })
    const expired = expectFail(await env.call('auth', 'whoami', {}, { openid: null, source: 'none', problem: 'expired' }), 'FORBIDDEN')
    expect(expired.message).toContain('过期')
  })

  it('answers me: null for a WeChat user who has not joined', async () => {
    const r = expectOk(await env.call<WhoamiResult>('auth', 'whoami', {}, { openid: 'wx-new-person', source: 'wechat' }))
    expect(r.me).toBeNull()
  })
})

describe('auth.joinBranch', () => {
  const newcomer = { openid: 'wx-newcomer-1', source: 'wechat' as const }

  it('joins by invite code as a pending member, idempotently', async () => {
    const first = expectOk(await env.call<{ me: { member: unknown }; pendingConfirmation: boolean }>('auth', 'joinBranch', { inviteCode: 'demo0002', name: '新同志' }, newcomer))
    expect(first.pendingConfirmation).toBe(true)
    const member = MemberSchema.parse(first.me.member)
    expect(member).toMatchObject({ branchId: 'br_2', name: '新同志', joinStatus: 'pending', roles: [] })
    // Doubled taps, concurrently: still exactly one member for this openid.
    const again = await Promise.all([1, 2, 3].map(() => env.call('auth', 'joinBranch', { inviteCode: 'DEMO0002', name: '新同志' }, newcomer)))
    again.forEach((r) => expectOk(r))
    const { total } = await env.db.collection('members').where({ openid: newcomer.openid }).count()
    expect(total).toBe(1)
    // Pending members cannot read the roster yet.
    expectFail(await env.call('org', 'members', { branchId: 'br_2' }, newcomer), 'FORBIDDEN')
  })

  it('refuses wrong codes, bad input and a member of another branch', async () => {
    expectFail(await env.call('auth', 'joinBranch', { inviteCode: 'NOPE0000', name: '甲' }, newcomer), 'NOT_FOUND')
    expectFail(await env.call('auth', 'joinBranch', { inviteCode: 'DEMO0002' }, newcomer), 'INVALID_INPUT')
    expectFail(await env.call('auth', 'joinBranch', { inviteCode: 'DEMO0002', name: '   ' }, newcomer), 'INVALID_INPUT')
    expectFail(await env.call('auth', 'joinBranch', { inviteCode: 'DEMO0002', name: '甲\u0000乙' }, newcomer), 'INVALID_INPUT')
    expectFail(await env.call('auth', 'joinBranch', { inviteCode: 'DEMO0002', name: '名'.repeat(31) }, newcomer), 'INVALID_INPUT')
    expectFail(await env.call('auth', 'joinBranch', { inviteCode: ['DEMO0002'], name: '甲' }, newcomer), 'INVALID_INPUT')
    expectFail(await env.call('auth', 'joinBranch', { inviteCode: 'DEMO0002', name: '甲' }, null), 'FORBIDDEN')
    expectFail(await env.call('auth', 'joinBranch', { inviteCode: 'DEMO0002', name: '甲' }, DEMO_PEOPLE.member1), 'CONFLICT')
    const { total } = await env.db.collection('members').count()
    expect(total).toBe(47)
  })
})

describe('dispatch', () => {
  it('answers unknown actions and non-object events with the contract', async () => {
    expectFail(await env.call('auth', 'nope'), 'INVALID_INPUT')
    expectFail(await env.call('auth', '__proto__'), 'INVALID_INPUT')
    expectFail(await env.call('auth', 'constructor'), 'INVALID_INPUT')
    const handler = (await import('../../server/functions')).getFunction('auth')!
    const { makeLocalRuntime } = await import('../../server/local-runtime')
    const rt = makeLocalRuntime({ db: env.db, secret: TEST_SECRET, production: false, log: () => undefined }, { openid: null, source: 'none' })
    for (const bad of [null, undefined, 'whoami', 42, [], ['whoami']]) {
      expectFail(await handler(rt, bad), 'INVALID_INPUT')
    }
  })
})
