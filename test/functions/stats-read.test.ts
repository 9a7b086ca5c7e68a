/**
 * The stats reads through the local runtime on the seeded demo organisation
 * (whose aggregates the seed built with the real tally and reconciliation):
 * visibility enforced on the server, scope across branches and
 * organisations, warnings at their thresholds, the quarterly report and a
 * member's ledger.
 */
import {
  BranchRankingOutput,
  MemberRankingOutput,
  PointsOutput,
  ReportOutput,
  WarningsOutput,
  type MemberRankingResult
} from '../../src/core/functions/stats'
import { periodKeysOf } from '../../src/core/period'
import { DEFAULT_SETTINGS, settingsId, type OrgSettingsValues } from '../../src/core/schemas/settings'
import { DEMO_PEOPLE as P } from '../../server/seed/people'
import { expectFail, expectOk, makeTestEnv, type TestEnv } from '../helpers/env'
import { addOtherCommittee } from './outsider.fixtures'
import { BR2, MIN, addSession } from './checkin.fixtures'
import { aggregateOf, runCron } from './stats-support'

let env: TestEnv
beforeAll(async () => {
  env = await makeTestEnv()
  // A second 党委 with its own admin, to prove one organisation sees nothing of another.
  await addOtherCommittee(env)
})
afterAll(() => env.close())

const quarter = () => periodKeysOf(env.clock.now()).quarter

async function setSettings(orgId: string, patch: Partial<OrgSettingsValues>) {
  await env.db.collection('settings').doc(settingsId(orgId)).set({
    data: { ...DEFAULT_SETTINGS, ...patch, orgId, updatedBy: P.admin, updatedAt: env.clock.now() }
  })
}

/** Competition ranking: a row's rank is one more than the rows strictly better. */
function expectFairRanks(rows: { rank: number }[], score: (r: never) => number | null) {
  const s = rows.map((r) => score(r as never))
  rows.forEach((r, i) => {
    const better = s.filter((x) => x !== null && (s[i] === null || Math.round(x * 1e4) > Math.round((s[i] as number) * 1e4))).length
    expect(r.rank).toBe(better + 1)
  })
}

describe('stats.memberRanking', () => {
  afterEach(() => env.db.collection('settings').doc(settingsId('org_demo')).remove())

  it('by default a member sees only their own figures, with a kind reason; officers see the ranking', async () => {
    const asMember = MemberRankingOutput.parse(expectOk(await env.call('stats', 'memberRanking', { branchId: 'br_1', period: quarter() }, P.member1)))
    expect(asMember.visible).toBe(false)
    expect(asMember.rows).toEqual([])
    expect(asMember.hiddenReason).toContain('自己的记录')
    expect(asMember.me?.memberId).toBe(P.member1)
    expect(asMember.me?.rank).toBeUndefined()
    const asSecretary = MemberRankingOutput.parse(expectOk(await env.call('stats', 'memberRanking', { branchId: 'br_1', period: quarter() }, P.secretary1)))
    expect(asSecretary.visible).toBe(true)
    expect(asSecretary.rows).toHaveLength(5)
    expectFairRanks(asSecretary.rows, (r: MemberRankingResult['rows'][number]) => r.points)
    // The figures are the aggregate's.
    const a = await aggregateOf(env, 'member', P.member1, quarter())
    expect(asSecretary.rows.find((r) => r.memberId === P.member1)?.points).toBe(a?.points ?? 0)
  })

  it('when the organisation opens rankings to members, members see them; exempt members are left out and counted', async () => {
    await setSettings('org_demo', { visibility: { memberRanking: 'members', branchRanking: 'members' } })
    const out = MemberRankingOutput.parse(expectOk(await env.call('stats', 'memberRanking', { branchId: 'br_3', period: quarter(), by: 'attendance' }, P.retired)))
    expect(out.visible).toBe(true)
    expect(out.exemptCount).toBe(2)
    expect(out.rows).toHaveLength(28)
    expectFairRanks(out.rows, (r: MemberRankingResult['rows'][number]) => r.attendanceRate)
    expect(out.me?.rank).toBeGreaterThan(0)
  })

  it('admins-only hides it even from secretaries; points can be hidden from members', async () => {
    await setSettings('org_demo', { visibility: { memberRanking: 'admins', branchRanking: 'admins' }, showPointsToMembers: false })
    expect(expectOk(await env.call<MemberRankingResult>('stats', 'memberRanking', { branchId: 'br_1', period: quarter() }, P.secretary1)).visible).toBe(false)
    expect(expectOk(await env.call<MemberRankingResult>('stats', 'memberRanking', { branchId: 'br_1', period: quarter() }, P.admin)).visible).toBe(true)
    const own = expectOk(await env.call<MemberRankingResult>('stats', 'memberRanking', { branchId: 'br_1', period: quarter() }, P.member1))
    expect(own.showPoints).toBe(false)
    expect(own.me?.points).toBe(0)
    expectFail(await env.call('stats', 'points', { period: quarter() }, P.member1), 'NOT_AVAILABLE')
  })

  it('refuses other branches, other organisations and bad input', async () => {
    for (const who of [P.member1, P.secretary1, 'm_other_admin']) {
      expectFail(await env.call('stats', 'memberRanking', { branchId: 'br_2', period: quarter() }, who), 'FORBIDDEN')
    }
    expectFail(await env.call('stats', 'memberRanking', { branchId: 'br_1', period: quarter() }, null), 'FORBIDDEN')
    expectFail(await env.call('stats', 'memberRanking', { branchId: 'nope', period: quarter() }, P.admin), 'FORBIDDEN')
    for (const bad of [{}, { branchId: 'br_1' }, { branchId: 'br_1', period: '2026-13' }, { branchId: 'br_1', period: 2026 }, { branchId: 'br_1', period: '2026', by: 'words' }, { branchId: 'br_1', period: '2026', x: 1 }, { branchId: 'b'.repeat(200), period: '2026' }]) {
      expectFail(await env.call('stats', 'memberRanking', bad, P.secretary1), 'INVALID_INPUT')
    }
  })
})

describe('stats.branchRanking', () => {
  afterEach(() => env.db.collection('settings').doc(settingsId('org_demo')).remove())

  it('compares branches by per-member figures and rates, with the previous rank', async () => {
    const out = BranchRankingOutput.parse(expectOk(await env.call('stats', 'branchRanking', { orgId: 'org_demo', period: '2026' }, P.secretary2)))
    expect(out.visible).toBe(true)
    expect(out.rows.map((r) => r.branchId).sort()).toEqual(['br_1', 'br_2', 'br_3'])
    expect(out.myBranchId).toBe('br_2')
    for (const r of out.rows) {
      const a = (await aggregateOf(env, 'branch', r.branchId, '2026'))!
      expect(r.members).toBe(a.members)
      expect(r.pointsPerMember).toBeCloseTo(a.points / a.members, 2)
      expect(r.attendanceRate).toBeCloseTo(a.attended / (a.expected - a.leave), 4)
    }
    expectFairRanks(out.rows, (r: (typeof out.rows)[number]) => r.pointsPerMember)
  })

  it('is hidden from members by default and from everyone outside the organisation', async () => {
    const out = BranchRankingOutput.parse(expectOk(await env.call('stats', 'branchRanking', { orgId: 'org_demo', period: '2026' }, P.member2)))
    expect(out.visible).toBe(false)
    expect(out.rows).toEqual([])
    expectFail(await env.call('stats', 'branchRanking', { orgId: 'org_demo', period: '2026' }, 'm_other_admin'), 'FORBIDDEN')
    expectFail(await env.call('stats', 'branchRanking', { orgId: 'org_other', period: '2026' }, P.admin), 'FORBIDDEN')
  })
})

describe('stats.warnings', () => {
  it('raises yellow at two unexcused absences and red at three, says which, and clears when leave is approved', async () => {
    const who = BR2.others[6]
    const warningOf = async () => {
      const out = WarningsOutput.parse(expectOk(await env.call('stats', 'warnings', { branchId: 'br_2' }, BR2.secretary)))
      return out.warnings.find((w) => w.memberId === who) ?? null
    }
    const baseline = (await aggregateOf(env, 'member', who, quarter()))?.absent ?? 0
    expect(baseline).toBe(0)
    const sessions = []
    for (let i = 0; i < 3; i++) {
      const s = await addSession(env, { title: `第${i + 1}次学习` })
      sessions.push(s)
      // Everyone else attends; `who` does not.
      for (const m of [BR2.member, ...BR2.others.slice(0, 6)]) {
        expectOk(await env.call('checkin', 'proxyCheckIn', { sessionId: s._id, memberId: m, reason: '纸质签到' }, BR2.secretary))
      }
      // A leave asked for but not yet approved excuses nothing.
      if (i === 2) expectOk(await env.call('checkin', 'requestLeave', { sessionId: s._id, reason: '住院' }, who))
      env.clock.set(s.checkin.closesAt + MIN)
      await runCron(env, 'tally')
      const w = await warningOf()
      if (i === 0) expect(w?.level ?? null).toBeNull()
      if (i === 1) {
        expect(w?.level).toBe('yellow')
        expect(w?.facts.find((f) => f.reason === 'absences')?.text).toContain('2 次')
        expect(w?.actions.join()).toContain('谈心谈话')
      }
      if (i === 2) expect(w?.level).toBe('red')
    }
    // The leave approved afterwards: the warning goes down by itself, and again when an attendance is typed in.
    expectOk(await env.call('checkin', 'decideLeave', { sessionId: sessions[2]._id, memberId: who, approve: true }, BR2.secretary))
    expect((await warningOf())?.level).toBe('yellow')
    expectOk(await env.call('checkin', 'proxyCheckIn', { sessionId: sessions[1]._id, memberId: who, reason: '补录' }, BR2.secretary))
    expect((await warningOf())?.level ?? null).toBeNull()
  })

  it('is for the branch officers only', async () => {
    for (const who of [BR2.member, P.secretary1, 'm_other_admin']) {
      expectFail(await env.call('stats', 'warnings', { branchId: 'br_2' }, who), 'FORBIDDEN')
    }
    expectFail(await env.call('stats', 'warnings', { branchId: 'br_2', quarter: '2026' }, BR2.secretary), 'INVALID_INPUT')
  })
})

describe('stats.report', () => {
  afterEach(() => env.db.collection('settings').doc(settingsId('org_demo')).remove())

  it('gives the admin the branch table, totals, 红旗 candidates and the rule, with names', async () => {
    const out = ReportOutput.parse(expectOk(await env.call('stats', 'report', { orgId: 'org_demo', period: quarter() }, P.admin)))
    expect(out.branches).toHaveLength(3)
    expect(out.scoreRule.length).toBeGreaterThan(10)
    expect(out.totals.members).toBe(out.branches.reduce((s, b) => s + b.members, 0))
    expect(out.warned.length).toBeGreaterThan(0)
    expect(out.warned.every((w) => w.name !== null)).toBe(true)
  })

  it('shows secretaries names only of their own branch, and refuses members and outsiders', async () => {
    const out = ReportOutput.parse(expectOk(await env.call('stats', 'report', { orgId: 'org_demo', period: quarter() }, P.secretary1)))
    expect(new Set(out.warned.map((w) => w.branchId)).size).toBeGreaterThan(1)
    for (const w of out.warned) expect(w.name === null).toBe(w.branchId !== 'br_1')
    expectFail(await env.call('stats', 'report', { orgId: 'org_demo', period: quarter() }, P.member1), 'FORBIDDEN')
    expectFail(await env.call('stats', 'report', { orgId: 'org_demo', period: quarter() }, 'm_other_admin'), 'FORBIDDEN')
    await setSettings('org_demo', { visibility: { memberRanking: 'admins', branchRanking: 'admins' } })
    expectFail(await env.call('stats', 'report', { orgId: 'org_demo', period: quarter() }, P.secretary1), 'FORBIDDEN')
    expectFail(await env.call('stats', 'report', { orgId: 'org_demo', period: '2026-07' }, P.admin), 'INVALID_INPUT')
  })
})

describe('stats.points', () => {
  it('lists every line with its reason; the total is the aggregate', async () => {
    const out = PointsOutput.parse(expectOk(await env.call('stats', 'points', { period: '2026' }, P.member2)))
    expect(out.lines.length).toBeGreaterThan(0)
    expect(out.lines.every((l) => l.reason.length > 0 && l.label.length > 0)).toBe(true)
    expect(out.total).toBe(out.lines.reduce((s, l) => s + l.delta, 0))
    expect(out.total).toBe((await aggregateOf(env, 'member', P.member2, '2026'))!.points)
    expect(out.rules.map((r) => r.rule)).toEqual(expect.arrayContaining(['attend', 'absent', 'note_1000', 'essay']))
  })

  it('officers read their branch members; nobody else reads another member', async () => {
    expectOk(await env.call('stats', 'points', { memberId: P.member2, period: '2026' }, P.secretary2))
    for (const who of [P.member1, P.secretary1, 'm_other_admin']) {
      expectFail(await env.call('stats', 'points', { memberId: P.member2, period: '2026' }, who), 'FORBIDDEN')
    }
    expectFail(await env.call('stats', 'points', { memberId: 'ghost', period: '2026' }, P.secretary2), 'FORBIDDEN')
    expectFail(await env.call('stats', 'points', { period: 'Q3' }, P.member2), 'INVALID_INPUT')
  })
})
