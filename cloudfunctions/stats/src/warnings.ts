/** warnings: the branch officers' view of 双色预警 (the rules in src/core/stats/warnings, the reads in _shared). */
import type { WarningsInput } from '../../../src/core/functions/stats'
import { exemptionOf } from '../../../src/core/org/exemption'
import { parsePeriod, periodKeysOf } from '../../../src/core/period'
import type { z } from '../../../src/core/zod'
import { loadOfficerBranch, requireMember } from '../../_shared/caller'
import { branchWarnings } from '../../_shared/member-warnings'
import type { Runtime } from '../../_shared/runtime'
import { settingsFor } from '../../_shared/settings'
import { branchMembers } from './scope'
import { latestTalks } from './talks'

export async function warningsAction(rt: Runtime, input: z.infer<typeof WarningsInput>) {
  const officer = await requireMember(rt)
  const branch = await loadOfficerBranch(rt, officer, input.branchId, '只有本支部的书记、支委可以查看预警')
  const now = rt.clock.now()
  const quarter = input.quarter ?? periodKeysOf(now).quarter
  const settings = await settingsFor(rt, branch.path)
  const members = await branchMembers(rt, branch._id)
  const [found, talks] = await Promise.all([branchWarnings(rt, branch._id, members, quarter, settings, now), latestTalks(rt, branch._id, quarter)])
  const warnings = found.map((w) => {
    const t = talks.get(w.memberId)
    return t ? { ...w, talk: { at: t.at, byName: t.byName, ...(t.note ? { note: t.note } : {}) } } : w
  })
  const year = parsePeriod(quarter).year
  return { quarter, branchName: branch.name, warnings, exemptCount: members.filter((m) => exemptionOf(m, settings, year).warnings).length }
}

