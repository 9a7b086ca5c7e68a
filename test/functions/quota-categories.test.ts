/**
 * 笔记定额 per category (在职 / 离退休) through the real handlers: a retired
 * member's quota is the 离退休 one everywhere it is read (progress, the
 * member's aggregate); settings saved before the categories read the default;
 * an older app saving the quotas without it keeps the figures in force.
 */
import { OrgSettingsOutput, OrgUpdateSettingsOutput } from '../../src/core/functions/settings'
import { DEFAULT_RETIRED_QUOTA, DEFAULT_SETTINGS, settingsId } from '../../src/core/schemas/settings'
import { DEMO_PEOPLE as P } from '../../server/seed/people'
import { expectFail, expectOk, makeTestEnv, type TestEnv } from '../helpers/env'
import { HOUR, MIN, addSession } from './checkin.fixtures'
import { aggregateOf } from './stats-support'

const RETIRED = P.retired // m_br_3_10: 离退休, not exempt
const SERVING = 'm_br_3_02'
let env: TestEnv

beforeAll(async () => {
  env = await makeTestEnv()
})
afterAll(() => env.close())

const progress = async (who: string) => expectOk(await env.call<{ wordQuota: number | null; essayQuota: number | null }>('note', 'progress', { year: 2026 }, who))
const update = async (input: Record<string, unknown>) => OrgUpdateSettingsOutput.parse(expectOk(await env.call('org', 'updateSettings', input, P.admin)))

describe('quota per category', () => {
  it('gives a retired member the 离退休 default and a serving one the staff figure', async () => {
    const member = (await env.db.collection('members').doc(RETIRED).get()).data!
    expect(member).toMatchObject({ retired: true, exempt: null })
    expect(await progress(RETIRED)).toMatchObject({ wordQuota: 5000, essayQuota: 2 })
    expect((await env.db.collection('members').doc(SERVING).get()).data).toMatchObject({ retired: false })
    expect((await progress(SERVING)).wordQuota).toBeGreaterThanOrEqual(10000)
  })

  it('reads settings stored before the categories with the default filled in', async () => {
    const { retired: _drop, ...old } = DEFAULT_SETTINGS.quotas
    await env.db.collection('settings').add({
      data: { ...DEFAULT_SETTINGS, quotas: { ...old, staffWords: 11000 }, _id: settingsId('br_3'), orgId: 'br_3', updatedBy: P.admin, updatedAt: env.clock.now() }
    })
    const read = OrgSettingsOutput.parse(expectOk(await env.call('org', 'settings', { orgId: 'br_3' }, P.secretary3)))
    expect(read.settings.quotas).toEqual({ ...old, staffWords: 11000, retired: DEFAULT_RETIRED_QUOTA })
    expect((await progress(RETIRED)).wordQuota).toBe(5000)
  })

  it('saves the 离退休 figures, keeps them when an older app sends the quotas without them, and audits', async () => {
    const serving = { staffWords: 11000, deputyWords: 15000, essays: 4 }
    const saved = await update({ orgId: 'br_3', quotas: { ...serving, retired: { words: 3000, essays: 1 } } })
    expect(saved.settings.quotas.retired).toEqual({ words: 3000, essays: 1 })
    expect(await progress(RETIRED)).toMatchObject({ wordQuota: 3000, essayQuota: 1 })
    const kept = await update({ orgId: 'br_3', quotas: { ...serving, staffWords: 10500 } })
    expect(kept.settings.quotas).toEqual({ ...serving, staffWords: 10500, retired: { words: 3000, essays: 1 } })
    const audit = (await env.db.collection('audit').where({ action: 'settings.update', orgId: 'br_3' }).get()).data
    expect(audit).toHaveLength(2)
  })

  it('a retired member’s new aggregate carries the 离退休 quota, as the rebuild computes it', async () => {
    // A December session of br_3: the member's first fact of that month creates their aggregate.
    env.clock.set(Date.parse('2026-12-02T02:00:00Z'))
    const s = await addSession(env, { branchId: 'br_3', geofence: null, startIn: -HOUR, durationMs: 2 * HOUR })
    expectOk(await env.call('checkin', 'proxyCheckIn', { sessionId: s._id, memberId: RETIRED, reason: '行动不便，书记代签' }, P.secretary3))
    env.clock.set(s.checkin.closesAt + MIN)
    const agg = await aggregateOf(env, 'member', RETIRED, '2026-12')
    expect(agg?.quotaWords).toBe((await progress(RETIRED)).wordQuota)
    expect(agg?.quotaWords).toBe(3000)
  })

  it('refuses bad 离退休 figures, and anyone but an admin', async () => {
    const serving = { staffWords: 10000, deputyWords: 15000, essays: 4 }
    for (const retired of [{ words: -1, essays: 1 }, { words: 200001, essays: 1 }, { words: 1000, essays: 51 }, { words: '1000', essays: 1 }, { words: 1000 }, { words: 1000, essays: 1, extra: 1 }, null]) {
      expectFail(await env.call('org', 'updateSettings', { orgId: 'br_3', quotas: { ...serving, retired } }, P.admin), 'INVALID_INPUT')
    }
    const ok = { orgId: 'br_3', quotas: { ...serving, retired: { words: 0, essays: 0 } } }
    for (const who of [P.secretary3, RETIRED, P.secretary1]) expectFail(await env.call('org', 'updateSettings', ok, who), 'FORBIDDEN')
    expect((await progress(RETIRED)).wordQuota).toBe(3000)
  })
})
