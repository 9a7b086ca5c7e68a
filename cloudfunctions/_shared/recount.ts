/**
 * Recounting after a change that moves a member's figures without any new
 * fact: an exemption, a rank, 离退休, a birth year, a deactivation, a
 * transfer, a quota or points setting. Such a change alters who counts for
 * the branch and what each counts for, across the whole year, which no
 * increment can express; it is the rebuild's job (reconcileBranch). So the
 * change rebuilds the year of the branches it touches right away, within a
 * time budget, and leaves what does not fit (a 党委's quota change over 200
 * branches) in `recounts` for the timer's next tick, instead of for the
 * nightly reconciliation: figures and rankings are right within minutes.
 */
import { periodKeysOf } from '../../src/core/period'
import { branchesAfter, reconcileBranch } from './reconcile'
import type { Runtime } from './runtime'

export const RECOUNTS = 'recounts'

/** What a change in a member-admin call may take before the rest waits for the timer. */
export const RECOUNT_NOW_MS = 8_000
const PAGE = 20

interface Pending {
  scope: string
  year: number
  cursor?: string
}

/**
 * Rebuilds the current year of every branch under each scope (a branch, or
 * an org above), branch after branch, until `ms` of wall time is spent; the
 * rest is queued for the timer. Returns whether all were done.
 */
export async function recountNow(rt: Runtime, scopes: string | readonly string[], ms = RECOUNT_NOW_MS): Promise<boolean> {
  const until = Date.now() + ms
  const year = Number(periodKeysOf(rt.clock.now()).year)
  let all = true
  for (const scope of new Set([scopes].flat())) all = (await recountFrom(rt, { scope, year }, until)) && all
  return all
}

async function recountFrom(rt: Runtime, job: Pending, until: number): Promise<boolean> {
  const id = `${job.scope}|${job.year}`
  let cursor = job.cursor
  for (;;) {
    const page = await branchesAfter(rt, job.scope, cursor, PAGE)
    for (const b of page) {
      if (Date.now() > until) {
        await rt.db.collection(RECOUNTS).doc(id).set({ data: { scope: job.scope, year: job.year, ...(cursor ? { cursor } : {}), updatedAt: rt.clock.now() } })
        return false
      }
      await reconcileBranch(rt, b, job.year)
      cursor = b._id
    }
    if (page.length < PAGE) break
  }
  // A queued recount this call has just finished (or a newer change has redone) is not run again.
  await rt.db.collection(RECOUNTS).doc(id).remove().catch(() => undefined)
  return true
}

/** The timer's part: finish queued recounts, oldest first, within `ms`. */
export async function drainRecounts(rt: Runtime, ms: number): Promise<{ processed: number; left: boolean }> {
  const until = Date.now() + ms
  const { data } = await rt.db.collection(RECOUNTS).orderBy('updatedAt', 'asc').limit(10).get()
  let processed = 0
  for (const d of data) {
    if (Date.now() > until) return { processed, left: true }
    const job: Pending = { scope: String(d.scope), year: Number(d.year), ...(typeof d.cursor === 'string' ? { cursor: d.cursor } : {}) }
    if (!(await recountFrom(rt, job, until))) return { processed, left: true }
    processed++
  }
  return { processed, left: data.length === 10 }
}
