/**
 * @jest-environment <rootDir>/test/core/support/tz-environment.ts
 */
import {
  COMMITTEE_MIN_MEMBERS,
  DEFAULT_CADENCE,
  branchHasCommittee,
  cadenceReport,
  cadenceSpan,
  leadersWithoutLife,
  missingMeetings,
  type CadenceArgs
} from '../../src/core/cadence'
import { periodBounds } from '../../src/core/period'
import type { Session, SessionType } from '../../src/core/schemas/session'

const H = 60 * 60 * 1000
const sh = (iso: string): number => Date.parse(`${iso}+08:00`)

let n = 0
function s(type: SessionType, startIso: string, extra: Partial<Session> = {}) {
  const startAt = sh(startIso)
  const endAt = extra.endAt ?? startAt + 2 * H
  return {
    _id: `s${++n}`,
    branchId: 'b1',
    type,
    status: 'scheduled' as const,
    startAt,
    endAt,
    checkin: { opensAt: startAt - H / 2, closesAt: endAt, lateAfter: startAt + H / 6 },
    audience: type === 'committee_meeting' ? { kind: 'committee' as const } : { kind: 'branch' as const },
    ...extra
  }
}
const groupMeeting = (groupId: string, iso: string) => s('group_meeting', iso, { audience: { kind: 'group', groupId } })

/** A quarter (2026-Q4) of full cadence for a branch with a committee and two groups. */
function fullQuarter() {
  const list = []
  for (const m of ['10', '11', '12']) {
    list.push(s('theme_day', `2026-${m}-15T14:00`), s('committee_meeting', `2026-${m}-05T09:00`))
    list.push(groupMeeting('g1', `2026-${m}-09T09:00`), groupMeeting('g2', `2026-${m}-10T09:00`))
  }
  list.push(s('branch_general_meeting', '2026-10-10T15:00'), s('party_lecture', '2026-11-20T15:00'), s('seminar', '2026-12-25T14:00'))
  return list
}

const base = (over: Partial<CadenceArgs> = {}): CadenceArgs => ({
  sessions: fullQuarter(),
  period: '2026-Q4',
  branch: { _id: 'b1' },
  groups: [{ _id: 'g1', name: '第一党小组' }, { _id: 'g2', name: '第二党小组' }],
  hasCommittee: true,
  now: sh('2027-01-05T00:00'),
  ...over
})

describe.each(['UTC', 'America/New_York', 'Asia/Shanghai'])('with process TZ=%s', (zone) => {
  beforeAll(() => {
    process.env.TZ = zone
  })

  test('a full quarter meets every requirement', () => {
    const items = cadenceReport(base())
    // 3 months × (支委会 + 2 groups + 主题党日) + 3 quarterly meetings.
    expect(items).toHaveLength(15)
    expect(items.every((i) => i.status === 'met' && i.held === 1 && i.periodEnded)).toBe(true)
    expect(missingMeetings(base())).toEqual([])
    // Months come before the quarter that holds them.
    expect(items.map((i) => i.period)).toEqual([...Array(4).fill('2026-10'), ...Array(4).fill('2026-11'), ...Array(4).fill('2026-12'), ...Array(3).fill('2026-Q4')])
  })

  test('a cancelled 支委会 is missing; a meeting at 23:30 on the last day counts in its own Shanghai month', () => {
    const sessions = fullQuarter().map((x) => (x.type === 'committee_meeting' && x.startAt === sh('2026-11-05T09:00') ? { ...x, status: 'cancelled' as const } : x))
    expect(missingMeetings(base({ sessions }))).toEqual([
      { type: 'committee_meeting', label: '支委会', period: '2026-11', required: 1, held: 0, scheduled: 0, status: 'missing', periodEnded: true }
    ])
    // Moved to 23:30 on 30 November (15:30 UTC): still November in Shanghai.
    const moved = [...sessions, s('committee_meeting', '2026-11-30T23:30', { endAt: sh('2026-11-30T23:55') })]
    expect(missingMeetings(base({ sessions: moved }))).toEqual([])
    // 00:30 on 1 December is December's, and November stays missing.
    const early = [...sessions, s('committee_meeting', '2026-12-01T00:30')]
    expect(missingMeetings(base({ sessions: early })).map((i) => [i.type, i.period, i.held])).toEqual([['committee_meeting', '2026-11', 0]])
  })

  test('scheduled is not held: a future meeting is reported as scheduled, not met', () => {
    const items = missingMeetings(base({ now: sh('2026-12-10T00:00') }))
    expect(items.map((i) => [i.label, i.period, i.status, i.held, i.scheduled, i.periodEnded])).toEqual([
      ['第二党小组党小组会', '2026-12', 'scheduled', 0, 1, false],
      ['主题党日', '2026-12', 'scheduled', 0, 1, false],
      ['专题学习研讨', '2026-Q4', 'scheduled', 0, 1, false]
    ])
  })

  test('a month is checked with its quarter; quarterly meetings are due in the quarter', () => {
    const sessions = fullQuarter().filter((x) => x.type !== 'party_lecture')
    const items = cadenceReport(base({ sessions, period: '2026-10' }))
    expect(items.map((i) => i.period)).toEqual(['2026-10', '2026-10', '2026-10', '2026-10', '2026-Q4', '2026-Q4', '2026-Q4'])
    expect(missingMeetings(base({ sessions, period: '2026-10' })).map((i) => [i.label, i.period])).toEqual([['党课', '2026-Q4']])
    expect(cadenceSpan('2026-10')).toEqual(periodBounds('2026-Q4'))
    expect(cadenceSpan('2026')).toEqual(periodBounds('2026'))
  })

  test('held means over, by the same judge as attendance: ended and check-in closed', () => {
    const theme = s('theme_day', '2026-12-15T14:00')
    const closesLate = { ...theme, checkin: { ...theme.checkin, closesAt: theme.endAt + H } }
    const item = (now: string) => cadenceReport(base({ sessions: [closesLate], period: '2026-12', now: sh(now) })).find((i) => i.type === 'theme_day')!
    expect([item('2026-12-15T16:30').held, item('2026-12-15T16:30').scheduled]).toEqual([0, 1])
    expect([item('2026-12-15T17:00').held, item('2026-12-15T17:00').status]).toEqual([1, 'met'])
  })

  test('a year checks 12 months and 4 quarters', () => {
    const items = cadenceReport(base({ sessions: [], period: '2026', now: sh('2026-06-01T00:00') }))
    expect(items).toHaveLength(12 * 4 + 4 * 3)
    expect(items.filter((i) => i.periodEnded)).toHaveLength(5 * 4 + 1 * 3)
  })
})

describe('who has a committee and groups', () => {
  test('no 支委会 is required without a committee; each group needs its own meeting', () => {
    const sessions = fullQuarter().filter((x) => !(x.type === 'group_meeting' && x.audience.groupId === 'g2' && x.startAt < sh('2026-11-01T00:00')))
    const missing = missingMeetings(base({ sessions, hasCommittee: false, groups: [{ _id: 'g1', name: '一组' }, { _id: 'g2', name: '二组' }] }))
    expect(missing.map((i) => [i.label, i.groupId, i.groupName, i.period])).toEqual([['二组党小组会', 'g2', '二组', '2026-10']])
    const noCommittee = cadenceReport(base({ hasCommittee: false, groups: [] }))
    expect(noCommittee.some((i) => i.type === 'committee_meeting' || i.type === 'group_meeting')).toBe(false)
  })

  test("another branch's sessions never count", () => {
    const other = fullQuarter().map((x) => ({ ...x, branchId: 'b2' }))
    expect(missingMeetings(base({ sessions: other }))).toHaveLength(15)
  })

  test('a custom cadence replaces the default', () => {
    const items = cadenceReport(base({ cadence: [{ type: 'theme_day', every: 'month', count: 2 }] }))
    expect(items.map((i) => i.status)).toEqual(['missing', 'missing', 'missing'])
    expect(DEFAULT_CADENCE.map((r) => `${r.type}/${r.every}`)).toEqual([
      'committee_meeting/month', 'group_meeting/month', 'theme_day/month',
      'branch_general_meeting/quarter', 'party_lecture/quarter', 'seminar/quarter'
    ])
  })

  test('a committee: seven or more active members, or an appointed committee member', () => {
    const m = (i: number, roles: Array<{ role: string; orgId: string }> = [], active = true) => ({ branchId: 'b1', active, roles, i })
    const six = Array.from({ length: 6 }, (_, i) => m(i))
    expect(COMMITTEE_MIN_MEMBERS).toBe(7)
    expect(branchHasCommittee('b1', six)).toBe(false)
    expect(branchHasCommittee('b1', [...six, m(7)])).toBe(true)
    expect(branchHasCommittee('b1', [...six, m(7, [], false)])).toBe(false)
    expect(branchHasCommittee('b1', [m(1, [{ role: 'committee', orgId: 'b1' }])])).toBe(true)
    expect(branchHasCommittee('b1', [m(1, [{ role: 'secretary', orgId: 'b1' }])])).toBe(false)
    expect(branchHasCommittee('b1', [m(1, [{ role: 'committee', orgId: 'b9' }])])).toBe(false)
  })
})

describe('双重组织生活: leadersWithoutLife', () => {
  const leaders = [
    { _id: 'L1', branchId: 'b1', name: '甲' },
    { _id: 'L2', branchId: 'b1', name: '乙' },
    { _id: 'L3', branchId: 'b2', name: '丙' },
    { _id: 'L4', branchId: 'b3', name: '丁' }
  ]
  const at = (id: string, branchId: string, iso: string, status: 'scheduled' | 'cancelled' = 'scheduled') => {
    const startAt = sh(iso)
    return { _id: id, branchId, status, startAt, endAt: startAt + 2 * H, checkin: { opensAt: startAt - H / 2, closesAt: startAt + 2 * H, lateAfter: startAt } }
  }
  const sessions = [at('a', 'b1', '2026-10-15T14:00'), at('b', 'b2', '2026-10-31T23:30'), at('c', 'b2', '2026-10-20T14:00', 'cancelled'), at('d', 'b1', '2026-11-01T00:10')]
  const afterNovember = sh('2026-12-01T09:00')

  beforeAll(() => {
    process.env.TZ = 'America/New_York'
  })

  test('lists leaders with no attendance of their own branch in the Shanghai month', () => {
    const checkins = [
      { sessionId: 'a', memberId: 'L1', status: 'late' },
      // L2 attended only November's session; L3 went to another branch's session and a cancelled one.
      { sessionId: 'd', memberId: 'L2', status: 'attended' },
      { sessionId: 'a', memberId: 'L3', status: 'attended' },
      { sessionId: 'c', memberId: 'L3', status: 'attended' }
    ]
    const gaps = leadersWithoutLife({ leaders, sessions, checkins, month: '2026-10', now: afterNovember })
    expect(gaps.map((g) => [g.leader._id, g.sessionsInMonth, g.missed])).toEqual([['L2', 1, true], ['L3', 1, true], ['L4', 0, true]])
    // A check-in at the 23:30 session on 31 October is October's.
    const withB = leadersWithoutLife({ leaders, sessions, checkins: [...checkins, { sessionId: 'b', memberId: 'L3', status: 'attended' }], month: '2026-10', now: afterNovember })
    expect(withB.map((g) => g.leader._id)).toEqual(['L2', 'L4'])
    expect(leadersWithoutLife({ leaders, sessions, checkins, month: '2026-11', now: afterNovember }).map((g) => g.leader._id)).toEqual(['L1', 'L3', 'L4'])
  })

  test('a month whose sessions are still ahead is not missed until they are over', () => {
    // 1 October, nothing of the month has happened yet: nobody has missed October.
    const early = leadersWithoutLife({ leaders, sessions, checkins: [], month: '2026-10', now: sh('2026-10-01T09:00') })
    expect(early.map((g) => [g.leader._id, g.sessionsInMonth, g.upcomingInMonth, g.missed])).toEqual([
      ['L1', 0, 1, false],
      ['L2', 0, 1, false],
      ['L3', 0, 1, false],
      // No session of b3 yet, and the month has just begun: not missed yet either.
      ['L4', 0, 0, false]
    ])
    // During the 15 October session (check-in still open): still ahead.
    const during = leadersWithoutLife({ leaders, sessions, checkins: [], month: '2026-10', now: sh('2026-10-15T15:00') })
    expect(during.find((g) => g.leader._id === 'L1')).toMatchObject({ sessionsInMonth: 0, upcomingInMonth: 1, missed: false })
    // Once it is over (ended and check-in closed), b1's leaders missed it; b2's session on the 31st is still ahead.
    const after = leadersWithoutLife({ leaders, sessions, checkins: [], month: '2026-10', now: sh('2026-10-15T16:00') })
    expect(after.map((g) => [g.leader._id, g.missed])).toEqual([['L1', true], ['L2', true], ['L3', false], ['L4', false]])
    // The month over: a branch that held nothing leaves its leader missed too.
    expect(leadersWithoutLife({ leaders, sessions, checkins: [], month: '2026-10', now: afterNovember }).every((g) => g.missed)).toBe(true)
  })

  test('check-in closing after the end keeps a session ahead until it closes', () => {
    const late = { ...at('e', 'b3', '2026-10-10T09:00'), checkin: { opensAt: sh('2026-10-10T08:30'), closesAt: sh('2026-10-10T12:00'), lateAfter: sh('2026-10-10T09:10') } }
    const gap = (iso: string) => leadersWithoutLife({ leaders: [leaders[3]], sessions: [late], checkins: [], month: '2026-10', now: sh(iso) })[0]
    expect(gap('2026-10-10T11:30')).toMatchObject({ sessionsInMonth: 0, upcomingInMonth: 1, missed: false })
    expect(gap('2026-10-10T12:00')).toMatchObject({ sessionsInMonth: 1, upcomingInMonth: 0, missed: true })
  })
})
