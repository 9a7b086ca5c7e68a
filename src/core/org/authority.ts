/**
 * Who may act on whom. Offices are ranked over one branch:
 *
 *   党员 (member) < 支委委员 (committee) < 支部书记 (secretary) < 党委管理员 (admin)
 *
 * and among admins, the one over a higher org (closer to the 党委) ranks
 * higher: an admin of the 党委 outranks an admin of a 总支 below it. An
 * officer acts on a member's record only when they rank strictly above
 * them, and never on themselves, so nobody can lock out a superior or a
 * peer, and nobody decides their own case (another officer or the level
 * above does, as for points adjustments and note review).
 *
 * The one exception is taking an admin role away: at the top of a 党委
 * there is nobody above, so an admin of the same org may do it (never on
 * oneself), as long as the org keeps another active admin (lastAdminOf).
 */
import type { Member } from '../schemas/member'
import type { Org } from '../schemas/org'
import { ROLE_LABELS } from '../vocab/member'

type Roles = Pick<Member, 'roles'>
type OrgRef = Pick<Org, '_id' | 'path'>

/** Standing of each office; an admin adds one per level below their org (see standingOver). */
export const STANDING = { member: 0, committee: 1, secretary: 2, admin: 3 } as const

/**
 * A member's standing over an org (a branch, or a 总支/党委 for admin
 * roles): the highest office they hold that covers it. An admin role covers
 * the org when it is the org itself or above it; the higher it sits, the
 * higher the standing.
 */
export function standingOver(m: Roles, org: OrgRef): number {
  let best: number = STANDING.member
  for (const r of m.roles) {
    if (r.role === 'admin') {
      const i = org.path.indexOf(r.orgId)
      if (i >= 0) best = Math.max(best, STANDING.admin + (org.path.length - i))
    } else if (r.orgId === org._id) {
      best = Math.max(best, STANDING[r.role])
    }
  }
  return best
}

/** The office that gives a member their standing over the branch, for messages; null for a plain member. */
export function topOffice(m: Roles, branch: OrgRef): keyof typeof ROLE_LABELS | null {
  const s = standingOver(m, branch)
  if (s >= STANDING.admin) return 'admin'
  if (s === STANDING.secretary) return 'secretary'
  if (s === STANDING.committee) return 'committee'
  return null
}

/** Does `actor` rank strictly above `target` over the branch? */
export function outranks(actor: Roles, target: Roles, branch: OrgRef): boolean {
  return standingOver(actor, branch) > standingOver(target, branch)
}

/**
 * May `actor` act on `target`'s record in `branch` (edit, exempt, deactivate,
 * transfer, appoint)? Strictly above them there, never oneself. `elsewhere`
 * are the orgs the target is admin of that do not cover the branch (an admin
 * of another 总支 who belongs to this branch): the actor must outrank them
 * there too, else a branch secretary could switch off another 总支's admin.
 */
export function mayActOn(
  actor: Roles & Pick<Member, '_id'>,
  target: Roles & Pick<Member, '_id'>,
  branch: OrgRef,
  elsewhere: readonly OrgRef[] = []
): boolean {
  if (actor._id === target._id) return false
  if (!outranks(actor, target, branch)) return false
  return elsewhere.every((org) => outranks(actor, target, org))
}

/** The admin orgs of a member that do not cover the branch: what mayActOn needs as `elsewhere` (their paths to be loaded). */
export function adminOrgsOutside(m: Roles, branch: Pick<Org, 'path'>): string[] {
  return [...new Set(m.roles.filter((r) => r.role === 'admin' && !branch.path.includes(r.orgId)).map((r) => r.orgId))]
}

/**
 * May `actor` take away `target`'s admin role over `org`? An admin of that
 * org or above whose standing over it is at least the target's (a 总支's
 * admin cannot demote the 党委's), never oneself. Whether the org keeps an
 * admin is lastAdminOf's question.
 */
export function mayRevokeAdmin(actor: Roles & Pick<Member, '_id'>, target: Roles & Pick<Member, '_id'>, org: OrgRef): boolean {
  if (actor._id === target._id) return false
  const a = standingOver(actor, org)
  return a >= STANDING.admin && a >= standingOver(target, org)
}

type Holder = Pick<Member, '_id' | 'roles' | 'active'> & { joinStatus?: Member['joinStatus'] }

/**
 * Of `orgIds` (the admin roles a change would take from `target`: all of
 * them for a deactivation, one for a demotion), those where the target is
 * the last active admin: no other active, confirmed member holds an admin
 * role over that very org. An org keeps an admin of its own; a successor
 * is appointed first, then the old admin steps down. (A transfer keeps
 * admin roles, so it never leaves an org without one.)
 */
export function lastAdminOf(target: Pick<Member, '_id' | 'active'>, orgIds: readonly string[], holders: readonly Holder[]): string[] {
  if (!target.active) return []
  return orgIds.filter(
    (orgId) =>
      !holders.some((h) => h._id !== target._id && h.active && h.joinStatus !== 'pending' && h.roles.some((r) => r.role === 'admin' && r.orgId === orgId))
  )
}

/** The words of a refusal to act on someone ranked as high or higher. */
export function superiorRefusal(target: Roles & Pick<Member, 'name'>, branch: OrgRef): string {
  const office = topOffice(target, branch)
  const who = office ? `${target.name}是${ROLE_LABELS[office]}，` : ''
  return `${who}您不能办理职务与您相同或更高的同志的事项，请由上级党组织办理`
}
