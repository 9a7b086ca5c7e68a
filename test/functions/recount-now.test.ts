/**
 * A change that moves figures without a new fact (exemption, rank,
 * deactivation, transfer, a quota setting) rebuilds the year it moves right
 * away: the nightly reconciliation that follows finds nothing to correct.
 * What does not fit in the call's budget waits in `recounts` for the
 * timer's next tick. Local runtime, real SQLite file, fixed clock.
 */
import { RECOUNTS, recountNow } from '../../cloudfunctions/_shared/recount'
import { expectOk, makeTestEnv, type TestEnv } from '../helpers/env'
import { testNow } from '../helpers/clock'
import { runtimeOf } from './judges.fixtures'
import { aggregateOf, runCron } from './stats-support'

const ADMIN = 'm_br_1_01'
const SECRETARY = 'm_br_2_01'

let env: TestEnv
beforeAll(async () => {
  env = await makeTestEnv()
  env.clock.set(testNow())
  // The seed's year as the nightly run leaves it: from here on each change must leave no drift of its own.
  await runCron(env, 'tally')
  await runCron(env, 'reconcile', { year: 2026 })
}, 120_000)
afterAll(() => env.close())

const nightly = async () => (await runCron(env, 'reconcile', { year: 2026 })).corrected
const branchYear = async (b: string) => (await aggregateOf(env, 'branch', b, '2026'))!

describe('figures move with the change, not overnight', () => {
  it('an exemption takes the member out of the branch’s year at once', async () => {
    const before = await branchYear('br_2')
    expectOk(await env.call('org', 'updateMember', { memberId: 'm_br_2_05', exempt: { reason: 'long_illness' } }, SECRETARY))
    const after = await branchYear('br_2')
    expect(after.members).toBe(before.members - 1)
    expect(after.quotaWords).toBeLessThan(before.quotaWords)
    expect(await nightly()).toBe(0)
  })

  it('a rank changes the branch’s quota at once', async () => {
    const m = (await env.db.collection('members').doc('m_br_2_06').get()).data as unknown as { rank: string; retired: boolean }
    expect(m).toMatchObject({ rank: 'deputy_section_plus', retired: false })
    const before = await branchYear('br_2')
    expectOk(await env.call('org', 'updateMember', { memberId: 'm_br_2_06', rank: 'staff' }, SECRETARY))
    // 10,000 instead of 15,000 a year, pro-rated from joining as every quota is.
    expect((await branchYear('br_2')).quotaWords).toBeLessThan(before.quotaWords)
    expect(await nightly()).toBe(0)
  })

  it('a deactivation and a transfer leave nothing for the night', async () => {
    expectOk(await env.call('org', 'updateMember', { memberId: 'm_br_2_07', active: false }, SECRETARY))
    expect(await nightly()).toBe(0)
    expectOk(await env.call('org', 'transferMember', { memberId: 'm_br_2_08', toBranchId: 'br_3' }, ADMIN))
    expect(await nightly()).toBe(0)
  })

  it('a quota setting of the 党委 rebuilds every branch under it', async () => {
    const before = await branchYear('br_1')
    expectOk(await env.call('org', 'updateSettings', { orgId: 'org_demo', quotas: { staffWords: 12000, deputyWords: 16000, essays: 4 } }, ADMIN))
    expect((await branchYear('br_1')).quotaWords).toBeGreaterThan(before.quotaWords)
    expect(await nightly()).toBe(0)
  })

  it('what does not fit in the call waits for the next tick, which finishes it', async () => {
    const rt = runtimeOf(env)
    // The change is made behind the functions' back, as if its recount had been cut short.
    await env.db.collection('members').doc('m_br_3_03').update({ data: { rank: 'deputy_section_plus' } })
    expect(await recountNow(rt, 'org_demo', -1)).toBe(false)
    expect((await env.db.collection(RECOUNTS).doc('org_demo|2026').get()).data).toBeTruthy()
    expect(expectOk(await env.call<{ processed: number }>('cron', 'tick', {}, null)).processed).toBeGreaterThan(0)
    expect((await env.db.collection(RECOUNTS).doc('org_demo|2026').get()).data).toBeFalsy()
    expect(await nightly()).toBe(0)
  })
})
