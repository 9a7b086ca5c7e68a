/**
 * Which state of a session a member's counts reflect.
 *
 * A session's counts change with its state: once tallied, its audience is
 * counted (应到, 缺席, absence points); once cancelled, nothing it gave
 * counts. On CloudBase one transaction cannot move a whole audience (30 s,
 * and every member's documents), so a change of state is counted member by
 * member, each in its own small transaction that also writes the member's
 * mark: the state that member's counts now reflect. Until every member is
 * counted the session keeps `pendingFrom`, the state of those not yet done.
 *
 * Every write touching one member's attendance reads this state, so it
 * computes before/after against what that member's counts really hold.
 */
import { deriveId } from '../ids'
import type { Session } from '../schemas/session'

export interface CountedState {
  status: Session['status']
  tallied: boolean
}

export const INITIAL_STATE: CountedState = { status: 'scheduled', tallied: false }

type StateFields = Pick<Session, 'status' | 'talliedAt' | 'pendingFrom'>

/** The state the session itself declares (what everyone is counted at once the change is done). */
export function declaredState(s: Pick<Session, 'status' | 'talliedAt'>): CountedState {
  return { status: s.status, tallied: s.talliedAt !== undefined }
}

export function sameState(a: CountedState, b: CountedState): boolean {
  return a.status === b.status && a.tallied === b.tallied
}

/** What one member's counts reflect: their mark, else the pending change's start, else the session as it is. */
export function countedState(s: StateFields, mark: CountedState | null): CountedState {
  return mark ?? s.pendingFrom ?? declaredState(s)
}

/** The session as a contribution sees it at `state` (only status and talliedAt matter there). */
export function sessionAt<S extends Pick<Session, 'status' | 'talliedAt'>>(s: S, state: CountedState): S {
  const { talliedAt: _drop, ...rest } = s
  void _drop
  return { ...rest, status: state.status, ...(state.tallied ? { talliedAt: s.talliedAt ?? 0 } : {}) } as S
}

/** The pendingFrom a new change of state starts with: an unfinished change keeps its own start. */
export function pendingFromFor(s: StateFields): CountedState {
  return s.pendingFrom ?? declaredState(s)
}

/** A transaction must commit within 30 s on CloudBase; a write started this long before the window closes cannot overlap the tally. */
export const TX_LIFETIME_MS = 30_000

/**
 * True when a new check-in can be counted without reading the member's mark,
 * leave or make-up: the session is open, untouched by any change of state,
 * and far enough from closing that the tally cannot start before this
 * write commits. Before the tally a check-in earns its points only, which
 * depend on nothing else.
 */
export function isQuietWindow(s: StateFields & Pick<Session, 'checkin'>, now: number): boolean {
  return s.status === 'scheduled' && s.talliedAt === undefined && s.pendingFrom === undefined && s.checkin.closesAt - now > TX_LIFETIME_MS
}

/** One member's mark at one session. */
export function tallyMarkId(sessionId: string, memberId: string): string {
  return deriveId('tm', sessionId, memberId)
}
