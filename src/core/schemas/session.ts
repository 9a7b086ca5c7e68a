import { z } from '../zod'
import { IdSchema, LatLngSchema, TimestampSchema, lineText, multilineText } from './common'
import { DEFAULT_GEOFENCE_RADIUS_M, SESSION_TYPES } from '../vocab/session'

export { DEFAULT_GEOFENCE_RADIUS_M, SESSION_TYPES, SESSION_TYPE_LABELS, type SessionType } from '../vocab/session'
export const SessionTypeSchema = z.enum(SESSION_TYPES)

export const GeofenceSchema = LatLngSchema.extend({
  radiusM: z.number().int().min(50).max(5000).default(DEFAULT_GEOFENCE_RADIUS_M)
})
export type Geofence = z.infer<typeof GeofenceSchema>

export const VenueSchema = z.object({
  name: lineText(60),
  /** Absent for online sessions or when the branch does not check location. */
  geofence: GeofenceSchema.optional()
})
export type Venue = z.infer<typeof VenueSchema>

/**
 * When check-in is accepted: from opensAt (inclusive) to closesAt (exclusive);
 * after lateAfter it is recorded as late rather than refused.
 */
export const CheckinWindowObject = z.object({
  opensAt: TimestampSchema,
  closesAt: TimestampSchema,
  lateAfter: TimestampSchema
})
export const CheckinWindowSchema = CheckinWindowObject.refine((w) => w.closesAt > w.opensAt, {
  message: 'check-in must close after it opens',
  path: ['closesAt']
}).refine((w) => w.lateAfter >= w.opensAt && w.lateAfter <= w.closesAt, {
  message: 'lateAfter must lie inside the check-in window',
  path: ['lateAfter']
})
export type CheckinWindow = z.infer<typeof CheckinWindowSchema>

/** Who is expected to attend; expected counts and "not checked in" lists derive from it. */
export const AUDIENCE_KINDS = ['branch', 'committee', 'group', 'list'] as const
export const SessionAudienceSchema = z
  .object({
    kind: z.enum(AUDIENCE_KINDS),
    groupId: IdSchema.optional(),
    memberIds: z.array(IdSchema).min(1).max(500).optional()
  })
  .superRefine((a, ctx) => {
    if (a.kind === 'group' && !a.groupId) {
      ctx.addIssue({ code: 'custom', message: 'a group audience needs groupId', path: ['groupId'] })
    }
    if (a.kind === 'list' && !a.memberIds) {
      ctx.addIssue({ code: 'custom', message: 'a list audience needs memberIds', path: ['memberIds'] })
    }
  })
export type SessionAudience = z.infer<typeof SessionAudienceSchema>

export const SESSION_STATUSES = ['scheduled', 'cancelled'] as const
export const SessionStatusSchema = z.enum(SESSION_STATUSES)
export type SessionStatus = z.infer<typeof SessionStatusSchema>

/** The editable part of a session, shared by the document and session.create. */
export const SessionFieldsObject = z.object({
  title: lineText(60),
  type: SessionTypeSchema,
  branchId: IdSchema,
  startAt: TimestampSchema,
  endAt: TimestampSchema,
  venue: VenueSchema,
  checkin: CheckinWindowSchema,
  audience: SessionAudienceSchema,
  /** Lets members without the QR (at home, ill) check in; recorded as method 'online'. */
  allowOnlineWithoutQr: z.boolean().default(false),
  description: multilineText(500).optional(),
  /** 党课 only: the member giving it, who earns the `lecture` points once the session is tallied. */
  lecturerId: IdSchema.optional()
})

export const SessionObject = SessionFieldsObject.extend({
  _id: IdSchema,
  /** Path of the branch (root first), copied for scope queries. */
  orgPath: z.array(IdSchema).min(1).max(8),
  status: SessionStatusSchema,
  cancelReason: lineText(200).optional(),
  /** Set on every session generated from one repeating schedule. */
  recurrenceId: IdSchema.optional(),
  /**
   * Set once the check-in window has closed and attendance was counted into
   * the aggregates (cron tally); later changes (a proxy check-in typed in
   * afterwards, a leave approved late) then adjust the counts themselves.
   */
  talliedAt: TimestampSchema.optional(),
  /**
   * While a change of state (tally, cancellation) is still being counted
   * member by member: the state the members not yet counted are still at
   * (src/core/stats/counted-state.ts). Absent once everyone is counted.
   */
  pendingFrom: z.object({ status: SessionStatusSchema, tallied: z.boolean() }).optional(),
  /**
   * 补录: entered after it was held (paper sign-in, no signal), with its
   * attendance, by `createdBy` at `createdAt`. It counts like any other
   * session; the ledgers say 补录 so an inspection knows how it was kept.
   */
  recorded: z.literal(true).optional(),
  createdBy: IdSchema,
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema
})

/** Cross-field checks shared by the document and the create/update inputs. */
export function checkSessionTimes(
  s: { startAt?: number; endAt?: number; checkin?: { opensAt: number; closesAt: number } },
  ctx: z.RefinementCtx
): void {
  if (s.startAt !== undefined && s.endAt !== undefined && s.endAt <= s.startAt) {
    ctx.addIssue({ code: 'custom', message: 'a session must end after it starts', path: ['endAt'] })
  }
  if (s.checkin && s.endAt !== undefined && s.checkin.opensAt >= s.endAt) {
    ctx.addIssue({ code: 'custom', message: 'check-in must open before the session ends', path: ['checkin', 'opensAt'] })
  }
}

export const SessionSchema = SessionObject.superRefine(checkSessionTimes)
export type Session = z.infer<typeof SessionSchema>
