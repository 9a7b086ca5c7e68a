/**
 * A member's attendance record (党员日常教育管理个人档案): per session, one
 * state; per year, counts and a rate whose denominator is 应到 — sessions held
 * where the member was expected, minus approved leave. Pure functions over
 * plain arrays, so the server, the phone and the exports agree.
 */
import type { Checkin, LeaveRequest, Makeup } from '../schemas/checkin'
import type { Session } from '../schemas/session'
import { makeupDone } from './makeup'
import type { AttendanceState } from './states'

export { ATTENDANCE_STATES, ATTENDANCE_STATE_LABELS, type AttendanceState } from './states'

export type AttendanceSession = Pick<Session, '_id' | 'startAt' | 'endAt' | 'status' | 'checkin'>
export type AttendanceCheckin = Pick<Checkin, 'sessionId' | 'memberId' | 'status' | 'at' | 'method'>
export type AttendanceLeave = Pick<LeaveRequest, 'sessionId' | 'memberId' | 'status'>
export type AttendanceMakeup = Pick<Makeup, 'sessionId' | 'memberId' | 'status' | 'deadline'>

/**
 * The one judge of when a session is over: once both the session has ended
 * and check-in has closed, whichever is later. Until then nobody can be
 * called absent (they may still check in) and a meeting cannot be counted
 * as held. The tally, the ledgers, the cadence check and 双重组织生活 all ask
 * this.
 */
export function sessionOver(session: Pick<Session, 'endAt' | 'checkin'>, now: number): boolean {
  return now >= sessionOverAt(session)
}

/** The instant sessionOver turns true. */
export function sessionOverAt(session: Pick<Session, 'endAt' | 'checkin'>): number {
  return Math.max(session.endAt, session.checkin.closesAt)
}

/** A make-up counts once the secretary accepted it (checkin/makeup.ts); handed in, it is pending. */
export function makeupCounts(m: Pick<Makeup, 'status'> | undefined): boolean {
  return makeupDone(m)
}

export interface AttendanceFacts {
  checkin?: AttendanceCheckin
  leave?: AttendanceLeave
  makeup?: AttendanceMakeup
}

/**
 * One state per session. A check-in always wins (a member on leave who came
 * after all attended). Approved leave shows before the session as well, so
 * the member sees it was granted.
 */
export function attendanceState(session: Pick<Session, 'endAt' | 'checkin'>, facts: AttendanceFacts, now: number): AttendanceState {
  if (facts.checkin) return facts.checkin.status
  const onLeave = facts.leave?.status === 'approved'
  if (!sessionOver(session, now)) return onLeave ? 'leave' : 'upcoming'
  if (makeupCounts(facts.makeup)) return 'made_up'
  return onLeave ? 'leave' : 'absent'
}

export interface AttendanceRow extends AttendanceFacts {
  session: AttendanceSession
  state: AttendanceState
  /** Approved leave and no check-in: left out of 应到. */
  excused: boolean
  /** The session is over, or the member has checked in (counts toward held / 应到). */
  held: boolean
}

export interface AttendanceCounts {
  held: number
  attended: number
  late: number
  leave: number
  madeUp: number
  absent: number
  upcoming: number
  due: number
}

function byKey<T extends { sessionId: string; memberId: string }>(list: readonly T[], memberId: string): Map<string, T> {
  const map = new Map<string, T>()
  for (const x of list) if (x.memberId === memberId) map.set(x.sessionId, x)
  return map
}

/**
 * The record of one member over the sessions they were expected at (the
 * caller filters with isExpected). Cancelled sessions are dropped: nobody
 * was expected at them. Oldest first.
 */
export function attendanceRows(
  memberId: string,
  sessions: readonly AttendanceSession[],
  facts: { checkins: readonly AttendanceCheckin[]; leaves: readonly AttendanceLeave[]; makeups: readonly AttendanceMakeup[] },
  now: number
): AttendanceRow[] {
  const checkins = byKey(facts.checkins, memberId)
  const leaves = byKey(facts.leaves, memberId)
  const makeups = byKey(facts.makeups, memberId)
  return sessions
    .filter((s) => s.status !== 'cancelled')
    .slice()
    .sort((a, b) => a.startAt - b.startAt || (a._id < b._id ? -1 : a._id > b._id ? 1 : 0))
    .map((session) => {
      const f: AttendanceFacts = { checkin: checkins.get(session._id), leave: leaves.get(session._id), makeup: makeups.get(session._id) }
      // Checked in counts as held for this member even while the session runs,
      // so attended + late never exceeds 应到.
      const held = sessionOver(session, now) || f.checkin !== undefined
      return {
        session,
        ...f,
        state: attendanceState(session, f, now),
        excused: !f.checkin && f.leave?.status === 'approved',
        held
      }
    })
}

export function attendanceCounts(rows: readonly AttendanceRow[]): AttendanceCounts {
  const c: AttendanceCounts = { held: 0, attended: 0, late: 0, leave: 0, madeUp: 0, absent: 0, upcoming: 0, due: 0 }
  for (const r of rows) {
    if (r.held) {
      c.held++
      if (!r.excused) c.due++
    }
    // One bucket per row (attended, late, leave, absent, upcoming add up to the rows); a done 补学 is
    // counted beside the absence or leave it made up for, never instead of it, as in the ledgers.
    if (r.state === 'made_up') c.madeUp++
    if (r.state === 'attended') c.attended++
    else if (r.state === 'late') c.late++
    else if (r.state === 'leave' || (r.state === 'made_up' && r.excused)) c.leave++
    else if (r.state === 'absent' || r.state === 'made_up') c.absent++
    else c.upcoming++
  }
  return c
}

/**
 * 出勤率 = (attended + late) / 应到, counting only sessions that are over.
 * A make-up for an absence does not turn it into attendance (补学 is study,
 * not presence) but is shown beside it; approved leave is out of 应到 whether
 * or not it was made up. Null when nothing was due, so a new member is not
 * shown 0%.
 */
export function attendanceRate(rows: readonly AttendanceRow[]): number | null {
  let due = 0
  let present = 0
  for (const r of rows) {
    if (!r.held || r.excused) continue
    due++
    if (r.checkin) present++
  }
  return due === 0 ? null : present / due
}
