/**
 * 季通报 and 红旗党支部 through the local runtime on the seeded demo
 * organisation (three branches, aggregates built by the real tally and
 * reconciliation): the cadence check decides who may be named, candidates
 * are limited, the criteria are printed, and bad input and outsiders are refused.
 */
import { ReportOutput, type ReportResult } from '../../src/core/functions/stats'
import { periodBounds } from '../../src/core/period'
import { RED_FLAG_CRITERIA } from '../../src/core/stats/report'
import { DEMO_PEOPLE as P } from '../../server/seed/people'
import { expectFail, expectOk, makeTestEnv, type TestEnv } from '../helpers/env'
import { addOtherCommittee } from './outsider.fixtures'

const Q3 = '2026-Q3'
let env: TestEnv

beforeAll(async () => {
  env = await makeTestEnv()
  await addOtherCommittee(env)
}, 60_000)
afterAll(() => env.close())

const report = async (period = Q3, as: string = P.admin): Promise<ReportResult> =>
  ReportOutput.parse(expectOk(await env.call('stats', 'report', { orgId: 'org_demo', period }, as)))

describe('stats.report: 红旗党支部', () => {
  it('names at most a third of the branches, each with every required meeting held, and prints the criteria', async () => {
    const out = await report()
    expect(out.provisional).toBe(false)
    expect(out.branches).toHaveLength(3)
    expect(out.candidateLimit).toBe(1)
    expect(out.redFlag.length).toBeLessThanOrEqual(1)
    expect(out.criteria).toEqual([...RED_FLAG_CRITERIA])
    for (const c of out.redFlag) {
      const row = out.branches.find((b) => b.branchId === c.branchId)!
      expect(row.redFlag).toBe('candidate')
      expect(row.meetings.missed).toEqual([])
      expect(row.meetings.due).toBeGreaterThan(0)
      expect(c.score).toBe(row.score)
    }
    // Ranked on the exact score: no two branches of different rank share it.
    const ranks = [...out.branches].sort((a, b) => a.rank - b.rank)
    for (let i = 1; i < ranks.length; i++) if (ranks[i].rank !== ranks[i - 1].rank) expect(ranks[i].score).toBeLessThan(ranks[i - 1].score)
  })

  it('a branch that did not hold a required meeting is not named, and the report says which meeting', async () => {
    const before = await report()
    const top = before.redFlag[0]
    expect(top).toBeDefined()
    // The candidate's August 主题党日 did not take place (cancelled).
    const { start, end } = periodBounds('2026-08')
    const _ = env.db.command
    const { data } = await env.db.collection('sessions').where({ branchId: top.branchId, type: 'theme_day', startAt: _.gte(start).and(_.lt(end)) }).get()
    expect(data.length).toBeGreaterThan(0)
    for (const s of data) await env.db.collection('sessions').doc(String(s._id)).update({ data: { status: 'cancelled' } })

    const after = await report()
    const row = after.branches.find((b) => b.branchId === top.branchId)!
    expect(row.redFlag).toBe('not_qualified')
    expect(row.meetings.missed).toEqual(['8月主题党日'])
    expect(row.reasons).toContain('8月主题党日未按期召开')
    expect(after.redFlag.map((r) => r.branchId)).not.toContain(top.branchId)
    // Someone else who qualifies takes the place; its meetings were all held.
    for (const c of after.redFlag) expect(after.branches.find((b) => b.branchId === c.branchId)!.meetings.missed).toEqual([])
    // The session function's own cadence check says the same (one judge).
    const cadence = expectOk(await env.call<{ missing: Array<{ period: string; label: string; status: string }> }>('session', 'cadence', { branchId: top.branchId, period: Q3 }, P.admin))
    expect(cadence.missing.filter((m) => m.period === '2026-08').map((m) => m.label)).toEqual(['主题党日'])
  })

  it('a quarter still running is marked provisional, its meetings still to come listed, not held against anyone', async () => {
    const out = await report('2026-Q4')
    expect(out.provisional).toBe(true)
    expect(out.branches.some((b) => b.meetings.pending.length > 0)).toBe(true)
    for (const b of out.branches) expect(b.reasons.join()).not.toContain('12月')
  })
})

describe('stats.report: refusals', () => {
  it('refuses members, another 党委’s admin and an org of another 党委, alike', async () => {
    expectFail(await env.call('stats', 'report', { orgId: 'org_demo', period: Q3 }, P.member2), 'FORBIDDEN')
    expectFail(await env.call('stats', 'report', { orgId: 'org_demo', period: Q3 }, 'm_other_admin'), 'FORBIDDEN')
    expectFail(await env.call('stats', 'report', { orgId: 'org_other', period: Q3 }, P.admin), 'FORBIDDEN')
    expectFail(await env.call('stats', 'report', { orgId: 'ghost', period: Q3 }, P.admin), 'FORBIDDEN')
    expectFail(await env.call('stats', 'report', { orgId: 'org_demo', period: Q3 }, null), 'FORBIDDEN')
  })

  it('refuses bad input: empty, wrong types, a month, an oversized id, extra fields', async () => {
    for (const input of [
      {},
      { orgId: 'org_demo' },
      { orgId: 'org_demo', period: '2026-08' },
      { orgId: 'org_demo', period: 2026 },
      { orgId: 42, period: Q3 },
      { orgId: 'x'.repeat(2 * 1024 * 1024), period: Q3 },
      { orgId: 'org_demo', period: Q3, weights: { points: 100 } }
    ]) {
      expectFail(await env.call('stats', 'report', input, P.admin), 'INVALID_INPUT')
    }
  })
})
