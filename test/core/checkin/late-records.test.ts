import {
  LATE_LEAVE_DAYS,
  RECORD_BACK_DAYS,
  earliestRecordableEnd,
  isAfterSession,
  lateLeaveDeadline,
  lateLeaveRefusal,
  recordBackRefusal
} from '../../../src/core/checkin/late-records'

const DAY = 24 * 60 * 60 * 1000
// 2026-11-13 16:30 Shanghai.
const END = Date.parse('2026-11-13T16:30:00+08:00')

describe('leave asked after the session (补请假)', () => {
  it('is ordinary leave before the end, 补请假 for a week after it, then closed', () => {
    expect(isAfterSession({ endAt: END }, END - 1)).toBe(false)
    expect(isAfterSession({ endAt: END }, END)).toBe(true)
    expect(lateLeaveRefusal({ endAt: END }, END - DAY)).toBeNull()
    expect(lateLeaveRefusal({ endAt: END }, END + 3 * DAY)).toBeNull()
    expect(lateLeaveRefusal({ endAt: END }, END + LATE_LEAVE_DAYS * DAY - 1)).toBeNull()
    expect(lateLeaveRefusal({ endAt: END }, END + LATE_LEAVE_DAYS * DAY)).toBe('活动结束已超过 7 天，不能再补请假；如有特殊情况，请当面告诉支部书记')
    expect(lateLeaveDeadline({ endAt: END })).toBe(END + 7 * DAY - 1)
  })
})

describe('records an officer makes afterwards', () => {
  it('reach back 30 days from the end, inclusive, and say which day is too old', () => {
    expect(RECORD_BACK_DAYS).toBe(30)
    expect(recordBackRefusal(END, END)).toBeNull()
    expect(recordBackRefusal(END, END + 30 * DAY)).toBeNull()
    expect(recordBackRefusal(END, END + 30 * DAY + 1)).toBe('只能补录结束不超过 30 天的活动（11月13日的活动已超过期限）')
    expect(earliestRecordableEnd(END + 30 * DAY)).toBe(END)
  })

  it('a future end is never too old', () => {
    expect(recordBackRefusal(END + DAY, END)).toBeNull()
  })
})
