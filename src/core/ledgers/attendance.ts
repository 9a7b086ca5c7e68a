/**
 * 签到台账: for one branch and period, members down, sessions across, what
 * each member's part in each session was; totals per member and per session.
 */
import { expectedAt } from '../audience'
import { attendanceCell, attendanceCounts, attendanceFigures, sessionOver, type AttendanceCell } from '../checkin/attendance'
import { makeupDone } from '../checkin/makeup'
import { NOT_EXPECTED_MARK, stateWord, type AttendanceWord } from '../checkin/words'
import { exemptionOf, exemptionYear, type ExemptionSettings } from '../org/exemption'
import { formatShanghai } from '../period'
import type { Checkin, LeaveRequest, Makeup } from '../schemas/checkin'
import type { Member } from '../schemas/member'
import { SESSION_TYPE_LABELS, type Session } from '../schemas/session'
import { ratio, type Row, type Sheet } from './model'

/** A cell of the ledger: the words of checkin/words.ts, the same as on the member's own page. */
export type AttendanceMark = AttendanceWord

export interface BranchPeriodFacts {
  branch: { _id: string; name: string }
  members: Member[]
  sessions: Session[]
  checkins: Pick<Checkin, 'sessionId' | 'memberId' | 'status'>[]
  leaves: Pick<LeaveRequest, 'sessionId' | 'memberId' | 'status'>[]
  makeups: Pick<Makeup, 'sessionId' | 'memberId' | 'status'>[]
  /** The branch's settings and the ledger's year, so 免考核 is judged by the one rule (a mark or the age). */
  settings?: ExemptionSettings
  year?: number
}

const pair = (s: string, m: string) => `${s}|${m}`

/**
 * One member's part in one session, in the app's one word for it
 * (checkin/words.ts). The check-in wins over leave (they came after all);
 * an accepted make-up is recorded beside the absence or leave it made up
 * for, never in place of it.
 */
export function markOf(input: { expected: boolean; closed: boolean; checkin?: Pick<Checkin, 'status'>; leaveApproved: boolean; madeUp: boolean; checkinOpened?: boolean }): AttendanceMark {
  if (!input.checkin && !input.expected) return NOT_EXPECTED_MARK
  const cell = cellOf(input)
  return stateWord(cell.state, { excused: cell.excused, checkinOpened: input.checkinOpened ?? true })
}

/** The same judge as checkin.mine (attendanceCell), fed the ledger's flags. */
function cellOf(input: { closed: boolean; checkin?: Pick<Checkin, 'status'>; leaveApproved: boolean; madeUp: boolean }): AttendanceCell {
  // The caller judged over-ness (sessionOver); a session ending at 0 seen at ±1 hands that answer on.
  const session = { endAt: 0, checkin: { opensAt: 0, closesAt: 0, lateAfter: 0 } }
  return attendanceCell(session, {
    checkin: input.checkin,
    leave: input.leaveApproved ? { status: 'approved' } : undefined,
    makeup: input.madeUp ? { status: 'accepted' } : undefined
  }, input.closed ? 1 : -1)
}

/** How to read the sheet; the same words the member's page explains. */
export const LEDGER_NOTE =
  '应到：已经举行、需要参加的活动（含请假）；实到 = 出席 + 迟到；出勤率 = 实到 ÷（应到 − 请假）。“已补学”指缺席后完成补学，仍计为缺席；“请假（已补学）”指请假后也补了学。“未签到”表示活动还没结束、尚未签到，不计入应到。“—”表示不在本次活动的应到名单中。“（补录）”表示活动未用小程序签到，事后按签到表登记。'

export function attendanceSheet(f: BranchPeriodFacts, periodLabel: string, now: number, name = '签到台账'): Sheet {
  const sessions = f.sessions.filter((s) => s.status !== 'cancelled' && s.startAt <= now).sort((a, b) => a.startAt - b.startAt || a._id.localeCompare(b._id))
  const checkins = new Map(f.checkins.map((c) => [pair(c.sessionId, c.memberId), c]))
  const leaves = new Set(f.leaves.filter((l) => l.status === 'approved').map((l) => pair(l.sessionId, l.memberId)))
  const madeUp = new Set(f.makeups.filter((m) => makeupDone(m)).map((m) => pair(m.sessionId, m.memberId)))
  const people = [...f.members].filter((m) => m.joinStatus !== 'pending').sort((a, b) => a.name.localeCompare(b.name, 'zh-Hans-CN') || a._id.localeCompare(b._id))
  // A session's 应到 is its audience (whoever came included), 实到 who came: as the roster counts them.
  const perSession = sessions.map(() => ({ expected: 0, present: 0 }))
  const rows: Row[] = people.map((m) => {
    const cells: AttendanceCell[] = []
    const marks = sessions.map((s, i) => {
      const checkin = checkins.get(pair(s._id, m._id))
      const expected = expectedAt(s, m)
      if (!expected && !checkin) return NOT_EXPECTED_MARK
      const input = { closed: sessionOver(s, now), checkin, leaveApproved: leaves.has(pair(s._id, m._id)), madeUp: madeUp.has(pair(s._id, m._id)) }
      cells.push(cellOf(input))
      perSession[i].expected++
      if (checkin) perSession[i].present++
      return markOf({ ...input, expected, checkinOpened: now >= s.checkin.opensAt })
    })
    const t = attendanceFigures(attendanceCounts(cells))
    const exempt = exemptionOf(m, f.settings ?? {}, f.year ?? exemptionYear(now)).cause !== null ? '（免考核）' : ''
    return [m.name + exempt, ...marks, t.expected, t.present, t.late, t.leave, t.madeUp, t.absent, ratio(t.present, t.expected - t.leave)]
  })
  const totals: Row = ['实到 / 应到', ...perSession.map((p) => `${p.present}/${p.expected}`), null, null, null, null, null, null, null]
  return {
    name,
    title: `${f.branch.name} 签到台账（${periodLabel}）`,
    freezeFirstColumn: true,
    columns: [
      { header: '姓名', width: 12 },
      // 补录: held without the app and entered afterwards from the paper list; an inspection should know.
      ...sessions.map((s) => ({ header: `${formatShanghai(s.startAt, 'M月D日')} ${SESSION_TYPE_LABELS[s.type]}${s.recorded ? '（补录）' : ''}`, width: 12 })),
      { header: '应到', kind: 'int' as const },
      { header: '实到', kind: 'int' as const },
      { header: '迟到', kind: 'int' as const },
      { header: '请假', kind: 'int' as const },
      { header: '已补学', kind: 'int' as const },
      { header: '缺席', kind: 'int' as const },
      { header: '出勤率', kind: 'percent' as const }
    ],
    rows: [...rows, totals],
    notes: [LEDGER_NOTE]
  }
}
