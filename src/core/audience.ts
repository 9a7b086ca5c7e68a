import { memberAsOf, type PastMembership } from './org/membership'
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

type HeldSession = AudienceSession & Pick<Session, 'startAt'>
type MemberOverTime = AudienceMember & Pick<Member, 'joinedAt'> & { branchHistory?: readonly PastMembership[] }

/**
 * Was the member expected (应到) at a session, judged as they were when it
 * started: in its branch then (joined, or transferred in, and not yet
 * transferred out), and in its audience with the group and offices they held
 * there. The one judge for every record of a session held: the tally, the
 * rebuild, warnings, the ledgers, the archive and the member's own page.
 * (isExpected alone answers for today, e.g. whether one may check in now.)
 */
export function expectedAt(session: HeldSession, member: MemberOverTime): boolean {
  const then = memberAsOf(member, session.branchId, session.startAt)
  return then !== null && isExpected(session, then)
}
