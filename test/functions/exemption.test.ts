/**
 * Who is exempt from what, through the real functions on a real SQLite file:
 * a member marked 长期病休 and one over the organisation's exemptAge are out
 * of the member ranking, the warnings and the absence deductions, and out of
 * the branch's denominators (its counted members and its counters), while
 * keeping their own record; the nightly rebuild agrees, and lifting the age
 * setting brings the older member back into every figure at once.
 */
import { reconcileBranch } from '../../cloudfunctions/_shared/reconcile'
import { MemberRankingOutput, WarningsOutput } from '../../src/core/functions/stats'
import { pointsKey } from '../../src/core/schemas/points'
import type { Session } from '../../src/core/schemas/session'
import { expectFail, expectOk, makeTestEnv, type TestEnv } from '../helpers/env'
import { addSession } from './checkin.fixtures'
import { addBranch, checkInNow, runtimeOf } from './judges.fixtures'
import { aggregateOf, expectLedgerMatchesAggregates, ledgerOf, runCron } from './stats-support'

const ADMIN = 'm_br_1_01'
let env: TestEnv
let ids: string[]
let sessions: Session[]
// bx_1 secretary, bx_2 marked 长期病休, bx_3 born 1940 (86 in 2026; exempt once the branch sets 80), bx_4 and bx_5 like everyone.
const [SEC, ILL, OLD, KEEN, SLACK] = ['bx_1', 'bx_2', 'bx_3', 'bx_4', 'bx_5']

beforeAll(async () => {
  env = await makeTestEnv()
  env.clock.set(Date.parse('2026-10-01T02:00:00Z'))
  ;({ ids } = await addBranch(env, 'bx', [
    {},
    { exempt: { reason: 'long_illness', note: '长期住院治疗', since: Date.parse('2026-01-10T02:00:00Z') } },
    { birthYear: 1940, retired: true },
    {},
    {}
  ]))
  expect(ids).toEqual([SEC, ILL, OLD, KEEN, SLACK])
  expectOk(await env.call('org', 'updateSettings', { orgId: 'bx', exemptAge: 80 }, ADMIN))
  // Three theme days in October: the secretary and bx_4 come to all, bx_5 to the first, bx_2 and bx_3 to none.
  sessions = []
  for (const day of [8, 15, 22]) {
    env.clock.set(Date.parse(`2026-10-${String(day).padStart(2, '0')}T01:00:00Z`))
    const s = await addSession(env, { branchId: 'bx', title: `十月第${sessions.length + 1}次主题党日`, startIn: 5 * 60e3 })
    sessions.push(s)
    for (const who of day === 8 ? [SEC, KEEN, SLACK] : [SEC, KEEN]) await checkInNow(env, s._id, who)
    env.clock.set(s.checkin.closesAt + 60e3)
    await runCron(env, 'tally')
  }
  env.clock.set(Date.parse('2026-11-20T02:00:00Z'))
})
afterAll(() => env.close())

const absentLines = async (memberId: string) => (await ledgerOf(env, memberId)).filter((e) => e.rule === 'absent')

describe('an exempt member, by mark or by age', () => {
  it('keeps their own record but loses no points for absence', async () => {
    for (const who of [ILL, OLD]) {
      const q = (await aggregateOf(env, 'member', who, '2026-Q4'))!
      expect([q.expected, q.absent, q.points]).toEqual([3, 3, 0])
      expect(await absentLines(who)).toEqual([])
    }
    expect((await absentLines(SLACK)).map((e) => e.delta)).toEqual([-2, -2])
    expect((await aggregateOf(env, 'member', SLACK, '2026-Q4'))!.points).toBe(2 - 4)
  })

  it('is left out of the branch’s members and counters, so its rates and averages are of the others', async () => {
    const b = (await aggregateOf(env, 'branch', 'bx', '2026-Q4'))!
    // Counted: bx_1, bx_4, bx_5 — three sessions each.
    expect([b.members, b.expected, b.attended, b.absent]).toEqual([3, 9, 7, 2])
    const counted = await Promise.all([SEC, KEEN, SLACK].map((m) => aggregateOf(env, 'member', m, '2026-Q4')))
    expect(b.points).toBe(counted.reduce((s, a) => s + a!.points, 0))
    await expectLedgerMatchesAggregates(env, (branchId) => (branchId === 'bx' ? { exemptAge: 80 } : {}))
  })

  it('is out of the member ranking, counted apart', async () => {
    for (const by of ['points', 'attendance'] as const) {
      const r = MemberRankingOutput.parse(expectOk(await env.call('stats', 'memberRanking', { branchId: 'bx', period: '2026-Q4', by }, SEC)))
      expect(r.rows.map((x) => x.memberId).sort()).toEqual([SEC, KEEN, SLACK])
      expect(r.exemptCount).toBe(2)
    }
    // The member sees their own figures, marked exempt, never ranked.
    const mine = MemberRankingOutput.parse(expectOk(await env.call('stats', 'memberRanking', { branchId: 'bx', period: '2026-Q4' }, OLD)))
    expect(mine.me).toMatchObject({ memberId: OLD, exempt: true, absent: 3 })
    expect(mine.me!.rank).toBeUndefined()
  })

  it('gets no warning, though three absences would raise red for anyone else', async () => {
    const w = WarningsOutput.parse(expectOk(await env.call('stats', 'warnings', { branchId: 'bx', quarter: '2026-Q4' }, SEC)))
    // In Q4 everyone counted is also far behind the note pace (nobody here wrote): the exempt are not.
    expect(w.warnings.map((x) => x.memberId).sort()).toEqual([SEC, KEEN, SLACK])
    const absences = (id: string) => w.warnings.find((x) => x.memberId === id)!.facts.find((f) => f.reason === 'absences')
    expect(absences(SLACK)).toMatchObject({ level: 'yellow' })
    expect(absences(KEEN)).toBeUndefined()
    expect(w.exemptCount).toBe(2)
    // Nor in the 个人档案 the secretary prints.
    type Archive = { archive: { warnings: string[]; member: { exempt: string | null } } }
    const old = expectOk(await env.call<Archive>('archive', 'member', { memberId: OLD, year: 2026 }, SEC)).archive
    expect(old).toMatchObject({ warnings: [], member: { exempt: '年满 80 周岁' } })
    const ill = expectOk(await env.call<Archive>('archive', 'member', { memberId: ILL, year: 2026 }, SEC)).archive
    expect(ill.member.exempt).toBe('长期病休（长期住院治疗）')
    expect(expectOk(await env.call<Archive>('archive', 'member', { memberId: SLACK, year: 2026 }, SEC)).archive.warnings.length).toBeGreaterThan(0)
  })

  it('the nightly rebuild finds the write path right', async () => {
    const { data } = await env.db.collection('orgs').doc('bx').get()
    const r = await reconcileBranch(runtimeOf(env), data as never, 2026)
    expect(r).toMatchObject({ aggregatesCorrected: 0, pointsCorrected: 0 })
  })

  it('lifting the age setting brings the older member back into every figure at once', async () => {
    expectOk(await env.call('org', 'updateSettings', { orgId: 'bx', exemptAge: null }, ADMIN))
    // The setting's own call rebuilt the year (recount.ts): the night finds nothing left.
    const { data } = await env.db.collection('orgs').doc('bx').get()
    const r = await reconcileBranch(runtimeOf(env), data as never, 2026)
    expect(r).toMatchObject({ aggregatesCorrected: 0, pointsCorrected: 0 })
    const lines = await absentLines(OLD)
    expect(lines.map((e) => [e.key, e.delta]).sort()).toEqual(sessions.map((s) => [pointsKey('absent', s._id, OLD), -2]).sort())
    const b = (await aggregateOf(env, 'branch', 'bx', '2026-Q4'))!
    expect([b.members, b.expected, b.absent]).toEqual([4, 12, 5])
    const ranked = MemberRankingOutput.parse(expectOk(await env.call('stats', 'memberRanking', { branchId: 'bx', period: '2026-Q4' }, SEC)))
    expect(ranked.rows.map((x) => x.memberId)).toContain(OLD)
    expect(ranked.exemptCount).toBe(1)
    const w = WarningsOutput.parse(expectOk(await env.call('stats', 'warnings', { branchId: 'bx', quarter: '2026-Q4' }, SEC)))
    expect(w.warnings.find((x) => x.memberId === OLD)!.facts.find((f) => f.reason === 'absences')).toMatchObject({ level: 'red' })
    await expectLedgerMatchesAggregates(env)
    // Marked 长期病休, bx_2 stays out whatever the age setting.
    expect(w.warnings.find((x) => x.memberId === ILL)).toBeUndefined()
  })

  it('refuses bad input and strangers', async () => {
    expectFail(await env.call('org', 'updateSettings', { orgId: 'bx', exemptAge: 30 }, ADMIN), 'INVALID_INPUT')
    expectFail(await env.call('org', 'updateSettings', { orgId: 'bx', exemptAge: 80 }, SEC), 'FORBIDDEN')
    expectFail(await env.call('stats', 'memberRanking', { branchId: 'bx', period: '2026-Q5' }, SEC), 'INVALID_INPUT')
    expectFail(await env.call('stats', 'warnings', { branchId: 'bx' }, KEEN), 'FORBIDDEN')
    expectFail(await env.call('stats', 'warnings', { branchId: 'bx', quarter: '2026' }, SEC), 'INVALID_INPUT')
  })
})
