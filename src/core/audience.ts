import type { Member } from './schemas/member'
import type { Session } from './schemas/session'

type AudienceSession = Pick<Session, 'branchId' | 'audience'>
type AudienceMember = Pick<Member, '_id' | 'branchId' | 'groupId' | 'roles' | 'active'> & { joinStatus?: Member['joinStatus'] }

/**
 * Whether a member is expected (应到) at a session. Only the session's own
 * branch is ever expected, whatever a hand-picked list says, so a list can
 * never reach into another branch. Exempt members stay expected (the
 * secretary may record their attendance); rates decide separately whether
 * they count.
 */
export function isExpected(session: AudienceSession, member: AudienceMember): boolean {
  if (member.branchId !== session.branchId || !member.active || member.joinStatus === 'pending') return false
  const a = session.audience
  switch (a.kind) {
    case 'branch':
      return true
    case 'committee':
      return member.roles.some((r) => (r.role === 'secretary' || r.role === 'committee') && r.orgId === session.branchId)
    case 'group':
      return member.groupId === a.groupId
    case 'list':
      return (a.memberIds ?? []).includes(member._id)
  }
}

export function expectedMembers<M extends AudienceMember>(session: AudienceSession, members: readonly M[]): M[] {
  return members.filter((m) => isExpected(session, m))
}
