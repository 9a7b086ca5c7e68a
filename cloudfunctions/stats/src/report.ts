/**
 * report: 季通报 for an organisation and a quarter. For admins over it, and
 * for officers beneath it when branch rankings are open to them; names of
 * warned members only where the caller may see that branch's people. Each
 * branch is judged with the cadence check the session function shows
 * (_shared/cadence.ts) and the warnings the warnings page shows, for this
 * quarter and the previous one (its ranks).
 */
import { AppError } from '../../../src/core/errors'
import type { CadenceItem } from '../../../src/core/functions/session'
import type { MemberWarning, ReportInput } from '../../../src/core/functions/stats'
import { previousPeriod } from '../../../src/core/period'
import { buildReport } from '../../../src/core/stats/report'
import { canSeeRanking } from '../../../src/core/stats/visibility'
import type { z } from '../../../src/core/zod'
import { isBranchOfficer, requireMember } from '../../_shared/caller'
import type { Runtime } from '../../_shared/runtime'
import { settingsFor } from '../../_shared/settings'
import { branchAggregates, branchMembers, branchesUnder, loadOrgInScope, orgViewer } from './scope'
import { loadBranchCadence } from '../../_shared/cadence'
import { eachLimit } from '../../_shared/each-limit'
import { branchWarnings } from '../../_shared/member-warnings'

export async function reportAction(rt: Runtime, input: z.infer<typeof ReportInput>) {
  const caller = await requireMember(rt)
  const org = await loadOrgInScope(rt, caller, input.orgId)
  const settings = await settingsFor(rt, org.path)
  const viewer = orgViewer(caller, org)
  if (!viewer.admin && !(viewer.officer && canSeeRanking(settings.visibility.branchRanking, viewer))) {
    throw new AppError('FORBIDDEN', '季度通报由党委管理员查看；如需查看，请联系党委开放权限')
  }
  const now = rt.clock.now()
  const prev = previousPeriod(input.period)
  const [branches, cur, before] = await Promise.all([
    branchesUnder(rt, org._id),
    branchAggregates(rt, org._id, input.period),
    branchAggregates(rt, org._id, prev)
  ])
  const warningsByBranch: Record<string, MemberWarning[]> = {}
  const previousWarnings: Record<string, MemberWarning[]> = {}
  const meetings = new Map<string, { cur: CadenceItem[]; prev: CadenceItem[] }>()
  // Branch by branch, a few at a time: each reads its own members, sessions and aggregates.
  await eachLimit(branches, 2, async (b) => {
    const branchSettings = await settingsFor(rt, b.path)
    const members = await branchMembers(rt, b._id)
    // Dates of absences are for the branch's own warning page; the report gives counts.
    const [w, pw, c, pc] = await Promise.all([
      branchWarnings(rt, b._id, members, input.period, branchSettings, now, false),
      branchWarnings(rt, b._id, members, prev, branchSettings, now, false),
      loadBranchCadence(rt, b, input.period, now),
      loadBranchCadence(rt, b, prev, now)
    ])
    warningsByBranch[b._id] = w
    previousWarnings[b._id] = pw
    meetings.set(b._id, { cur: c.items, prev: pc.items })
  })
  const inputOf = (aggs: typeof cur, which: 'cur' | 'prev') =>
    branches.map((b) => ({ branch: { _id: b._id, name: b.name }, agg: aggs.get(b._id) ?? null, meetings: meetings.get(b._id)?.[which] ?? [] }))
  return buildReport({
    orgName: org.name,
    quarter: input.period,
    generatedAt: now,
    branches: inputOf(cur, 'cur'),
    previous: inputOf(before, 'prev'),
    warnings: warningsByBranch,
    previousWarnings,
    namesVisibleFor: (branchId: string) => {
      const b = branches.find((x) => x._id === branchId)
      return !!b && isBranchOfficer(caller, b)
    }
  })
}
