/**
 * @jest-environment <rootDir>/test/core/support/tz-environment.ts
 *
 * Membership over time, judged once (expectedAt, memberNoteQuota,
 * monthsSinceJoining) and asked by every view: a newcomer is expected only
 * from joining, their quota and pace run from joining, and the Art. 9 alert
 * counts only whole months of membership.
 */
import { attendanceCounts, attendanceRows, sessionOver, sessionOverAt } from '../../src/core/checkin/attendance'
import { expectedAt } from '../../src/core/audience'
import { memberArchive } from '../../src/core/ledgers/archive'
import { attendanceSheet } from '../../src/core/ledgers/attendance'
import { notePace } from '../../src/core/notes/pace'
import { memberNoteQuota, proratedQuota, studyYearStart, yearShare } from '../../src/core/notes/prorate'
import { noteQuota } from '../../src/core/notes/quota'
import { periodBounds } from '../../src/core/period'
import { aggregateId } from '../../src/core/schemas/aggregate'
import type { Member } from '../../src/core/schemas/member'
import type { Session } from '../../src/core/schemas/session'
import { DEFAULT_SETTINGS } from '../../src/core/schemas/settings'
import { branchBasisOf, rebuildBranchYear } from '../../src/core/stats/rebuild'
import { consecutiveAbsentMonths, monthsSinceJoining } from '../../src/core/stats/warnings'

const H = 3_600_000
const DAY = 24 * H
const sh = (iso: string): number => Date.parse(`${iso}+08:00`)
const Y2026 = periodBounds('2026')

const member = (id: string, name: string, over: Partial<Member> = {}): Member => ({
  _id: id, name, openid: null, branchId: 'b1', groupId: null, orgPath: ['c', 'b1'], rank: 'staff', roles: [], leadingCadre: false, retired: false,
  exempt: null, largeText: false, active: true, joinStatus: 'confirmed', joinedAt: sh('2020-01-01T00:00'), createdAt: 0, ...over
})
const session = (id: string, startAt: number, over: Partial<Session> = {}): Session => ({
  _id: id, title: `活动${id}`, type: 'theme_day', branchId: 'b1', orgPath: ['c', 'b1'], startAt, endAt: startAt + 2 * H, venue: { name: '会议室' },
  checkin: { opensAt: startAt - H / 2, closesAt: startAt + 2 * H, lateAfter: startAt + H / 6 }, audience: { kind: 'branch' }, allowOnlineWithoutQr: false,
  status: 'scheduled', createdBy: 'x', createdAt: 0, updatedAt: 0, talliedAt: startAt + 3 * H, ...over
}) as Session

/** One session on the 10th of each month, January to November 2026. */
const monthly = Array.from({ length: 11 }, (_, i) => session(`s${i + 1}`, sh(`2026-${String(i + 1).padStart(2, '0')}-10T14:00`)))
const NOW = sh('2026-11-20T10:00')
const veteran = member('m1', '王芳')
/** Confirmed on 20 June: expected from the July session on. */
const newcomer = member('m2', '李明', { joinedAt: sh('2026-06-20T09:00') })
/** Confirmed today: expected at nothing yet. */
const today = member('m3', '赵丽', { joinedAt: NOW - H })

describe('every view asks expectedAt', () => {
  const facts = { branch: { _id: 'b1', name: '第一党支部' }, members: [veteran, newcomer, today], sessions: monthly, checkins: [], leaves: [], makeups: [] }

  it('签到台账: a newcomer is 缺席 only from joining, “—” before; one confirmed today has nothing due', () => {
    const sheet = attendanceSheet(facts, '2026年', NOW)
    const row = (name: string) => sheet.rows.find((r) => r[0] === name)!
    // [name, s1..s11, 应到, 实到, 迟到, 请假, 补学, 缺席, 出勤率]
    expect(row('李明').slice(1, 12)).toEqual([...Array(6).fill('—'), ...Array(5).fill('缺席')])
    expect(row('李明').slice(12, 18)).toEqual([5, 0, 0, 0, 0, 5])
    expect(row('赵丽').slice(1, 12)).toEqual(Array(11).fill('—'))
    expect(row('赵丽').slice(12, 18)).toEqual([0, 0, 0, 0, 0, 0])
    expect(row('王芳').slice(12, 18)).toEqual([11, 0, 0, 0, 0, 11])
  })

  it('个人档案, the member’s own record and the rebuilt aggregates agree with the ledger', () => {
    for (const m of [veteran, newcomer, today]) {
      const archive = memberArchive({ member: m, branchName: '第一党支部', year: 2026, now: NOW, settings: DEFAULT_SETTINGS, sessions: monthly, checkins: [], leaves: [], makeups: [], notes: [], ledger: [], warnings: [] })
      const own = attendanceCounts(attendanceRows(m._id, monthly.filter((s) => expectedAt(s, m)), { checkins: [], leaves: [], makeups: [] }, NOW))
      const rebuilt = rebuildBranchYear({ ...facts, year: 2026, settings: DEFAULT_SETTINGS, notes: [], ledger: [], branch: { _id: 'b1', path: ['c', 'b1'] } }, NOW)
      const year = rebuilt.aggregates.get(aggregateId('member', m._id, '2026'))
      const absences = [...rebuilt.claims.values()].filter((c) => c.memberId === m._id && c.rule === 'absent' && c.points !== 0).length
      const expected = m === veteran ? 11 : m === newcomer ? 5 : 0
      expect({ who: m.name, archive: archive.attendanceTotals.absent, own: own.absent, due: own.due, agg: year?.absent ?? 0, aggExpected: year?.expected ?? 0, absences }).toEqual({
        who: m.name, archive: expected, own: expected, due: expected, agg: expected, aggExpected: expected, absences: expected
      })
    }
  })

  it('one who came although confirmed after the session began counts in 应到 everywhere', () => {
    const late = member('m4', '孙伟', { joinedAt: monthly[10].startAt + H / 2 })
    const checkins = [{ sessionId: 's11', memberId: 'm4', status: 'attended' as const }]
    const sheet = attendanceSheet({ ...facts, members: [late], checkins }, '2026年', NOW)
    expect(sheet.rows[0].slice(11, 14)).toEqual(['出席', 1, 1])
    const archive = memberArchive({ member: late, branchName: 'b', year: 2026, now: NOW, settings: DEFAULT_SETTINGS, sessions: monthly, checkins, leaves: [], makeups: [], notes: [], ledger: [], warnings: [] })
    expect(archive.attendanceTotals).toMatchObject({ expected: 1, present: 1, absent: 0, rate: 1 })
  })
})

describe('one judge of when a session is over', () => {
  it('is the later of the end and the check-in close, in the ledgers as well', () => {
    const closesEarly = session('e', sh('2026-11-20T09:00'), { checkin: { opensAt: sh('2026-11-20T08:30'), closesAt: sh('2026-11-20T09:30'), lateAfter: sh('2026-11-20T09:10') } })
    expect(sessionOverAt(closesEarly)).toBe(closesEarly.endAt)
    // Check-in closed at 09:30 but the meeting runs to 11:00: nobody is 缺席 yet.
    expect(sessionOver(closesEarly, NOW)).toBe(false)
    const sheet = attendanceSheet({ branch: { _id: 'b1', name: 'b' }, members: [veteran], sessions: [closesEarly], checkins: [], leaves: [], makeups: [] }, 't', NOW)
    expect(sheet.rows[0][1]).toBe('未签到')
    expect(attendanceSheet({ branch: { _id: 'b1', name: 'b' }, members: [veteran], sessions: [closesEarly], checkins: [], leaves: [], makeups: [] }, 't', closesEarly.endAt).rows[0][1]).toBe('缺席')
  })
})

describe('quota and pace pro-rated from joining', () => {
  it('a member who belonged all year owes the whole quota; one who joined mid-year the share left', () => {
    const q = { words: 10000, essays: 4 }
    expect(studyYearStart(sh('2020-05-01T00:00'), 2026)).toBe(Y2026.start)
    expect(studyYearStart(sh('2027-01-02T00:00'), 2026)).toBeNull()
    expect(yearShare(sh('2020-05-01T00:00'), 2026)).toBe(1)
    expect(proratedQuota(q, sh('2020-05-01T00:00'), 2026)).toBe(q)
    // 2 July 00:00 is exactly 182 of 365 days in: 183/365 of the year is left.
    expect(yearShare(sh('2026-07-02T00:00'), 2026)).toBeCloseTo(183 / 365)
    expect(proratedQuota(q, sh('2026-07-02T00:00'), 2026)).toEqual({ words: 5000, essays: 2 })
    expect(proratedQuota({ words: 15000, essays: 4 }, sh('2026-10-01T00:00'), 2026)).toEqual({ words: 3800, essays: 1 })
    expect(proratedQuota(q, sh('2026-12-20T00:00'), 2026)).toEqual({ words: 300, essays: 0 })
    // A year before joining asks nothing; exemption stays exemption.
    expect(proratedQuota(q, sh('2027-03-01T00:00'), 2026)).toEqual({ words: 0, essays: 0 })
    expect(proratedQuota(null, sh('2026-07-02T00:00'), 2026)).toBeNull()
  })

  it('memberNoteQuota is the category rule, pro-rated', () => {
    const rule = noteQuota(newcomer, DEFAULT_SETTINGS, 2026)!
    expect(memberNoteQuota(veteran, DEFAULT_SETTINGS, 2026)).toEqual(noteQuota(veteran, DEFAULT_SETTINGS, 2026))
    expect(memberNoteQuota(newcomer, DEFAULT_SETTINGS, 2026)).toEqual(proratedQuota(rule, newcomer.joinedAt, 2026))
    expect(memberNoteQuota(newcomer, DEFAULT_SETTINGS, 2026)!.words).toBeLessThan(rule.words)
    expect(memberNoteQuota({ ...newcomer, exempt: { reason: 'mobility', since: 0 } }, DEFAULT_SETTINGS, 2026)).toBeNull()
  })

  it('the even pace runs from joining, and the sentence says so', () => {
    const joinedAt = sh('2026-07-02T00:00')
    const quota = proratedQuota({ words: 10000, essays: 4 }, joinedAt, 2026)
    // A week after joining only a week's share is due, not half a year's.
    const weekIn = notePace({ creditedWords: 0, quota, at: joinedAt + 7 * DAY, year: 2026, joinedAt })
    expect(weekIn.fraction).toBeCloseTo(7 / 183)
    expect(weekIn.expectedWords).toBe(Math.round(5000 * (7 / 183)))
    expect(weekIn.sentence).toContain('从 7月2日 加入算起')
    const onPace = notePace({ creditedWords: 2600, quota, at: sh('2026-10-01T00:00'), year: 2026, joinedAt })
    expect(onPace.status).toBe('on_pace')
    // The same words without joinedAt would be judged against the whole year.
    expect(notePace({ creditedWords: 2600, quota: { words: 10000 }, at: sh('2026-10-01T00:00'), year: 2026 }).status).toBe('far_behind')
    expect(notePace({ creditedWords: 5000, quota, at: sh('2026-12-01T00:00'), year: 2026, joinedAt }).sentence).toContain('按加入时间折算')
    // The first 30 days after joining nobody is behind, even with nothing written yet.
    expect(notePace({ creditedWords: 0, quota, at: joinedAt + 60_000, year: 2026, joinedAt }).status).toBe('on_pace')
    expect(notePace({ creditedWords: 0, quota, at: joinedAt + 29 * DAY, year: 2026, joinedAt }).status).toBe('on_pace')
    expect(notePace({ creditedWords: 0, quota, at: joinedAt + 31 * DAY, year: 2026, joinedAt }).status).toBe('far_behind')
    // A member of long standing is judged over the whole year, as before.
    expect(notePace({ creditedWords: 0, quota: { words: 10000 }, at: sh('2026-07-02T12:00'), year: 2026, joinedAt: sh('2019-01-01T00:00') }).sentence).toContain('按全年均匀进度')
  })
})

describe('Art. 9 counts only whole months of membership', () => {
  const empty = (months: string[]) => months.map((month) => ({ month, attended: 0, leave: 0, makeups: 0 }))
  const seven = ['2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11']

  it('a member confirmed today has no months to count', () => {
    expect(monthsSinceJoining(empty(seven), sh('2026-11-20T09:00'))).toEqual([])
    expect(consecutiveAbsentMonths(monthsSinceJoining(empty(seven), sh('2026-11-20T09:00')), '2026-11')).toBe(0)
  })

  it('starts at the first month that began after joining, or the month joined on its first instant', () => {
    expect(monthsSinceJoining(empty(seven), sh('2026-08-15T09:00')).map((m) => m.month)).toEqual(['2026-09', '2026-10', '2026-11'])
    expect(monthsSinceJoining(empty(seven), sh('2026-08-01T00:00')).map((m) => m.month)).toEqual(['2026-08', '2026-09', '2026-10', '2026-11'])
    // Joined mid-August, nothing since: September and October are the whole months without organisational life.
    expect(consecutiveAbsentMonths(monthsSinceJoining(empty(seven), sh('2026-08-15T09:00')), '2026-11')).toBe(2)
    // A member of long standing: the whole look-back counts, as before.
    expect(consecutiveAbsentMonths(monthsSinceJoining(empty(seven), sh('2019-01-01T00:00')), '2026-11')).toBe(6)
  })
})

describe('a branch counts its members for the periods they belonged', () => {
  const moved = member('m5', '孙伟', { branchId: 'b2', orgPath: ['c', 'b2'], branchHistory: [{ branchId: 'b1', from: sh('2020-01-01T00:00'), to: sh('2026-09-15T10:00') }] })
  const all = [veteran, newcomer, today, moved]
  const basis = (branchId: string, period: string) => branchBasisOf(all, branchId, DEFAULT_SETTINGS, 2026, periodBounds(period)).members

  it('a newcomer from the period they joined in, never an earlier one', () => {
    // b1: the veteran all year, 孙伟 until September, the June newcomer from June, the one confirmed today from November.
    expect(['2026-05', '2026-06', '2026-09', '2026-10', '2026-11', '2026-Q2', '2026-Q3', '2026-Q4', '2026'].map((p) => basis('b1', p))).toEqual([2, 3, 3, 2, 3, 3, 3, 3, 4])
  })

  it('a transferred member stays in the old branch’s periods and joins the new one’s from the transfer', () => {
    expect(['2026-08', '2026-09', '2026-10', '2026-Q3', '2026'].map((p) => basis('b2', p))).toEqual([0, 1, 1, 1, 1])
  })
})
