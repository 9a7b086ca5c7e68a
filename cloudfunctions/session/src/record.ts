/**
 * session.record: 补录一场活动. A meeting held without the app (paper sign-in,
 * no signal) is entered afterwards with its attendance, in one call, by an
 * officer of the branch. It goes the ordinary ways, so it counts exactly like
 * a session held in the app: the session as `create` builds it (plus
 * `recorded`), each attendee a 代签 check-in and each absentee on leave an
 * officer-entered leave (_shared/attendance-writes.ts), then the tally the
 * timer would run, declared and counted here (_shared/session-tally.ts).
 *
 * Idempotent by the form's clientId: the session's id derives from it, and
 * every later step is keyed by (session, member), so a resend or a call cut
 * short and sent again completes the same meeting and never makes a second.
 */
import { expectedAt } from '../../../src/core/audience'
import { recordBackRefusal } from '../../../src/core/checkin/late-records'
import { AppError } from '../../../src/core/errors'
import type { RecordedAttendance, SessionRecordInput } from '../../../src/core/functions/session'
import { deriveId } from '../../../src/core/ids'
import { MemberSchema, type Member } from '../../../src/core/schemas/member'
import { SESSION_TYPE_LABELS, SessionSchema, type Session } from '../../../src/core/schemas/session'
import { pendingFromFor } from '../../../src/core/stats/counted-state'
import { checkWindowFits, defaultCheckinWindow } from '../../../src/core/session-defaults'
import type { z } from '../../../src/core/zod'
import { addCountedCheckin, officerCheckin, recordLeaveFor } from '../../_shared/attendance-writes'
import { idsForAudit } from '../../_shared/audit'
import { requireMember } from '../../_shared/caller'
import { isDuplicateId } from '../../_shared/db'
import { eachLimit } from '../../_shared/each-limit'
import { fetchAll } from '../../_shared/paging'
import type { Runtime } from '../../_shared/runtime'
import { deadline, settleSession } from '../../_shared/session-tally'
import { settingsFor } from '../../_shared/settings'
import { resolveAudience } from './audience'
import { auditEntry, branchInScope, refuseTimes } from './scope'
import { MAX_DURATION_MS, checkLectureMonth, checkLecturer } from './write'

/** Members written at once: each is its own small transaction on that member's documents. */
const PARALLEL = 4
/** How long this call spends counting the absences before leaving the rest to the timer (function timeout 10 s). */
const COUNT_BUDGET_MS = 4000
/** What a 代签 written by this path says, in the 签到台账 and the member's record. */
export const RECORDED_REASON = '补录：活动未在小程序签到，按签到表登记'

type Input = z.infer<typeof SessionRecordInput>

/** The one deterministic id of the meeting a form recorded. */
export function recordedSessionId(branchId: string, clientId: string): string {
  return deriveId('sr', branchId, clientId)
}

/** A recorded meeting is over, not too long, and at most RECORD_BACK_DAYS ago. */
function checkPastTimes(input: Pick<Input, 'startAt' | 'endAt'>, now: number): void {
  const problems: { path: string; message: string }[] = []
  if (input.endAt - input.startAt > MAX_DURATION_MS) problems.push({ path: 'endAt', message: '一次活动最长7天，请检查结束时间' })
  if (input.endAt > now) problems.push({ path: 'endAt', message: '这场活动还没有结束；还没开的活动请在“安排活动”里安排，现场扫码签到' })
  const tooOld = recordBackRefusal(input.endAt, now)
  if (tooOld) problems.push({ path: 'endAt', message: tooOld })
  refuseTimes(problems)
}

/**
 * Every listed person must be a member the meeting expected, judged as they
 * were when it was held (expectedAt: someone who joined since was not); leave
 * for the recorder themselves is refused (nobody grants their own leave).
 */
function checkAttendance(session: Session, officer: Member, list: readonly RecordedAttendance[], byId: Map<string, Member>): void {
  const strangers = list.filter((a) => {
    const m = byId.get(a.memberId)
    return !m || !expectedAt(session, m)
  })
  if (strangers.length > 0) {
    throw new AppError('INVALID_INPUT', '名单中有不在这场活动应到人员里的，请重新选择', {
      issues: [{ path: 'attendance', code: 'custom' }],
      memberIds: strangers.slice(0, 10).map((a) => a.memberId)
    })
  }
  if (list.some((a) => a.memberId === officer._id && a.state === 'leave')) {
    throw new AppError('FORBIDDEN', '不能为自己登记请假，请由支部其他委员登记')
  }
}

/** Another session of the same type at an overlapping time: the meeting is on the calendar already. */
async function findTwin(rt: Runtime, branchId: string, s: Pick<Session, '_id' | 'type' | 'startAt' | 'endAt'>): Promise<Session | null> {
  const _ = rt.db.command
  const docs = await fetchAll(
    rt.db.collection('sessions').where({ branchId, startAt: _.gt(s.startAt - MAX_DURATION_MS).and(_.lt(s.endAt)) }),
    { cap: 1000 }
  )
  const twin = docs
    .map((d) => SessionSchema.parse(d))
    .find((o) => o._id !== s._id && o.status !== 'cancelled' && o.type === s.type && o.endAt > s.startAt)
  return twin ?? null
}

/** The session, created with its audit entry, or the one this clientId created before. */
async function createOrFind(rt: Runtime, officer: Member, doc: Session, input: Input): Promise<{ session: Session; duplicate: boolean }> {
  const ids = (state: RecordedAttendance['state']) => input.attendance.filter((a) => a.state === state).map((a) => a.memberId)
  const present = [...ids('attended'), ...ids('late')]
  const audit = auditEntry(rt, officer, 'session.record', doc, {
    type: doc.type,
    startAt: doc.startAt,
    endAt: doc.endAt,
    attended: ids('attended').length,
    late: ids('late').length,
    leave: ids('leave').length,
    present: idsForAudit(present, 900),
    onLeave: idsForAudit(ids('leave'), 400)
  })
  try {
    await rt.db.runTransaction(async (t) => {
      await t.collection('sessions').add({ data: doc })
      await t.collection('audit').add({ data: audit })
    })
    return { session: doc, duplicate: false }
  } catch (err) {
    if (!isDuplicateId(err)) throw err
    const { data } = await rt.db.collection('sessions').doc(doc._id).get()
    if (!data) throw err
    return { session: SessionSchema.parse(data), duplicate: true }
  }
}

/**
 * Declares the session tallied as the timer would (talliedAt, pendingFrom)
 * and counts its members within the budget; whoever is left, the next tick
 * counts (cron tally finishes every pendingFrom).
 */
async function tallyNow(rt: Runtime, sessionId: string): Promise<boolean> {
  const now = rt.clock.now()
  await rt.db.runTransaction(async (t) => {
    const { data } = await t.collection('sessions').doc(sessionId).get()
    const stored = data ? SessionSchema.parse(data) : null
    // Already declared (an earlier call, or the timer got there first), or cancelled meanwhile.
    if (!stored || stored.talliedAt !== undefined || stored.status !== 'scheduled') return
    await t.collection('sessions').doc(sessionId).update({ data: { talliedAt: now, pendingFrom: pendingFromFor(stored) } })
  })
  return (await settleSession(rt, sessionId, deadline(COUNT_BUDGET_MS))).done
}

export async function recordSession(rt: Runtime, input: Input) {
  const officer = await requireMember(rt)
  const branch = await branchInScope(rt, officer, input.branchId, 'manage')
  const now = rt.clock.now()
  const id = recordedSessionId(branch._id, input.clientId)

  const { data: existing } = await rt.db.collection('sessions').doc(id).get()
  let draft: Session
  if (existing) {
    // A resend: the meeting as first recorded; its attendance steps are completed below.
    draft = SessionSchema.parse(existing)
  } else {
    if (branch.closed) throw new AppError('CONFLICT', '这个支部已撤销，不能再补录活动')
    checkPastTimes(input, now)
    const checkin = defaultCheckinWindow(input.startAt, input.endAt)
    refuseTimes(checkWindowFits({ startAt: input.startAt, endAt: input.endAt, checkin }))
    const audience = await resolveAudience(rt, branch, input.type, input.audience)
    if (input.lecturerId !== undefined) {
      await checkLectureMonth(rt, branch._id, input.lecturerId, await checkLecturer(rt, branch._id, input.type, input.lecturerId), [input.startAt])
    }
    draft = SessionSchema.parse({
      _id: id,
      title: input.title,
      type: input.type,
      branchId: branch._id,
      orgPath: branch.path,
      startAt: input.startAt,
      endAt: input.endAt,
      venue: { name: input.venue.name },
      checkin,
      audience,
      allowOnlineWithoutQr: false,
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.lecturerId !== undefined ? { lecturerId: input.lecturerId } : {}),
      status: 'scheduled',
      recorded: true,
      createdBy: officer._id,
      createdAt: now,
      updatedAt: now
    })
    const twin = await findTwin(rt, branch._id, draft)
    if (twin) {
      throw new AppError('CONFLICT', `这个时间已有一场${SESSION_TYPE_LABELS[twin.type]}「${twin.title}」，请在活动列表里打开它，用“代签”和“补录请假”登记`, {
        sessionId: twin._id
      })
    }
  }
  if (draft.branchId !== branch._id || draft.recorded !== true) throw new AppError('CONFLICT')

  const memberDocs = await fetchAll(rt.db.collection('members').where({ branchId: branch._id, active: true }), { cap: 2000 })
  const members = memberDocs.map((d) => MemberSchema.parse(d))
  const byId = new Map(members.map((m) => [m._id, m]))
  checkAttendance(draft, officer, input.attendance, byId)

  const { session, duplicate } = existing ? { session: draft, duplicate: true } : await createOrFind(rt, officer, draft, input)
  if (session.status === 'cancelled') throw new AppError('CONFLICT', '这场补录的活动已被取消')

  const settings = await settingsFor(rt, session.orgPath)
  const lateAt = Math.min(session.checkin.lateAfter, session.checkin.closesAt - 1)
  // A member already written by an earlier call keeps what was written: the first record stands.
  await eachLimit(input.attendance, PARALLEL, async (a) => {
    const member = byId.get(a.memberId)!
    if (a.state === 'leave') {
      try {
        await recordLeaveFor(rt, officer, session, member, a.reason ?? '', settings, { audit: false })
      } catch (err) {
        // Checked in already (an earlier call said present): the check-in wins, as everywhere.
        if (!(err instanceof AppError && err.code === 'CONFLICT')) throw err
      }
      return
    }
    const at = a.state === 'late' ? lateAt : session.startAt
    await addCountedCheckin(rt, session, member, settings, () =>
      officerCheckin(session, member, officer, { status: a.state === 'late' ? 'late' : 'attended', reason: RECORDED_REASON, at, now })
    )
  })
  const counted = await tallyNow(rt, session._id)

  const expected = members.filter((m) => expectedAt(session, m)).length
  const n = (state: RecordedAttendance['state']) => input.attendance.filter((a) => a.state === state).length
  const { data: fresh } = await rt.db.collection('sessions').doc(session._id).get()
  return {
    session: fresh ? SessionSchema.parse(fresh) : session,
    duplicate,
    counts: { expected, attended: n('attended'), late: n('late'), leave: n('leave'), absent: Math.max(0, expected - input.attendance.length) },
    counted
  }
}
