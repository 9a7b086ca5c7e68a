/**
 * Rules of the organisation tree (党委 → 党总支 → 党支部 → 党小组): which
 * type may sit under which, what a move does to every path below, and the
 * branch invite code. Pure, so the org function and its tests share them.
 */
import { ALLOWED_PARENT, type Org, type OrgType } from '../schemas/org'

/** OrgSchema allows paths of up to 8 orgs. */
export const MAX_DEPTH = 8

export type TreeCheck = { ok: true } | { ok: false; message: string }

/** May an org of `type` sit under `parent` (null = a new root)? */
export function canPlace(type: OrgType, parent: Pick<Org, 'type' | 'path' | 'closed'> | null): TreeCheck {
  const allowed = ALLOWED_PARENT[type]
  if (!parent) return allowed.includes(null) ? { ok: true } : { ok: false, message: '这一级组织必须建在上级组织下面' }
  if (parent.closed) return { ok: false, message: '上级组织已撤销，不能在它下面新建或移入组织' }
  if (!allowed.includes(parent.type)) return { ok: false, message: '组织层级不对：党总支建在党委下，党支部建在党委或党总支下，党小组建在党支部下' }
  if (parent.path.length + 1 > MAX_DEPTH) return { ok: false, message: '组织层级太深了，最多 8 级' }
  return { ok: true }
}

export interface MovePlan {
  /** New path of every org in the moved subtree, by id. */
  paths: Map<string, string[]>
}

/**
 * Moving `org` under `parent` rewrites the path of it and everything under
 * it (members and sessions copy their branch's path, so the caller rewrites
 * those too). Refuses a move into its own subtree, which would make a loop.
 * A move to the parent it already has plans the same paths: a retry finishes
 * an interrupted move.
 */
export function planMove(org: Org, subtree: readonly Org[], parent: Org): { ok: true; plan: MovePlan } | { ok: false; message: string } {
  if (parent._id === org._id || parent.path.includes(org._id)) return { ok: false, message: '不能把组织移到它自己或它的下级组织下面' }
  const place = canPlace(org.type, parent)
  if (!place.ok) return place
  const paths = new Map<string, string[]>()
  for (const o of subtree) {
    // Cut where the org sits in each path, not at its own depth: below a move left half done, some
    // paths still hold the old ancestors (of another length) and must land in the same place.
    const cut = o.path.indexOf(org._id)
    if (cut < 0) continue
    const next = [...parent.path, ...o.path.slice(cut)]
    if (next.length > MAX_DEPTH) return { ok: false, message: '移动后组织层级太深了，最多 8 级' }
    paths.set(o._id, next)
  }
  return { ok: true, plan: { paths } }
}

/** No 0/O or 1/I: the code is read aloud and typed by older members. */
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'

/** An 8-character invite code from random bytes (the caller supplies them: core does no I/O). */
export function inviteCodeFrom(bytes: ArrayLike<number>): string {
  if (bytes.length < 8) throw new Error('inviteCodeFrom needs 8 random bytes')
  let out = ''
  for (let i = 0; i < 8; i++) out += CODE_ALPHABET[bytes[i] % CODE_ALPHABET.length]
  return out
}
