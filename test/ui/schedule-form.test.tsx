/**
 * The schedule form's checks and its mapping to session.create / update
 * (src/secretary/schedule/form.ts): plain data in, the input to send or the
 * first problem in plain words out. Times are Shanghai wall-clock time.
 */
jest.mock('@tarojs/taro', () => ({ __esModule: true, default: {} }))

import type { Session } from '../../src/api/sessions'
import { audienceFor, formOf, initialForm, lecturerOf, toSubmission, type Form } from '../../src/secretary/schedule/form'

const MIN = 60_000
// 2026-11-15 14:00 Shanghai = 06:00 UTC.
const START = Date.UTC(2026, 10, 15, 6, 0)
const NOW = START - 3 * 24 * 60 * MIN

function form(patch: Partial<Form> = {}): Form {
  return { ...initialForm(NOW), date: '2026-11-15', start: '14:00', end: '16:00', venueName: '三楼党员活动室', ...patch }
}

test('a new session starts tomorrow afternoon for the whole branch, titled by month and type', () => {
  const f = initialForm(Date.UTC(2026, 10, 14, 6, 0))
  expect(f).toMatchObject({ date: '2026-11-15', start: '14:00', end: '16:00', title: '11月主题党日', audience: 'branch', repeat: 'none' })
})

test('the first problem is named, top to bottom', () => {
  expect(toSubmission(form({ title: '  ' }), 'br_2')).toEqual({ error: '请填写活动名称' })
  expect(toSubmission(form({ end: '13:00' }), 'br_2')).toEqual({ error: '结束时间要晚于开始时间' })
  expect(toSubmission(form({ venueName: '' }), 'br_2')).toEqual({ error: '请填写活动地点，例如“三楼党员活动室”' })
  expect(toSubmission(form({ useFence: true }), 'br_2')).toEqual({ error: '请先在地图上选好会场位置' })
  expect(toSubmission(form({ useFence: true, lat: '39.9', lng: '116.4', radius: '20' }), 'br_2')).toEqual({ error: '签到范围请填 50 到 5000 米' })
  expect(toSubmission(form({ audience: 'group' }), 'br_2')).toEqual({ error: '请选择参加的党小组' })
  expect(toSubmission(form({ audience: 'list' }), 'br_2')).toEqual({ error: '请至少选择一位参加的党员' })
  expect(toSubmission(form({ repeat: 'month', count: '13' }), 'br_2')).toEqual({ error: '重复次数请填 2 到 12 次' })
  expect(toSubmission(form({ date: '2026-12-15', repeat: 'month', untilYearEnd: true }), 'br_2')).toEqual({ error: '到年底只剩这一次了，请选“不重复”' })
})

test('a new session or series maps to session.create', () => {
  const out = toSubmission(form({ useFence: true, lat: '39.9087', lng: '116.3975', radius: '300', repeat: 'month', count: '3', description: '学习条例' }), 'br_2')
  expect(out).toEqual({
    kind: 'create',
    input: {
      branchId: 'br_2',
      title: '11月主题党日',
      type: 'theme_day',
      startAt: START,
      endAt: START + 120 * MIN,
      venue: { name: '三楼党员活动室', geofence: { lat: 39.9087, lng: 116.3975, radiusM: 300 } },
      audience: { kind: 'branch' },
      allowOnlineWithoutQr: false,
      description: '学习条例',
      recurrence: { every: 'month', dayOfMonth: 15, count: 3 }
    }
  })
  const weekly = toSubmission(form({ repeat: 'week', untilYearEnd: true }), 'br_2')
  expect('input' in weekly && weekly.kind === 'create' && weekly.input.recurrence).toEqual({ every: 'week', weekday: 7, until: 'year_end' })
})

test('editing maps to session.update of that occurrence; new times take the default check-in window', () => {
  const session = {
    _id: 's1',
    title: '11月主题党日',
    type: 'theme_day',
    branchId: 'br_2',
    startAt: START,
    endAt: START + 120 * MIN,
    venue: { name: '三楼党员活动室' },
    audience: { kind: 'branch' },
    allowOnlineWithoutQr: true,
    checkin: { opensAt: START - 60 * MIN, closesAt: START + 120 * MIN, lateAfter: START + 5 * MIN }
  } as unknown as Session
  const same = toSubmission({ ...formOf(session), repeat: 'month' }, 'br_2', session)
  expect(same).toEqual({
    kind: 'update',
    input: { sessionId: 's1', title: '11月主题党日', type: 'theme_day', startAt: START, endAt: START + 120 * MIN, venue: { name: '三楼党员活动室' }, audience: { kind: 'branch' }, allowOnlineWithoutQr: true }
  })
  const moved = toSubmission({ ...formOf(session), start: '15:00', end: '17:00' }, 'br_2', session)
  expect('input' in moved && moved.kind === 'update' && moved.input.checkin).toEqual({ opensAt: START + 30 * MIN, closesAt: START + 180 * MIN, lateAfter: START + 70 * MIN })
})

test('支委会 is for the committee, 党小组会 for a group; other types return to the branch', () => {
  expect(audienceFor('committee_meeting', 'branch')).toBe('committee')
  expect(audienceFor('group_meeting', 'list')).toBe('group')
  expect(audienceFor('party_lecture', 'committee')).toBe('branch')
  expect(audienceFor('party_lecture', 'list')).toBe('list')
})

test('a 党课 sends its lecturer to session.create only when one is picked; other types never do', () => {
  const create = (patch: Partial<Form>) => {
    const out = toSubmission(form(patch), 'br_2')
    if (!('input' in out) || out.kind !== 'create') throw new Error(`expected a create, got ${JSON.stringify(out)}`)
    return out.input
  }
  expect(create({ type: 'party_lecture', lecturerId: 'm_7' })).toMatchObject({ type: 'party_lecture', lecturerId: 'm_7' })
  expect(create({ type: 'party_lecture', lecturerId: '' })).not.toHaveProperty('lecturerId')
  // Picked, then the type changed: the backend refuses a lecturer on anything but a 党课.
  expect(create({ type: 'theme_day', lecturerId: 'm_7' })).not.toHaveProperty('lecturerId')
  expect(create({ type: 'committee_meeting', audience: 'committee', lecturerId: 'm_7' })).not.toHaveProperty('lecturerId')
  expect(lecturerOf(form({ type: 'party_lecture', lecturerId: 'm_7' }))).toBe('m_7')
  expect(lecturerOf(form({ type: 'group_meeting', lecturerId: 'm_7' }))).toBeUndefined()
})

test('editing a 党课 sends the lecturer only when it changes, and null to remove it', () => {
  const lecture = {
    _id: 's2',
    title: '11月党课',
    type: 'party_lecture',
    branchId: 'br_2',
    startAt: START,
    endAt: START + 120 * MIN,
    venue: { name: '三楼党员活动室' },
    audience: { kind: 'branch' },
    allowOnlineWithoutQr: false,
    lecturerId: 'm_7',
    checkin: { opensAt: START - 30 * MIN, closesAt: START + 120 * MIN, lateAfter: START + 10 * MIN }
  } as unknown as Session
  const update = (patch: Partial<Form>) => {
    const out = toSubmission({ ...formOf(lecture), ...patch }, 'br_2', lecture)
    if (!('input' in out) || out.kind !== 'update') throw new Error(`expected an update, got ${JSON.stringify(out)}`)
    return out.input
  }
  expect(formOf(lecture).lecturerId).toBe('m_7')
  expect(update({})).not.toHaveProperty('lecturerId')
  expect(update({ lecturerId: 'm_9' })).toMatchObject({ lecturerId: 'm_9' })
  expect(update({ lecturerId: '' })).toMatchObject({ lecturerId: null })
  expect(update({ type: 'theme_day' })).toMatchObject({ type: 'theme_day', lecturerId: null })
})
