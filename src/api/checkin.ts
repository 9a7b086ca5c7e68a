/**
 * The `checkin` cloud function, typed from the zod schemas in src/core.
 * Only types are imported from the schemas, so no schema code is bundled here.
 */
import type { z } from '../core/zod'
import type {
  AssignMakeUpOutput,
  AttendanceCountsSchema,
  BranchMakeUpRowSchema,
  BranchMakeUpsOutput,
  CheckInInput,
  CheckInOutput,
  CheckinMineOutput,
  CheckinTokenOutput,
  ConfirmCheckinsOutput,
  LeaveOutput,
  LeaveRowSchema,
  LeavesOutput,
  MakeUpOutput,
  MakeUpRowSchema,
  MakeUpsOutput,
  MineRowSchema,
  PendingCheckinRowSchema,
  PendingCheckinsOutput
} from '../core/functions/checkin'
import type { Checkin, CheckinLocation, CheckinMethod, CheckinStatus, LeaveRequest, LeaveStatus, Makeup, MakeupStatus } from '../core/schemas/checkin'
import { call } from './index'

export type { Checkin, CheckinLocation, CheckinMethod, CheckinStatus, LeaveRequest, LeaveStatus, Makeup, MakeupStatus }
export type CheckinToken = z.infer<typeof CheckinTokenOutput>
export type CheckInRequest = z.infer<typeof CheckInInput>
export type CheckInResult = z.infer<typeof CheckInOutput>
export type LeaveRow = z.infer<typeof LeaveRowSchema>
export type MakeUpRow = z.infer<typeof MakeUpRowSchema>
export type MakeUpResult = z.infer<typeof MakeUpOutput>
export type BranchMakeUpRow = z.infer<typeof BranchMakeUpRowSchema>
export type MineRow = z.infer<typeof MineRowSchema>
export type AttendanceCounts = z.infer<typeof AttendanceCountsSchema>
export type MyRecord = z.infer<typeof CheckinMineOutput>
export type PendingScan = z.infer<typeof PendingCheckinRowSchema>
export type ConfirmResult = z.infer<typeof ConfirmCheckinsOutput>

/** Secretary: the rotating token to show on the venue screen now. */
export function token(sessionId: string): Promise<CheckinToken> {
  return call<CheckinToken>('checkin', 'token', { sessionId })
}

/** Member: check in with a scanned token, the six digits typed from the venue screen, or online where the session allows it. */
export function checkIn(input: CheckInRequest): Promise<CheckInResult> {
  const payload: Record<string, unknown> = { sessionId: input.sessionId }
  if (input.token) payload.token = input.token
  if (input.code) payload.code = input.code
  if (input.location) payload.location = input.location
  if (input.clientAt !== undefined) payload.clientAt = input.clientAt
  return call<CheckInResult>('checkin', 'checkIn', payload)
}

/** Secretary records a member's attendance for them (audited), with the reason. */
export function proxyCheckIn(sessionId: string, memberId: string, reason: string): Promise<Partial<CheckInResult>> {
  return call<Partial<CheckInResult>>('checkin', 'proxyCheckIn', { sessionId, memberId, reason })
}

/** Officers: the session's scans synced late (dated by the phone), waiting for confirmation. */
export async function pendingCheckins(sessionId: string): Promise<PendingScan[]> {
  const out = await call<Partial<z.infer<typeof PendingCheckinsOutput>> | undefined>('checkin', 'pendingCheckins', { sessionId })
  return out?.rows ?? []
}

/** Officers: confirm (count) or decline the session's waiting scans, all of them or the named members'. */
export function confirmCheckins(sessionId: string, accept: boolean, memberIds?: string[]): Promise<ConfirmResult> {
  return call<ConfirmResult>('checkin', 'confirmCheckins', memberIds ? { sessionId, accept, memberIds } : { sessionId, accept })
}

export async function requestLeave(sessionId: string, reason: string): Promise<LeaveRequest | undefined> {
  const out = await call<Partial<z.infer<typeof LeaveOutput>> | undefined>('checkin', 'requestLeave', { sessionId, reason })
  return out?.leave
}

export async function decideLeave(sessionId: string, memberId: string, approve: boolean, note?: string): Promise<LeaveRequest | undefined> {
  const input: Record<string, unknown> = { sessionId, memberId, approve }
  if (note && note.trim()) input.note = note.trim()
  const out = await call<Partial<z.infer<typeof LeaveOutput>> | undefined>('checkin', 'decideLeave', input)
  return out?.leave
}

/** Secretary: enters leave for a member who could not ask in the app (approved at once, audited). */
export async function recordLeave(sessionId: string, memberId: string, reason: string): Promise<LeaveRequest | undefined> {
  const out = await call<Partial<z.infer<typeof LeaveOutput>> | undefined>('checkin', 'recordLeave', { sessionId, memberId, reason })
  return out?.leave
}

/** Secretary: leave requests of the branch, newest first. */
export async function leaves(branchId: string, status?: LeaveStatus): Promise<LeaveRow[]> {
  const out = await call<z.infer<typeof LeavesOutput>>('checkin', 'leaves', status ? { branchId, status } : { branchId })
  return out.rows ?? []
}

export async function assignMakeUp(sessionId: string, memberIds: string[], deadline: number): Promise<Makeup[]> {
  const out = await call<Partial<z.infer<typeof AssignMakeUpOutput>> | undefined>('checkin', 'assignMakeUp', { sessionId, memberIds, deadline })
  return out?.makeups ?? []
}

/** Member hands in make-up study: a short note on the session's subject. */
export function makeUp(sessionId: string, content: string, title?: string): Promise<MakeUpResult> {
  return call<MakeUpResult>('checkin', 'makeUp', title ? { sessionId, content, title } : { sessionId, content })
}

/** Member: own make-ups not yet accepted. */
export async function makeUps(): Promise<MakeUpRow[]> {
  const out = await call<z.infer<typeof MakeUpsOutput>>('checkin', 'makeUps', {})
  return out.rows ?? []
}

/** Secretary: the branch's make-ups with the handed-in notes, most recently changed first. */
export async function branchMakeUps(branchId: string, status?: MakeupStatus, sessionId?: string): Promise<BranchMakeUpRow[]> {
  const input: Record<string, unknown> = { branchId }
  if (status) input.status = status
  if (sessionId) input.sessionId = sessionId
  const out = await call<z.infer<typeof BranchMakeUpsOutput>>('checkin', 'branchMakeUps', input)
  return out.rows ?? []
}

/** Secretary: 合格 (accept) or 退回 (return, with a comment the member reads) a handed-in make-up. */
export async function reviewMakeUp(sessionId: string, memberId: string, accept: boolean, note?: string): Promise<Makeup | undefined> {
  const input: Record<string, unknown> = { sessionId, memberId, accept }
  if (note && note.trim()) input.note = note.trim()
  const out = await call<Partial<MakeUpResult> | undefined>('checkin', 'reviewMakeUp', input)
  return out?.makeup
}

/** Every session of the Shanghai year the member was expected at, with counts and the attendance rate. */
export function mine(year: number, memberId?: string): Promise<MyRecord> {
  return call<MyRecord>('checkin', 'mine', memberId ? { year, memberId } : { year })
}
