/**
 * @jest-environment <rootDir>/test/core/support/tz-environment.ts
 */
import {
  ATTENDANCE_STATES,
  attendanceCounts,
  attendanceRate,
  attendanceRows,
  attendanceState,
  sessionOver,
  type AttendanceCheckin,
  type AttendanceLeave,
  type AttendanceMakeup,
  type AttendanceSession
} from '../../../src/core/checkin/attendance'

const H = 60 * 60 * 1000
const T = Date.parse('2026-03-01T00:00:00Z')

function s(id: string, startAt: number, extra: Partial<AttendanceSession> = {}): AttendanceSession {
  return { _id: id, startAt, endAt: startAt + 2 * H, status: 'scheduled', checkin: { opensAt: startAt - H / 2, closesAt: startAt + 2 * H, lateAfter: startAt + H / 6 }, ...extra }
}
const ci = (sessionId: string, status: 'attended' | 'late' = 'attended', memberId = 'm1'): AttendanceCheckin => ({ sessionId, memberId, status, at: 0, method: 'qr' })
const lv = (sessionId: string, status: AttendanceLeave['status'], memberId = 'm1'): AttendanceLeave => ({ sessionId, memberId, status })
const mu = (sessionId: string, status: AttendanceMakeup['status'], memberId = 'm1'): AttendanceMakeup => ({ sessionId, memberId, status, deadline: 0 })

describe.each(['UTC', 'America/Los_Angeles'])('with process TZ=%s', (zone) => {
  beforeAll(() => {
    process.env.TZ = zone
  })

  it('the process zone really switched', () => {
    expect(Intl.DateTimeFormat().resolvedOptions().timeZone).toBe(zone)
  })

  it('a session is over only when it has ended and check-in has closed', () => {
    const a = s('a', T)
    expect(sessionOver(a, T + 2 * H - 1)).toBe(false)
    expect(sessionOver(a, T + 2 * H)).toBe(true)
    const longWindow = s('b', T, { checkin: { opensAt: T, closesAt: T + 3 * H, lateAfter: T } })
    expect(sessionOver(longWindow, T + 2 * H)).toBe(false)
  })

  it('one state per session', () => {
    const a = s('a', T)
    const after = T + 3 * H
    const before = T - H
    expect(attendanceState(a, { checkin: ci('a') }, before)).toBe('attended')
    expect(attendanceState(a, { checkin: ci('a', 'late'), leave: lv('a', 'approved') }, after)).toBe('late')
    expect(attendanceState(a, {}, before)).toBe('upcoming')
    expect(attendanceState(a, { leave: lv('a', 'approved') }, before)).toBe('leave')
    expect(attendanceState(a, { leave: lv('a', 'pending') }, before)).toBe('upcoming')
    expect(attendanceState(a, {}, after)).toBe('absent')
    expect(attendanceState(a, { leave: lv('a', 'refused') }, after)).toBe('absent')
    expect(attendanceState(a, { leave: lv('a', 'pending') }, after)).toBe('absent')
    expect(attendanceState(a, { leave: lv('a', 'approved') }, after)).toBe('leave')
    expect(attendanceState(a, { makeup: mu('a', 'assigned') }, after)).toBe('absent')
    expect(attendanceState(a, { makeup: mu('a', 'returned') }, after)).toBe('absent')
    // Handed in is pending (补学待审): the absence stands until the secretary accepts it.
    expect(attendanceState(a, { makeup: mu('a', 'submitted') }, after)).toBe('absent')
    expect(attendanceState(a, { makeup: mu('a', 'accepted') }, after)).toBe('made_up')
    expect(attendanceState(a, { leave: lv('a', 'approved'), makeup: mu('a', 'accepted') }, after)).toBe('made_up')
  })
})

describe('rows, counts and rate', () => {
  const sessions = [
    s('s4', T + 72 * H),
    s('s1', T),
    s('s2', T + 24 * H),
    s('s3', T + 48 * H),
    s('s5', T + 96 * H),
    s('sx', T + 10 * H, { status: 'cancelled' }),
    s('s6', T + 500 * H),
    s('s7', T + 600 * H)
  ]
  const now = T + 100 * H // s1..s5 over, s6 and s7 upcoming
  const facts = {
    checkins: [ci('s1'), ci('s2', 'late'), ci('s1', 'attended', 'm2'), ci('s6')],
    leaves: [lv('s3', 'approved'), lv('s4', 'refused'), lv('s7', 'approved'), lv('s5', 'approved', 'm2')],
    makeups: [mu('s4', 'submitted'), mu('s3', 'accepted')]
  }
  const rows = attendanceRows('m1', sessions, facts, now)

  it('drops cancelled sessions, sorts oldest first, and reads only this member', () => {
    expect(rows.map((r) => [r.session._id, r.state])).toEqual([
      ['s1', 'attended'],
      ['s2', 'late'],
      ['s3', 'made_up'],
      ['s4', 'absent'], // handed in, not yet accepted
      ['s5', 'absent'],
      ['s6', 'attended'], // checked in early: counts at once
      ['s7', 'leave']
    ])
  })

  it('counts add up to the rows; 应到 = held minus approved leave; a done 补学 is counted beside its leave or absence', () => {
    const c = attendanceCounts(rows)
    // s7's leave is granted but s7 is not held yet: upcoming, not in 请假 (nor 应到) until it is.
    expect(c).toEqual({ held: 6, attended: 2, late: 1, leave: 1, madeUp: 1, absent: 2, upcoming: 1, due: 5 })
    expect(c.attended + c.late + c.leave + c.absent + c.upcoming).toBe(rows.length)
    expect(c.attended + c.late + c.leave + c.absent).toBe(c.held)
    const madeUpAbsence = attendanceRows('m1', [s('a', T)], { checkins: [], leaves: [], makeups: [mu('a', 'accepted')] }, T + 5 * H)
    expect(attendanceCounts(madeUpAbsence)).toMatchObject({ absent: 1, madeUp: 1, leave: 0, due: 1 })
  })

  it('rate = (attended + late) / 应到; a made-up absence stays out of the numerator', () => {
    // due: s1, s2, s4, s5, s6 (s3 excused by approved leave) → present s1, s2, s6.
    expect(attendanceRate(rows)).toBeCloseTo(3 / 5, 12)
  })

  it('rate is null when nothing was due', () => {
    expect(attendanceRate(attendanceRows('m1', [s('a', T)], { checkins: [], leaves: [], makeups: [] }, T - H))).toBeNull()
    expect(attendanceRate([])).toBeNull()
    const onlyLeave = attendanceRows('m1', [s('a', T)], { checkins: [], leaves: [lv('a', 'approved')], makeups: [] }, T + 5 * H)
    expect(attendanceRate(onlyLeave)).toBeNull()
    expect(attendanceCounts(onlyLeave)).toMatchObject({ held: 1, due: 0, leave: 1 })
  })

  it('exports the state names', () => {
    expect(ATTENDANCE_STATES).toEqual(['attended', 'late', 'leave', 'made_up', 'absent', 'upcoming'])
  })
})
