/**
 * CloudBase's cost of a call on the fast local database: every billed call
 * (see cloudfunctions/_shared/db-around.ts; a transaction's start, each
 * operation and its commit) waits `ms` before it runs, and the wrapper
 * records how many calls were in flight at once, which is what a plan's
 * connection limit (20 on the basic plan) bounds.
 */
import { aroundCalls } from '../../cloudfunctions/_shared/db-around'
import type { Database } from '../../cloudfunctions/_shared/db'

export interface LatencyStats {
  calls: number
  inFlight: number
  maxInFlight: number
}

export function latencyDb(db: Database, opts: { ms: number }): { db: Database; stats: LatencyStats } {
  const stats: LatencyStats = { calls: 0, inFlight: 0, maxInFlight: 0 }
  const wait = () => new Promise<void>((resolve) => setTimeout(resolve, opts.ms))
  const billed = async <T>(run: () => Promise<T>): Promise<T> => {
    stats.calls++
    stats.inFlight++
    if (stats.inFlight > stats.maxInFlight) stats.maxInFlight = stats.inFlight
    try {
      await wait()
      return await run()
    } finally {
      stats.inFlight--
    }
  }
  const none = () => Promise.resolve()
  return {
    stats,
    db: aroundCalls(db, {
      call: billed,
      txOp: billed,
      // The start and the commit are a call each.
      transaction: async (run) => {
        await billed(none)
        const out = await run()
        await billed(none)
        return out
      }
    })
  }
}
