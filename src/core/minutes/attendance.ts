/**
 * The attendance part of a 会议记录, from the roster's judgement
 * (core/checkin/roster.ts): counts, and the names under 出席 / 请假 / 缺席 with
 * each absentee's 补学. Never typed, so the record, the 签到大屏 and the
 * 会议记录 workbook cannot disagree. A leave's reason is the member's own
 * words to the officers: only officers get it.
 */
import type { JudgedRow } from '../checkin/roster'
import type { Makeup } from '../schemas/checkin'
import type { Member } from '../schemas/member'

export type MakeupState = 'none' | Makeup['status']

export interface MinutesAttendanceView {
  expected: number
  present: number
  late: number
  attended: Array<{ memberId: string; name: string }>
  leave: Array<{ memberId: string; name: string; approved: boolean; reason?: string }>
  absent: Array<{ memberId: string; name: string; makeup: MakeupState }>
  over: boolean
}

export function minutesAttendance(
  rows: ReadonlyArray<JudgedRow<Pick<Member, '_id' | 'name'>>>,
  makeups: ReadonlyArray<Pick<Makeup, 'memberId' | 'status'>>,
  o: { officer: boolean; over: boolean }
): MinutesAttendanceView {
  const makeupOf = new Map(makeups.map((m) => [m.memberId, m.status]))
  const out: MinutesAttendanceView = { expected: rows.length, present: 0, late: 0, attended: [], leave: [], absent: [], over: o.over }
  for (const row of rows) {
    const who = { memberId: row.member._id, name: row.member.name }
    if (row.state === 'attended' || row.state === 'late') {
      out.present++
      if (row.state === 'late') out.late++
      out.attended.push(who)
    } else if (row.state === 'leave_pending' || row.state === 'leave_approved') {
      const reason = o.officer ? row.leave?.reason : undefined
      out.leave.push({ ...who, approved: row.state === 'leave_approved', ...(reason ? { reason } : {}) })
    } else {
      out.absent.push({ ...who, makeup: makeupOf.get(who.memberId) ?? 'none' })
    }
  }
  return out
}
