import { LECTURE_MIN_MINUTES, lectureClash, lectureLongEnough } from '../../../src/core/stats/lecture'
import { attendanceContribution } from '../../../src/core/stats/contributions'
import { DEFAULT_SETTINGS } from '../../../src/core/schemas/settings'

const MIN = 60_000
const sh = (t: string) => Date.parse(`${t}+08:00`)
const START = sh('2026-03-10T14:00')
const lecture = (minutes: number) => ({
  _id: 's1', type: 'party_lecture' as const, title: '党课', startAt: START, endAt: START + minutes * MIN, status: 'scheduled' as const, talliedAt: START + 5 * 60 * MIN, lecturerId: 'm1'
})
const points = (minutes: number) =>
  attendanceContribution({ session: lecture(minutes), memberId: 'm1', expected: false, exempt: false, checkin: null, leave: null, makeup: null }, DEFAULT_SETTINGS.pointsRules).claims.find((c) => c.rule === 'lecture')!.points

describe('lecture points need a real 党课', () => {
  it(`at least ${LECTURE_MIN_MINUTES} minutes earns them; a 2-minute one does not`, () => {
    expect(points(LECTURE_MIN_MINUTES)).toBe(3)
    expect(points(90)).toBe(3)
    expect(points(2)).toBe(0)
    expect(points(LECTURE_MIN_MINUTES - 1)).toBe(0)
    expect(lectureLongEnough({ startAt: START })).toBe(false)
  })

  it('one 党课 a month per lecturer, by the Shanghai calendar', () => {
    const other = { _id: 's0', startAt: sh('2026-03-01T00:10'), status: 'scheduled' as const, title: '早些的党课', lecturerId: 'm1' }
    expect(lectureClash('m1', START, [other])?._id).toBe('s0')
    expect(lectureClash('m2', START, [other])).toBeNull()
    expect(lectureClash('m1', START, [{ ...other, status: 'cancelled' }])).toBeNull()
    expect(lectureClash('m1', START, [other], 's0')).toBeNull()
    // 23:30 on 28 February in Shanghai is still February, though 1 March is near in UTC terms.
    expect(lectureClash('m1', START, [{ ...other, startAt: sh('2026-02-28T23:30') }])).toBeNull()
  })
})
