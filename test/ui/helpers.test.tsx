/**
 * Pure helpers behind the check-in pages: Shanghai form times, a member's
 * state label, "function not ready" detection, and the H5 WGS-84 → GCJ-02
 * conversion (browsers answer WGS-84; venues are GCJ-02).
 */
jest.mock('@tarojs/taro', () => ({ __esModule: true, default: {} }))

import { ApiError } from '../../src/api'
import type { MineRow } from '../../src/api/checkin'
import { errorText, isNotReady } from '../../src/components/errorText'
import { whenText } from '../../src/components/format'
import { isCheckinOpen, myState, windowText } from '../../src/components/sessionState'
import { distanceMeters } from '../../src/core/checkin/geo'
import { wgs84ToGcj02 } from '../../src/hooks/location'
import { dayParts, shanghaiEpoch, timeValue } from '../../src/secretary/lib/time'

const MIN = 60_000
// 2026-11-15 14:00 Shanghai = 06:00 UTC.
const START = Date.UTC(2026, 10, 15, 6, 0)
const session = {
  status: 'scheduled' as const,
  startAt: START,
  endAt: START + 120 * MIN,
  checkin: { opensAt: START - 30 * MIN, closesAt: START + 120 * MIN, lateAfter: START + 10 * MIN }
}

function row(partial: Partial<MineRow>): MineRow {
  return { sessionId: 's1', title: 't', type: 'theme_day', startAt: session.startAt, endAt: session.endAt, state: 'upcoming', ...partial }
}

test('form date and time are read as Shanghai wall-clock time, whatever the TZ', () => {
  expect(shanghaiEpoch('2026-11-15', '14:00')).toBe(START)
  expect(shanghaiEpoch('2026-01-01', '00:00')).toBe(Date.UTC(2025, 11, 31, 16, 0))
  expect(shanghaiEpoch('2026-11-15', '25:99')).not.toBe(START)
  expect(Number.isNaN(shanghaiEpoch('15/11/2026', '14:00'))).toBe(true)
  expect(timeValue(START)).toBe('14:00')
  expect(dayParts('2026-11-15')).toEqual({ day: 15, weekday: 7 }) // a Sunday
  expect(dayParts('2026-11-16')).toEqual({ day: 16, weekday: 1 })
  expect(whenText(session.startAt, session.endAt)).toBe('11月15日 周日 14:00–16:00')
})

test('the check-in window and a member state in plain words', () => {
  expect(isCheckinOpen(session, START - 31 * MIN)).toBe(false)
  expect(isCheckinOpen(session, START - 30 * MIN)).toBe(true)
  expect(isCheckinOpen(session, session.endAt)).toBe(false)
  expect(isCheckinOpen({ ...session, status: 'cancelled' }, START)).toBe(false)

  expect(myState(session, undefined, START - 60 * MIN)).toEqual({ key: 'upcoming', label: '未开始' })
  expect(myState(session, row({}), START)).toEqual({ key: 'open', label: '未签到' })
  expect(myState(session, row({ state: 'late' }), START)).toEqual({ key: 'late', label: '迟到' })
  expect(myState(session, row({ leaveStatus: 'pending' }), START - 60 * MIN)).toEqual({ key: 'leave_pending', label: '请假待审批' })
  expect(myState(session, row({ state: 'made_up' }), session.endAt + MIN)?.label).toBe('已补学')
  // A leave made up as well keeps its leave first, as in the 签到台账 and the 个人档案.
  expect(myState(session, row({ state: 'made_up', leaveStatus: 'approved' }), session.endAt + MIN)?.label).toBe('请假（已补学）')
  expect(myState(session, row({ state: 'attended' }), START)?.label).toBe('出席')
  // Handed in, a make-up waits for the secretary: 补学待审, never 已补学 until accepted.
  expect(myState(session, row({ state: 'absent', makeupStatus: 'submitted' }), session.endAt + MIN)).toEqual({ key: 'makeup_pending', label: '补学待审' })
  expect(myState(session, row({ state: 'leave', makeupStatus: 'submitted' }), session.endAt + MIN)?.label).toBe('补学待审')
  expect(myState(session, row({ state: 'absent', makeupStatus: 'assigned' }), session.endAt + MIN)?.label).toBe('缺席')
  expect(myState({ ...session, status: 'cancelled' }, row({}), START)?.label).toBe('已取消')
  expect(windowText(session, timeValue)).toBe('签到时间 13:30–16:00，14:10 后签到记为迟到')
})

test('a missing function or action reads as "not ready", a real refusal keeps its message', () => {
  expect(isNotReady(new ApiError('NOT_FOUND', '没有这个功能'))).toBe(true)
  expect(isNotReady(new ApiError('INVALID_INPUT', '不支持这个操作', { function: 'checkin', action: 'x' }))).toBe(true)
  expect(isNotReady(new ApiError('INTERNAL', undefined, { errCode: -501000 }))).toBe(true)
  expect(isNotReady(new ApiError('NOT_FOUND', '没有找到这场活动'))).toBe(false)
  expect(errorText(new ApiError('NOT_FOUND', '没有这个功能'))).toContain('准备中')
  expect(errorText(new ApiError('QR_EXPIRED', '签到码已过期'))).toBe('签到码已过期')
  expect(errorText(new Error('x'), '兜底')).toBe('兜底')
})

test('WGS-84 → GCJ-02 shifts Beijing by a few hundred metres and leaves other countries alone', () => {
  const wgs = { lat: 39.9073, lng: 116.3912 }
  const gcj = wgs84ToGcj02(wgs.lat, wgs.lng)
  const shift = distanceMeters(wgs, gcj)
  expect(shift).toBeGreaterThan(300)
  expect(shift).toBeLessThan(700)
  // Published reference for this transform: Tiananmen ≈ 39.9087, 116.3975 in GCJ-02.
  expect(distanceMeters(gcj, { lat: 39.9087, lng: 116.3975 })).toBeLessThan(60)
  expect(wgs84ToGcj02(51.5, -0.12)).toEqual({ lat: 51.5, lng: -0.12 })
})
