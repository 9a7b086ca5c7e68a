import { AppError } from '../../../src/core/errors'
import { MemberSchema } from '../../../src/core/schemas/member'
import { OrgSchema, type Org } from '../../../src/core/schemas/org'
import type { SessionAudience, SessionType } from '../../../src/core/schemas/session'
import { defaultAudience } from '../../../src/core/session-defaults'
import type { Runtime } from '../../_shared/runtime'

/**
 * The audience a session is saved with: the one given, else the type's
 * default, checked against the branch so a session can never reach into
 * another branch (a group of it, or members of it, named by id).
 */
export async function resolveAudience(
  rt: Runtime,
  branch: Org,
  type: SessionType,
  given: SessionAudience | undefined
): Promise<SessionAudience> {
  const audience = given ?? defaultAudience(type)
  if (!audience) throw invalid('audience', '党小组会需要选择参加的党小组')
  if (type === 'group_meeting' && audience.kind !== 'group') throw invalid('audience.kind', '党小组会的参加人员应为一个党小组')
  if (audience.kind === 'group') {
    const { data } = await rt.db.collection('orgs').doc(audience.groupId as string).get()
    const group = data ? OrgSchema.parse(data) : null
    if (!group || group.type !== 'group' || group.parentId !== branch._id || group.closed) {
      throw invalid('audience.groupId', '所选党小组不属于本支部')
    }
    return { kind: 'group', groupId: group._id }
  }
  if (audience.kind === 'list') {
    const ids = [...new Set(audience.memberIds ?? [])]
    const _ = rt.db.command
    const { data } = await rt.db.collection('members').where({ _id: _.in(ids) }).limit(ids.length).get()
    const ok = new Set(
      data
        .map((d) => MemberSchema.parse(d))
        .filter((m) => m.branchId === branch._id && m.active && m.joinStatus === 'confirmed')
        .map((m) => m._id)
    )
    const bad = ids.filter((id) => !ok.has(id))
    if (bad.length > 0) {
      throw new AppError('INVALID_INPUT', '所选人员中有不是本支部在册党员的，请重新选择', {
        issues: [{ path: 'audience.memberIds', code: 'custom' }],
        memberIds: bad.slice(0, 10)
      })
    }
    return { kind: 'list', memberIds: ids }
  }
  return { kind: audience.kind }
}

function invalid(path: string, message: string): AppError {
  return new AppError('INVALID_INPUT', message, { issues: [{ path, code: 'custom' }] })
}
