import { auth } from '../cloudfunctions/auth/src/index'
import type { DispatchFn } from '../cloudfunctions/_shared/dispatch'
import { org } from '../cloudfunctions/org/src/index'

/** The same handlers CloudBase runs, by function name. */
export const FUNCTIONS: Readonly<Record<string, DispatchFn>> = Object.freeze({ auth, org })

export function getFunction(name: string): DispatchFn | undefined {
  return Object.prototype.hasOwnProperty.call(FUNCTIONS, name) ? FUNCTIONS[name] : undefined
}
