/**
 * 签到台账: for one branch and period, members down, sessions across, what
 * each member's part in each session was; totals per member and per session.
 */
import { expectedAt } from '../audience'
import { sessionOver } from '../checkin/attendance'
import { makeupDone } from '../checkin/makeup'
import { exemptionOf, exemptionYear, type ExemptionSettings } from '../org/exemption'
import { formatShanghai } from '../period'
import type { Checkin, LeaveRequest, Makeup } from '../schemas/checkin'
import type { Member } from '../schemas/member'
import { SESSION_TYPE_LABELS, type Session } from '../schemas/session'
import { ratio, type Row, type Sheet } from './model'

export type AttendanceMark = '出席' | '迟到' | '请假' | '请假·已补学' | '已补学' | '缺席' | '未结束' | '—'

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
 * One member's part in one session. The check-in wins over leave (they came
 * after all); an accepted make-up is recorded beside the absence it made up
 * for, never in place of it.
 */
export function markOf(input: { expected: boolean; closed: boolean; checkin?: Pick<Checkin, 'status'>; leaveApproved: boolean; madeUp: boolean }): AttendanceMark {
  if (input.checkin) return input.checkin.status === 'late' ? '迟到' : '出席'
  if (!input.expected) return '—'
  if (input.leaveApproved) return input.madeUp ? '请假·已补学' : '请假'
  if (!input.closed) return '未结束'
  return input.madeUp ? '已补学' : '缺席'
}

export function attendanceSheet(f: BranchPeriodFacts, periodLabel: string, now: number, name = '签到台账'): Sheet {
  const sessions = f.sessions.filter((s) => s.status !== 'cancelled' && s.startAt <= now).sort((a, b) => a.startAt - b.startAt || a._id.localeCompare(b._id))
  const checkins = new Map(f.checkins.map((c) => [pair(c.sessionId, c.memberId), c]))
  const leaves = new Set(f.leaves.filter((l) => l.status === 'approved').map((l) => pair(l.sessionId, l.memberId)))
  const madeUp = new Set(f.makeups.filter((m) => makeupDone(m)).map((m) => pair(m.sessionId, m.memberId)))
  const people = [...f.members].filter((m) => m.joinStatus !== 'pending').sort((a, b) => a.name.localeCompare(b.name, 'zh-Hans-CN') || a._id.localeCompare(b._id))
  const perSession = sessions.map(() => ({ expected: 0, present: 0 }))
  const rows: Row[] = people.map((m) => {
    const t = { expected: 0, present: 0, late: 0, leave: 0, madeUp: 0, absent: 0 }
    const marks = sessions.map((s, i) => {
      const checkin = checkins.get(pair(s._id, m._id))
      const expected = expectedAt(s, m)
      const mark = markOf({
        expected,
        closed: sessionOver(s, now),
        checkin,
        leaveApproved: leaves.has(pair(s._id, m._id)),
        madeUp: madeUp.has(pair(s._id, m._id))
      })
      // Whoever came counts in 应到, as in the aggregates, so 实到 never exceeds it.
      if (expected || checkin) {
        t.expected++
        perSession[i].expected++
      }
      if (mark === '出席' || mark === '迟到') {
        t.present++
        perSession[i].present++
      }
      if (mark === '迟到') t.late++
      if (mark === '请假' || mark === '请假·已补学') t.leave++
      if (mark === '已补学' || mark === '请假·已补学') t.madeUp++
      if (mark === '缺席' || mark === '已补学') t.absent++
      return mark
    })
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
      { header: '补学', kind: 'int' as const },
      { header: '缺席', kind: 'int' as const },
      { header: '出勤率', kind: 'percent' as const }
    ],
    rows: [...rows, totals],
    notes: ['出勤率 = 实到 ÷（应到 − 请假）。“已补学”指缺席后完成补学，仍计为缺席；“—”表示不在本次活动的应到名单中。“（补录）”表示活动未用小程序签到，事后按签到表登记。']
  }
}
