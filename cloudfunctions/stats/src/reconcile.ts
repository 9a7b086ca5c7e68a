/**
 * reconcile: an admin rebuilds their organisation's aggregates on demand
 * (after changing rules or fixing data), one time-bounded chunk of branches
 * per call; the app calls again with nextCursor until it is gone.
 */
import { AppError } from '../../../src/core/errors'
import type { ReconcileInput } from '../../../src/core/functions/stats'
import { periodKeysOf } from '../../../src/core/period'
import type { z } from '../../../src/core/zod'
import { requireMember } from '../../_shared/caller'
import { branchesAfter, reconcileBranch } from '../../_shared/reconcile'
import type { Runtime } from '../../_shared/runtime'
import { loadOrgInScope, orgViewer } from './scope'

const BUDGET_MS = 3000

export async function reconcileAction(rt: Runtime, input: z.infer<typeof ReconcileInput>) {
  const caller = await requireMember(rt)
  const orgId = input.orgId ?? caller.roles.find((r) => r.role === 'admin')?.orgId
  if (!orgId) throw new AppError('FORBIDDEN', '只有党委管理员可以重新核算')
  const org = await loadOrgInScope(rt, caller, orgId)
  if (!orgViewer(caller, org).admin) throw new AppError('FORBIDDEN', '只有党委管理员可以重新核算')
  const year = input.year ?? Number(periodKeysOf(rt.clock.now()).year)
  const started = Date.now()
  let cursor = input.cursor
  const out = { year, branches: 0, aggregatesChecked: 0, aggregatesCorrected: 0, pointsCorrected: 0 }
  for (;;) {
    const branches = await branchesAfter(rt, org._id, cursor, 20)
    for (const b of branches) {
      const r = await reconcileBranch(rt, b, year)
      out.branches++
      out.aggregatesChecked += r.aggregatesChecked
      out.aggregatesCorrected += r.aggregatesCorrected
      out.pointsCorrected += r.pointsCorrected
      cursor = b._id
      if (Date.now() - started > BUDGET_MS) return { ...out, nextCursor: cursor }
    }
    if (branches.length < 20) return out
  }
}
