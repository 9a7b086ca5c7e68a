import { expectedAt } from '../../../src/core/audience'
import { AppError } from '../../../src/core/errors'
import {
  MinutesDocSchema,
  type MinutesAttendance,
  type MinutesDoc,
  type MinutesGetInput,
  type MinutesLockInput,
  type MinutesSaveInput
} from '../../../src/core/functions/minutes'
import { checkPlanFields, editMinutes, emptyMinutesContent, lockMinutes, type Minutes } from '../../../src/core/minutes/record'
import { MakeupObject } from '../../../src/core/schemas/checkin'
import { minutesAttendance } from '../../../src/core/minutes/attendance'
import type { Member } from '../../../src/core/schemas/member'
import type { Session } from '../../../src/core/schemas/session'
import { sessionOver } from '../../../src/core/checkin/attendance'
import type { z } from '../../../src/core/zod'
import { addAudit } from '../../_shared/audit'
import { isBranchOfficer, requireMember } from '../../_shared/caller'
import { withoutId } from '../../_shared/db'
import { fetchAll } from '../../_shared/paging'
import { branchPeople } from '../../_shared/reconcile'
import type { Runtime } from '../../_shared/runtime'
import { photosOf } from './minutes-photos'
import { judgedRosterOf } from './read'
import { materialTitles } from '../../_shared/materials'
import { exchangeOf, checkMaterials } from './seminar'
import { sessionInScope } from './scope'

const MINUTES = 'minutes'
const NOT_YOURS = '只有需要参加这场活动的党员和本支部书记、支委可以查看会议记录'
const CAP = { cap: 2000 }

/**
 * Who may open a record: the branch's officers (and admins above), and the
 * members the session expected when it was held; an absent member reads
 * what they missed. Anyone else gets the same refusal, whatever exists.
 */
async function openable(rt: Runtime, sessionId: string): Promise<{ caller: Member; session: Session; officer: boolean }> {
  const caller = await requireMember(rt)
  const session = await sessionInScope(rt, caller, sessionId, 'see')
  const officer = isBranchOfficer(caller, { _id: session.branchId, path: session.orgPath })
  if (!officer && !expectedAt(session, caller)) throw new AppError('FORBIDDEN', NOT_YOURS)
  return { caller, session, officer }
}

async function readMinutes(rt: Runtime, session: Session): Promise<MinutesDoc | null> {
  const { data } = await rt.db.collection(MINUTES).doc(session._id).get()
  return data ? MinutesDocSchema.parse(data) : null
}

function blank(session: Session, at: number, by: string): MinutesDoc {
  return {
    _id: session._id,
    sessionId: session._id,
    branchId: session.branchId,
    orgPath: session.orgPath,
    content: emptyMinutesContent(),
    lockedAt: null,
    lockedBy: null,
    corrections: [],
    updatedAt: at,
    updatedBy: by
  }
}

/**
 * The attendance a record prints, from the same roster the 签到大屏 shows, so
 * 应到 / 实到 and the names agree with the check-in facts whenever it is read
 * (after a late leave decision or a make-up as well). A leave's reason is the
 * member's own words to the officers: members see only that it was leave.
 */
async function attendanceOf(rt: Runtime, session: Session, officer: boolean): Promise<MinutesAttendance> {
  const [roster, makeupDocs] = await Promise.all([judgedRosterOf(rt, session), fetchAll(rt.db.collection('makeups').where({ sessionId: session._id }), CAP)])
  return minutesAttendance(roster.rows, makeupDocs.map((d) => MakeupObject.parse(d)), { officer, over: sessionOver(session, rt.clock.now()) })
}

/** Names for the ids a record holds (主持人, 记录人, the trail's authors), and the people an officer may name. */
async function namesFor(rt: Runtime, session: Session): Promise<Map<string, string>> {
  const people = await branchPeople(rt, session.branchId)
  return new Map(people.map((p) => [p._id, p.name]))
}

export async function getMinutes(rt: Runtime, input: z.infer<typeof MinutesGetInput>) {
  const { caller, session, officer } = await openable(rt, input.sessionId)
  const [doc, attendance, names, photos] = await Promise.all([readMinutes(rt, session), attendanceOf(rt, session, officer), namesFor(rt, session), photosOf(rt, session._id)])
  const minutes = doc ?? blank(session, 0, session.createdBy)
  const name = (id: string | null) => (id ? names.get(id) ?? '' : '')
  const [materials, exchange] = await Promise.all([materialTitles(rt, minutes.content.materialIds), exchangeOf(rt, session, caller, officer, names)])
  return {
    session,
    minutes: {
      content: minutes.content,
      chairName: name(minutes.content.chairId),
      recorderName: name(minutes.content.recorderId),
      lockedAt: minutes.lockedAt,
      lockedByName: name(minutes.lockedBy),
      corrections: minutes.corrections.map((c) => ({ ...c, byName: name(c.by) })),
      // null until first saved: the version a save must name.
      updatedAt: doc ? doc.updatedAt : null
    },
    attendance,
    materials,
    speakers: minutes.content.speakerIds.map((memberId) => ({ memberId, name: name(memberId) })),
    exchange,
    mayEdit: officer,
    // An officer picks 主持人 / 记录人 among the branch's people.
    people: officer ? [...names].map(([memberId, n]) => ({ memberId, name: n })).sort((a, b) => a.name.localeCompare(b.name, 'zh')) : [],
    ...photos(names)
  }
}

export async function requireOfficer(rt: Runtime, sessionId: string) {
  const o = await openable(rt, sessionId)
  if (!o.officer) throw new AppError('FORBIDDEN', '只有本支部书记、支委可以填写会议记录')
  return o
}

function stale(): AppError {
  return new AppError('CONFLICT', '这份记录刚被其他同志修改过，请刷新后再改')
}

export async function saveMinutes(rt: Runtime, input: z.infer<typeof MinutesSaveInput>) {
  const { caller, session } = await requireOfficer(rt, input.sessionId)
  const plan = checkPlanFields(session.type, input.patch)
  if (!plan.ok) throw new AppError(plan.error.code, plan.error.message, plan.error.details)
  const named = (['chairId', 'recorderId'] as const).filter((f) => input.patch[f])
  const speakers = input.patch.speakerIds ?? []
  if (named.length > 0 || speakers.length > 0) {
    // One read of the branch's people for every name a save carries.
    const names = await namesFor(rt, session)
    const stranger = named.find((f) => !names.has(input.patch[f]!))
    if (stranger) throw new AppError('INVALID_INPUT', '主持人和记录人要从本支部党员中选择', { field: stranger })
    if (speakers.some((id) => !names.has(id))) throw new AppError('INVALID_INPUT', '发言人要从本支部党员中选择', { field: 'speakerIds' })
  }
  if (input.patch.materialIds?.length) await checkMaterials(rt, session, input.patch.materialIds)
  const now = rt.clock.now()
  const saved = await rt.db.runTransaction(async (t) => {
    const { data } = await t.collection(MINUTES).doc(session._id).get()
    const current = data ? MinutesDocSchema.parse(data) : null
    if ((current?.updatedAt ?? null) !== input.baseUpdatedAt) throw stale()
    const base = current ?? blank(session, now, caller._id)
    const edited = editMinutes(base as Minutes, input.patch, { memberId: caller._id, now, reason: input.reason })
    if (!edited.ok) throw new AppError(edited.error.code, edited.error.message, edited.error.details)
    // Nothing changed: nothing written, no version spent.
    if (current && edited.data === (base as Minutes)) return current
    const next = { ...base, ...edited.data } as MinutesDoc
    await t.collection(MINUTES).doc(session._id).set({ data: withoutId(next) })
    if (base.lockedAt !== null) {
      const added = next.corrections.slice(base.corrections.length)
      await addAudit(t, {
        actor: caller._id,
        action: 'minutes.correct',
        target: { type: 'session', id: session._id },
        orgId: session.branchId,
        at: now,
        detail: { fields: added.map((c) => c.field), reason: input.reason ?? '' }
      })
    }
    return next
  })
  return { updatedAt: saved.updatedAt, lockedAt: saved.lockedAt, corrections: saved.corrections.length }
}

export async function lockMinutesAction(rt: Runtime, input: z.infer<typeof MinutesLockInput>) {
  const { caller, session } = await requireOfficer(rt, input.sessionId)
  if (!sessionOver(session, rt.clock.now())) throw new AppError('CONFLICT', '活动结束、签到关闭后才能锁定会议记录')
  const now = rt.clock.now()
  const locked = await rt.db.runTransaction(async (t) => {
    const { data } = await t.collection(MINUTES).doc(session._id).get()
    if (!data) throw new AppError('INVALID_INPUT', '请先填写会议记录再锁定')
    const current = MinutesDocSchema.parse(data)
    if (current.updatedAt !== input.baseUpdatedAt) throw stale()
    const r = lockMinutes(current, { memberId: caller._id, now, seminar: session.type === 'seminar' })
    if (!r.ok) throw new AppError(r.error.code, r.error.message, r.error.details)
    await t.collection(MINUTES).doc(session._id).set({ data: withoutId(r.data as MinutesDoc) })
    await addAudit(t, { actor: caller._id, action: 'minutes.lock', target: { type: 'session', id: session._id }, orgId: session.branchId, at: now })
    return r.data
  })
  return { updatedAt: locked.updatedAt, lockedAt: locked.lockedAt }
}
