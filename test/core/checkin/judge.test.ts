/**
 * @jest-environment <rootDir>/test/core/support/tz-environment.ts
 */
import { judgeCheckin, judgeEligibility, judgeWindow, shortTime, type JudgeSession } from '../../../src/core/checkin/judge'

const MIN = 60 * 1000
/** 2026-11-20 14:00 Shanghai (06:00 UTC): in New York it is still the 20th, 01:00. */
const START = Date.parse('2026-11-20T06:00:00Z')
const session: JudgeSession = {
  status: 'scheduled',
  checkin: { opensAt: START - 30 * MIN, closesAt: START + 150 * MIN, lateAfter: START + 10 * MIN }
}
const judge = (at: number, memberExpected = true, s: JudgeSession = session) =>
  judgeCheckin({ session: s, at, memberExpected })

const ZONES = ['UTC', 'Asia/Shanghai', 'America/New_York', 'Pacific/Kiritimati']

describe.each(ZONES)('with process TZ=%s', (zone) => {
  beforeAll(() => {
    process.env.TZ = zone
  })

  it('the process zone really switched', () => {
    expect(Intl.DateTimeFormat().resolvedOptions().timeZone).toBe(zone)
  })

  it('opens exactly at opensAt, not 1 ms before, with the Shanghai time in the message', () => {
    expect(judge(START - 30 * MIN)).toEqual({ ok: true, status: 'attended' })
    const before = judge(START - 30 * MIN - 1)
    expect(before).toMatchObject({ ok: false, code: 'CHECKIN_CLOSED' })
    expect(before.ok === false && before.message).toBe('签到将于 13:30 开始，请稍后再来')
  })

  it('closes at closesAt (exclusive)', () => {
    expect(judge(START + 150 * MIN - 1)).toEqual({ ok: true, status: 'late' })
    const after = judge(START + 150 * MIN)
    expect(after.ok === false && after.code).toBe('CHECKIN_CLOSED')
    expect(after.ok === false && after.message).toMatch(/^签到已于 16:30 结束/)
  })

  it('is on time up to lateAfter inclusive, late after it', () => {
    expect(judge(START + 10 * MIN)).toEqual({ ok: true, status: 'attended' })
    expect(judge(START + 10 * MIN + 1)).toEqual({ ok: true, status: 'late' })
  })

  it('names the date when the window is on another Shanghai day', () => {
    const r = judge(START - 2 * 24 * 60 * MIN)
    expect(r.ok === false && r.message).toBe('签到将于 11月20日 13:30 开始，请稍后再来')
    const late = judge(START + 24 * 60 * MIN)
    expect(late.ok === false && late.message).toMatch(/^签到已于 11月20日 16:30 结束/)
  })

  it('shortTime follows the Shanghai day, not the process day', () => {
    // 23:50 and 00:10 Shanghai straddle midnight there, but not in New York or UTC.
    const a = Date.parse('2026-11-20T15:50:00Z')
    const b = Date.parse('2026-11-20T16:10:00Z')
    expect(shortTime(b, a)).toBe('11月21日 00:10')
    expect(shortTime(a, a + 1)).toBe('23:50')
  })
})

describe('eligibility', () => {
  it('a cancelled session is closed for everyone, with its reason', () => {
    const cancelled: JudgeSession = { ...session, status: 'cancelled', cancelReason: '与上级会议冲突' }
    expect(judge(START, true, cancelled)).toEqual({ ok: false, code: 'CHECKIN_CLOSED', message: '本次活动已取消（与上级会议冲突），无需签到' })
    expect(judge(START, false, cancelled)).toMatchObject({ code: 'CHECKIN_CLOSED' })
    expect(judgeEligibility({ ...session, status: 'cancelled' }, true)).toMatchObject({ message: '本次活动已取消，无需签到' })
  })

  it('not expected → FORBIDDEN, judged before the window', () => {
    expect(judge(START, false)).toEqual({ ok: false, code: 'FORBIDDEN', message: '您不在本次活动的应到名单中，无需签到' })
    expect(judge(START - 24 * 60 * MIN, false)).toMatchObject({ code: 'FORBIDDEN' })
    expect(judgeEligibility(session, true)).toBeNull()
  })

  it('judgeWindow ignores eligibility', () => {
    expect(judgeWindow(session, START)).toEqual({ ok: true, status: 'attended' })
  })
})
