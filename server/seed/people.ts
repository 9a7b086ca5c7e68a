import type { Member, Role } from '../../src/core/schemas/member'
import type { Org } from '../../src/core/schemas/org'
import { pick, seededRandom } from './random'

/**
 * The demo organisation: one 党委 with three branches of different sizes
 * (5, 12, 30), so rankings by rate can be seen to be fair to small branches.
 */
export const DEMO_COMMITTEE_ID = 'org_demo'
export const DEMO_BRANCHES = [
  { _id: 'br_1', name: '第一党支部', size: 5, inviteCode: 'DEMO0001', groups: 0 },
  { _id: 'br_2', name: '第二党支部', size: 12, inviteCode: 'DEMO0002', groups: 0 },
  { _id: 'br_3', name: '第三党支部（离退休）', size: 30, inviteCode: 'DEMO0003', groups: 3 }
] as const

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '高']
const GIVEN = ['建国', '红梅', '志强', '秀英', '伟', '芳', '军', '敏', '静', '丽', '强', '磊', '洋', '艳', '勇', '杰', '娟', '涛', '明', '超', '霞', '平', '刚', '桂英', '文', '华', '玉兰', '海燕', '国庆', '淑珍']

/** Named people the README and tests refer to, so a reader can log in as them. */
export const DEMO_PEOPLE = {
  admin: 'm_br_1_01',
  secretary1: 'm_br_1_02',
  secretary2: 'm_br_2_01',
  secretary3: 'm_br_3_01',
  member1: 'm_br_1_03',
  member2: 'm_br_2_05',
  retired: 'm_br_3_10'
} as const

export function demoOrgs(now: number): Org[] {
  const orgs: Org[] = [
    { _id: DEMO_COMMITTEE_ID, type: 'committee', name: '示范机关党委', parentId: null, path: [DEMO_COMMITTEE_ID], closed: false, createdAt: now }
  ]
  DEMO_BRANCHES.forEach((b, i) => {
    orgs.push({
      _id: b._id,
      type: 'branch',
      name: b.name,
      parentId: DEMO_COMMITTEE_ID,
      path: [DEMO_COMMITTEE_ID, b._id],
      inviteCode: b.inviteCode,
      closed: false,
      createdAt: now + i + 1
    })
    for (let g = 1; g <= b.groups; g++) {
      const id = `${b._id}_g${g}`
      orgs.push({ _id: id, type: 'group', name: `第${'一二三四五'[g - 1]}党小组`, parentId: b._id, path: [DEMO_COMMITTEE_ID, b._id, id], closed: false, createdAt: now + 10 + g })
    }
  })
  return orgs
}

export function demoMembers(now: number): Member[] {
  const rand = seededRandom(20260101)
  const used = new Set<string>(['王建国'])
  const uniqueName = (): string => {
    for (;;) {
      const name = pick(rand, SURNAMES) + pick(rand, GIVEN)
      if (!used.has(name)) {
        used.add(name)
        return name
      }
    }
  }
  const members: Member[] = []
  for (const b of DEMO_BRANCHES) {
    for (let i = 1; i <= b.size; i++) {
      const id = `m_${b._id}_${String(i).padStart(2, '0')}`
      const roles: Role[] = []
      if (id === DEMO_PEOPLE.admin) roles.push({ role: 'admin', orgId: DEMO_COMMITTEE_ID })
      // The first member of a branch is its secretary; the admin's branch uses the second.
      const secretaryIndex = b._id === 'br_1' ? 2 : 1
      if (i === secretaryIndex) roles.push({ role: 'secretary', orgId: b._id })
      if (i === secretaryIndex + 1 && b.size >= 12) roles.push({ role: 'committee', orgId: b._id })
      const isRetiredBranch = b._id === 'br_3'
      const retired = isRetiredBranch ? i >= 6 : false
      const birthYear = retired ? 1940 + Math.floor(rand() * 20) : 1965 + Math.floor(rand() * 32)
      const exemptReason = retired && i === 12 ? 'age' : retired && i === 17 ? 'mobility' : null
      members.push({
        _id: id,
        name: id === DEMO_PEOPLE.admin ? '王建国' : uniqueName(),
        openid: `dev_${id}`,
        branchId: b._id,
        groupId: b.groups > 0 ? `${b._id}_g${((i - 1) % b.groups) + 1}` : null,
        orgPath: [DEMO_COMMITTEE_ID, b._id],
        rank: i <= 2 || rand() < 0.25 ? 'deputy_section_plus' : 'staff',
        roles,
        // Leading cadres take part in their own branch's life as ordinary members.
        leadingCadre: id === DEMO_PEOPLE.admin || (b._id === 'br_2' && (i === 2 || i === 3)),
        retired,
        exempt: exemptReason ? { reason: exemptReason, note: exemptReason === 'age' ? '年满八十周岁' : '行动不便，长期居家', since: now } : null,
        phone: null,
        employeeNo: retired ? null : `E${b._id.slice(-1)}${String(i).padStart(3, '0')}`,
        birthYear,
        largeText: retired,
        active: true,
        joinStatus: 'confirmed',
        joinedAt: now - 365 * 24 * 3600 * 1000 * (2 + Math.floor(rand() * 20)),
        createdAt: now
      })
    }
  }
  return members
}
