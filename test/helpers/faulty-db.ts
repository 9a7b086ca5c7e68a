/**
 * A database that loses its connection after a number of writes: every
 * write (plain or inside a transaction) fails once `state.left` reaches zero,
 * reads still work. `state.left = null` lets everything through again. Used
 * to cut a multi-step action short and prove a retry (or the next tick)
 * finishes it.
 */
import { aroundCalls, isWrite, type CallKind } from '../../cloudfunctions/_shared/db-around'
import type { Database } from '../../cloudfunctions/_shared/db'

export function failingAfterWrites(db: Database, state: { left: number | null }): Database {
  const gate = <T>(run: () => Promise<T>, kind: CallKind) => {
    if (state.left !== null && isWrite(kind) && state.left-- <= 0) return Promise.reject(new Error('connection lost'))
    return run()
  }
  return aroundCalls(db, { call: gate, txOp: gate, transaction: (run) => run() })
}
