/**
 * Who a reminder reaches. Pure: the cloud function gathers the facts (members,
 * check-ins, leave, make-ups, pace, warnings) and this decides, so a preview
 * and the real send can never disagree about the recipients.
 */
import { isExpected } from '../audience'
import type { Member } from '../schemas/member'
import type { ReminderAudience } from '../schemas/reminder'
import type { Session } from '../schemas/session'
import type { NotePaceStatus } from '../notes/pace'

export type AudienceMember = Pick<Member, '_id' | 'name' | 'branchId' | 'groupId' | 'roles' | 'active' | 'joinStatus' | 'exempt'>

export interface AudienceFacts {
  branchId: string
  /** The branch's members (any state). */
  members: AudienceMember[]
  /** For not_checked_in, and for makeup_pending with a sessionId. */
  session?: Pick<Session, '_id' | 'branchId' | 'audience' | 'status'>
  /** Member ids checked in to `session`. */
  checkedIn: ReadonlySet<string>
  /** Member ids with an approved leave for `session`. */
  approvedLeave: ReadonlySet<string>
  /** memberId -> session ids with a make-up assigned or returned, not accepted. */
  makeupPending: ReadonlyMap<string, readonly string[]>
  paceStatus: ReadonlyMap<string, NotePaceStatus>
  warningLevel: ReadonlyMap<string, 'yellow' | 'red'>
}

/**
 * Chinese collation where the runtime has it; the id tie-break keeps the
 * order stable even where it does not (old WeChat engines lack full Intl),
 * so the preview list does not shuffle between two opens.
 */
export function compareByName(a: Pick<AudienceMember, '_id' | 'name'>, b: Pick<AudienceMember, '_id' | 'name'>): number {
  const byName = a.name.localeCompare(b.name, 'zh-Hans-CN')
  if (byName !== 0) return byName
  return a._id < b._id ? -1 : a._id > b._id ? 1 : 0
}

/** Only confirmed, active members of this branch can ever receive a branch reminder. */
function reachable(m: AudienceMember, branchId: string): boolean {
  return m.branchId === branchId && m.active && m.joinStatus !== 'pending'
}

/** A session that can anchor a targeted reminder: the one named, of this branch, still on. */
function usableSession(audience: ReminderAudience, f: AudienceFacts): AudienceFacts['session'] | undefined {
  const s = f.session
  if (!s || !audience.sessionId) return undefined
  if (s._id !== audience.sessionId || s.branchId !== f.branchId || s.status === 'cancelled') return undefined
  return s
}

export function selectRecipients(audience: ReminderAudience, f: AudienceFacts): AudienceMember[] {
  const pool = f.members.filter((m) => reachable(m, f.branchId))
  let picked: AudienceMember[]
  switch (audience.kind) {
    case 'branch':
      picked = pool
      break
    case 'members': {
      // Ids outside the branch are dropped silently: the list is the
      // secretary's pick, and it must never reach into another branch.
      const wanted = new Set(audience.memberIds ?? [])
      picked = pool.filter((m) => wanted.has(m._id))
      break
    }
    case 'not_checked_in': {
      const s = usableSession(audience, f)
      // Without the right session we cannot know who is missing; nobody is
      // safer than everybody (a reminder to people who did come is a nag).
      if (!s) return []
      picked = pool.filter((m) => isExpected(s, m) && !f.checkedIn.has(m._id) && !f.approvedLeave.has(m._id))
      break
    }
    case 'makeup_pending': {
      const sessionId = audience.sessionId
      picked = pool.filter((m) => {
        const pending = f.makeupPending.get(m._id) ?? []
        return sessionId ? pending.includes(sessionId) : pending.length > 0
      })
      break
    }
    case 'behind_pace':
      // Exempt members carry no quota, whatever a stale pace figure says.
      picked = pool.filter((m) => {
        if (m.exempt) return false
        const status = f.paceStatus.get(m._id)
        return status === 'behind' || status === 'far_behind'
      })
      break
    case 'warned':
      picked = pool.filter((m) => {
        if (m.exempt) return false
        const level = f.warningLevel.get(m._id)
        if (!level) return false
        return audience.level === 'red' ? level === 'red' : true
      })
      break
    default:
      return []
  }
  return [...picked].sort(compareByName)
}
