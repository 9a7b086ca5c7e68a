import { archiveWorkbook, memberArchive } from '../../../src/core/ledgers/archive'
import { attendanceSheet, markOf, type BranchPeriodFacts } from '../../../src/core/ledgers/attendance'
import { dateText, ratio, sheetName } from '../../../src/core/ledgers/model'
import { notesSheet } from '../../../src/core/ledgers/notes'
import { pointsSheets } from '../../../src/core/ledgers/points'
import { warningsSheet } from '../../../src/core/ledgers/warnings'
import type { Member } from '../../../src/core/schemas/member'
import type { Session } from '../../../src/core/schemas/session'
import { DEFAULT_SETTINGS } from '../../../src/core/schemas/settings'

const H = 3_600_000
/** 2026-10-31 19:00 and 2026-11-01 09:00 Shanghai: a month boundary between two sessions. */
const OCT31 = Date.parse('2026-10-31T11:00:00Z')
const NOV1 = Date.parse('2026-11-01T01:00:00Z')
const NOW = Date.parse('2026-11-20T02:00:00Z')

const member = (id: string, name: string, over: Partial<Member> = {}): Member => ({
  _id: id, name, openid: null, branchId: 'b1', groupId: null, orgPath: ['c', 'b1'], rank: 'staff', roles: [], leadingCadre: false, retired: false,
  exempt: null, largeText: false, active: true, joinStatus: 'confirmed', joinedAt: 0, createdAt: 0, ...over
})
const session = (id: string, startAt: number, over: Partial<Session> = {}): Session => ({
  _id: id, title: `活动${id}`, type: 'theme_day', branchId: 'b1', orgPath: ['c', 'b1'], startAt, endAt: startAt + 2 * H, venue: { name: '会议室' },
  checkin: { opensAt: startAt - H / 2, closesAt: startAt + 2 * H, lateAfter: startAt + H / 6 }, audience: { kind: 'branch' }, allowOnlineWithoutQr: false,
  status: 'scheduled', createdBy: 'x', createdAt: 0, updatedAt: 0, ...over
}) as Session

const people = [member('m1', '王芳'), member('m2', '李明'), member('m3', '张强', { exempt: { reason: 'age', since: 0 } }), member('m4', '赵丽')]
const facts: BranchPeriodFacts = {
  branch: { _id: 'b1', name: '第一党支部' },
  members: people,
  sessions: [session('s1', OCT31), session('s2', NOV1), session('s3', NOW + H), session('s4', OCT31 - H, { status: 'cancelled' })],
  checkins: [{ sessionId: 's1', memberId: 'm1', status: 'attended' }, { sessionId: 's2', memberId: 'm1', status: 'late' }, { sessionId: 's2', memberId: 'm3', status: 'attended' }],
  leaves: [{ sessionId: 's1', memberId: 'm2', status: 'approved' }, { sessionId: 's2', memberId: 'm2', status: 'pending' }],
  makeups: [{ sessionId: 's1', memberId: 'm2', status: 'accepted' }, { sessionId: 's2', memberId: 'm4', status: 'accepted' }]
}

describe('签到台账', () => {
  it('marks each member’s part; a check-in beats leave, a make-up is noted beside the absence', () => {
    expect(markOf({ expected: true, closed: true, checkin: { status: 'late' }, leaveApproved: true, madeUp: false })).toBe('迟到')
    expect(markOf({ expected: true, closed: true, leaveApproved: true, madeUp: true })).toBe('请假（已补学）')
    expect(markOf({ expected: true, closed: false, leaveApproved: false, madeUp: false })).toBe('未签到')
    expect(markOf({ expected: false, closed: true, leaveApproved: false, madeUp: false })).toBe('—')
  })

  it('lays out members × past sessions in date order across the month boundary, with totals', () => {
    const sheet = attendanceSheet(facts, '2026年', NOW)
    expect(sheet.columns.map((c) => c.header).slice(0, 3)).toEqual(['姓名', '10月31日 主题党日', '11月1日 主题党日'])
    const row = (name: string) => sheet.rows.find((r) => String(r[0]).startsWith(name))!
    // [name, s1, s2, 应到, 实到, 迟到, 请假, 已补学, 缺席, 出勤率]
    expect(row('王芳')).toEqual(['王芳', '出席', '迟到', 2, 2, 1, 0, 0, 0, 1])
    expect(row('李明')).toEqual(['李明', '请假（已补学）', '缺席', 2, 0, 0, 1, 1, 1, 0])
    expect(row('赵丽')).toEqual(['赵丽', '缺席', '已补学', 2, 0, 0, 0, 1, 2, 0])
    expect(row('张强')[0]).toBe('张强（免考核）')
    expect(sheet.rows[sheet.rows.length - 1].slice(0, 3)).toEqual(['实到 / 应到', '1/4', '2/4'])
  })

  it('expects a transferred member only while they were in the branch', () => {
    const moved = member('m5', '孙伟', { branchId: 'b2', branchHistory: [{ branchId: 'b1', from: 0, to: NOV1 - H }] })
    const sheet = attendanceSheet({ ...facts, members: [...people, moved] }, '2026年', NOW)
    expect(sheet.rows.find((r) => r[0] === '孙伟')!.slice(1, 3)).toEqual(['缺席', '—'])
  })
})

describe('笔记台账 and 积分台账', () => {
  it('counts credited words and kept essays against the quota; exempt members have none', () => {
    const sheet = notesSheet({
      branches: [{ name: '第一党支部', members: people, notes: [
        { memberId: 'm1', kind: 'note', words: 8000, creditedWords: 6000, deleted: false, review: { status: 'passed' } },
        { memberId: 'm1', kind: 'essay', words: 3000, creditedWords: 3000, review: { status: 'returned' } },
        { memberId: 'm1', kind: 'note', words: 9000, creditedWords: 9000, deleted: true, review: { status: 'pending' } },
        { memberId: 'm2', kind: 'essay', words: 12000, creditedWords: 12000, review: { status: 'passed' } }
      ] as never }],
      settings: { ...DEFAULT_SETTINGS, quotas: { ...DEFAULT_SETTINGS.quotas, essays: 1 } },
      year: 2026,
      title: 't'
    })
    const row = (name: string) => sheet.rows.find((r) => r[0] === name)!
    expect(row('王芳')).toEqual(['王芳', 2, 11000, 9000, 0, 10000, 1, 0.9, '未达标'])
    expect(row('李明')).toEqual(['李明', 1, 12000, 12000, 1, 10000, 1, 1, '达标'])
    expect(row('张强')).toEqual(['张强', 0, 0, 0, 0, '免于定额', null, null, '—'])
  })

  it('sums plus and minus per member and marks corrections; a record sorted by name, not a ranking', () => {
    const [totals, lines] = pointsSheets({
      title: 't',
      branches: [{ name: '一支部', members: [{ _id: 'm1', name: '王芳' }, { _id: 'm2', name: '李明' }], lines: [
        { memberId: 'm1', key: 'attend|s1|m1', delta: 2, reason: '按时参加', sourceType: 'checkin', at: NOV1, seq: 0 },
        { memberId: 'm1', key: 'attend|s1|m1', delta: -2, reason: '撤销：按时参加', sourceType: 'checkin', at: NOV1, seq: 1 },
        { memberId: 'm2', key: 'absent|s0|m2', delta: -2, reason: '无故缺席', sourceType: 'checkin', at: OCT31, seq: 0 }
      ] }]
    })
    // A withdrawn +2 lowers 加分; it is no deduction.
    expect(totals.rows).toEqual([['李明', 0, -2, -2, 1], ['王芳', 0, 0, 0, 2]])
    expect(lines.rows.map((r) => [r[0], r[1], r[3], r[5]])).toEqual([['李明', '2026-10-31', -2, ''], ['王芳', '2026-11-01', 2, ''], ['王芳', '2026-11-01', -2, '更正']])
  })

  it('files a correction or a withdrawal with what it corrects, never as a deduction of its own', () => {
    const [totals] = pointsSheets({
      title: 't',
      branches: [{ name: '一支部', members: [{ _id: 'm1', name: '王芳' }], lines: [
        // An absence excused later (its −2 given back) and a 心得 returned (its +2 withdrawn), then passed again.
        { memberId: 'm1', key: 'absent|s1|m1', delta: -2, reason: '无故缺席', sourceType: 'checkin', at: OCT31, seq: 0 },
        { memberId: 'm1', key: 'absent|s1|m1', delta: 2, reason: '撤销：无故缺席', sourceType: 'checkin', at: OCT31, seq: 1 },
        { memberId: 'm1', key: 'essay|n1|m1', delta: 2, reason: '心得体会', sourceType: 'note', at: NOV1, seq: 0 },
        { memberId: 'm1', key: 'essay|n1|m1', delta: -2, reason: '撤销：心得体会', sourceType: 'note', at: NOV1, seq: 1 },
        { memberId: 'm1', key: 'essay|n1|m1', delta: 2, reason: '更正：心得体会', sourceType: 'note', at: NOV1, seq: 2 },
        { memberId: 'm1', key: 'manual|c1|m1', delta: -3, reason: '书记调整', sourceType: 'manual', at: NOV1, seq: 0 }
      ] }]
    })
    expect(totals.rows).toEqual([['王芳', 2, -3, -1, 6]])
  })

  it('lists warnings red first, and says so when there are none', () => {
    const s = warningsSheet([
      { branchName: 'b', name: '甲', level: 'yellow', reasons: ['缺席 2 次'] },
      { branchName: 'b', name: '乙', level: 'red', reasons: ['缺席 3 次'], monthsWithoutLife: 3 },
      { branchName: 'b', name: '丙', level: null, reasons: [] }
    ], 't')
    expect(s.rows.map((r) => [r[0], r[1]])).toEqual([['乙', '红色预警'], ['甲', '黄色预警']])
    expect(warningsSheet([], 't').notes).toEqual(['本期没有需要预警的党员。'])
  })
})

describe('个人档案 and helpers', () => {
  it('collects one member’s year and turns it into four sheets', () => {
    const a = memberArchive({
      member: people[0], branchName: '第一党支部', year: 2026, now: NOW, settings: DEFAULT_SETTINGS,
      sessions: facts.sessions, checkins: facts.checkins, leaves: facts.leaves, makeups: facts.makeups,
      notes: [{ kind: 'note', title: '学习笔记一', words: 1200, creditedWords: 1000, review: { status: 'passed', comment: '写得实在' } as never, createdAt: NOV1, deleted: false }],
      ledger: [{ memberId: 'm1', key: 'k1', delta: 2, reason: '按时参加', sourceType: 'checkin', at: OCT31, seq: 0 }, { memberId: 'm1', key: 'k2', delta: 1, reason: '迟到参加', sourceType: 'checkin', at: NOV1, seq: 0 }],
      warnings: []
    })
    expect(a.attendance.map((x) => x.mark)).toEqual(['出席', '迟到'])
    expect(a.attendanceTotals).toEqual({ expected: 2, present: 2, late: 1, leave: 0, madeUp: 0, absent: 0, rate: 1 })
    expect(a.notes[0]).toMatchObject({ title: '学习笔记一', credited: 1000, review: expect.any(String), comment: '写得实在' })
    expect(a.pointsTotal).toBe(3)
    const book = archiveWorkbook(a)
    expect(book.sheets.map((s) => s.name)).toEqual(['基本情况', '组织生活', '学习笔记', '积分'])
    expect(book.sheets[3].rows.at(-1)).toEqual(['合计', null, 3, null])
  })

  it('keeps sheet names legal and distinct, and ratios honest', () => {
    const taken = new Set<string>()
    expect(sheetName('第一党支部[机关]/2026', taken)).toBe('第一党支部机关2026')
    expect(sheetName('第一党支部[机关]/2026', taken)).toBe('第一党支部机关2026(2)')
    expect(sheetName('长'.repeat(40)).length).toBe(31)
    expect(ratio(1, 3)).toBe(0.333)
    expect(ratio(1, 0)).toBeNull()
  })
})

describe('dateText', () => {
  it('is the Shanghai date, whatever the instant’s UTC day', () => {
    expect(dateText(Date.parse('2026-10-31T16:30:00Z'))).toBe('2026-11-01')
    expect(dateText(Date.parse('2026-12-31T15:59:59Z'))).toBe('2026-12-31')
  })
})
