import { proxyDeadline, proxyLateRefusal } from '../../../src/core/checkin/proxy'

const sh = (t: string) => Date.parse(`${t}+08:00`)
const session = (start: string, end: string, closes = end) => ({ startAt: sh(start), endAt: sh(end), checkin: { opensAt: sh(start) - 30 * 60_000, closesAt: sh(closes), lateAfter: sh(start) } })

describe('代签: while the window is open or the same day in Shanghai', () => {
  it('is taken until midnight of the day the session was over', () => {
    const s = session('2026-11-25T14:30', '2026-11-25T16:30')
    expect(proxyDeadline(s)).toBe(sh('2026-11-25T23:59:59.999'))
    expect(proxyLateRefusal(s, sh('2026-11-25T15:00'))).toBeNull()
    expect(proxyLateRefusal(s, sh('2026-11-25T23:59'))).toBeNull()
    expect(proxyLateRefusal(s, sh('2026-11-26T00:00'))).toMatch(/^代签只能在签到时间内或活动当天办理（11月25日的活动已过）/)
  })

  it('a window that closes after midnight keeps it open until then, and that day', () => {
    const s = session('2026-12-31T21:00', '2026-12-31T23:30', '2027-01-01T00:30')
    expect(proxyLateRefusal(s, sh('2027-01-01T00:20'))).toBeNull()
    expect(proxyLateRefusal(s, sh('2027-01-01T22:00'))).toBeNull()
    expect(proxyLateRefusal(s, sh('2027-01-02T00:00'))).not.toBeNull()
  })

  it('a session ending exactly at midnight belongs to the day before', () => {
    const s = session('2026-11-25T22:00', '2026-11-26T00:00')
    expect(proxyDeadline(s)).toBe(sh('2026-11-25T23:59:59.999'))
  })
})
