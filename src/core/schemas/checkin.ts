import { z } from '../zod'
import { deriveId } from '../ids'
import { CHECKIN_METHODS, LEAVE_STATUSES } from '../vocab/checkin'
import {
  IdSchema,
  LatLngSchema,
  PeriodKeysSchema,
  TimestampSchema,
  lineText,
  multilineText
} from './common'

/** One check-in per member per session: a doubled tap or an offline retry maps to the same id. */
export function checkinId(sessionId: string, memberId: string): string {
  return deriveId('ci', sessionId, memberId)
}

/** One leave request per member per session; a second request updates the first. */
export function leaveId(sessionId: string, memberId: string): string {
  return deriveId('lv', sessionId, memberId)
}

/** One make-up assignment per member per missed session. */
export function makeupId(sessionId: string, memberId: string): string {
  return deriveId('mu', sessionId, memberId)
}

export const CHECKIN_STATUSES = ['attended', 'late'] as const
export const CheckinStatusSchema = z.enum(CHECKIN_STATUSES)
export type CheckinStatus = z.infer<typeof CheckinStatusSchema>

export { CHECKIN_METHODS, CHECKIN_METHOD_LABELS, type CheckinMethod } from '../vocab/checkin'
export const CheckinMethodSchema = z.enum(CHECKIN_METHODS)

export const CheckinLocationSchema = LatLngSchema.extend({
  /** Reported accuracy in metres; poor accuracy is kept as evidence, not refused. */
  accuracyM: z.number().nonnegative().max(100000).optional()
})
export type CheckinLocation = z.infer<typeof CheckinLocationSchema>

export const CheckinObject = z.object({
  _id: IdSchema,
  sessionId: IdSchema,
  memberId: IdSchema,
  branchId: IdSchema,
  /**
   * When the member checked in: the QR slot's time for offline check-ins
   * synced later, so a weak signal never turns into "late".
   */
  at: TimestampSchema,
  /** When the server accepted it; differs from `at` for offline check-ins. */
  recordedAt: TimestampSchema,
  status: CheckinStatusSchema,
  method: CheckinMethodSchema,
  proxyBy: IdSchema.optional(),
  proxyReason: lineText(200).optional(),
  location: CheckinLocationSchema.optional(),
  /** Distance from the venue in whole metres, when both positions were known. */
  distanceM: z.number().int().nonnegative().optional(),
  /** Index of the rotating-QR time slot that was scanned. */
  qrSlot: z.number().int().nonnegative().optional(),
  /**
   * A scan dated by the phone (synced after the code had rotated) counts only
   * once an officer confirms it (PendingCheckin): who confirmed, and when.
   */
  confirmedBy: IdSchema.optional(),
  confirmedAt: TimestampSchema.optional(),
  periodKeys: PeriodKeysSchema
})

export const CheckinSchema = CheckinObject.superRefine((c, ctx) => {
  if (c.method === 'proxy' && (!c.proxyBy || !c.proxyReason)) {
    ctx.addIssue({ code: 'custom', message: 'a proxy check-in needs proxyBy and proxyReason', path: ['proxyBy'] })
  }
  if (c.method === 'qr' && c.qrSlot === undefined) {
    ctx.addIssue({ code: 'custom', message: 'a QR check-in records its qrSlot', path: ['qrSlot'] })
  }
})
export type Checkin = z.infer<typeof CheckinSchema>

/**
 * A QR scan that reached the server after its code had rotated, dated by the
 * phone (`clientAt` inside the code's slot). The server cannot tell an
 * offline scan from a photo of the screen replayed later, so it waits in
 * `pending_checkins` (same id as the check-in it would become) until an
 * officer of the branch confirms it, and counts nowhere until then.
 */
export const PendingCheckinSchema = CheckinObject.pick({
  _id: true,
  sessionId: true,
  memberId: true,
  branchId: true,
  // The scan time (the phone's clock clamped into the code's slot), and when the upload arrived.
  at: true,
  recordedAt: true,
  location: true,
  distanceM: true,
  periodKeys: true
}).extend({ qrSlot: z.number().int().nonnegative() })
export type PendingCheckin = z.infer<typeof PendingCheckinSchema>

export { LEAVE_STATUSES, LEAVE_STATUS_LABELS, type LeaveStatus } from '../vocab/checkin'
export const LeaveStatusSchema = z.enum(LEAVE_STATUSES)

export const LeaveRequestObject = z.object({
  _id: IdSchema,
  sessionId: IdSchema,
  memberId: IdSchema,
  branchId: IdSchema,
  reason: multilineText(200),
  status: LeaveStatusSchema,
  decidedBy: IdSchema.optional(),
  decidedAt: TimestampSchema.optional(),
  decisionNote: lineText(200).optional(),
  /**
   * The officer who entered this leave for the member (no smartphone, told in
   * person, a paper list): approved as it is entered, never by the member.
   */
  recordedBy: IdSchema.optional(),
  periodKeys: PeriodKeysSchema,
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema
})

export const LeaveRequestSchema = LeaveRequestObject.superRefine((l, ctx) => {
  if (l.status !== 'pending' && (!l.decidedBy || l.decidedAt === undefined)) {
    ctx.addIssue({ code: 'custom', message: 'a decided leave records who and when', path: ['decidedBy'] })
  }
})
export type LeaveRequest = z.infer<typeof LeaveRequestSchema>

/**
 * assigned → submitted (a note attached) → accepted or returned (resubmit).
 * Overdue is derived from the deadline, not stored, so it cannot go stale.
 */
export const MAKEUP_STATUSES = ['assigned', 'submitted', 'accepted', 'returned'] as const
export const MakeupStatusSchema = z.enum(MAKEUP_STATUSES)
export type MakeupStatus = z.infer<typeof MakeupStatusSchema>

export const MakeupObject = z.object({
  _id: IdSchema,
  sessionId: IdSchema,
  memberId: IdSchema,
  branchId: IdSchema,
  assignedBy: IdSchema,
  deadline: TimestampSchema,
  status: MakeupStatusSchema,
  /** The note written as make-up study material. */
  noteId: IdSchema.optional(),
  submittedAt: TimestampSchema.optional(),
  reviewedBy: IdSchema.optional(),
  reviewedAt: TimestampSchema.optional(),
  periodKeys: PeriodKeysSchema,
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema
})

export const MakeupSchema = MakeupObject.superRefine((m, ctx) => {
  if (m.status !== 'assigned' && !m.noteId) {
    ctx.addIssue({ code: 'custom', message: 'a submitted make-up names its note', path: ['noteId'] })
  }
})
export type Makeup = z.infer<typeof MakeupSchema>
