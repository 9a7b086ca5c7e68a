import { OrgSettingsOutput, OrgUpdateSettingsOutput } from '../../src/core/functions/settings'
import { shanghaiDayStart } from '../../src/core/period'
import { DEFAULT_RETIRED_QUOTA, DEFAULT_SETTINGS, pointsFor, settingsId, type PointsRule } from '../../src/core/schemas/settings'
import { changeRuleValue } from '../../src/core/stats/rule-changes'
import { DEMO_PEOPLE as P } from '../../server/seed/people'
import { expectFail, expectOk, makeTestEnv, type TestEnv } from '../helpers/env'

const DAY = 24 * 60 * 60 * 1000
type Read = ReturnType<typeof OrgSettingsOutput.parse>
type Written = ReturnType<typeof OrgUpdateSettingsOutput.parse>

let env: TestEnv
beforeAll(async () => {
  env = await makeTestEnv()
  // A second 党委 with its own admin: neither admin may touch the other's settings.
  const now = env.clock.now()
  await env.db.collection('orgs').add({ data: { _id: 'org_other', type: 'committee', name: '另一个党委', parentId: null, path: ['org_other'], closed: false, createdAt: now } })
  await env.db.collection('orgs').add({ data: { _id: 'br_x', type: 'branch', name: '外单位支部', parentId: 'org_other', path: ['org_other', 'br_x'], inviteCode: 'OTHER001', closed: false, createdAt: now } })
  const base = { groupId: null, rank: 'staff', leadingCadre: false, retired: false, exempt: null, largeText: false, active: true, joinStatus: 'confirmed', joinedAt: now, createdAt: now }
  await env.db.collection('members').add({ data: { ...base, _id: 'm_x_2', name: '外单位管理员', openid: 'dev_m_x_2', branchId: 'br_x', orgPath: ['org_other', 'br_x'], roles: [{ role: 'admin', orgId: 'org_other' }] } })
})
afterAll(() => env.close())

const read = async (orgId: string, as: string): Promise<Read> => OrgSettingsOutput.parse(expectOk(await env.call('org', 'settings', { orgId }, as)))
const update = async (input: Record<string, unknown>, as: string = P.admin): Promise<Written> =>
  OrgUpdateSettingsOutput.parse(expectOk(await env.call('org', 'updateSettings', input, as)))
const audits = async () => (await env.db.collection('audit').where({ action: 'settings.update' }).orderBy('at', 'asc').limit(100).get()).data

describe('org.settings', () => {
  it('answers the defaults while no org has its own', async () => {
    const r = await read('br_1', P.member1)
    expect(r).toEqual({ settings: DEFAULT_SETTINGS, inheritedFrom: null, updatedAt: null })
  })

  it('lets members read their own path, officers their branch, admins everything under them', async () => {
    await read('org_demo', P.member1)
    await read('br_3_g1', P.secretary3)
    await read('br_3', P.admin)
    await read('br_x', 'm_x_2')
  })

  it('refuses anyone outside the org’s tree, and unknown ids alike', async () => {
    expectFail(await env.call('org', 'settings', { orgId: 'br_2' }, P.member1), 'FORBIDDEN')
    expectFail(await env.call('org', 'settings', { orgId: 'br_1' }, P.secretary2), 'FORBIDDEN')
    expectFail(await env.call('org', 'settings', { orgId: 'org_other' }, P.admin), 'FORBIDDEN')
    expectFail(await env.call('org', 'settings', { orgId: 'br_1' }, 'm_x_2'), 'FORBIDDEN')
    const unknown = expectFail(await env.call('org', 'settings', { orgId: 'nope' }, P.admin), 'FORBIDDEN')
    const other = expectFail(await env.call('org', 'settings', { orgId: 'org_other' }, P.admin), 'FORBIDDEN')
    expect(unknown.message).toBe(other.message)
    expectFail(await env.call('org', 'settings', { orgId: 'br_1' }, null), 'FORBIDDEN')
  })

  it('validates input', async () => {
    expectFail(await env.call('org', 'settings', {}, P.member1), 'INVALID_INPUT')
    expectFail(await env.call('org', 'settings', { orgId: 7 }, P.member1), 'INVALID_INPUT')
    expectFail(await env.call('org', 'settings', { orgId: 'br_1', extra: 1 }, P.member1), 'INVALID_INPUT')
  })
})

describe('org.updateSettings', () => {
  it('lets the 党委 admin save a section, which every branch without its own then inherits', async () => {
    const quotas = { staffWords: 12000, deputyWords: 16000, essays: 5 }
    const { settings } = await update({ orgId: 'org_demo', quotas })
    expect(settings).toMatchObject({ _id: settingsId('org_demo'), orgId: 'org_demo', updatedBy: P.admin, updatedAt: env.clock.now(), quotas })
    // The other sections are what was in force before.
    expect(settings.visibility).toEqual(DEFAULT_SETTINGS.visibility)
    expect(settings.pointsRules).toEqual(DEFAULT_SETTINGS.pointsRules)

    const r = await read('br_2', P.member2)
    expect(r).toMatchObject({ inheritedFrom: 'org_demo', updatedAt: env.clock.now() })
    // Sent without the 离退休 figures (an older app): those in force stay, here the default.
    expect(r.settings.quotas).toEqual({ ...quotas, retired: DEFAULT_RETIRED_QUOTA })
    // Functions that read settings (here, note progress) follow at once.
    const progress = expectOk(await env.call<{ wordQuota: number }>('note', 'progress', { year: 2026 }, P.member2))
    expect(progress.wordQuota).toBe(12000)

    const [entry] = await audits()
    expect(entry).toMatchObject({ actor: P.admin, orgId: 'org_demo', target: { type: 'settings', id: settingsId('org_demo') }, detail: { sections: ['quotas'], created: true } })
  })

  it('gives a branch its own settings, leaving its sisters on the 党委’s', async () => {
    const visibility = { memberRanking: 'members', branchRanking: 'admins' }
    await update({ orgId: 'br_1', visibility, showPointsToMembers: false, notePointsMonthlyCap: 3 })
    const own = await read('br_1', P.member1)
    expect(own.inheritedFrom).toBe('br_1')
    expect(own.settings).toMatchObject({ visibility, showPointsToMembers: false, notePointsMonthlyCap: 3, quotas: { staffWords: 12000 } })
    expect((await read('br_2', P.member2)).settings.visibility).toEqual(DEFAULT_SETTINGS.visibility)
    expect((await read('org_demo', P.member1)).inheritedFrom).toBe('org_demo')
  })

  it('replaces a sent section whole and records only what changed', async () => {
    env.clock.advance(60_000)
    const warnings = { ...DEFAULT_SETTINGS.warnings, yellowAbsences: 1 }
    await update({ orgId: 'br_1', warnings, visibility: { memberRanking: 'members', branchRanking: 'admins' } })
    expect((await read('br_1', P.member1)).settings.warnings).toEqual(warnings)
    expect((await audits()).at(-1)?.detail).toEqual({ sections: ['warnings'] })
    // Saving the same again writes nothing and records nothing.
    const before = (await audits()).length
    env.clock.advance(60_000)
    const same = await update({ orgId: 'br_1', warnings })
    expect(same.settings.updatedAt).toBe(env.clock.now() - 60_000)
    expect(await audits()).toHaveLength(before)
  })

  it('refuses secretaries, members, and an admin of another 党委', async () => {
    const quotas = { staffWords: 1, deputyWords: 1, essays: 0 }
    expectFail(await env.call('org', 'updateSettings', { orgId: 'br_1', quotas }, P.secretary1), 'FORBIDDEN')
    expectFail(await env.call('org', 'updateSettings', { orgId: 'br_2', quotas }, P.secretary2), 'FORBIDDEN')
    expectFail(await env.call('org', 'updateSettings', { orgId: 'br_1', quotas }, P.member1), 'FORBIDDEN')
    expectFail(await env.call('org', 'updateSettings', { orgId: 'org_demo', quotas }, 'm_x_2'), 'FORBIDDEN')
    expectFail(await env.call('org', 'updateSettings', { orgId: 'br_1', quotas }, 'm_x_2'), 'FORBIDDEN')
    expectFail(await env.call('org', 'updateSettings', { orgId: 'org_other', quotas }, P.admin), 'FORBIDDEN')
    expectFail(await env.call('org', 'updateSettings', { orgId: 'br_x', quotas }, P.admin), 'FORBIDDEN')
    expectFail(await env.call('org', 'updateSettings', { orgId: 'nope', quotas }, P.admin), 'FORBIDDEN')
    expectFail(await env.call('org', 'updateSettings', { orgId: 'br_1', quotas }, null), 'FORBIDDEN')
    expect((await read('br_1', P.member1)).settings.quotas.staffWords).toBe(12000)
    // The other admin manages their own 党委.
    const mine = await update({ orgId: 'org_other', quotas }, 'm_x_2')
    expect(mine.settings.quotas).toEqual({ ...quotas, retired: DEFAULT_RETIRED_QUOTA })
    expect((await read('org_demo', P.member1)).settings.quotas.staffWords).toBe(12000)
  })

  it('refuses bad input without writing', async () => {
    const bad: Array<Record<string, unknown>> = [
      { orgId: 'br_1' },
      {},
      { orgId: 'br_1', quotas: { staffWords: '10000', deputyWords: 15000, essays: 4 } },
      { orgId: 'br_1', quotas: { staffWords: 10000, deputyWords: 15000 } },
      { orgId: 'br_1', quotas: { staffWords: 10000, deputyWords: 15000, essays: 4, extra: 1 } },
      { orgId: 'br_1', quotas: { staffWords: -1, deputyWords: 15000, essays: 4 } },
      { orgId: 'br_1', visibility: { memberRanking: 'everyone', branchRanking: 'admins' } },
      { orgId: 'br_1', warnings: { ...DEFAULT_SETTINGS.warnings, redAbsences: 1 } },
      { orgId: 'br_1', pointsRules: 'attend' },
      { orgId: 'br_1', pointsRules: Array.from({ length: 101 }, (_, i) => ({ rule: `r${i}`, label: '规则', points: 1, from: env.clock.now() })) },
      { orgId: 'br_1', pointsRules: [{ rule: 'Attend!', label: '规则', points: 1, from: 0 }] },
      { orgId: 'br_1', pointsRules: [{ ...DEFAULT_SETTINGS.pointsRules[0], points: 1000 }] },
      { orgId: 'br_1', showPointsToMembers: 'yes' },
      { orgId: 'br_1', exemptAge: 20 },
      { orgId: 'br_1', settings: DEFAULT_SETTINGS },
      { orgId: 'br_1', notes: true }
    ]
    const before = await read('br_1', P.member1)
    for (const input of bad) {
      const r = await env.call('org', 'updateSettings', input, P.admin)
      expectFail(r, 'INVALID_INPUT')
      if (!r.ok) expect(r.error.message).toMatch(/[\u4e00-\u9fff]/)
    }
    expect(await read('br_1', P.member1)).toEqual(before)
  })
})

describe('points rules over time', () => {
  const today = () => shanghaiDayStart(env.clock.now())
  const rulesOf = async (orgId: string): Promise<PointsRule[]> => (await read(orgId, P.admin)).settings.pointsRules

  it('refuses a retroactive change of value, kindly, and keeps the stored rules', async () => {
    const current = await rulesOf('org_demo')
    const retro = current.map((r) => (r.rule === 'attend' ? { ...r, points: 5 } : r))
    const err = expectFail(await env.call('org', 'updateSettings', { orgId: 'org_demo', pointsRules: retro }, P.admin), 'INVALID_INPUT')
    expect(err.message).toContain('按时参加组织生活')
    expect(err.message).toContain('生效日期')
    // Dated before today is refused too, and so is removing a rule that has counted.
    const backdated = changeRuleValue(current, 'attend', 5, today() - 3 * DAY)
    expect(expectFail(await env.call('org', 'updateSettings', { orgId: 'org_demo', pointsRules: backdated }, P.admin), 'INVALID_INPUT').message).toContain('不能早于今天')
    const removed = current.filter((r) => r.rule !== 'lecture')
    expect(expectFail(await env.call('org', 'updateSettings', { orgId: 'org_demo', pointsRules: removed }, P.admin), 'INVALID_INPUT').message).toContain('停用日期')
    expect(await rulesOf('org_demo')).toEqual(current)
  })

  it('accepts a change dated today, closes the old rule, and keeps past points as they were', async () => {
    const current = await rulesOf('org_demo')
    // The server closes the old rule itself, so the client need only add the new one.
    const added = [...current, { rule: 'attend', label: '按时参加组织生活', points: 3, from: today() }]
    const { settings } = await update({ orgId: 'org_demo', pointsRules: added })
    const attend = settings.pointsRules.filter((r) => r.rule === 'attend')
    expect(attend).toEqual([
      { ...current.find((r) => r.rule === 'attend'), to: today() },
      { rule: 'attend', label: '按时参加组织生活', points: 3, from: today() }
    ])
    expect(pointsFor(settings.pointsRules, 'attend', today() - 1)).toBe(2)
    expect(pointsFor(settings.pointsRules, 'attend', env.clock.now())).toBe(3)
    expect((await audits()).at(-1)).toMatchObject({ orgId: 'org_demo', detail: { sections: ['pointsRules'] } })
  })

  it('accepts a label change and a future-dated value through the page helper', async () => {
    const current = await rulesOf('org_demo')
    const future = today() + 10 * DAY
    const next = changeRuleValue(current, 'essay', 4, future, '心得体会每篇')
    const { settings } = await update({ orgId: 'org_demo', pointsRules: next })
    expect(pointsFor(settings.pointsRules, 'essay', env.clock.now())).toBe(2)
    expect(pointsFor(settings.pointsRules, 'essay', future)).toBe(4)
    expect(settings.pointsRules.filter((r) => r.rule === 'essay').map((r) => r.label)).toEqual(['撰写心得体会每篇', '心得体会每篇'])
  })

  it('checks a branch’s first own rules against the ones it inherited', async () => {
    const inherited = await rulesOf('br_2')
    expect((await read('br_2', P.admin)).inheritedFrom).toBe('org_demo')
    const retro = inherited.map((r) => (r.rule === 'makeup' ? { ...r, points: 3 } : r))
    expectFail(await env.call('org', 'updateSettings', { orgId: 'br_2', pointsRules: retro }, P.admin), 'INVALID_INPUT')
    const { settings } = await update({ orgId: 'br_2', pointsRules: changeRuleValue(inherited, 'makeup', 3, env.clock.now()) })
    expect(pointsFor(settings.pointsRules, 'makeup', today() - 1)).toBe(1)
    expect(pointsFor(settings.pointsRules, 'makeup', env.clock.now())).toBe(3)
    expect((await read('br_2', P.member2)).inheritedFrom).toBe('br_2')
  })
})
