/**
 * 会议纪实: the record a branch keeps of one session, written on top of the
 * session and its check-ins (attendance is never typed, see attendance.ts).
 * The branch's officers edit it freely until one of them locks it; after
 * that a change is still possible, because records have typos, but only as an
 * appended correction that says who changed which field, when and why: an
 * inspection reads the trail, and nothing is edited silently.
 */
import { fail, ok, type Result } from '../errors'

export const MINUTES_LIMITS = {
  agenda: 2000,
  discussion: 10_000,
  decisions: 4000,
  materials: 10,
  /** 研讨主题 of a 专题学习研讨. */
  topic: 100,
  /** 发言人 named in a seminar's plan. */
  speakers: 20,
  /** A record is one document; its trail must not grow it past what a database write takes. */
  corrections: 100,
  reason: 200
} as const

export interface MinutesContent {
  chairId: string | null
  recorderId: string | null
  /** 研讨主题: a 专题学习研讨's plan only (empty elsewhere). */
  topic: string
  /** 发言人 planned for a 专题学习研讨 (the branch's people). */
  speakerIds: string[]
  /** 议程 / 学习内容. */
  agenda: string
  /** Study materials (材料库) read at the session. */
  materialIds: string[]
  /** 发言与讨论. */
  discussion: string
  /** 决议 / 决定事项. */
  decisions: string
}

export type MinutesField = keyof MinutesContent

export const MINUTES_FIELD_LABELS: Record<MinutesField, string> = {
  chairId: '主持人',
  recorderId: '记录人',
  topic: '研讨主题',
  speakerIds: '发言人',
  agenda: '议程与学习内容',
  materialIds: '学习材料',
  discussion: '发言与讨论',
  decisions: '决议与决定事项'
}

export interface MinutesCorrection {
  at: number
  by: string
  field: MinutesField
  before: MinutesContent[MinutesField]
  after: MinutesContent[MinutesField]
  reason: string
}

export interface Minutes {
  sessionId: string
  branchId: string
  content: MinutesContent
  lockedAt: number | null
  lockedBy: string | null
  corrections: MinutesCorrection[]
  updatedAt: number
  updatedBy: string
}

export function emptyMinutesContent(): MinutesContent {
  return { chairId: null, recorderId: null, topic: '', speakerIds: [], agenda: '', materialIds: [], discussion: '', decisions: '' }
}

/** The record's fields in its own order (the schema's correction `field` takes exactly these). */
export const MINUTES_FIELDS = ['chairId', 'recorderId', 'topic', 'speakerIds', 'agenda', 'materialIds', 'discussion', 'decisions'] as const satisfies readonly MinutesField[]
const FIELDS: readonly MinutesField[] = MINUTES_FIELDS

function same(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => x === b[i])
  return a === b
}

/** The fields a patch really changes, in the record's own order. */
export function changedFields(before: MinutesContent, patch: Partial<MinutesContent>): MinutesField[] {
  return FIELDS.filter((f) => f in patch && patch[f] !== undefined && !same(before[f], patch[f]))
}

/**
 * An officer's edit. Unlocked: the content changes. Locked: each changed field
 * is appended to the trail with its before and after, and a reason is
 * required. A patch that changes nothing changes nothing (no empty correction).
 */
export function editMinutes(
  m: Minutes,
  patch: Partial<MinutesContent>,
  actor: { memberId: string; now: number; reason?: string }
): Result<Minutes> {
  const fields = changedFields(m.content, patch)
  if (fields.length === 0) return ok(m)
  const content = { ...m.content }
  for (const f of fields) (content as Record<MinutesField, unknown>)[f] = patch[f]
  const touched = { ...m, content, updatedAt: actor.now, updatedBy: actor.memberId }
  if (m.lockedAt === null) return ok(touched)

  const reason = (actor.reason ?? '').trim()
  if (!reason) return fail('INVALID_INPUT', '记录已经锁定，修改要写明更正原因', { field: 'reason' })
  if (m.corrections.length + fields.length > MINUTES_LIMITS.corrections) {
    return fail('CONFLICT', `这份记录已更正 ${m.corrections.length} 处，不能再更正；如需大改，请联系党委管理员`)
  }
  const appended = fields.map((field) => ({ at: actor.now, by: actor.memberId, field, before: m.content[field], after: content[field], reason }))
  return ok({ ...touched, corrections: [...m.corrections, ...appended] })
}

/** The plan's fields, which only a 专题学习研讨 has. */
export const SEMINAR_FIELDS = ['topic', 'speakerIds'] as const satisfies readonly MinutesField[]

/**
 * A topic or speakers on a session that is not a 专题学习研讨 is refused, not
 * dropped: the officer typed them, and silently losing them would be worse
 * than saying why. Emptying them stays possible (a session whose type changed).
 */
export function checkPlanFields(sessionType: string, patch: Partial<MinutesContent>): Result<true> {
  if (sessionType === 'seminar') return ok(true)
  const set = SEMINAR_FIELDS.filter((f) => (f === 'topic' ? !!patch.topic?.trim() : (patch.speakerIds?.length ?? 0) > 0))
  if (set.length === 0) return ok(true)
  return fail('INVALID_INPUT', '研讨主题和发言人只用于专题学习研讨，这场活动不需要填写', { fields: set })
}

/** What a record must have before it can be locked, as the labels to show; a seminar also its 研讨主题. */
export function missingForLock(c: MinutesContent, seminar = false): string[] {
  const missing: MinutesField[] = []
  if (!c.chairId) missing.push('chairId')
  if (!c.recorderId) missing.push('recorderId')
  if (seminar && !c.topic.trim()) missing.push('topic')
  if (!c.agenda.trim()) missing.push('agenda')
  return missing.map((f) => MINUTES_FIELD_LABELS[f])
}

/** Locking is once: the trail starts from the content as it stood then. */
export function lockMinutes(m: Minutes, actor: { memberId: string; now: number; seminar?: boolean }): Result<Minutes> {
  if (m.lockedAt !== null) return fail('CONFLICT', '这份记录已经锁定')
  const missing = missingForLock(m.content, actor.seminar)
  if (missing.length > 0) return fail('INVALID_INPUT', `锁定前请填写：${missing.join('、')}`, { missing })
  return ok({ ...m, lockedAt: actor.now, lockedBy: actor.memberId, updatedAt: actor.now, updatedBy: actor.memberId })
}
