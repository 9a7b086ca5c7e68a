/**
 * The words for attendance, one for each state, that every screen, ledger
 * and export prints (issue #16: an inspection must never read 已签到 on the
 * phone and 出席 in the 签到台账 for the same fact).
 *
 * Final — the session is over, or the member checked in:
 *   出席 came on time · 迟到 came late · 请假 approved leave ·
 *   缺席 absent without approved leave · 已补学 an absence whose 补学 the
 *   secretary accepted (still an absence in the counts: 补学 is study, not
 *   presence).
 *   A leave that was also made up keeps its leave first: 请假（已补学）.
 *
 * Not over yet, nothing recorded:
 *   未开始 check-in has not opened · 未签到 check-in has opened (or closed
 *   while the session still runs) and the member has not checked in. Nobody
 *   is 缺席 before the session is over (sessionOver in attendance.ts).
 *
 * Waiting for someone else (shown, never counted):
 *   请假待审批 · 补学待审 (MAKEUP_STANDING_LABELS) · 扫码待确认.
 *
 * Figures: 应到 / 实到 (attendance.ts attendanceFigures says what they
 * count); 人 for a session's audience, 场 for a member's year.
 */
import type { AttendanceFigures } from './attendance'
import type { AttendanceState } from './states'

/** The five final words. */
export const FINAL_WORDS = {
  attended: '出席',
  late: '迟到',
  leave: '请假',
  absent: '缺席',
  made_up: '已补学'
} as const

/** Approved leave that was made up as well: the leave stands, the 补学 beside it. */
export const MADE_UP_LEAVE_WORD = '请假（已补学）'
export const NOT_STARTED_WORD = '未开始'
export const NOT_CHECKED_IN_WORD = '未签到'
export const LEAVE_PENDING_WORD = '请假待审批'
export const SCAN_PENDING_WORD = '扫码待确认'
/** Not in the session's audience (应到名单): a blank cell in a ledger. */
export const NOT_EXPECTED_MARK = '—'

export const EXPECTED_WORD = '应到'
export const PRESENT_WORD = '实到'
export const RATE_WORD = '出勤率'

/** Every word a ledger cell may hold. */
export type AttendanceWord =
  | (typeof FINAL_WORDS)[keyof typeof FINAL_WORDS]
  | typeof MADE_UP_LEAVE_WORD
  | typeof NOT_STARTED_WORD
  | typeof NOT_CHECKED_IN_WORD
  | typeof NOT_EXPECTED_MARK

/**
 * The word for a member's state at one session. `excused` (approved leave,
 * no check-in) tells a made-up leave from a made-up absence; `checkinOpened`
 * tells 未签到 from 未开始 while the session is not over.
 */
export function stateWord(state: AttendanceState, opts: { excused?: boolean; checkinOpened?: boolean } = {}): AttendanceWord {
  if (state === 'made_up') return opts.excused ? MADE_UP_LEAVE_WORD : FINAL_WORDS.made_up
  if (state === 'upcoming') return opts.checkinOpened ? NOT_CHECKED_IN_WORD : NOT_STARTED_WORD
  return FINAL_WORDS[state]
}

/** Whole percent, as every view prints 出勤率; a dash when nothing was due. */
export function rateText(rate: number | null | undefined): string {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) return '—'
  return `${Math.round(rate * 100)}%`
}

/** A session's figures: 应到 12 人 / 实到 10 人. */
export function sessionFiguresText(f: { expected: number; present: number }): string {
  return `${EXPECTED_WORD} ${f.expected} 人 / ${PRESENT_WORD} ${f.present} 人`
}

/** A member's year: 应到 8 场 / 实到 6 场 / 出勤率 86%, as parts that a screen keeps whole each. */
export function yearFiguresParts(f: { expected: number; present: number; rate: number | null }): string[] {
  return [`${EXPECTED_WORD} ${f.expected} 场`, `${PRESENT_WORD} ${f.present} 场`, `${RATE_WORD} ${rateText(f.rate)}`]
}

export function yearFiguresText(f: { expected: number; present: number; rate: number | null }): string {
  return yearFiguresParts(f).join(' / ')
}

/** A member's year as attendanceFigures gives it (checkin/attendance.ts). */
export type YearDetail = AttendanceFigures

/** What the rest of the year was, after the figures: 其中迟到 1 场 · 请假 1 场 · 缺席 2 场 · 已补学 1 场. */
export function yearRestParts(f: YearDetail): string[] {
  return [`其中${FINAL_WORDS.late} ${f.late} 场`, `${FINAL_WORDS.leave} ${f.leave} 场`, `${FINAL_WORDS.absent} ${f.absent} 场`, `${FINAL_WORDS.made_up} ${f.madeUp} 场`]
}

/** A member's year in full, as the 个人档案 prints it. */
export function yearDetailText(f: YearDetail): string {
  const [late, ...rest] = yearRestParts(f)
  return `${yearFiguresText(f)}（${late}）；${rest.join('，')}`
}
