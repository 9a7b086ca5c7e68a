import { attendanceContribution, contributionDelta, monthWordsClaim, noteContribution, type AttendanceFacts } from '../../../src/core/stats/contributions'
import { rebuildBranchYear } from '../../../src/core/stats/rebuild'
import { DEFAULT_SETTINGS } from '../../../src/core/schemas/settings'
import { pointsKey } from '../../../src/core/schemas/points'

const rules = DEFAULT_SETTINGS.pointsRules
// 23:30 on 31 March in Shanghai, 15:30 UTC: the session belongs to March and Q1 whatever the server's zone.
const LATE_MARCH = Date.parse('2026-03-31T15:30:00Z')

function facts(over: Partial<AttendanceFacts> = {}): AttendanceFacts {
  return {
    session: { _id: 's1', type: 'theme_day', title: '主题党日', startAt: LATE_MARCH, status: 'scheduled' },
    memberId: 'm1',
    expected: true,
    exempt: false,
    checkin: null,
    leave: null,
    makeup: null,
    ...over
  }
}
const tallied = (f: Partial<AttendanceFacts> = {}) => facts({ ...f, session: { ...facts().session, talliedAt: LATE_MARCH + 3600000 } })
const claim = (c: ReturnType<typeof attendanceContribution>, rule: string) => c.claims.find((x) => x.rule === rule)!.points

describe('attendanceContribution', () => {
  it('gives check-in points at once and attendance counts only once tallied', () => {
    const live = attendanceContribution(facts({ checkin: { _id: 'c', status: 'attended' } }), rules)
    expect(live.counters).toEqual({})
    expect(claim(live, 'attend')).toBe(2)
    const done = attendanceContribution(tallied({ checkin: { _id: 'c', status: 'late' } }), rules)
    expect(done.counters).toEqual({ expected: 1, attended: 1, late: 1 })
    expect(claim(done, 'attend')).toBe(0)
    expect(claim(done, 'attend_late')).toBe(1)
    expect(done.claims.find((x) => x.rule === 'attend_late')!.reason).toBe('3月31日 主题党日「主题党日」 迟到参加')
  })

  it('counts an unexcused absence with its deduction, an approved leave without, and spares the exempt', () => {
    expect(attendanceContribution(tallied(), rules).counters).toEqual({ expected: 1, absent: 1 })
    expect(claim(attendanceContribution(tallied(), rules), 'absent')).toBe(-2)
    const pending = attendanceContribution(tallied({ leave: { _id: 'l', status: 'pending' } }), rules)
    expect(pending.counters.absent).toBe(1)
    const approved = attendanceContribution(tallied({ leave: { _id: 'l', status: 'approved' } }), rules)
    expect(approved.counters).toEqual({ expected: 1, leave: 1 })
    expect(claim(approved, 'absent')).toBe(0)
    expect(claim(attendanceContribution(tallied({ exempt: true }), rules), 'absent')).toBe(0)
  })

  it('a cancelled session counts and earns nothing, but still names its keys so points can be taken back', () => {
    const c = attendanceContribution(facts({ session: { ...tallied().session, status: 'cancelled' }, checkin: { _id: 'c', status: 'attended' } }), rules)
    expect(c.counters).toEqual({})
    expect(c.claims.map((x) => x.points)).toEqual([0, 0, 0, 0, 0])
    expect(c.claims.map((x) => x.key)).toContain(pointsKey('attend', 's1', 'm1'))
  })

  it('uses the rule in force on the session date', () => {
    const changed = [...rules.map((r) => (r.rule === 'attend' ? { ...r, to: LATE_MARCH } : r)), { rule: 'attend', label: '参加', points: 5, from: LATE_MARCH }]
    expect(claim(attendanceContribution(facts({ checkin: { _id: 'c', status: 'attended' } }), changed), 'attend')).toBe(5)
    const earlier = facts({ checkin: { _id: 'c', status: 'attended' }, session: { ...facts().session, startAt: LATE_MARCH - 1 } })
    expect(claim(attendanceContribution(earlier, changed), 'attend')).toBe(2)
  })
})

describe('notes', () => {
  const note = { _id: 'n1', memberId: 'm1', kind: 'essay' as const, title: '心得', words: 1250, creditedWords: 1200, createdAt: LATE_MARCH, review: { status: 'pending' as const } }
  const MIN = DEFAULT_SETTINGS.essayMinWords

  it('counts credited words and essays; a returned, mostly copied or short essay neither counts nor earns', () => {
    const c = noteContribution(note, rules, MIN)
    expect(c.counters).toEqual({ creditedWords: 1200, essays: 1 })
    expect(c.claims[0].points).toBe(2)
    expect(noteContribution({ ...note, review: { status: 'passed', by: 'x', at: 1 } }, rules, MIN).counters.essays).toBe(1)
    for (const off of [{ review: { status: 'returned' as const } }, { creditedWords: 0 }, { creditedWords: 600 }, { words: 250, creditedWords: 250 }]) {
      const o = noteContribution({ ...note, ...off }, rules, MIN)
      expect([o.counters.essays, o.claims[0].points]).toEqual([undefined, 0])
    }
    // The words it was credited still count toward the word quota.
    expect(noteContribution({ ...note, creditedWords: 600 }, rules, MIN).counters).toEqual({ creditedWords: 600 })
    expect(noteContribution({ ...note, deleted: true }, rules, MIN).counters).toEqual({})
    expect(noteContribution({ ...note, words: 250, creditedWords: 250 }, rules, 200).counters.essays).toBe(1)
  })

  it('monthly word points: a point per full 1,000, capped, so a burst earns no more than steady writing', () => {
    expect(monthWordsClaim('m1', '2026-03', 999, rules, 5, 'n1').points).toBe(0)
    expect(monthWordsClaim('m1', '2026-03', 3500, rules, 5, 'n1').points).toBe(3)
    const burst = monthWordsClaim('m1', '2026-12', 20000, rules, 5, 'n1')
    expect(burst.points).toBe(5)
    expect(burst.reason).toContain('上限5次')
    expect(burst.at).toBe(Date.parse('2026-11-30T16:00:00Z'))
  })

  it('names the step the points were earned for, which stays true while the count moves within it', () => {
    expect(monthWordsClaim('m1', '2026-03', 2345, rules, 5, 'n1').reason).toBe('2026年3月学习笔记计入满2,000字，每满1000字计分')
    expect(monthWordsClaim('m1', '2026-03', 2999, rules, 5, 'n1').reason).toBe(monthWordsClaim('m1', '2026-03', 2000, rules, 5, 'n1').reason)
    expect(monthWordsClaim('m1', '2026-03', 999, rules, 5, 'n1').reason).toBe('2026年3月学习笔记计入不足1,000字，每满1000字计分')
    expect(monthWordsClaim('m1', '2026-03', 9000, rules, 5, 'n1').reason).toBe('2026年3月学习笔记计入满5,000字，每满1000字计分（本月上限5次）')
    expect(monthWordsClaim('m1', '2026-03', 3000, rules, 0, 'n1')).toMatchObject({ points: 0, reason: '2026年3月学习笔记计入满1,000字，每满1000字计分（本月不计分）' })
  })
})

describe('contributionDelta', () => {
  it('is one difference when the period is the same and a move when it is not', () => {
    const a = noteContribution({ _id: 'n', memberId: 'm', kind: 'note', title: 't', words: 100, creditedWords: 100, createdAt: LATE_MARCH, review: { status: 'pending' } }, rules, 300)
    const b = { ...a, counters: { creditedWords: 300 } }
    expect(contributionDelta(a, b)).toEqual([{ at: LATE_MARCH, counters: { creditedWords: 200 } }])
    const moved = { ...b, at: LATE_MARCH + 3600000 } // 00:30 on 1 April in Shanghai
    expect(contributionDelta(a, moved)).toEqual([
      { at: LATE_MARCH, counters: { creditedWords: -100 } },
      { at: LATE_MARCH + 3600000, counters: { creditedWords: 300 } }
    ])
    expect(contributionDelta(null, null)).toEqual([])
  })
})

describe('rebuildBranchYear', () => {
  it('puts a late-March session in March and Q1, and sums the ledger into points', () => {
    const member = {
      _id: 'm1', name: '甲', openid: null, branchId: 'b', groupId: null, orgPath: ['o', 'b'], rank: 'staff' as const, roles: [], leadingCadre: false,
      retired: false, exempt: null, largeText: false, active: true, joinStatus: 'confirmed' as const, joinedAt: 0, createdAt: 0
    }
    const session = {
      _id: 's1', title: '主题党日', type: 'theme_day' as const, branchId: 'b', orgPath: ['o', 'b'], startAt: LATE_MARCH, endAt: LATE_MARCH + 1, venue: { name: 'x' },
      checkin: { opensAt: 0, closesAt: LATE_MARCH + 1, lateAfter: LATE_MARCH }, audience: { kind: 'branch' as const }, allowOnlineWithoutQr: false,
      status: 'scheduled' as const, talliedAt: LATE_MARCH + 2, createdBy: 'm1', createdAt: 0, updatedAt: 0
    }
    const r = rebuildBranchYear(
      {
        branch: { _id: 'b', path: ['o', 'b'] }, year: 2026, settings: DEFAULT_SETTINGS, members: [member], sessions: [session],
        checkins: [{ _id: 'ci:s1:m1', sessionId: 's1', memberId: 'm1', status: 'attended' } as never], leaves: [], makeups: [], notes: [],
        ledger: [{ key: pointsKey('attend', 's1', 'm1'), memberId: 'm1', delta: 2, at: LATE_MARCH, rule: 'attend', sourceType: 'checkin', sourceId: 'ci:s1:m1', reason: 'x' }]
      },
      1
    )
    const march = r.aggregates.get('agg:member:m1:2026-03')!
    expect(march).toMatchObject({ expected: 1, attended: 1, points: 2, quotaWords: 10000 })
    expect(r.aggregates.get('agg:branch:b:2026-Q1')).toMatchObject({ members: 1, attended: 1, points: 2 })
    expect(r.aggregates.has('agg:member:m1:2026-04')).toBe(false)
    expect(r.claims.get(pointsKey('attend', 's1', 'm1'))!.points).toBe(2)
    expect(r.nets.get(pointsKey('attend', 's1', 'm1'))).toBe(2)
  })
})

describe('讲授党课', () => {
  it('earns the lecturer the lecture points once the 党课 is tallied, and nobody else', () => {
    const lecture = { ...tallied().session, type: 'party_lecture' as const, lecturerId: 'm1', endAt: LATE_MARCH + 3600000 }
    expect(claim(attendanceContribution(facts({ session: lecture, expected: false }), rules), 'lecture')).toBe(3)
    expect(claim(attendanceContribution(facts({ session: lecture, memberId: 'm2' }), rules), 'lecture')).toBe(0)
    expect(claim(attendanceContribution(facts({ session: { ...lecture, talliedAt: undefined } }), rules), 'lecture')).toBe(0)
    expect(claim(attendanceContribution(facts({ session: { ...lecture, type: 'theme_day' } }), rules), 'lecture')).toBe(0)
    // Not in the audience: no attendance counted, only the lecture.
    expect(attendanceContribution(facts({ session: lecture, expected: false }), rules).counters).toEqual({})
  })
})
