import { z } from '../zod'
import { MinutesInputs } from './minutes'
import { IdSchema, PeriodKeySchema, TimestampSchema, lineText, multilineText } from '../schemas/common'
import { MemberSummarySchema } from '../schemas/member'
import {
  CheckinWindowSchema,
  SessionAudienceSchema,
  SessionSchema,
  SessionTypeSchema,
  VenueSchema,
  checkSessionTimes
} from '../schemas/session'

/** A list query may span at most a little over a year, so one call stays bounded. */
export const MAX_LIST_SPAN_MS = 400 * 24 * 60 * 60 * 1000

/** Most occurrences one create may generate: a year of weekly sessions. */
export const MAX_OCCURRENCES = 53

/**
 * Repeats of a schedule (e.g. 主题党日 "every month on the 15th") are
 * materialised up front, at most a year's worth, each at the first
 * occurrence's Shanghai time of day (see src/core/recurrence.ts).
 * - `every: 'month'` with optional `dayOfMonth` (1–31; a month without that
 *   day uses its last day, and the create answer says so); without it, the
 *   day of the first startAt.
 * - `every: 'week'` with optional `weekday` (1 = Monday … 7 = Sunday).
 * - exactly one of `count` (months ≤ 12, weeks ≤ 53) or `until: 'year_end'`
 *   (through the end of the first occurrence's Shanghai year).
 * The first occurrence is the first matching date on or after startAt's date.
 */
export const RecurrenceSchema = z
  .object({
    every: z.enum(['week', 'month']),
    count: z.number().int().min(2).max(MAX_OCCURRENCES).optional(),
    until: z.literal('year_end').optional(),
    dayOfMonth: z.number().int().min(1).max(31).optional(),
    weekday: z.number().int().min(1).max(7).optional()
  })
  .strict()
  .superRefine((r, ctx) => {
    if ((r.count === undefined) === (r.until === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'give either count or until', path: ['count'] })
    }
    if (r.every === 'month' && r.count !== undefined && r.count > 12) {
      ctx.addIssue({ code: 'custom', message: 'at most 12 monthly occurrences', path: ['count'] })
    }
    if (r.every === 'month' && r.weekday !== undefined) {
      ctx.addIssue({ code: 'custom', message: 'weekday belongs to a weekly rule', path: ['weekday'] })
    }
    if (r.every === 'week' && r.dayOfMonth !== undefined) {
      ctx.addIssue({ code: 'custom', message: 'dayOfMonth belongs to a monthly rule', path: ['dayOfMonth'] })
    }
  })
export type Recurrence = z.infer<typeof RecurrenceSchema>

const sessionEditable = {
  title: lineText(60),
  type: SessionTypeSchema,
  startAt: TimestampSchema,
  endAt: TimestampSchema,
  venue: VenueSchema,
  /** Omitted: opens 30 min before start, late after start + 10 min, closes at end (session-defaults.ts). */
  checkin: CheckinWindowSchema.optional(),
  audience: SessionAudienceSchema,
  allowOnlineWithoutQr: z.boolean().optional(),
  description: multilineText(500).optional(),
  /** 党课 only: who gives it (a member of the branch). */
  lecturerId: IdSchema.optional()
}

/**
 * The schedule form's own id, made once per form and kept across its retries
 * (a double tap, a lost reply): the same clientId is the same create. The
 * characters of newClientId (src/api/drafts.ts); long enough not to be guessed
 * by accident, short enough that the derived session ids stay small.
 */
export const SessionClientIdSchema = z.string().regex(/^[A-Za-z0-9_.-]{8,64}$/, 'clientId: 8–64 of A–Z a–z 0–9 _ . -')

export const SessionCreateInput = z
  .object({
    branchId: IdSchema,
    /** Optional for older callers; the app always sends it, which makes the create idempotent. */
    clientId: SessionClientIdSchema.optional(),
    ...sessionEditable,
    /** Omitted: the type's default (支委会 the committee, others the branch; 党小组会 must name a group). */
    audience: SessionAudienceSchema.optional(),
    recurrence: RecurrenceSchema.optional()
  })
  .strict()
  .superRefine(checkSessionTimes)

/** Only the fields given change; times are rechecked against the stored ones by the handler. */
export const SessionUpdateInput = z
  .object({
    sessionId: IdSchema,
    title: sessionEditable.title.optional(),
    type: SessionTypeSchema.optional(),
    startAt: TimestampSchema.optional(),
    endAt: TimestampSchema.optional(),
    venue: VenueSchema.optional(),
    checkin: CheckinWindowSchema.optional(),
    audience: SessionAudienceSchema.optional(),
    allowOnlineWithoutQr: z.boolean().optional(),
    description: sessionEditable.description,
    /** null removes the lecturer. */
    lecturerId: IdSchema.nullable().optional()
  })
  .strict()
  .superRefine(checkSessionTimes)

export const SessionCancelInput = z.object({ sessionId: IdSchema, reason: lineText(200) }).strict()

/** What a member's part was at a meeting recorded afterwards; everyone expected and not listed was absent. */
export const RECORDED_STATES = ['attended', 'late', 'leave'] as const
export const RecordedAttendanceSchema = z
  .object({
    memberId: IdSchema,
    state: z.enum(RECORDED_STATES),
    /** Why they could not come; required for leave, kept on the leave record. */
    reason: multilineText(200).optional()
  })
  .strict()
export type RecordedAttendance = z.infer<typeof RecordedAttendanceSchema>

/** Longest attendance list one record call takes: a branch (they split at 50) several times over. */
export const MAX_RECORDED_ATTENDANCE = 300

/**
 * 补录一场活动: a meeting held without the app (paper sign-in, no signal),
 * entered afterwards with its attendance in one call. `clientId` (the form's
 * own id) makes a resend the same meeting, never a second one. Counted like
 * a session held in the app; marked `recorded`.
 */
export const SessionRecordInput = z
  .object({
    clientId: IdSchema,
    branchId: IdSchema,
    title: lineText(60),
    type: SessionTypeSchema,
    startAt: TimestampSchema,
    endAt: TimestampSchema,
    /** Only the name: nobody checks in against a place afterwards. */
    venue: z.object({ name: lineText(60) }).strict(),
    /** Omitted: the type's default, as for create. */
    audience: SessionAudienceSchema.optional(),
    description: multilineText(500).optional(),
    lecturerId: IdSchema.optional(),
    attendance: z.array(RecordedAttendanceSchema).max(MAX_RECORDED_ATTENDANCE)
  })
  .strict()
  .superRefine((r, ctx) => {
    checkSessionTimes(r, ctx)
    const seen = new Set<string>()
    r.attendance.forEach((a, i) => {
      if (seen.has(a.memberId)) ctx.addIssue({ code: 'custom', message: 'a member is listed twice', path: ['attendance', i, 'memberId'] })
      seen.add(a.memberId)
      if (a.state === 'leave' && !a.reason) ctx.addIssue({ code: 'custom', message: 'leave needs a reason', path: ['attendance', i, 'reason'] })
    })
    // A meeting nobody came to was not held: that is an absence for all, not a record to make.
    if (!r.attendance.some((a) => a.state !== 'leave')) {
      ctx.addIssue({ code: 'custom', message: 'at least one member attended', path: ['attendance'] })
    }
  })

export const SessionRecordOutput = z.object({
  session: SessionSchema,
  /** This clientId's meeting was recorded before (a resend): the same session answers. */
  duplicate: z.boolean(),
  counts: z.object({
    expected: z.number().int().nonnegative(),
    attended: z.number().int().nonnegative(),
    late: z.number().int().nonnegative(),
    leave: z.number().int().nonnegative(),
    absent: z.number().int().nonnegative()
  }),
  /** False when the absences were not all counted within this call: the timer's tally finishes them. */
  counted: z.boolean()
})

/** Default and largest page of session.list; a branch holds well under 100 sessions a year. */
export const SESSION_LIST_PAGE = 100
export const SESSION_LIST_MAX_PAGE = 200

export const SessionListInput = z
  .object({
    branchId: IdSchema,
    from: TimestampSchema,
    to: TimestampSchema,
    /** Paging: sessions are sorted by startAt then _id; pass the previous answer's nextOffset. */
    offset: z.number().int().min(0).max(5000).optional(),
    limit: z.number().int().min(1).max(SESSION_LIST_MAX_PAGE).optional()
  })
  .strict()
  .refine((q) => q.to > q.from && q.to - q.from <= MAX_LIST_SPAN_MS, {
    message: 'the range must be forward and at most about a year',
    path: ['to']
  })

export const SessionGetInput = z.object({ sessionId: IdSchema }).strict()
export const SessionRosterInput = z.object({ sessionId: IdSchema }).strict()

/** Sessions with startAt in [from, to), by startAt; nextOffset is null on the last page. */
export const SessionListOutput = z.object({
  sessions: z.array(SessionSchema),
  nextOffset: z.number().int().nonnegative().nullable().optional()
})
export const SessionGetOutput = z.object({ session: SessionSchema })

/** Something the server chose for the secretary, said in Chinese (e.g. 2月没有31日，改在28日). */
export const SessionNoticeSchema = z.object({
  code: z.enum(['day_clamped']),
  message: z.string(),
  /** The occurrence it concerns (0-based), when it concerns one. */
  index: z.number().int().nonnegative().optional()
})
export type SessionNotice = z.infer<typeof SessionNoticeSchema>

/** One session, or every occurrence of a recurrence (sharing recurrenceId), by startAt. */
export const SessionCreateOutput = z.object({
  sessions: z.array(SessionSchema).min(1),
  notices: z.array(SessionNoticeSchema).optional()
})
export const SessionUpdateOutput = z.object({ session: SessionSchema })
/** alreadyCancelled: the call found it cancelled before (cancel is idempotent). */
export const SessionCancelOutput = z.object({ session: SessionSchema, alreadyCancelled: z.boolean() })

/** Where each expected member stands for one session; absent until they act. */
export const ROSTER_STATES = ['attended', 'late', 'leave_pending', 'leave_approved', 'absent'] as const
export const RosterRowSchema = z.object({
  member: MemberSummarySchema,
  state: z.enum(ROSTER_STATES),
  at: TimestampSchema.optional(),
  method: z.enum(['qr', 'online', 'proxy']).optional()
})
export type RosterRow = z.infer<typeof RosterRowSchema>
export const SessionRosterOutput = z.object({
  session: SessionSchema,
  rows: z.array(RosterRowSchema),
  counts: z.object({
    expected: z.number().int().nonnegative(),
    attended: z.number().int().nonnegative(),
    late: z.number().int().nonnegative(),
    /** Rows in leave_pending or leave_approved, so the five counts add up to expected. */
    leave: z.number().int().nonnegative(),
    absent: z.number().int().nonnegative(),
    /** The pending part of `leave`; only approved leave leaves the rate's denominator. */
    leavePending: z.number().int().nonnegative().optional()
  })
})

/** Cadence of 三会一课 for one branch over a month (`2026-03`), quarter (`2026-Q1`) or year. */
export const SessionCadenceInput = z.object({ branchId: IdSchema, period: PeriodKeySchema }).strict()

/**
 * One requirement in one sub-period (a month for monthly meetings, a quarter
 * for quarterly ones). held: not cancelled and ended by now; scheduled: not
 * cancelled, not ended yet. status: met (held ≥ required), scheduled (held +
 * scheduled ≥ required), missing (otherwise).
 */
export const CadenceItemSchema = z.object({
  type: SessionTypeSchema,
  label: z.string(),
  groupId: IdSchema.optional(),
  groupName: z.string().optional(),
  period: PeriodKeySchema,
  required: z.number().int().nonnegative(),
  held: z.number().int().nonnegative(),
  scheduled: z.number().int().nonnegative(),
  status: z.enum(['met', 'scheduled', 'missing']),
  /** The sub-period is over: a shortfall can no longer be made up in it. */
  periodEnded: z.boolean()
})
export type CadenceItem = z.infer<typeof CadenceItemSchema>
export const SessionCadenceOutput = z.object({
  branchId: IdSchema,
  period: PeriodKeySchema,
  hasCommittee: z.boolean(),
  /** Every requirement checked, in a stable order (by sub-period, then type). */
  items: z.array(CadenceItemSchema),
  /** The items not met (status scheduled or missing). */
  missing: z.array(CadenceItemSchema)
})

/** Leaders' 双重组织生活 for one Shanghai month: a branch (its officers) or an org (its admins). */
export const SessionDualLifeInput = z
  .object({
    branchId: IdSchema.optional(),
    orgId: IdSchema.optional(),
    month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'month must look like 2026-03')
  })
  .strict()
  .refine((q) => (q.branchId === undefined) !== (q.orgId === undefined), {
    message: 'give either branchId or orgId',
    path: ['branchId']
  })

export const DualLifeRowSchema = z.object({
  member: MemberSummarySchema,
  branchName: z.string(),
  /** Sessions (not cancelled) of the leader's own branch starting in the month and over. */
  sessionsInMonth: z.number().int().nonnegative(),
  /** Those still to come (not over): the leader may yet take part. */
  upcomingInMonth: z.number().int().nonnegative().default(0),
  /** The leader's latest check-in at their own branch before the month ended; null if none kept. */
  lastAttendedAt: TimestampSchema.nullable()
})
export type DualLifeRow = z.infer<typeof DualLifeRowSchema>
export const SessionDualLifeOutput = z.object({
  month: z.string(),
  /** Leading cadres in scope (active members flagged leadingCadre). */
  leaders: z.number().int().nonnegative(),
  /** Those who attended nothing of their own branch that month, with nothing of it left to come, by branch then name. */
  missing: z.array(DualLifeRowSchema),
  /** Not there yet, but the month still has sessions ahead (or none held or scheduled so far): not missed yet. */
  pending: z.array(DualLifeRowSchema).default([])
})

export const SessionInputs = {
  ...MinutesInputs,
  create: SessionCreateInput,
  update: SessionUpdateInput,
  cancel: SessionCancelInput,
  record: SessionRecordInput,
  list: SessionListInput,
  get: SessionGetInput,
  roster: SessionRosterInput,
  cadence: SessionCadenceInput,
  dualLife: SessionDualLifeInput
} as const
