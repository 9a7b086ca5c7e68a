import { z } from '../zod'
import { IdSchema, TimestampSchema, lineText, multilineText } from '../schemas/common'
import {
  CheckinLocationSchema,
  CheckinMethodSchema,
  CheckinSchema,
  CheckinStatusSchema,
  LeaveRequestSchema,
  LeaveStatusSchema,
  MakeupSchema,
  MakeupStatusSchema
} from '../schemas/checkin'
import { NoteContentSchema, NoteReviewSchema } from '../schemas/note'
import { SessionTypeSchema } from '../schemas/session'
import { ATTENDANCE_STATES } from '../checkin/states'

/**
 * The rotating QR payload as scanned: `ci.<sessionId>.<slot>.<sig>` (see
 * src/core/checkin/qr-slot.ts; parsed from the right, since ids may hold dots).
 */
export const QrTokenSchema = z.string().min(8).max(200).regex(/^[A-Za-z0-9_.:-]+$/)

/** Secretary: the token to show now on the venue screen. */
export const CheckinTokenInput = z.object({ sessionId: IdSchema }).strict()
export const CheckinTokenOutput = z.object({
  token: QrTokenSchema,
  slot: z.number().int().nonnegative(),
  /** The screen fetches the next token a little before this (end of the slot). */
  expiresAt: TimestampSchema,
  /** A scan of this token is still accepted until then (one slot of grace). */
  validUntil: TimestampSchema,
  /** Server time when issued: the screen corrects its own clock with it. */
  serverNow: TimestampSchema,
  /** Six digits for the same slot, shown large under the QR for phones that cannot scan (core/checkin/short-code.ts). */
  code: z.string().regex(/^[0-9]{6}$/)
})

/**
 * Member. The token (or the six-digit `code` typed from the venue screen) is
 * required unless the session allows online check-in. `clientAt` is the
 * phone's time for a check-in taken offline and synced later; the server
 * trusts the token's slot, not this, and keeps it as evidence. A typed code
 * is live only: it may not come with `clientAt` (a code kept on a phone and
 * sent later would be a code read off a photo), nor with a token.
 */
export const CheckInInput = z
  .object({
    sessionId: IdSchema,
    token: QrTokenSchema.optional(),
    code: z.string().regex(/^[0-9]{6}$/).optional(),
    location: CheckinLocationSchema.optional(),
    clientAt: TimestampSchema.optional()
  })
  .strict()
  .refine((i) => i.code === undefined || i.token === undefined, { message: 'give the scanned token or the typed code, not both', path: ['code'] })
  .refine((i) => i.code === undefined || i.clientAt === undefined, { message: 'a typed code is checked when it arrives, never later', path: ['clientAt'] })
export const CheckInOutput = z.object({
  /** The check-in as counted; absent when the scan waits for an officer (`pending`). */
  checkin: CheckinSchema.optional(),
  /**
   * A scan synced after its code had rotated, dated by the phone: recorded,
   * not counted until an officer of the branch confirms it (see
   * PendingCheckinSchema). `at` is the scan time the member is told.
   */
  pending: z.object({ at: TimestampSchema, recordedAt: TimestampSchema }).optional(),
  /** True when this call found the check-in (or the waiting scan) already recorded (retry or double tap). */
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

/** Officers of the session's branch: the phone-dated scans waiting for confirmation. */
export const PendingCheckinsInput = z.object({ sessionId: IdSchema }).strict()
export const PendingCheckinRowSchema = z.object({
  memberId: IdSchema,
  name: z.string(),
  /** The scan time (the phone's clock inside the code's slot). */
  at: TimestampSchema,
  recordedAt: TimestampSchema,
  distanceM: z.number().int().nonnegative().optional(),
  /** The caller's own scan: another officer or the level above confirms it. */
  self: z.literal(true).optional()
})
export const PendingCheckinsOutput = z.object({ rows: z.array(PendingCheckinRowSchema) })

/** At most this many members named in one confirmCheckins call (a branch splits at 50). */
export const CONFIRM_CHECKINS_MAX = 200
/**
 * Officers confirm (accept) or decline a session's waiting scans: all of them,
 * or those of `memberIds`. Never one's own (it is left waiting for another officer).
 */
export const ConfirmCheckinsInput = z
  .object({
    sessionId: IdSchema,
    memberIds: z.array(IdSchema).min(1).max(CONFIRM_CHECKINS_MAX).optional(),
    accept: z.boolean()
  })
  .strict()
export const CONFIRM_OUTCOMES = ['confirmed', 'declined', 'already', 'self', 'refused'] as const
export const ConfirmCheckinsOutput = z.object({
  /** Counted now (accept). */
  confirmed: z.number().int().nonnegative(),
  /** Removed without counting (decline). */
  declined: z.number().int().nonnegative(),
  /**
   * Per member: `already` when they had checked in meanwhile (the waiting
   * scan is removed), `self` the caller's own (left waiting), `refused` when
   * the session no longer takes it (cancelled, moved, the member left the
   * branch): left waiting with `message`, for a decline.
   */
  rows: z.array(z.object({ memberId: IdSchema, outcome: z.enum(CONFIRM_OUTCOMES), message: z.string().optional() }))
})

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

/**
 * An officer enters leave for a member of the branch (no smartphone, ill and
 * told afterwards): approved at once, audited, never for themselves; up to
 * RECORD_BACK_DAYS after the session (src/core/checkin/late-records.ts).
 */
export const RecordLeaveInput = z
  .object({ sessionId: IdSchema, memberId: IdSchema, reason: multilineText(200) })
  .strict()
export const RecordLeaveOutput = LeaveOutput.extend({
  /** True when the same leave was already recorded (a retry): nothing was written. */
  duplicate: z.boolean()
})

/** Secretary's approvals list for a branch: newest first, at most 200. */
export const LeavesInput = z.object({ branchId: IdSchema, status: LeaveStatusSchema.optional() }).strict()
export const LeaveRowSchema = z.object({
  leave: LeaveRequestSchema,
  memberName: z.string(),
  sessionTitle: z.string(),
  sessionStartAt: TimestampSchema,
  /** So the list can say a request came after the session (补请假). */
  sessionEndAt: TimestampSchema.optional()
})
export const LeavesOutput = z.object({ rows: z.array(LeaveRowSchema) })

/** Secretary assigns make-up study for members who missed a session. */
export const AssignMakeUpInput = z
  .object({
    sessionId: IdSchema,
    memberIds: z.array(IdSchema).min(1).max(200),
    deadline: TimestampSchema
  })
  .strict()
export const AssignMakeUpOutput = z.object({ makeups: z.array(MakeupSchema) })

/**
 * Member hands in make-up study: a short note on the session's subject
 * (at least MAKEUP_MIN_WORDS words, counted by countNoteWords). It is stored
 * as a note titled `补学：<session title>` and linked from the make-up, judged
 * for copying and indexed like any note; one mostly copied, or with fewer
 * than MAKEUP_MIN_WORDS words of the member's own, is refused.
 */
export const MakeUpInput = z
  .object({ sessionId: IdSchema, title: lineText(60).optional(), content: NoteContentSchema })
  .strict()
export const MakeUpOutput = z.object({
  makeup: MakeupSchema,
  /** Words of the note as the server counted them. */
  words: z.number().int().nonnegative().optional(),
  /** Words credited after the copy check, as for any note. */
  creditedWords: z.number().int().nonnegative().optional(),
  /** The copy notice a note save gives; '' when every word was credited. */
  creditNotice: z.string().optional()
})

/** Secretary accepts or returns a handed-in make-up. */
export const ReviewMakeUpInput = z
  .object({ sessionId: IdSchema, memberId: IdSchema, accept: z.boolean(), note: lineText(200).optional() })
  .strict()

/** Member: own make-ups not yet accepted (to do, handed in, returned). */
export const MakeUpsInput = z.object({}).strict()
export const MakeUpRowSchema = z.object({
  makeup: MakeupSchema,
  sessionTitle: z.string(),
  sessionStartAt: TimestampSchema,
  /** Deadline passed and nothing handed in; derived, never stored. */
  overdue: z.boolean()
})
export const MakeUpsOutput = z.object({ rows: z.array(MakeUpRowSchema) })

/**
 * Secretary: the branch's make-ups, most recently changed first (at most
 * BRANCH_MAKEUPS_LIMIT), optionally only one status or one session, each with
 * who it is for and the handed-in note to read before reviewMakeUp.
 */
export const BRANCH_MAKEUPS_LIMIT = 100
/** Longer note bodies are cut in the list so a page of rows stays a small reply. */
export const MAKEUP_NOTE_TEXT_MAX = 5000
export const BranchMakeUpsInput = z
  .object({ branchId: IdSchema, status: MakeupStatusSchema.optional(), sessionId: IdSchema.optional() })
  .strict()
export const MakeUpNoteSchema = z.object({
  _id: IdSchema,
  title: z.string(),
  /** The note's text, cut at MAKEUP_NOTE_TEXT_MAX characters (then `truncated`). */
  content: z.string(),
  truncated: z.boolean(),
  words: z.number().int().nonnegative(),
  /** The last review: its comment is what the member was told. */
  review: NoteReviewSchema,
  updatedAt: TimestampSchema
})
export const BranchMakeUpRowSchema = MakeUpRowSchema.extend({
  memberName: z.string(),
  /** Present once something was handed in (submitted, accepted or returned). */
  note: MakeUpNoteSchema.optional()
})
export const BranchMakeUpsOutput = z.object({ rows: z.array(BranchMakeUpRowSchema) })

/** A member's own record for a Shanghai year; officers may name a member of their branch. */
export const CheckinMineInput = z
  .object({ year: z.number().int().min(1970).max(2999), memberId: IdSchema.optional() })
  .strict()
export const AttendanceStateSchema = z.enum(ATTENDANCE_STATES)
export const MineRowSchema = z.object({
  sessionId: IdSchema,
  title: z.string(),
  type: SessionTypeSchema,
  startAt: TimestampSchema,
  endAt: TimestampSchema,
  state: AttendanceStateSchema,
  /** When checked in, and how. */
  at: TimestampSchema.optional(),
  method: CheckinMethodSchema.optional(),
  /** A phone-dated scan of this session waiting for an officer's confirmation (not counted yet): the scan time. */
  pendingAt: TimestampSchema.optional(),
  /** Any leave request, whatever its outcome (pending ones show as upcoming/absent). */
  leaveStatus: LeaveStatusSchema.optional(),
  /** The leave was entered by an officer for the member (补录), not asked in the app. */
  leaveRecorded: z.literal(true).optional(),
  /** The session was entered after it was held (补录, paper sign-in). */
  recorded: z.literal(true).optional(),
  makeupStatus: MakeupStatusSchema.optional(),
  makeupDeadline: TimestampSchema.optional()
})
export const AttendanceCountsSchema = z.object({
  /** 应到: sessions held (over, or checked in) where the member was expected, leave included (attendanceFigures). */
  held: z.number().int().nonnegative(),
  attended: z.number().int().nonnegative(),
  late: z.number().int().nonnegative(),
  leave: z.number().int().nonnegative(),
  madeUp: z.number().int().nonnegative(),
  absent: z.number().int().nonnegative(),
  upcoming: z.number().int().nonnegative(),
  /** 应到 less approved leave: the denominator of 出勤率. */
  due: z.number().int().nonnegative()
})
export const CheckinMineOutput = z.object({
  memberId: IdSchema,
  year: z.number().int(),
  /** Oldest first. */
  rows: z.array(MineRowSchema),
  counts: AttendanceCountsSchema,
  /** (attended + late) / due, 0–1; null when nothing was due yet. */
  rate: z.number().min(0).max(1).nullable()
})

export const CheckinInputs = {
  token: CheckinTokenInput,
  checkIn: CheckInInput,
  proxyCheckIn: ProxyCheckInInput,
  pendingCheckins: PendingCheckinsInput,
  confirmCheckins: ConfirmCheckinsInput,
  requestLeave: RequestLeaveInput,
  decideLeave: DecideLeaveInput,
  recordLeave: RecordLeaveInput,
  assignMakeUp: AssignMakeUpInput,
  makeUp: MakeUpInput,
  reviewMakeUp: ReviewMakeUpInput,
  makeUps: MakeUpsInput,
  branchMakeUps: BranchMakeUpsInput,
  leaves: LeavesInput,
  mine: CheckinMineInput
} as const
