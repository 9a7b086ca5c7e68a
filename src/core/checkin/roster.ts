/**
 * Who a session expected (应到) and where each stands: the one judge behind
 * the 签到大屏's roster, the 会议纪实's attendance and the 会议记录 workbook,
 * so the screen, the printed record and the Excel file list the same names
 * and the same counts. A check-in wins over a leave request (they came
 * after all); a refused leave is an absence; only approved leave leaves a
 * rate's denominator, but pending leave is listed with leave.
 */
import { expectedAt } from '../audience'
import type { Checkin, LeaveRequest } from '../schemas/checkin'
import type { Member } from '../schemas/member'
import type { Session } from '../schemas/session'

export type RosterState = 'attended' | 'late' | 'leave_pending' | 'leave_approved' | 'absent'

export interface RosterCounts {
  expected: number
  attended: number
  late: number
  /** leave_pending and leave_approved, so the counts add up to expected. */
  leave: number
  absent: number
  /** The pending part of `leave`. */
  leavePending: number
}

export interface JudgedRow<M> {
  member: M
  state: RosterState
  checkin?: Pick<Checkin, 'status' | 'at' | 'method'>
  leave?: Pick<LeaveRequest, 'status'> & Partial<Pick<LeaveRequest, 'reason'>>
}

type Person = Pick<Member, '_id' | 'name'> & Parameters<typeof expectedAt>[1]

export function judgeRoster<M extends Person>(
  session: Parameters<typeof expectedAt>[0] & Pick<Session, '_id'>,
  people: readonly M[],
  checkins: ReadonlyArray<Pick<Checkin, 'sessionId' | 'memberId' | 'status'> & Partial<Pick<Checkin, 'at' | 'method'>>>,
  leaves: ReadonlyArray<Pick<LeaveRequest, 'sessionId' | 'memberId' | 'status'> & Partial<Pick<LeaveRequest, 'reason'>>>
): { rows: JudgedRow<M>[]; counts: RosterCounts } {
  const mine = <T extends { sessionId: string; memberId: string }>(xs: readonly T[]) => new Map(xs.filter((x) => x.sessionId === session._id).map((x) => [x.memberId, x]))
  const byMember = mine(checkins)
  const leaveOf = mine(leaves)
  const counts: RosterCounts = { expected: 0, attended: 0, late: 0, leave: 0, absent: 0, leavePending: 0 }
  const rows = people
    .filter((m) => expectedAt(session, m))
    .sort((a, b) => a.name.localeCompare(b.name, 'zh') || a._id.localeCompare(b._id))
    .map((member): JudgedRow<M> => {
      counts.expected++
      const c = byMember.get(member._id)
      if (c) {
        counts[c.status]++
        return { member, state: c.status, checkin: c as JudgedRow<M>['checkin'] }
      }
      const l = leaveOf.get(member._id)
      if (l && l.status !== 'refused') {
        counts.leave++
        if (l.status === 'pending') counts.leavePending++
        return { member, state: l.status === 'pending' ? 'leave_pending' : 'leave_approved', leave: l }
      }
      counts.absent++
      return { member, state: 'absent' }
    })
  return { rows, counts }
}
