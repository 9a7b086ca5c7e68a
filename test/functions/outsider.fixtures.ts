/**
 * A second 党委 beside the demo one, with one branch, its secretary and its
 * admin, to prove one organisation sees and touches nothing of another.
 */
import { MemberSchema } from '../../src/core/schemas/member'
import { OrgSchema } from '../../src/core/schemas/org'
import type { TestEnv } from '../helpers/env'

export const OTHER = { org: 'org_other', branch: 'br_x', admin: 'm_other_admin', secretary: 'm_other_sec' } as const

export async function addOtherCommittee(env: TestEnv): Promise<void> {
  const t = env.clock.now()
  await env.db.collection('orgs').add({ data: OrgSchema.parse({ _id: OTHER.org, type: 'committee', name: '另一党委', parentId: null, path: [OTHER.org], closed: false, createdAt: t }) })
  await env.db.collection('orgs').add({ data: OrgSchema.parse({ _id: OTHER.branch, type: 'branch', name: '外单位支部', parentId: OTHER.org, path: [OTHER.org, OTHER.branch], closed: false, createdAt: t }) })
  const person = (_id: string, name: string, role: 'admin' | 'secretary', orgId: string) =>
    MemberSchema.parse({
      _id, name, openid: `dev_${_id}`, branchId: OTHER.branch, groupId: null, orgPath: [OTHER.org, OTHER.branch], rank: 'staff',
      roles: [{ role, orgId }], leadingCadre: false, retired: false, exempt: null, joinedAt: t, createdAt: t
    })
  await env.db.collection('members').add({ data: person(OTHER.admin, '外单位管理员', 'admin', OTHER.org) })
  await env.db.collection('members').add({ data: person(OTHER.secretary, '外单位书记', 'secretary', OTHER.branch) })
}
