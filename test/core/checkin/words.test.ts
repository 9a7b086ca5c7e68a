import { attendanceCounts, attendanceFigures, attendanceRate, attendanceRows, sessionFigures, type AttendanceSession } from '../../../src/core/checkin/attendance'
import { ATTENDANCE_STATE_LABELS } from '../../../src/core/checkin/states'
import {
  FINAL_WORDS,
  MADE_UP_LEAVE_WORD,
  NOT_CHECKED_IN_WORD,
  NOT_STARTED_WORD,
  sessionFiguresText,
  stateWord,
  yearDetailText,
  yearFiguresText
} from '../../../src/core/checkin/words'
import { LEDGER_NOTE, markOf } from '../../../src/core/ledgers/attendance'

const H = 60 * 60 * 1000
const T = Date.parse('2026-03-01T02:00:00Z')
const s = (id: string, startAt: number): AttendanceSession => ({
  _id: id,
  startAt,
  endAt: startAt + 2 * H,
  status: 'scheduled',
  checkin: { opensAt: startAt - H / 2, closesAt: startAt + 2 * H, lateAfter: startAt + H / 6 }
})

describe('one word per state', () => {
  it('has the five final words and no other spelling of them', () => {
    expect(Object.values(FINAL_WORDS)).toEqual(['出席', '迟到', '请假', '缺席', '已补学'])
    expect(ATTENDANCE_STATE_LABELS).toEqual({ attended: '出席', late: '迟到', leave: '请假', absent: '缺席', made_up: '已补学', upcoming: '未开始' })
  })

  it('tells a made-up leave from a made-up absence, and 未开始 from 未签到', () => {
    expect(stateWord('made_up')).toBe('已补学')
    expect(stateWord('made_up', { excused: true })).toBe(MADE_UP_LEAVE_WORD)
    expect(MADE_UP_LEAVE_WORD).toBe('请假（已补学）')
    expect(stateWord('upcoming')).toBe(NOT_STARTED_WORD)
    expect(stateWord('upcoming', { checkinOpened: true })).toBe(NOT_CHECKED_IN_WORD)
  })

  it('the 签到台账 prints the same words as the member’s page', () => {
    const cases: [Parameters<typeof markOf>[0], string][] = [
      [{ expected: true, closed: true, checkin: { status: 'attended' }, leaveApproved: false, madeUp: false }, stateWord('attended')],
      [{ expected: true, closed: true, checkin: { status: 'late' }, leaveApproved: true, madeUp: false }, stateWord('late')],
      [{ expected: true, closed: true, leaveApproved: true, madeUp: false }, stateWord('leave')],
      [{ expected: true, closed: true, leaveApproved: true, madeUp: true }, stateWord('made_up', { excused: true })],
      [{ expected: true, closed: true, leaveApproved: false, madeUp: true }, stateWord('made_up')],
      [{ expected: true, closed: true, leaveApproved: false, madeUp: false }, stateWord('absent')],
      [{ expected: true, closed: false, leaveApproved: false, madeUp: false, checkinOpened: true }, '未签到'],
      [{ expected: true, closed: false, leaveApproved: false, madeUp: false, checkinOpened: false }, '未开始']
    ]
    for (const [input, word] of cases) expect(markOf(input)).toBe(word)
    for (const w of ['已签到', '未到', '请假·已补学', '未结束']) expect(LEDGER_NOTE).not.toContain(w)
  })
})

describe('one count of 应到 / 实到 / 出勤率', () => {
  // s1 出席, s2 迟到, s3 请假, s4 缺席 made up, s5 缺席, s6 leave granted but not held yet, s7 running, not checked in.
  const sessions = [s('s1', T), s('s2', T + 24 * H), s('s3', T + 48 * H), s('s4', T + 72 * H), s('s5', T + 96 * H), s('s6', T + 400 * H), s('s7', T + 199 * H)]
  const now = T + 200 * H
  const facts = {
    checkins: [
      { sessionId: 's1', memberId: 'm', status: 'attended' as const, at: T, method: 'qr' as const },
      { sessionId: 's2', memberId: 'm', status: 'late' as const, at: T + 24 * H, method: 'qr' as const }
    ],
    leaves: [
      { sessionId: 's3', memberId: 'm', status: 'approved' as const },
      { sessionId: 's6', memberId: 'm', status: 'approved' as const }
    ],
    makeups: [{ sessionId: 's4', memberId: 'm', status: 'accepted' as const, deadline: 0 }]
  }
  const rows = attendanceRows('m', sessions, facts, now)
  const f = attendanceFigures(attendanceCounts(rows))

  it('应到 = held sessions, leave included; 实到 = 出席 + 迟到; 出勤率 = 实到 ÷ (应到 − 请假)', () => {
    expect(f).toEqual({ expected: 5, present: 2, late: 1, leave: 1, madeUp: 1, absent: 2, rate: 2 / 4 })
    expect(f.present + f.leave + f.absent).toBe(f.expected)
    expect(attendanceRate(rows)).toBe(f.rate)
  })

  it('says the figures in the same words, 场 for a year and 人 for a session', () => {
    expect(yearFiguresText(f)).toBe('应到 5 场 / 实到 2 场 / 出勤率 50%')
    expect(yearDetailText(f)).toBe('应到 5 场 / 实到 2 场 / 出勤率 50%（其中迟到 1 场）；请假 1 场，缺席 2 场，已补学 1 场')
    expect(yearFiguresText({ expected: 0, present: 0, rate: null })).toBe('应到 0 场 / 实到 0 场 / 出勤率 —')
    expect(sessionFiguresText({ expected: 12, present: 9 })).toBe('应到 12 人 / 实到 9 人')
  })

  it('a session’s 出勤率 follows the same rule: a request still waiting is not excused', () => {
    const g = sessionFigures({ expected: 10, attended: 5, late: 1, leave: 3, leavePending: 1, absent: 1 })
    expect(g).toEqual({ expected: 10, present: 6, late: 1, leave: 2, leavePending: 1, missing: 2, rate: 6 / 8 })
    expect(g.present + g.leave + g.missing).toBe(g.expected)
    expect(sessionFigures({ expected: 2, attended: 0, late: 0, leave: 2, absent: 0 }).rate).toBeNull()
  })
})
