/** memberRanking and branchRanking: reads of aggregates only, never raw records. */
import type { BranchRankingInput, MemberRankingInput } from '../../../src/core/functions/stats'
import { exemptionOf } from '../../../src/core/org/exemption'
import { parsePeriod, previousPeriod } from '../../../src/core/period'
import { aggregateId } from '../../../src/core/schemas/aggregate'
import { branchRow, memberFigures, rankBranches, rankMembers } from '../../../src/core/stats/ranking'
import { canSeeRanking, hiddenRankingReason } from '../../../src/core/stats/visibility'
import type { z } from '../../../src/core/zod'
import { loadBranchIf, requireMember } from '../../_shared/caller'
import type { Runtime } from '../../_shared/runtime'
import { settingsFor } from '../../_shared/settings'
import { OUT_OF_SCOPE, branchAggregates, branchMembers, branchViewer, branchesUnder, loadOrgInScope, memberAggregates, orgViewer } from './scope'

export async function memberRankingAction(rt: Runtime, input: z.infer<typeof MemberRankingInput>) {
  const caller = await requireMember(rt)
  const branch = await loadBranchIf(rt, input.branchId, (b) => caller.branchId === b._id || branchViewer(caller, b).officer, OUT_OF_SCOPE)
  const viewer = branchViewer(caller, branch)
  const settings = await settingsFor(rt, branch.path)
  const prev = previousPeriod(input.period)
  const members = await branchMembers(rt, branch._id)
  const aggs = await memberAggregates(rt, members.map((m) => m._id), [input.period, prev])
  const figs = (period: string) => {
    const year = parsePeriod(period).year
    return members.map((m) =>
      memberFigures({ _id: m._id, name: m.name, exempt: exemptionOf(m, settings, year).ranking }, aggs.get(aggregateId('member', m._id, period)) ?? null, period)
    )
  }
  const current = figs(input.period)
  const { rows, exemptCount } = rankMembers(current, figs(prev), input.by)
  const visible = canSeeRanking(settings.visibility.memberRanking, viewer)
  const showPoints = settings.showPointsToMembers || viewer.officer || viewer.admin
  const strip = <T extends { points: number }>(r: T): T => (showPoints ? r : { ...r, points: 0 })
  const mine = rows.find((r) => r.memberId === caller._id) ?? current.find((f) => f.memberId === caller._id) ?? null
  const me = mine ? strip(visible ? mine : { ...mine, rank: undefined, previousRank: undefined }) : null
  return {
    period: input.period,
    previousPeriod: prev,
    by: input.by,
    branchName: branch.name,
    visible,
    ...(visible ? {} : { hiddenReason: hiddenRankingReason(settings.visibility.memberRanking) }),
    rows: visible ? rows.map(strip) : [],
    me,
    exemptCount,
    showPoints
  }
}

export async function branchRankingAction(rt: Runtime, input: z.infer<typeof BranchRankingInput>) {
  const caller = await requireMember(rt)
  const org = await loadOrgInScope(rt, caller, input.orgId)
  const settings = await settingsFor(rt, org.path)
  const viewer = orgViewer(caller, org)
  const visible = canSeeRanking(settings.visibility.branchRanking, viewer)
  const base = {
    period: input.period,
    previousPeriod: previousPeriod(input.period),
    by: input.by,
    orgName: org.name,
    visible,
    myBranchId: caller.orgPath.includes(org._id) ? caller.branchId : null
  }
  if (!visible) return { ...base, hiddenReason: hiddenRankingReason(settings.visibility.branchRanking), rows: [] }
  const [branches, cur, prev] = await Promise.all([
    branchesUnder(rt, org._id),
    branchAggregates(rt, org._id, input.period),
    branchAggregates(rt, org._id, base.previousPeriod)
  ])
  const rowsOf = (aggs: typeof cur, period: string) => branches.map((b) => branchRow({ _id: b._id, name: b.name }, aggs.get(b._id) ?? null, period))
  return { ...base, rows: rankBranches(rowsOf(cur, input.period), rowsOf(prev, base.previousPeriod), input.by) }
}
