/**
 * Members who have just joined a branch (an invite-code join confirmed,
 * roster rows imported) enter its figures from the current period on, as
 * branchBasisOf counts them: the branch's aggregates of this month, quarter
 * and year that already exist count them now; those made later count them
 * when made; earlier periods never do. Run after the join has committed; a
 * crash in between is a drift the nightly reconciliation rewrites.
 */
import { memberNoteQuota } from '../../src/core/notes/prorate'
import { periodKeysOf } from '../../src/core/period'
import { aggregateId } from '../../src/core/schemas/aggregate'
import type { Member } from '../../src/core/schemas/member'
import { countsInBranch } from '../../src/core/stats/rebuild'
import type { Runtime } from './runtime'
import { settingsFor } from './settings'

/** One update per branch, however many joined it. */
export async function countJoinedMembers(rt: Runtime, members: readonly Member[], now: number): Promise<void> {
  const keys = periodKeysOf(now)
  const year = Number(keys.year)
  const byBranch = new Map<string, Member[]>()
  for (const m of members) byBranch.set(m.branchId, [...(byBranch.get(m.branchId) ?? []), m])
  const _ = rt.db.command
  for (const [branchId, joined] of byBranch) {
    const settings = await settingsFor(rt, joined[0].orgPath)
    const counted = joined.filter((m) => countsInBranch(m, settings, year))
    if (counted.length === 0) continue
    const quota = counted.reduce((sum, m) => sum + (memberNoteQuota(m, settings, year)?.words ?? 0), 0)
    const ids = [keys.month, keys.quarter, keys.year].map((p) => aggregateId('branch', branchId, p))
    await rt.db
      .collection('aggregates')
      .where({ _id: _.in(ids) })
      .update({ data: { members: _.inc(counted.length), quotaWords: _.inc(quota), updatedAt: now } })
  }
}
