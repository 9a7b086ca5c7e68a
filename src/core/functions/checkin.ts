import { z } from '../zod'
import { IdSchema, TimestampSchema, lineText, multilineText } from '../schemas/common'
import {
  CheckinLocationSchema,
  CheckinMethodSchema,
  CheckinSchema,
  CheckinStatusSchema,
  LeaveRequestSchema,
  MakeupSchema
} from '../schemas/checkin'

/** The rotating QR payload as scanned; its format belongs to the QR-token module. */
export const QrTokenSchema = z.string().min(8).max(200).regex(/^[A-Za-z0-9_.:-]+$/)

/** Secretary: the token to show now on the venue screen. */
export const CheckinTokenInput = z.object({ sessionId: IdSchema }).strict()
export const CheckinTokenOutput = z.object({
  token: QrTokenSchema,
  slot: z.number().int().nonnegative(),
  /** The screen fetches the next token a little before this. */
  expiresAt: TimestampSchema
})

/**
 * Member. The token is required unless the session allows online check-in.
 * `clientAt` is the phone's time for a check-in taken offline and synced
 * later; the server trusts the token's slot, not this, and keeps it as evidence.
 */
export const CheckInInput = z
  .object({
    sessionId: IdSchema,
    token: QrTokenSchema.optional(),
    location: CheckinLocationSchema.optional(),
    clientAt: TimestampSchema.optional()
  })
  .strict()
export const CheckInOutput = z.object({
  checkin: CheckinSchema,
  /** True when this call found the check-in already recorded (retry or double tap). */
  duplicate: z.boolean()
})

/** Secretary records attendance for a member who cannot tap themselves. */
export const ProxyCheckInInput = z
  .object({
    sessionId: IdSchema,
    memberId: IdSchema,
    reason: lineText(200),
    status: CheckinStatusSchema.optional()
  })
  .strict()

export const RequestLeaveInput = z.object({ sessionId: IdSchema, reason: multilineText(200) }).strict()
export const DecideLeaveInput = z
  .object({
    sessionId: IdSchema,
    memberId: IdSchema,
    approve: z.boolean(),
    note: lineText(200).optional()
  })
  .strict()
export const LeaveOutput = z.object({ leave: LeaveRequestSchema })

/** Secretary assigns make-up study for members who missed a session. */
export const AssignMakeUpInput = z
  .object({
    sessionId: IdSchema,
    memberIds: z.array(IdSchema).min(1).max(200),
    deadline: TimestampSchema
  })
  .strict()

/** Member hands in make-up study: a note written on the session's subject. */
export const MakeUpInput = z.object({ sessionId: IdSchema, noteId: IdSchema }).strict()
export const MakeUpOutput = z.object({ makeup: MakeupSchema })

export const CheckinMineInput = z.object({ year: z.number().int().min(1970).max(2999) }).strict()
export const CheckinMineOutput = z.object({
  rows: z.array(
    z.object({
      sessionId: IdSchema,
      title: z.string(),
      startAt: TimestampSchema,
      state: z.enum(['attended', 'late', 'leave_pending', 'leave_approved', 'leave_refused', 'absent', 'upcoming']),
      method: CheckinMethodSchema.optional(),
      makeupStatus: z.enum(['assigned', 'submitted', 'accepted', 'returned']).optional()
    })
  )
})

export const CheckinInputs = {
  token: CheckinTokenInput,
  checkIn: CheckInInput,
  proxyCheckIn: ProxyCheckInInput,
  requestLeave: RequestLeaveInput,
  decideLeave: DecideLeaveInput,
  assignMakeUp: AssignMakeUpInput,
  makeUp: MakeUpInput,
  mine: CheckinMineInput
} as const
