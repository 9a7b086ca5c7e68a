/**
 * A make-up is for an absence: once the member turns out to have come (a
 * 代签 typed in from the paper sheet after the make-up was accepted), the
 * check-in wins in the aggregates and points as it does on the member's page
 * and in the ledgers (found by test/functions/views-agree.property.test.ts).
 */
import { attendanceState } from '../../../src/core/checkin/attendance'
import { markOf } from '../../../src/core/ledgers/attendance'
import { DEFAULT_SETTINGS } from '../../../src/core/schemas/settings'
import { attendanceContribution, contributionDelta, type AttendanceFacts } from '../../../src/core/stats/contributions'

const START = Date.parse('2026-05-10T06:00:00Z')
const session = { _id: 's1', type: 'theme_day' as const, title: '主题党日', startAt: START, status: 'scheduled' as const, talliedAt: START + 3 * 3600e3 }
const accepted = { _id: 'mk', status: 'accepted' as const }
const checkin = { _id: 'c', status: 'attended' as const }
const facts = (over: Partial<AttendanceFacts>): AttendanceFacts => ({ session, memberId: 'm1', expected: true, exempt: false, checkin: null, leave: null, makeup: null, ...over })
const points = (f: AttendanceFacts, rule: string) => attendanceContribution(f, DEFAULT_SETTINGS.pointsRules).claims.find((c) => c.rule === rule)!.points

it('an accepted make-up counts beside an absence, and not once the member is found to have come', () => {
  const absent = facts({ makeup: accepted })
  expect(attendanceContribution(absent, DEFAULT_SETTINGS.pointsRules).counters).toEqual({ expected: 1, absent: 1, makeups: 1 })
  expect(points(absent, 'makeup')).toBe(1)

  const came = facts({ makeup: accepted, checkin })
  expect(attendanceContribution(came, DEFAULT_SETTINGS.pointsRules).counters).toEqual({ expected: 1, attended: 1 })
  expect(points(came, 'makeup')).toBe(0)
  // The page and the ledgers say the same.
  expect(attendanceState({ endAt: START + 7200e3, checkin: { opensAt: START - 1800e3, closesAt: START + 7200e3, lateAfter: START + 600e3 } }, { checkin: { ...checkin, sessionId: 's1', memberId: 'm1', at: START, method: 'proxy' }, makeup: { sessionId: 's1', memberId: 'm1', status: 'accepted', deadline: START } }, START + 86400e3)).toBe('attended')
  expect(markOf({ expected: true, closed: true, checkin, leaveApproved: false, madeUp: true })).toBe('出席')
  // The 代签 written afterwards takes the make-up's count back with the absence.
  const [change] = contributionDelta(attendanceContribution(absent, DEFAULT_SETTINGS.pointsRules), attendanceContribution(came, DEFAULT_SETTINGS.pointsRules))
  expect(change.counters).toEqual({ attended: 1, absent: -1, makeups: -1 })
})
