import { auth } from '../cloudfunctions/auth/src/index'
import { checkin } from '../cloudfunctions/checkin/src/index'
import { cron } from '../cloudfunctions/cron/src/index'
import type { DispatchFn } from '../cloudfunctions/_shared/dispatch'
import { note } from '../cloudfunctions/note/src/index'
import { org } from '../cloudfunctions/org/src/index'
import { remind } from '../cloudfunctions/remind/src/index'
import { review } from '../cloudfunctions/review/src/index'
import { archive } from '../cloudfunctions/archive/src/index'
import { session } from '../cloudfunctions/session/src/index'
import { stats } from '../cloudfunctions/stats/src/index'

/** The same handlers CloudBase runs, by function name. */
export const FUNCTIONS: Readonly<Record<string, DispatchFn>> = Object.freeze({ archive, auth, checkin, cron, note, org, remind, review, session, stats })

export function getFunction(name: string): DispatchFn | undefined {
  return Object.prototype.hasOwnProperty.call(FUNCTIONS, name) ? FUNCTIONS[name] : undefined
}
