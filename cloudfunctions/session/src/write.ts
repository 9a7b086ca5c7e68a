import { AppError } from '../../../src/core/errors'
import type { SessionCancelInput, SessionCreateInput, SessionNotice, SessionUpdateInput } from '../../../src/core/functions/session'
import { requireMember } from '../../_shared/caller'
import { deadline, pendingFromFor, settleSession } from '../../_shared/session-tally'
import type { Runtime } from '../../_shared/runtime'
import { generateOccurrences, type OccurrenceSeed } from '../../../src/core/recurrence'
import { SessionSchema, type Session } from '../../../src/core/schemas/session'
import { checkWindowFits, defaultCheckinWindow, shiftCheckinWindow } from '../../../src/core/session-defaults'
import type { z } from '../../../src/core/zod'
import { formatShanghai, periodBounds, periodKeysOf } from '../../../src/core/period'
import { lectureClash } from '../../../src/core/stats/lecture'
import { fetchAll } from '../../_shared/paging'
import { deriveId } from '../../../src/core/ids'
import type { Member } from '../../../src/core/schemas/member'
import type { Org } from '../../../src/core/schemas/org'
import { resolveAudience } from './audience'
import { auditEntry, branchInScope, newId, refuseTimes, sessionInScope } from './scope'

const DAY = 24 * 60 * 60 * 1000
/** How long a cancel spends taking back members' counts before leaving the rest to the timer (function timeout 10 s). */
const COUNT_BUDGET_MS = 4000
/** Longest session: a several-day 读书班 fits, a typo of a year does not. */
export const MAX_DURATION_MS = 7 * DAY
/** How far ahead a session may be put on the calendar. */
export const MAX_AHEAD_MS = 2 * 366 * DAY

/**
 * How far before now a session may still be put on the calendar: a meeting
 * entered in a hurry just after it began (a multi-day 读书班 on its first
 * evening) is fine; one that began days ago was held without the app and is
 * entered with session.record (补录), which marks it as recorded afterwards.
 */
export const MAX_PAST_START_MS = DAY
const PAST_START_MESSAGE = '活动开始时间已经过去了；已开过的会请用“补录活动”登记'

/**
 * Times every stored session must satisfy at the moment it is written: the
 * window fits around it, it has not already ended nor begun days ago (a
 * meeting is put on the calendar before it happens, so the cadence cannot be
 * filled in afterwards), and it is neither endless nor years away.
 * `startChecked` false: the start is the stored one, not moved by this call
 * (an edit to a long session's end must not be refused for its old start).
 */
function checkTimes(s: OccurrenceSeed, now: number, path = '', startChecked = true): void {
  const problems: { path: string; message: string }[] = []
  // First, so a meeting wholly in the past is pointed to 补录 rather than told only its end has passed.
  if (startChecked && s.startAt < now - MAX_PAST_START_MS) problems.push({ path: 'startAt', message: PAST_START_MESSAGE })
  problems.push(...checkWindowFits(s))
  if (s.endAt - s.startAt > MAX_DURATION_MS) problems.push({ path: 'endAt', message: '一次活动最长7天，请检查结束时间' })
  if (s.endAt <= now) problems.push({ path: 'endAt', message: '活动结束时间已过，不能再安排或改到过去' })
  if (s.startAt > now + MAX_AHEAD_MS) problems.push({ path: 'startAt', message: '活动最多提前两年安排' })
  refuseTimes(path ? problems.map((p) => ({ ...p, message: `${path}${p.message}` })) : problems)
}

/**
 * Ids of a create sent with the form's clientId: derived from (branch,
 * creator, clientId), occurrence by occurrence, so a double tap or a resend
 * after a lost reply writes onto the same ids and the database's unique _id
 * keeps it one session (or one series). The creator is part of the key, so
 * two officers' forms never meet.
 */
export function createdSessionId(branchId: string, creatorId: string, clientId: string, index: number): string {
  return deriveId('ss', branchId, creatorId, clientId, String(index))
}
function createdRecurrenceId(branchId: string, creatorId: string, clientId: string): string {
  return deriveId('rc', branchId, creatorId, clientId)
}

type CreateInput = z.infer<typeof SessionCreateInput>
type CreateOutput = { sessions: Session[]; notices?: SessionNotice[] }

/**
 * What this clientId created before, answered as the first call answered
 * (the series by startAt, its notices recomputed from the same input), or
 * null. The same clientId with a different form is refused: the first create
 * stands and the officer is told where to find it.
 */
async function earlierCreate(rt: Runtime, member: Member, branchId: string, input: CreateInput, clientId: string): Promise<CreateOutput | null> {
  const { data } = await rt.db.collection('sessions').doc(createdSessionId(branchId, member._id, clientId, 0)).get()
  if (!data) return null
  const first = SessionSchema.parse(data)
  // A derived id is a hash when long: never answer with someone else's session.
  if (first.branchId !== branchId || first.createdBy !== member._id) throw new AppError('CONFLICT', '这次提交没有保存，请刷新页面后重新填写')
  let sessions = [first]
  let notices: SessionNotice[] = []
  if (first.recurrenceId) {
    const docs = await fetchAll(rt.db.collection('sessions').where({ branchId, recurrenceId: first.recurrenceId }), { cap: 1000 })
    sessions = docs.map((d) => SessionSchema.parse(d)).sort((a, b) => a.startAt - b.startAt || (a._id < b._id ? -1 : 1))
  }
  const seed: OccurrenceSeed = { startAt: input.startAt, endAt: input.endAt, checkin: input.checkin ?? defaultCheckinWindow(input.startAt, input.endAt) }
  const expected = input.recurrence ? generateOccurrences(seed, input.recurrence) : { occurrences: [seed], notices: [] }
  notices = expected.notices
  const same =
    first.title === input.title &&
    first.type === input.type &&
    expected.occurrences[0]?.startAt === first.startAt &&
    Boolean(input.recurrence) === Boolean(first.recurrenceId)
  if (!same) throw new AppError('CONFLICT', '这份表单刚才已经安排过活动了，请到活动列表查看；要再安排一场，请重新打开“安排活动”')
  return notices.length > 0 ? { sessions, notices } : { sessions }
}

export async function createSessions(rt: Runtime, input: CreateInput): Promise<CreateOutput> {
  const member = await requireMember(rt)
  const branch = await branchInScope(rt, member, input.branchId, 'manage')
  const clientId = input.clientId
  // A resend answers before any check: the time may have moved on since the first call was accepted.
  if (clientId !== undefined) {
    const earlier = await earlierCreate(rt, member, branch._id, input, clientId)
    if (earlier) return earlier
    try {
      return await createNew(rt, member, branch, input)
    } catch (err) {
      // Two taps raced past the lookup: the other one's write may be what refused this one
      // (the same ids, or its 党课 taken for the lecturer's month). Then it answers both.
      const won = await earlierCreate(rt, member, branch._id, input, clientId)
      if (won) return won
      throw err
    }
  }
  return createNew(rt, member, branch, input)
}

async function createNew(rt: Runtime, member: Member, branch: Org, input: CreateInput): Promise<CreateOutput> {
  const clientId = input.clientId
  if (branch.closed) throw new AppError('CONFLICT', '这个支部已撤销，不能再安排活动')
  const now = rt.clock.now()
  const audience = await resolveAudience(rt, branch, input.type, input.audience)
  const lecturerName = input.lecturerId !== undefined ? await checkLecturer(rt, branch._id, input.type, input.lecturerId) : ''
  const seed: OccurrenceSeed = {
    startAt: input.startAt,
    endAt: input.endAt,
    checkin: input.checkin ?? defaultCheckinWindow(input.startAt, input.endAt)
  }
  checkTimes(seed, now)
  let occurrences: OccurrenceSeed[] = [seed]
  let notices: SessionNotice[] = []
  let recurrenceId: string | undefined
  if (input.recurrence) {
    const generated = generateOccurrences(seed, input.recurrence)
    occurrences = generated.occurrences
    notices = generated.notices
    recurrenceId = clientId !== undefined ? createdRecurrenceId(branch._id, member._id, clientId) : newId('rc', now)
    // Each occurrence is checked on its own: a series may run past the two-year horizon.
    occurrences.forEach((o, i) => checkTimes(o, now, occurrences.length > 1 ? `第${i + 1}次活动：` : ''))
  }
  if (input.lecturerId !== undefined) await checkLectureMonth(rt, branch._id, input.lecturerId, lecturerName, occurrences.map((o) => o.startAt))
  const sessions: Session[] = occurrences.map((o, i) =>
    SessionSchema.parse({
      _id: clientId !== undefined ? createdSessionId(branch._id, member._id, clientId, i) : newId('ss', now),
      title: input.title,
      type: input.type,
      branchId: branch._id,
      orgPath: branch.path,
      startAt: o.startAt,
      endAt: o.endAt,
      venue: input.venue,
      checkin: o.checkin,
      audience,
      allowOnlineWithoutQr: input.allowOnlineWithoutQr ?? false,
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.lecturerId !== undefined ? { lecturerId: input.lecturerId } : {}),
      status: 'scheduled',
      ...(recurrenceId ? { recurrenceId } : {}),
      createdBy: member._id,
      createdAt: now,
      updatedAt: now
    })
  )
  const audit = auditEntry(rt, member, 'session.create', sessions[0], {
    type: input.type,
    count: sessions.length,
    startAt: sessions[0].startAt,
    ...(recurrenceId ? { recurrenceId, every: input.recurrence?.every } : {})
  })
  // A series is all or nothing: a failed write leaves no half-year on the calendar.
  await rt.db.runTransaction(async (t) => {
    for (const s of sessions) await t.collection('sessions').add({ data: s })
    await t.collection('audit').add({ data: audit })
  })
  return notices.length > 0 ? { sessions, notices } : { sessions }
}

type UpdateInput = z.infer<typeof SessionUpdateInput>
/** Fields that decide who is expected and when: frozen once the session is over. */
const FROZEN_AFTER_END = ['startAt', 'endAt', 'checkin', 'audience', 'type'] as const

export async function updateSession(rt: Runtime, input: UpdateInput) {
  const member = await requireMember(rt)
  const old = await sessionInScope(rt, member, input.sessionId, 'manage')
  const now = rt.clock.now()
  if (old.status === 'cancelled') throw new AppError('CONFLICT', '这个活动已取消，不能再修改')
  if (old.endAt <= now && FROZEN_AFTER_END.some((k) => input[k] !== undefined)) {
    throw new AppError('CONFLICT', '活动已结束，时间、类型和参加人员不能再修改；可修改标题、地点和说明')
  }
  const startAt = input.startAt ?? old.startAt
  const endAt = input.endAt ?? old.endAt
  // Once check-in has opened, people are on their way: the start stays put.
  if (startAt !== old.startAt && old.checkin.opensAt <= now) {
    throw new AppError('CONFLICT', '签到已经开始，不能再修改开始时间')
  }
  const timesMoved = startAt !== old.startAt || endAt !== old.endAt
  const checkin = input.checkin ?? (timesMoved ? shiftCheckinWindow(old, startAt, endAt) : old.checkin)
  const type = input.type ?? old.type
  if (timesMoved || input.checkin) checkTimes({ startAt, endAt, checkin }, now, '', startAt !== old.startAt)
  const branch = await branchInScope(rt, member, old.branchId, 'manage')
  const audience =
    input.audience || type !== old.type ? await resolveAudience(rt, branch, type, input.audience ?? old.audience) : old.audience
  if (input.lecturerId !== undefined && input.lecturerId !== (old.lecturerId ?? null)) {
    // The lecture points are given when the session is counted; after that the lecturer stays as recorded.
    if (old.talliedAt !== undefined) throw new AppError('CONFLICT', '活动已统计，讲课人不能再修改')
    if (input.lecturerId !== null) await checkLecturer(rt, old.branchId, type, input.lecturerId)
  }
  const lecturer = input.lecturerId === undefined ? old.lecturerId : input.lecturerId ?? undefined
  // A new lecturer, or the 党课 moved to another month: still one 党课 a month for them.
  if (lecturer && (lecturer !== old.lecturerId || periodKeysOf(startAt).month !== periodKeysOf(old.startAt).month)) {
    await checkLectureMonth(rt, old.branchId, lecturer, await memberName(rt, lecturer), [startAt], old._id)
  }
  if (input.type !== undefined && input.type !== 'party_lecture' && lecturer) {
    throw new AppError('INVALID_INPUT', '只有党课可以指定讲课人，请先去掉讲课人')
  }
  const { lecturerId: _drop, ...rest } = old
  const next = SessionSchema.parse({
    ...rest,
    ...(lecturer !== undefined ? { lecturerId: lecturer } : {}),
    ...(input.title !== undefined ? { title: input.title } : {}),
    ...(input.venue !== undefined ? { venue: input.venue } : {}),
    ...(input.description !== undefined ? { description: input.description } : {}),
    ...(input.allowOnlineWithoutQr !== undefined ? { allowOnlineWithoutQr: input.allowOnlineWithoutQr } : {}),
    type,
    startAt,
    endAt,
    checkin,
    audience,
    updatedAt: now
  })
  const changed = [...new Set([...Object.keys(next), ...Object.keys(old)])].filter(
    (k) => k !== 'updatedAt' && JSON.stringify((next as Record<string, unknown>)[k]) !== JSON.stringify((old as Record<string, unknown>)[k])
  )
  if (changed.length === 0) return { session: old }
  const audit = auditEntry(rt, member, 'session.update', old, {
    fields: changed,
    ...(timesMoved ? { before: { startAt: old.startAt, endAt: old.endAt }, after: { startAt, endAt } } : {})
  })
  await rt.db.runTransaction(async (t) => {
    const { data } = await t.collection('sessions').doc(old._id).get()
    // Another officer changed or cancelled it since it was read (maybe within the same
    // millisecond, so updatedAt alone cannot tell): do not overwrite blindly.
    if (!data || !unchanged(data, old)) throw new AppError('CONFLICT')
    await t.collection('sessions').doc(old._id).set({ data: stripId(next) })
    await t.collection('audit').add({ data: audit })
  })
  return { session: next }
}

export async function cancelSession(rt: Runtime, input: z.infer<typeof SessionCancelInput>) {
  const member = await requireMember(rt)
  const session = await sessionInScope(rt, member, input.sessionId, 'manage')
  if (session.status === 'cancelled') {
    // A repeat also carries on counting members the first call had no time for.
    if (session.pendingFrom) await settleSession(rt, session._id, deadline(COUNT_BUDGET_MS))
    return { session, alreadyCancelled: true }
  }
  const now = rt.clock.now()
  if (session.endAt <= now) {
    // Cancelling a held session would erase attendance from members' records;
    // one nobody checked in to (it did not take place) may still be cancelled.
    const { total } = await rt.db.collection('checkins').where({ sessionId: session._id }).count()
    if (total > 0) throw new AppError('CONFLICT', '活动已结束且有签到记录，不能取消')
  }
  const next = SessionSchema.parse({ ...session, status: 'cancelled', cancelReason: input.reason, updatedAt: now })
  const audit = auditEntry(rt, member, 'session.cancel', session, { reason: input.reason, startAt: session.startAt })
  // A cancelled session counts for nobody: points given at check-in and a tally's absences are taken back,
  // member by member after the cancellation is declared (session-tally.ts). Before check-in opens nobody
  // can have earned anything, so there is nothing to take back.
  const recount = session.talliedAt !== undefined || session.checkin.opensAt <= now || session.pendingFrom !== undefined
  const result = await rt.db.runTransaction(async (t) => {
    const { data } = await t.collection('sessions').doc(session._id).get()
    if (!data) throw new AppError('NOT_FOUND', '没有找到这个活动，可能已被删除')
    // A concurrent cancel won: answer as the idempotent repeat it is.
    if (data.status === 'cancelled') return { session: SessionSchema.parse(data), alreadyCancelled: true }
    if (!unchanged(data, session)) throw new AppError('CONFLICT')
    const stored = SessionSchema.parse(data)
    await t.collection('sessions').doc(session._id).set({ data: stripId(recount ? { ...next, pendingFrom: pendingFromFor(stored) } : next) })
    await t.collection('audit').add({ data: audit })
    return { session: next, alreadyCancelled: false }
  })
  // What does not fit in this call, the next timer tick finishes (cron tally).
  if (recount && !result.alreadyCancelled) await settleSession(rt, session._id, deadline(COUNT_BUDGET_MS))
  return result
}

/**
 * 讲课人: only for a 党课, and a member of the session's own branch; the
 * secretary may name themselves (书记讲党课). Answers the lecturer's name.
 */
export async function checkLecturer(rt: Runtime, branchId: string, type: Session['type'], lecturerId: string): Promise<string> {
  if (type !== 'party_lecture') throw new AppError('INVALID_INPUT', '只有党课可以指定讲课人')
  const { data } = await rt.db.collection('members').doc(lecturerId).get()
  if (!data || data.branchId !== branchId) throw new AppError('INVALID_INPUT', '讲课人需是本支部党员')
  return String(data.name ?? '')
}

async function memberName(rt: Runtime, id: string): Promise<string> {
  const { data } = await rt.db.collection('members').doc(id).get()
  return data ? String(data.name ?? '') : ''
}

/**
 * One 党课 a month per lecturer in a branch (src/core/stats/lecture.ts):
 * refuses naming them for `startAts` when another live 党课 of theirs, or
 * another of these, falls in the same Shanghai month. `exceptId` is the
 * session being edited.
 */
export async function checkLectureMonth(rt: Runtime, branchId: string, lecturerId: string, name: string, startAts: number[], exceptId?: string): Promise<void> {
  if (startAts.length === 0) return
  const from = periodBounds(periodKeysOf(Math.min(...startAts)).month).start
  const to = periodBounds(periodKeysOf(Math.max(...startAts)).month).end
  const _ = rt.db.command
  const docs = await fetchAll(rt.db.collection('sessions').where({ branchId, lecturerId, startAt: _.gte(from).and(_.lt(to)) }), { cap: 1000 })
  const seen = docs.map((d) => SessionSchema.parse(d))
  const planned: Pick<Session, '_id' | 'startAt' | 'status' | 'title'>[] = []
  for (const startAt of startAts) {
    const clash = lectureClash(lecturerId, startAt, [...seen, ...planned.map((p) => ({ ...p, lecturerId }))], exceptId)
    if (clash && clash._id.startsWith('planned:')) {
      throw new AppError('INVALID_INPUT', `同一位同志每月只担任一次党课讲课人：这组党课有两次在${formatShanghai(startAt, 'M月')}，请只给其中一次指定${name}讲课`, { field: 'lecturerId' })
    }
    if (clash) {
      throw new AppError(
        'CONFLICT',
        `${name}已是${formatShanghai(clash.startAt, 'M月D日')}党课「${clash.title}」的讲课人；同一位同志每月只担任一次讲课人，请另选讲课人或改到其他月份`,
        { field: 'lecturerId', sessionId: clash._id }
      )
    }
    planned.push({ _id: `planned:${planned.length}`, startAt, status: 'scheduled', title: '' })
  }
}

function unchanged(stored: Record<string, unknown>, read: Session): boolean {
  return JSON.stringify(SessionSchema.parse(stored)) === JSON.stringify(read)
}

/** set() takes the body without `_id`, as CloudBase's doc(id).set does. */
function stripId(s: Session): Record<string, unknown> {
  const { _id: _omit, ...rest } = s
  return rest
}
