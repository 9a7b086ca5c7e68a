import { attendanceCounts, attendanceRows, attendanceState } from '../../../src/core/checkin/attendance'
import { MAKEUP_STANDING_LABELS, makeupDone, makeupStanding } from '../../../src/core/checkin/makeup'
import { memberArchive } from '../../../src/core/ledgers/archive'
import { attendanceSheet } from '../../../src/core/ledgers/attendance'
import type { Makeup } from '../../../src/core/schemas/checkin'
import type { Member } from '../../../src/core/schemas/member'
import type { Session } from '../../../src/core/schemas/session'
import { DEFAULT_SETTINGS } from '../../../src/core/schemas/settings'
import { attendanceContribution } from '../../../src/core/stats/contributions'
import { consecutiveAbsentMonths } from '../../../src/core/stats/warnings'

const H = 3_600_000
const NOW = Date.parse('2026-11-20T02:00:00Z')
const member: Member = {
  _id: 'm1', name: '王芳', openid: null, branchId: 'b1', groupId: null, orgPath: ['c', 'b1'], rank: 'staff', roles: [], leadingCadre: false, retired: false,
  exempt: null, largeText: false, active: true, joinStatus: 'confirmed', joinedAt: 0, createdAt: 0
}
const session = (id: string, startAt: number): Session => ({
  _id: id, title: `活动${id}`, type: 'theme_day', branchId: 'b1', orgPath: ['c', 'b1'], startAt, endAt: startAt + 2 * H, venue: { name: '会议室' },
  checkin: { opensAt: startAt - H / 2, closesAt: startAt + 2 * H, lateAfter: startAt + H / 6 }, audience: { kind: 'branch' }, allowOnlineWithoutQr: false,
  status: 'scheduled', createdBy: 'x', createdAt: 0, updatedAt: 0, talliedAt: startAt + 3 * H
}) as Session

describe('补学: one judge', () => {
  it('handed in is pending (补学待审), accepted is done (已补学), returned is to redo', () => {
    const st = (status: Makeup['status']) => makeupStanding({ status })
    expect([st('assigned'), st('submitted'), st('accepted'), st('returned'), makeupStanding(null), makeupStanding(undefined)]).toEqual(['to_do', 'pending', 'done', 'returned', 'none', 'none'])
    expect(MAKEUP_STANDING_LABELS.pending).toBe('补学待审')
    expect(MAKEUP_STANDING_LABELS.done).toBe('已补学')
    expect((['assigned', 'submitted', 'returned'] as const).map((status) => makeupDone({ status }))).toEqual([false, false, false])
    expect(makeupDone({ status: 'accepted' })).toBe(true)
  })

  // Three sessions missed in October: one make-up handed in, one accepted, and one accepted for a session on leave.
  const sessions = [session('s1', Date.parse('2026-10-10T01:00:00Z')), session('s2', Date.parse('2026-10-17T01:00:00Z')), session('s3', Date.parse('2026-10-24T01:00:00Z'))]
  const leaves = [{ sessionId: 's3', memberId: 'm1', status: 'approved' as const }]
  const makeups = [
    { sessionId: 's1', memberId: 'm1', status: 'submitted' as const, deadline: 0 },
    { sessionId: 's2', memberId: 'm1', status: 'accepted' as const, deadline: 0 },
    { sessionId: 's3', memberId: 'm1', status: 'accepted' as const, deadline: 0 }
  ]

  it('the member’s page, the 签到台账, the 个人档案 and the aggregates agree', () => {
    // The member's own record.
    const rows = attendanceRows('m1', sessions, { checkins: [], leaves, makeups }, NOW)
    expect(rows.map((r) => r.state)).toEqual(['absent', 'made_up', 'made_up'])
    const mine = attendanceCounts(rows)
    // 签到台账.
    const sheet = attendanceSheet({ branch: { _id: 'b1', name: '一支部' }, members: [member], sessions, checkins: [], leaves, makeups }, '2026年', NOW)
    const [name, m1, m2, m3, expected, present, late, leave, madeUp, absent] = sheet.rows[0]
    expect([name, m1, m2, m3]).toEqual(['王芳', '缺席', '已补学', '请假（已补学）'])
    // 个人档案.
    const archive = memberArchive({ member, branchName: '一支部', year: 2026, now: NOW, settings: DEFAULT_SETTINGS, sessions, checkins: [], leaves, makeups, notes: [], ledger: [], warnings: [] })
    expect(archive.attendance.map((a) => a.mark)).toEqual(['缺席', '已补学', '请假（已补学）'])
    // Aggregates: the sum of every session's contribution.
    const agg = { expected: 0, absent: 0, leave: 0, makeups: 0, points: 0 }
    for (const s of sessions) {
      const makeup = makeups.find((m) => m.sessionId === s._id)!
      const c = attendanceContribution(
        { session: s, memberId: 'm1', expected: true, exempt: false, checkin: null, leave: leaves.find((l) => l.sessionId === s._id) ? { _id: 'l', status: 'approved' } : null, makeup: { _id: `mu${s._id}`, status: makeup.status } },
        DEFAULT_SETTINGS.pointsRules
      )
      agg.expected += c.counters.expected ?? 0
      agg.absent += c.counters.absent ?? 0
      agg.leave += c.counters.leave ?? 0
      agg.makeups += c.counters.makeups ?? 0
      agg.points += c.claims.reduce((n, cl) => n + cl.points, 0)
    }
    const views = {
      member: { absent: mine.absent, leave: mine.leave, madeUp: mine.madeUp },
      sheet: { absent, leave, madeUp },
      archive: { absent: archive.attendanceTotals.absent, leave: archive.attendanceTotals.leave, madeUp: archive.attendanceTotals.madeUp },
      aggregates: { absent: agg.absent, leave: agg.leave, madeUp: agg.makeups }
    }
    for (const v of Object.values(views)) expect(v).toEqual({ absent: 2, leave: 1, madeUp: 2 })
    expect([expected, present, late]).toEqual([3, 0, 0])
    // Two absences at −2, two accepted make-ups at +1; the pending one earns nothing yet.
    expect(agg.points).toBe(-2 - 2 + 1 + 1)
  })

  it('the Art. 9 streak is broken only by an accepted 补学, like everything else', () => {
    const month = (makeupsCount: number) => [{ month: '2026-07', attended: 1, leave: 0 }, ...['2026-08', '2026-09', '2026-10'].map((m) => ({ month: m, attended: 0, leave: 0, makeups: 0 })), { month: '2026-11', attended: 0, leave: 0, makeups: makeupsCount }]
    const pending = attendanceContribution({ session: sessions[0], memberId: 'm1', expected: true, exempt: false, checkin: null, leave: null, makeup: { _id: 'x', status: 'submitted' } }, DEFAULT_SETTINGS.pointsRules)
    expect(pending.counters.makeups).toBeUndefined()
    expect(consecutiveAbsentMonths(month(0), '2026-12')).toBe(4)
    expect(consecutiveAbsentMonths(month(1), '2026-12')).toBe(0)
  })

  it('before the session is over nothing is judged, make-up or not', () => {
    const s = session('s9', NOW + H)
    expect(attendanceState(s, { makeup: { sessionId: 's9', memberId: 'm1', status: 'accepted', deadline: 0 } }, NOW)).toBe('upcoming')
  })
})
