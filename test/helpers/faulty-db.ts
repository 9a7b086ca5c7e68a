/**
 * A database that loses its connection after a number of writes: every
 * write (plain or inside a transaction) fails once `state.left` reaches zero,
 * reads still work. `state.left = null` lets everything through again. Used
 * to cut a multi-step action short and prove a retry (or the next tick)
 * finishes it.
 */
import { aroundCalls, isWrite, type CallKind } from '../../cloudfunctions/_shared/db-around'
import type { Database } from '../../cloudfunctions/_shared/db'
import { RATE_LIMIT_COLLECTION } from '../../cloudfunctions/_shared/rate-limit'

export function failingAfterWrites(db: Database, state: { left: number | null }): Database {
  const gate = <T>(run: () => Promise<T>, kind: CallKind) => {
    if (state.left !== null && isWrite(kind) && state.left-- <= 0) return Promise.reject(new Error('connection lost'))
    return run()
  }
  const gated = aroundCalls(db, { call: gate, txOp: gate, transaction: (run) => run() })
  // The dispatcher's rate-limit counter (a write before each limited action) is not a step of the
  // action these tests cut short: it passes ungated, so `left` counts the action's own writes.
  return {
    command: gated.command,
    collection: (name) => (name === RATE_LIMIT_COLLECTION ? db.collection(name) : gated.collection(name)),
    runTransaction: (fn) => gated.runTransaction(fn),
    createCollection: (name) => gated.createCollection(name)
  }
}
