/**
 * The `session` cloud function, typed from the zod schemas in src/core.
 * (src/api/session.ts is the login-session storage; this file is the
 * organisational-life sessions: 三会一课, 主题党日, study sessions.)
 * Only types are imported from the schemas, so no schema code is bundled here.
 */
import type { z } from '../core/zod'
import type {
  CadenceItem,
  DualLifeRow,
  Recurrence,
  RosterRow,
  SessionCadenceOutput,
  SessionCancelOutput,
  SessionCreateInput,
  SessionCreateOutput,
  SessionDualLifeOutput,
  SessionGetOutput,
  SessionListOutput,
  SessionNotice,
  SessionRecordInput,
  SessionRecordOutput,
  SessionRosterOutput,
  SessionUpdateInput,
  SessionUpdateOutput
} from '../core/functions/session'
import type { Session, SessionAudience, SessionType, Venue } from '../core/schemas/session'
import { call } from './index'

export type { CadenceItem, DualLifeRow, Recurrence, RosterRow, Session, SessionAudience, SessionNotice, SessionType, Venue }
export type SessionCreate = z.input<typeof SessionCreateInput>
export type SessionUpdate = z.input<typeof SessionUpdateInput>
export type SessionCreateResult = z.infer<typeof SessionCreateOutput>
export type SessionCancelResult = z.infer<typeof SessionCancelOutput>
export type Roster = z.infer<typeof SessionRosterOutput>
export type RosterCounts = Roster['counts']
export type Cadence = z.infer<typeof SessionCadenceOutput>
export type DualLife = z.infer<typeof SessionDualLifeOutput>
export type SessionRecord = z.input<typeof SessionRecordInput>
export type SessionRecordResult = z.infer<typeof SessionRecordOutput>

/** Pages a long range; a branch holds well under a hundred sessions a year, so this is one call. */
const MAX_PAGES = 20

/** Sessions of a branch starting in [from, to), by start time. */
export async function listSessions(branchId: string, from: number, to: number): Promise<Session[]> {
  const all: Session[] = []
  let offset: number | undefined
  for (let page = 0; page < MAX_PAGES; page++) {
    const input: Record<string, unknown> = { branchId, from, to }
    if (offset !== undefined) input.offset = offset
    const out = await call<z.infer<typeof SessionListOutput>>('session', 'list', input)
    all.push(...(out.sessions ?? []))
    const next = out.nextOffset
    if (typeof next !== 'number' || next <= (offset ?? 0) || (out.sessions ?? []).length === 0) break
    offset = next
  }
  return all
}

export async function getSession(sessionId: string): Promise<Session> {
  const out = await call<z.infer<typeof SessionGetOutput>>('session', 'get', { sessionId })
  return out.session
}

export function createSession(input: SessionCreate): Promise<SessionCreateResult> {
  return call<SessionCreateResult>('session', 'create', input)
}

export async function updateSession(input: SessionUpdate): Promise<Session> {
  const out = await call<z.infer<typeof SessionUpdateOutput>>('session', 'update', input)
  return out.session
}

export function cancelSession(sessionId: string, reason: string): Promise<SessionCancelResult> {
  return call<SessionCancelResult>('session', 'cancel', { sessionId, reason })
}

/**
 * 补录一场活动: a meeting held without the app, with who attended, came late
 * or was on leave (the rest absent). Resending the same clientId answers the
 * same meeting, so a retry after a lost answer never records it twice.
 */
export function recordSession(input: SessionRecord): Promise<SessionRecordResult> {
  return call<SessionRecordResult>('session', 'record', input)
}

/** Who is expected and where each stands: the venue screen's live list and the per-session record. */
export function roster(sessionId: string): Promise<Roster> {
  return call<Roster>('session', 'roster', { sessionId })
}

/** Which required meetings (三会一课, 主题党日) are met, scheduled or missing in a period. */
export function cadence(branchId: string, period: string): Promise<Cadence> {
  return call<Cadence>('session', 'cadence', { branchId, period })
}

/** Leading cadres who attended nothing of their own branch in the month (双重组织生活). */
export function dualLife(branchId: string, month: string): Promise<DualLife> {
  return call<DualLife>('session', 'dualLife', { branchId, month })
}
