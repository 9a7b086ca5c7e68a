import type { CadenceItem, DualLifeRow, RosterRow } from '../../src/core/functions/session'
import { periodKeysOf } from '../../src/core/period'
import { CheckinSchema, LeaveRequestSchema, checkinId, leaveId } from '../../src/core/schemas/checkin'
import type { Session } from '../../src/core/schemas/session'
import { DEMO_PEOPLE } from '../../server/seed/people'
import { expectFail, expectOk, makeTestEnv, type TestEnv } from '../helpers/env'
import { DAY, MIN, addOtherOrg, sh, themeDay, type Created } from './session-support'

let env: TestEnv
beforeAll(async () => {
  env = await makeTestEnv()
  await addOtherOrg(env)
})
afterAll(() => env.close())

type Roster = { session: Session; rows: RosterRow[]; counts: Record<string, number> }
type Cadence = { branchId: string; period: string; hasCommittee: boolean; items: CadenceItem[]; missing: CadenceItem[] }
type DualLife = { month: string; leaders: number; missing: DualLifeRow[] }

async function putCheckin(s: Session, memberId: string, status: 'attended' | 'late', method: 'qr' | 'proxy', at: number) {
  const doc = CheckinSchema.parse({
    _id: checkinId(s._id, memberId),
    sessionId: s._id,
    memberId,
    branchId: s.branchId,
    at,
    recordedAt: at,
    status,
    method,
    ...(method === 'qr' ? { qrSlot: Math.floor(at / 30000) } : { proxyBy: DEMO_PEOPLE.secretary2, proxyReason: '年事已高，代为签到' }),
    periodKeys: periodKeysOf(s.startAt)
  })
  await env.db.collection('checkins').add({ data: doc })
}

async function putLeave(s: Session, memberId: string, status: 'pending' | 'approved' | 'refused') {
  const now = env.clock.now()
  const doc = LeaveRequestSchema.parse({
    _id: leaveId(s._id, memberId),
    sessionId: s._id,
    memberId,
    branchId: s.branchId,
    reason: '出差在外',
    status,
    ...(status === 'pending' ? {} : { decidedBy: DEMO_PEOPLE.secretary2, decidedAt: now }),
    periodKeys: periodKeysOf(s.startAt),
    createdAt: now,
    updatedAt: now
  })
  await env.db.collection('leaves').add({ data: doc })
}

describe('session.roster', () => {
  it('gives every expected member a state from check-ins and leave; counts add up', async () => {
    const s = expectOk(await env.call<Created>('session', 'create', themeDay(), DEMO_PEOPLE.secretary2)).sessions[0]
    const start = s.startAt
    await putCheckin(s, 'm_br_2_03', 'attended', 'qr', start - 5 * MIN)
    await putCheckin(s, 'm_br_2_04', 'late', 'proxy', start + 15 * MIN)
    await putCheckin(s, 'm_br_2_08', 'attended', 'qr', start - 2 * MIN)
    await putLeave(s, 'm_br_2_05', 'pending')
    await putLeave(s, 'm_br_2_06', 'approved')
    await putLeave(s, 'm_br_2_07', 'refused')
    // Asked for leave, then came after all: the check-in wins.
    await putLeave(s, 'm_br_2_08', 'approved')
    const { rows, counts, session } = expectOk(await env.call<Roster>('session', 'roster', { sessionId: s._id }, DEMO_PEOPLE.secretary2))
    expect(session._id).toBe(s._id)
    const byId = Object.fromEntries(rows.map((r) => [r.member._id, r]))
    expect(rows).toHaveLength(12)
    expect(byId.m_br_2_03).toMatchObject({ state: 'attended', at: start - 5 * MIN, method: 'qr' })
    expect(byId.m_br_2_04).toMatchObject({ state: 'late', at: start + 15 * MIN, method: 'proxy' })
    expect(byId.m_br_2_05.state).toBe('leave_pending')
    expect(byId.m_br_2_06.state).toBe('leave_approved')
    expect(byId.m_br_2_07.state).toBe('absent')
    expect(byId.m_br_2_08.state).toBe('attended')
    expect(byId.m_br_2_01).toEqual({ member: expect.objectContaining({ _id: 'm_br_2_01', branchId: 'br_2' }), state: 'absent' })
    expect(byId.m_br_2_01.member).not.toHaveProperty('openid')
    expect(counts).toEqual({ expected: 12, attended: 2, late: 1, leave: 2, leavePending: 1, absent: 7 })
  })

  it('expects only the committee at a 支委会, and only the list at a chosen-list session', async () => {
    const committee = expectOk(await env.call<Created>('session', 'create', themeDay({ type: 'committee_meeting', title: '支委会' }), DEMO_PEOPLE.secretary2)).sessions[0]
    // A stray check-in of someone not expected (e.g. written before an audience change) is not a row.
    await putCheckin(committee, 'm_br_2_09', 'attended', 'qr', committee.startAt)
    const r = expectOk(await env.call<Roster>('session', 'roster', { sessionId: committee._id }, DEMO_PEOPLE.secretary2))
    expect(r.rows.map((x) => x.member._id).sort()).toEqual(['m_br_2_01', 'm_br_2_02'])
    expect(r.counts).toMatchObject({ expected: 2, absent: 2, attended: 0 })
    const list = expectOk(await env.call<Created>('session', 'create', themeDay({ audience: { kind: 'list', memberIds: ['m_br_2_10', 'm_br_2_11'] } }), DEMO_PEOPLE.secretary2)).sessions[0]
    expect(expectOk(await env.call<Roster>('session', 'roster', { sessionId: list._id }, DEMO_PEOPLE.admin)).counts.expected).toBe(2)
  })

  it("agrees with the seed's own records for a held session", async () => {
    const id = 's_br_3_202610_group_meeting_g1'
    const { rows, counts } = expectOk(await env.call<Roster>('session', 'roster', { sessionId: id }, DEMO_PEOPLE.secretary3))
    expect(rows.every((r) => r.member.groupId === 'br_3_g1')).toBe(true)
    const { total: checkins } = await env.db.collection('checkins').where({ sessionId: id }).count()
    const { total: leaves } = await env.db.collection('leaves').where({ sessionId: id }).count()
    expect(counts.expected).toBe(10)
    expect(counts.attended + counts.late).toBe(checkins)
    expect(counts.leave).toBe(leaves)
    expect(counts.attended + counts.late + counts.leave + counts.absent).toBe(counts.expected)
  })
})

describe('session.cadence', () => {
  it('finds the seed cadence complete for a past quarter in every branch', async () => {
    const q3 = (b: string, who: string) => env.call<Cadence>('session', 'cadence', { branchId: b, period: '2026-Q3' }, who)
    const br2 = expectOk(await q3('br_2', DEMO_PEOPLE.secretary2))
    expect(br2).toMatchObject({ branchId: 'br_2', period: '2026-Q3', hasCommittee: true, missing: [] })
    expect(br2.items).toHaveLength(3 * 2 + 3)
    const br3 = expectOk(await q3('br_3', DEMO_PEOPLE.secretary3))
    expect(br3.items).toHaveLength(3 * (2 + 3) + 3)
    expect(br3.items.filter((i) => i.type === 'group_meeting').map((i) => i.groupName)).toEqual(Array(3).fill(['第一党小组', '第二党小组', '第三党小组']).flat())
    expect(br3.missing).toEqual([])
    // br_1 has five members and no committee: no 支委会 is asked of it.
    const br1 = expectOk(await q3('br_1', DEMO_PEOPLE.secretary1))
    expect(br1.hasCommittee).toBe(false)
    expect(br1.items.some((i) => i.type === 'committee_meeting')).toBe(false)
    expect(br1.missing).toEqual([])
  })

  it('reports the month with its quarter: a lecture later today and a December seminar are scheduled, not held', async () => {
    const nov = expectOk(await env.call<Cadence>('session', 'cadence', { branchId: 'br_2', period: '2026-11' }, DEMO_PEOPLE.secretary2))
    expect(nov.items.map((i) => [i.type, i.period, i.status])).toEqual([
      ['committee_meeting', '2026-11', 'met'],
      ['theme_day', '2026-11', 'met'],
      ['branch_general_meeting', '2026-Q4', 'met'],
      ['party_lecture', '2026-Q4', 'scheduled'],
      ['seminar', '2026-Q4', 'scheduled']
    ])
    expect(nov.missing.map((i) => [i.label, i.held, i.scheduled, i.periodEnded])).toEqual([['党课', 0, 1, false], ['专题学习研讨', 0, 1, false]])
  })

  it('shows a cancelled 支委会 as missing, ahead of time and after the fact', async () => {
    expectOk(await env.call('session', 'cancel', { sessionId: 's_br_2_202612_committee_meeting', reason: '书记外出培训' }, DEMO_PEOPLE.secretary2))
    const dec = expectOk(await env.call<Cadence>('session', 'cadence', { branchId: 'br_2', period: '2026-12' }, DEMO_PEOPLE.secretary2))
    expect(dec.missing.find((i) => i.type === 'committee_meeting')).toEqual({
      type: 'committee_meeting', label: '支委会', period: '2026-12', required: 1, held: 0, scheduled: 0, status: 'missing', periodEnded: false
    })
    expect(dec.items.find((i) => i.type === 'theme_day')?.status).toBe('scheduled')
    // October's was held: with check-ins on record it cannot be cancelled.
    const oct = 's_br_2_202610_committee_meeting'
    expectFail(await env.call('session', 'cancel', { sessionId: oct, reason: '未召开' }, DEMO_PEOPLE.secretary2), 'CONFLICT')
    // Had nobody come (it did not take place), cancelling it is the truthful record.
    await env.db.collection('checkins').where({ sessionId: oct }).remove()
    expectOk(await env.call('session', 'cancel', { sessionId: oct, reason: '未召开，补记取消' }, DEMO_PEOPLE.secretary2))
    const q4 = expectOk(await env.call<Cadence>('session', 'cadence', { branchId: 'br_2', period: '2026-Q4' }, DEMO_PEOPLE.secretary2))
    expect(q4.missing.map((i) => [i.type, i.period, i.status, i.periodEnded])).toEqual([
      ['committee_meeting', '2026-10', 'missing', true],
      ['committee_meeting', '2026-12', 'missing', false],
      ['theme_day', '2026-12', 'scheduled', false],
      ['party_lecture', '2026-Q4', 'scheduled', false],
      ['seminar', '2026-Q4', 'scheduled', false]
    ])
    // The admin above sees the same; the whole year is 12 months and 4 quarters.
    const year = expectOk(await env.call<Cadence>('session', 'cadence', { branchId: 'br_2', period: '2026' }, DEMO_PEOPLE.admin))
    expect(year.items).toHaveLength(12 * 2 + 4 * 3)
  })
})

describe('session.dualLife (双重组织生活)', () => {
  async function dropMonth(memberId: string, month: string) {
    await env.db.collection('checkins').where({ memberId, 'periodKeys.month': month }).remove()
  }
  async function lastBefore(memberId: string, end: number): Promise<number> {
    const { data } = await env.db.collection('checkins').where({ memberId, at: env.db.command.lt(end) }).orderBy('at', 'desc').limit(1).get()
    return Number(data[0].at)
  }

  it('lists the leading cadres of a branch who attended nothing that month, with their last attendance', async () => {
    await dropMonth('m_br_2_02', '2026-09')
    await dropMonth('m_br_2_03', '2026-09')
    const r = expectOk(await env.call<DualLife>('session', 'dualLife', { branchId: 'br_2', month: '2026-09' }, DEMO_PEOPLE.secretary2))
    expect(r.leaders).toBe(2)
    expect(r.missing.map((x) => x.member._id).sort()).toEqual(['m_br_2_02', 'm_br_2_03'])
    const sepStart = sh('2026-09-01T00:00')
    for (const row of r.missing) {
      expect(row).toMatchObject({ branchName: '第二党支部', sessionsInMonth: 3 })
      expect(row.member.leadingCadre).toBe(true)
      expect(row.lastAttendedAt).toBe(await lastBefore(row.member._id, sh('2026-10-01T00:00')))
      expect(row.lastAttendedAt as number).toBeLessThan(sepStart)
      expect(row.lastAttendedAt as number).toBeGreaterThan(sepStart - 40 * DAY)
    }
  })

  it('a proxy-recorded attendance counts; another month is judged on its own', async () => {
    // Restore one of them by a secretary's record at September's 主题党日.
    const { data } = await env.db.collection('sessions').doc('s_br_2_202609_theme_day').get()
    await putCheckin(data as unknown as Session, 'm_br_2_03', 'late', 'proxy', sh('2026-09-15T14:20'))
    const r = expectOk(await env.call<DualLife>('session', 'dualLife', { branchId: 'br_2', month: '2026-09' }, DEMO_PEOPLE.secretary2))
    expect(r.missing.map((x) => x.member._id)).toEqual(['m_br_2_02'])
  })

  it('covers the whole 党委 for its admin, branches in tree order', async () => {
    await dropMonth(DEMO_PEOPLE.admin, '2026-09')
    const r = expectOk(await env.call<DualLife>('session', 'dualLife', { orgId: 'org_demo', month: '2026-09' }, DEMO_PEOPLE.admin))
    expect(r.leaders).toBe(3)
    expect(r.missing.map((x) => [x.member._id, x.branchName])).toEqual([[DEMO_PEOPLE.admin, '第一党支部'], ['m_br_2_02', '第二党支部']])
    // A month with nothing dropped may still list someone the seed marked absent; the listed never attended.
    const oct = expectOk(await env.call<DualLife>('session', 'dualLife', { orgId: 'org_demo', month: '2026-10' }, DEMO_PEOPLE.admin))
    for (const row of oct.missing) {
      const { total } = await env.db.collection('checkins').where({ memberId: row.member._id, 'periodKeys.month': '2026-10' }).count()
      expect(total).toBe(0)
    }
    // A leader with no session at all to attend is listed, with nothing on record.
    const other = expectOk(await env.call<DualLife>('session', 'dualLife', { orgId: 'org_other', month: '2026-09' }, 'm_x_2'))
    expect(other.missing.map((x) => [x.member._id, x.sessionsInMonth, x.lastAttendedAt])).toEqual([['m_x_2', 0, null]])
  })

  it('is for officers and admins of that scope only', async () => {
    const refusals: Array<[Record<string, unknown>, string]> = [
      [{ orgId: 'org_demo', month: '2026-09' }, DEMO_PEOPLE.secretary2],
      [{ branchId: 'br_1', month: '2026-09' }, DEMO_PEOPLE.secretary2],
      [{ branchId: 'br_2', month: '2026-09' }, DEMO_PEOPLE.member2],
      [{ orgId: 'org_demo', month: '2026-09' }, 'm_x_2'],
      [{ orgId: 'org_other', month: '2026-09' }, DEMO_PEOPLE.admin],
      [{ branchId: 'org_demo', month: '2026-09' }, DEMO_PEOPLE.admin],
      [{ orgId: 'br_3_g1', month: '2026-09' }, DEMO_PEOPLE.secretary3],
      [{ branchId: 'no_such', month: '2026-09' }, DEMO_PEOPLE.admin]
    ]
    for (const [input, who] of refusals) expectFail(await env.call('session', 'dualLife', input, who), 'FORBIDDEN')
    // The admin above a branch may ask for that branch alone.
    expectOk(await env.call('session', 'dualLife', { branchId: 'br_2', month: '2026-09' }, DEMO_PEOPLE.admin))
  })
})
