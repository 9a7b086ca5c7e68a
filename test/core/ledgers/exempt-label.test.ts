/**
 * The 签到台账 says （免考核） by the one exemption rule (org/exemption.ts): the
 * secretary's mark from the year it was set, or the branch's exemptAge.
 */
import { attendanceSheet } from '../../../src/core/ledgers/attendance'
import type { Member } from '../../../src/core/schemas/member'

const NOW = Date.parse('2026-11-20T02:00:00Z')
const member = (id: string, name: string, over: Partial<Member> = {}): Member => ({
  _id: id, name, openid: null, branchId: 'b1', groupId: null, orgPath: ['c', 'b1'], rank: 'staff', roles: [], leadingCadre: false, retired: false,
  exempt: null, largeText: false, active: true, joinStatus: 'confirmed', joinedAt: 0, createdAt: 0, ...over
})
const people = [
  member('m1', '王芳'),
  member('m2', '李明', { birthYear: 1940, retired: true }),
  member('m3', '张强', { exempt: { reason: 'long_illness', since: Date.parse('2026-03-01T00:00:00Z') } }),
  member('m4', '赵丽', { exempt: { reason: 'long_illness', since: Date.parse('2027-01-05T00:00:00Z') } })
]
const names = (settings: { exemptAge?: number | null } | undefined, year?: number) =>
  attendanceSheet({ branch: { _id: 'b1', name: '一支部' }, members: people, sessions: [], checkins: [], leaves: [], makeups: [], settings, year }, `${year ?? 2026}年`, NOW).rows.slice(0, -1).map((r) => r[0])

it('labels members exempt by age as well as by mark, for the ledger’s year', () => {
  expect(names({ exemptAge: 80 }, 2026)).toEqual(['李明（免考核）', '王芳', '张强（免考核）', '赵丽'])
  // No age set: only the mark; a mark set in 2027 does not rewrite 2026's ledger, and labels 2027's.
  expect(names({ exemptAge: null }, 2026)).toEqual(['李明', '王芳', '张强（免考核）', '赵丽'])
  expect(names({}, 2027)).toEqual(['李明', '王芳', '张强（免考核）', '赵丽（免考核）'])
})
