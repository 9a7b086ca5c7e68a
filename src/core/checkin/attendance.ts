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
  /** 应到 less approved leave: the denominator of 出勤率. */
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
      return { session, ...f, ...attendanceCell(session, f, now) }
    })
}

/** The least a cell needs: what the member did, not when or how. */
export interface CellFacts {
  checkin?: Pick<Checkin, 'status'>
  leave?: Pick<LeaveRequest, 'status'>
  makeup?: Pick<Makeup, 'status'>
}

export type AttendanceCell = Pick<AttendanceRow, 'state' | 'excused' | 'held'>

/**
 * One member at one session, as every view counts it (checkin.mine, the
 * 签到台账, the 个人档案).
 */
export function attendanceCell(session: Pick<Session, 'endAt' | 'checkin'>, f: CellFacts, now: number): AttendanceCell {
  return {
    state: attendanceState(session, f as AttendanceFacts, now),
    excused: !f.checkin && f.leave?.status === 'approved',
    // Checked in counts as held for this member even while the session runs,
    // so 实到 never exceeds 应到.
    held: sessionOver(session, now) || f.checkin !== undefined
  }
}

export function attendanceCounts(rows: readonly AttendanceCell[]): AttendanceCounts {
  const c: AttendanceCounts = { held: 0, attended: 0, late: 0, leave: 0, madeUp: 0, absent: 0, upcoming: 0, due: 0 }
  for (const r of rows) {
    // One bucket per row (attended, late, leave, absent, upcoming add up to the rows, and all but
    // upcoming to held); a leave granted for a session not yet over is upcoming: it is not in 应到
    // yet, so it cannot be in 请假 either. A done 补学 is counted beside the absence or leave it
    // made up for, never instead of it.
    if (!r.held) {
      c.upcoming++
      continue
    }
    c.held++
    if (!r.excused) c.due++
    if (r.state === 'made_up') c.madeUp++
    if (r.state === 'attended') c.attended++
    else if (r.state === 'late') c.late++
    else if (r.excused) c.leave++
    else c.absent++
  }
  return c
}

/** A member's year in the words every view prints: 应到 / 实到 / 迟到 / 请假 / 已补学 / 缺席 and 出勤率. */
export interface AttendanceFigures {
  /** 应到: sessions held where the member was expected (or came), approved leave included. */
  expected: number
  /** 实到: 出席 + 迟到. */
  present: number
  late: number
  leave: number
  madeUp: number
  /** Without approved leave; a made-up absence stays one. */
  absent: number
  /** 出勤率 = 实到 ÷ (应到 − 请假); null when nothing was due. */
  rate: number | null
}

/** The one definition of 应到 / 实到 / 出勤率 for a member's year (the aggregates count the same). */
export function attendanceFigures(c: AttendanceCounts): AttendanceFigures {
  const present = c.attended + c.late
  return { expected: c.held, present, late: c.late, leave: c.leave, madeUp: c.madeUp, absent: c.absent, rate: c.due === 0 ? null : present / c.due }
}

/**
 * 出勤率 = (attended + late) / 应到, counting only sessions that are over.
 * A make-up for an absence does not turn it into attendance (补学 is study,
 * not presence) but is shown beside it; approved leave is out of 应到 whether
 * or not it was made up. Null when nothing was due, so a new member is not
 * shown 0%.
 */
export function attendanceRate(rows: readonly AttendanceCell[]): number | null {
  return attendanceFigures(attendanceCounts(rows)).rate
}

/** A session's audience as the roster counts it (session.roster): pending leave is inside `leave`. */
export interface SessionCounts {
  expected: number
  attended: number
  late: number
  leave: number
  leavePending?: number
  absent: number
}

/**
 * One session in the words every view prints: 应到 (the audience, leave
 * included), 实到 (出席 + 迟到), 请假 (approved only), and the rest — not
 * checked in, a request still waiting among them, as the member's own page
 * counts it (缺席 once over) — so 应到 = 实到 + 请假 + the rest. 出勤率 =
 * 实到 ÷ (应到 − 请假), as for a member's year.
 */
export function sessionFigures(c: SessionCounts): { expected: number; present: number; late: number; leave: number; leavePending: number; missing: number; rate: number | null } {
  const present = c.attended + c.late
  const leavePending = c.leavePending ?? 0
  const leave = c.leave - leavePending
  const due = c.expected - leave
  return { expected: c.expected, present, late: c.late, leave, leavePending, missing: c.absent + leavePending, rate: due > 0 ? present / due : null }
}
