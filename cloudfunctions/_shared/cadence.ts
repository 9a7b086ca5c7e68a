/**
 * The reads behind the cadence check of one branch (三会一课: which required
 * meetings it held), so the session function's check and the 季通报 judge a
 * branch from the same facts with the same rule (src/core/cadence.ts).
 */
import { branchHasCommittee, cadenceReport, cadenceSpan } from '../../src/core/cadence'
import type { CadenceItem } from '../../src/core/functions/session'
import type { Member } from '../../src/core/schemas/member'
import { OrgSchema, type Org } from '../../src/core/schemas/org'
import { SessionSchema } from '../../src/core/schemas/session'
import { fetchAll } from './paging'
import type { Runtime } from './runtime'

export interface BranchCadence {
  hasCommittee: boolean
  items: CadenceItem[]
}

/** Every requirement of `period` for the branch, held / on the calendar / missing as of `now`. */
export async function loadBranchCadence(rt: Runtime, branch: Pick<Org, '_id'>, period: string, now: number): Promise<BranchCadence> {
  const span = cadenceSpan(period)
  const _ = rt.db.command
  const [sessionDocs, groupDocs, memberDocs] = await Promise.all([
    fetchAll(rt.db.collection('sessions').where({ branchId: branch._id, startAt: _.gte(span.start).and(_.lt(span.end)) }), { cap: 5000 }),
    fetchAll(rt.db.collection('orgs').where({ parentId: branch._id, type: 'group' }), { cap: 200 }),
    fetchAll(rt.db.collection('members').where({ branchId: branch._id, active: true }).field({ branchId: true, active: true, roles: true }), { cap: 2000 })
  ])
  const groups = groupDocs
    .map((d) => OrgSchema.parse(d))
    .filter((g) => !g.closed)
    .sort((a, b) => a.createdAt - b.createdAt || a._id.localeCompare(b._id))
  const hasCommittee = branchHasCommittee(
    branch._id,
    memberDocs.map((d) => ({ branchId: String(d.branchId), active: d.active === true, roles: (d.roles as Member['roles']) ?? [] }))
  )
  const items = cadenceReport({
    sessions: sessionDocs.map((d) => SessionSchema.parse(d)),
    period,
    branch,
    groups,
    hasCommittee,
    now
  })
  return { hasCommittee, items }
}
