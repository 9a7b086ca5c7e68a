import { attendanceSheet } from '../../../src/core/ledgers/attendance'
import type { Member } from '../../../src/core/schemas/member'
import type { Session } from '../../../src/core/schemas/session'

const H = 3_600_000
const NOV13 = Date.parse('2026-11-13T06:30:00Z')
const NOW = Date.parse('2026-11-20T02:00:00Z')

const member = (id: string, name: string): Member => ({
  _id: id, name, openid: null, branchId: 'b1', groupId: null, orgPath: ['c', 'b1'], rank: 'staff', roles: [], leadingCadre: false, retired: false,
  exempt: null, largeText: false, active: true, joinStatus: 'confirmed', joinedAt: 0, createdAt: 0
})
const session = (id: string, startAt: number, over: Partial<Session> = {}): Session => ({
  _id: id, title: `活动${id}`, type: 'seminar', branchId: 'b1', orgPath: ['c', 'b1'], startAt, endAt: startAt + 2 * H, venue: { name: '会议室' },
  checkin: { opensAt: startAt - H / 2, closesAt: startAt + 2 * H, lateAfter: startAt + H / 6 }, audience: { kind: 'branch' }, allowOnlineWithoutQr: false,
  status: 'scheduled', createdBy: 'x', createdAt: 0, updatedAt: 0, ...over
}) as Session

describe('签到台账 and meetings recorded afterwards', () => {
  it('heads a recorded meeting’s column 补录 and says what it means; its marks count like any other', () => {
    const sheet = attendanceSheet({
      branch: { _id: 'b1', name: '第一党支部' },
      members: [member('m1', '王芳'), member('m2', '李明'), member('m3', '赵丽')],
      sessions: [session('s1', NOV13, { recorded: true }), session('s2', NOV13 + 24 * H)],
      checkins: [{ sessionId: 's1', memberId: 'm1', status: 'attended' }, { sessionId: 's1', memberId: 'm2', status: 'late' }],
      leaves: [{ sessionId: 's1', memberId: 'm3', status: 'approved' }],
      makeups: []
    }, '2026年11月', NOW)
    expect(sheet.columns.slice(1, 3).map((c) => c.header)).toEqual(['11月13日 专题学习研讨（补录）', '11月14日 专题学习研讨'])
    expect(sheet.notes?.join('')).toContain('“（补录）”表示活动未用小程序签到，事后按签到表登记')
    const marks = Object.fromEntries(sheet.rows.slice(0, 3).map((r) => [r[0], r[1]]))
    expect(marks).toEqual({ 王芳: '出席', 李明: '迟到', 赵丽: '请假' })
    expect(sheet.rows.at(-1)?.[1]).toBe('2/3')
  })
})
