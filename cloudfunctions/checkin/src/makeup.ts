/**
 * 补学: the secretary assigns make-up study to those absent or on leave after
 * a session; the member hands in a short note; the secretary accepts or
 * returns it. The note is stored in `notes` like any other, judged for
 * copying and indexed as a note save is (a make-up is where a colleague's
 * text is most tempting), and one mostly copied is not taken. An officer's
 * own make-up is assigned and reviewed by another officer or the level
 * above, never by themselves.
 */
import { sessionOver } from '../../../src/core/checkin/attendance'
import { shortTime } from '../../../src/core/checkin/judge'
import { MAKEUP_MIN_WORDS } from '../../../src/core/checkin/states'
import { expectedAt } from '../../../src/core/audience'
import { AppError } from '../../../src/core/errors'
import type { AssignMakeUpInput, MakeUpInput, ReviewMakeUpInput } from '../../../src/core/functions/checkin'
import { deriveId } from '../../../src/core/ids'
import { periodKeysOf } from '../../../src/core/period'
import { CheckinSchema, MakeupSchema, makeupId, type Makeup, type MakeupStatus } from '../../../src/core/schemas/checkin'
import type { Session } from '../../../src/core/schemas/session'
import { MemberSchema } from '../../../src/core/schemas/member'
import { NoteSchema } from '../../../src/core/schemas/note'
import { mostlyCopied } from '../../../src/core/notes/essay'
import { countNoteWords } from '../../../src/core/words'
import type { z } from '../../../src/core/zod'
import { requireMember } from '../../_shared/caller'
import { fetchAll } from '../../_shared/paging'
import { withoutId } from '../../_shared/db'
import type { Runtime } from '../../_shared/runtime'
import { addAudit, makeAuditEntry } from '../../_shared/audit'
import { addIfAbsent } from '../../_shared/db'
import { transact } from '../../_shared/aggregates'
import { applyNoteChange, applyPairChange } from '../../_shared/fact-changes'
import { assessOriginality, finishIndex, stageIndex } from '../../_shared/originality'
import { settingsFor } from '../../_shared/settings'
import { notifyMakeupReview, notifyMakeupsAssigned } from '../../_shared/notify-outcome'
import { cancelledRefusal, idsForAudit, loadBranchMember, loadManagedSession, loadOwnSession } from './context'

/** One make-up note per member per session: a resubmission edits it instead of adding another. */
export function makeupNoteId(sessionId: string, memberId: string): string {
  return deriveId('nt', 'mu', sessionId, memberId)
}

/**
 * All or nothing: every named member must be expected at the session and
 * not checked in, else nothing is assigned and the message names who is
 * wrong. Re-assigning moves the deadline of work not yet handed in.
 */
export async function assignMakeUpAction(rt: Runtime, input: z.infer<typeof AssignMakeUpInput>) {
  const officer = await requireMember(rt)
  const session = await loadManagedSession(rt, officer, input.sessionId)
  if (session.status === 'cancelled') throw cancelledRefusal(session)
  const now = rt.clock.now()
  if (!sessionOver(session, now)) throw new AppError('CHECKIN_CLOSED', '活动结束、签到关闭后才能安排补学')
  if (input.deadline <= now) throw new AppError('INVALID_INPUT', '补学截止时间应晚于现在', { field: 'deadline' })
  const ids = [...new Set(input.memberIds)]
  // Nobody sets their own make-up (its deadline, whether they owe one): another officer does.
  if (ids.includes(officer._id)) throw new AppError('FORBIDDEN', MAKEUP_SELF_ASSIGN)
  const _ = rt.db.command
  const members = (await fetchAll(rt.db.collection('members').where({ _id: _.in(ids) }), { cap: 1000 })).map((d) => MemberSchema.parse(d))
  const byId = new Map(members.map((m) => [m._id, m]))
  // Expected as they were when it was held: a newcomer owes no make-up for a session before they joined.
  const strangers = ids.filter((id) => { const m = byId.get(id); return !m || !expectedAt(session, m) })
  if (strangers.length > 0) {
    throw new AppError('FORBIDDEN', `有 ${strangers.length} 人不在本次活动的应到名单中，不能安排补学`, { memberIds: strangers.slice(0, 20) })
  }
  const checkins = await fetchAll(rt.db.collection('checkins').where({ sessionId: session._id, memberId: _.in(ids) }), { cap: 1000 })
  if (checkins.length > 0) {
    const names = checkins.map((d) => byId.get(CheckinSchema.parse(d).memberId)?.name ?? '').slice(0, 5).join('、')
    throw new AppError('CONFLICT', `${names}${checkins.length > 5 ? '等' : ''}已签到，不需要补学`, { attended: checkins.length })
  }
  const makeups = await writeAssignments(rt, session, ids, input.deadline, officer._id, now)
  // After the assignments: a retry after a crash redoes them (nothing changes) and records this.
  await rt.db.collection('audit').add({
    data: makeAuditEntry({
      actor: officer._id,
      action: 'makeup.assign',
      target: { type: 'session', id: session._id },
      orgId: session.branchId,
      at: now,
      detail: { deadline: input.deadline, count: ids.length, memberIds: idsForAudit(ids) }
    })
  })
  await notifyMakeupsAssigned(rt, makeups, session)
  return { makeups }
}

/** Work not yet handed in; its deadline moves with a re-assignment. */
const OPEN: MakeupStatus[] = ['assigned', 'returned']

/**
 * A make-up is one member's own document at a deterministic id, so a branch's
 * assignment needs no transaction (one for 200 members would run far past
 * CloudBase's 30 s): existing ones are read in one query and re-dated in one
 * bulk update, which CloudBase applies to each document atomically and only
 * while it is still open; the rest are added, the add being its own check.
 * Each step is idempotent, so a retry or a second officer at the same time
 * ends with the same documents.
 */
async function writeAssignments(rt: Runtime, session: Session, memberIds: string[], deadline: number, officerId: string, now: number): Promise<Makeup[]> {
  const _ = rt.db.command
  const col = rt.db.collection('makeups')
  const ids = memberIds.map((m) => makeupId(session._id, m))
  const found = new Map(
    (await fetchAll(col.where({ _id: _.in(ids) }), { cap: 1000 })).map((d) => { const m = MakeupSchema.parse(d); return [m._id, m] })
  )
  const redate = { deadline, assignedBy: officerId, updatedAt: now }
  const open = [...found.values()].filter((m) => OPEN.includes(m.status))
  if (open.length > 0) await col.where({ _id: _.in(open.map((m) => m._id)), status: _.in(OPEN) }).update({ data: redate })
  const out = new Map<string, Makeup>([...found].map(([id, m]) => [id, OPEN.includes(m.status) ? MakeupSchema.parse({ ...m, ...redate }) : m]))
  const fresh = memberIds.filter((m) => !found.has(makeupId(session._id, m)))
  let next = 0
  const add = async () => {
    while (next < fresh.length) {
      const memberId = fresh[next++]
      const doc = MakeupSchema.parse({
        _id: makeupId(session._id, memberId),
        sessionId: session._id,
        memberId,
        branchId: session.branchId,
        assignedBy: officerId,
        deadline,
        status: 'assigned',
        periodKeys: periodKeysOf(session.startAt),
        createdAt: now,
        updatedAt: now
      })
      if (!(await addIfAbsent(col, doc))) {
        // Added meanwhile by another assignment: re-dated like any existing one.
        await col.where({ _id: doc._id, status: _.in(OPEN) }).update({ data: redate })
      }
      out.set(doc._id, doc)
    }
  }
  await Promise.all(Array.from({ length: Math.min(8, fresh.length) }, add))
  return ids.map((id) => out.get(id)!)
}

const MAKEUP_SELF_ASSIGN = '不能给自己安排补学，请由其他支委或上级安排'
const MAKEUP_SELF_REVIEW = '不能审阅自己的补学，请由其他支委或上级审阅'

/**
 * The make-up as it must be to take a note: assigned to the member by
 * someone else, not yet accepted, before its deadline. One an officer set
 * themselves (before that was refused) waits for another officer to assign
 * it again, which makes it theirs.
 */
function openMakeup(data: unknown, now: number, memberId: string): Makeup {
  if (!data) throw new AppError('NOT_FOUND', '书记还没有为这次活动给您安排补学')
  const prev = MakeupSchema.parse(data)
  if (prev.status === 'accepted') throw new AppError('CONFLICT', '这次补学已经审阅通过，无需再交')
  if (prev.assignedBy === memberId) throw new AppError('FORBIDDEN', '这次补学是您给自己安排的，请由其他支委或上级重新安排后再交')
  if (now > prev.deadline) {
    throw new AppError('CHECKIN_CLOSED', `补学已于 ${shortTime(prev.deadline, now)} 截止，请联系支部书记延长截止时间`, { deadline: prev.deadline })
  }
  return prev
}

export async function makeUpAction(rt: Runtime, input: z.infer<typeof MakeUpInput>) {
  const member = await requireMember(rt)
  const session = await loadOwnSession(rt, member, input.sessionId)
  const now = rt.clock.now()
  const words = countNoteWords(input.content)
  if (words < MAKEUP_MIN_WORDS) {
    throw new AppError('INVALID_INPUT', `补学心得至少需要 ${MAKEUP_MIN_WORDS} 字，现在是 ${words} 字`, { words, min: MAKEUP_MIN_WORDS })
  }
  const id = makeupId(session._id, member._id)
  const noteId = makeupNoteId(session._id, member._id)
  const title = (input.title ?? `补学：${session.title}`).slice(0, 60)
  // Refusals about the make-up itself come before any about the text (checked again in the transaction).
  openMakeup((await rt.db.collection('makeups').doc(id).get()).data, now, member._id)
  // The same check as a note save (read-only, outside the transaction); an edit is judged as of its first save.
  const assessment = await assessOriginality(rt, { noteId, memberId: member._id, content: input.content, source: session.title, at: now })
  const creditedWords = Math.max(0, Math.min(words, Math.round(assessment.creditedWords)))
  if (mostlyCopied({ words, creditedWords }) || creditedWords < MAKEUP_MIN_WORDS) {
    throw new AppError(
      'INVALID_INPUT',
      `补学心得要用自己的话来写。${assessment.notice || '这段文字大部分与已有笔记重复。'}请修改后再提交，自己的体会至少 ${MAKEUP_MIN_WORDS} 字。`,
      { words, creditedWords, min: MAKEUP_MIN_WORDS }
    )
  }
  const excerptWords = Math.max(0, Math.min(creditedWords, assessment.excerptWords))
  const settings = await settingsFor(rt, member.orgPath)
  const makeup = await transact(rt, settings, async (t, inc) => {
    const prev = openMakeup((await t.collection('makeups').doc(id).get()).data, now, member._id)
    const old = await t.collection('notes').doc(noteId).get()
    const prevNote = old.data ? NoteSchema.parse(old.data) : null
    const note = NoteSchema.parse({
      _id: noteId,
      kind: 'note',
      title,
      source: session.title,
      content: input.content,
      words,
      creditedWords,
      excerptWords,
      excerpts: assessment.excerpts.slice(0, 10),
      version: prevNote ? prevNote.version + 1 : 1,
      year: prevNote ? prevNote.year : Number(periodKeysOf(now).year),
      memberId: member._id,
      branchId: member.branchId,
      review: { status: 'pending' },
      matches: assessment.matches.slice(0, 20),
      createdAt: prevNote ? prevNote.createdAt : now,
      updatedAt: now
    })
    await applyNoteChange(t, rt, member, settings, prevNote, note, inc)
    await t.collection('notes').doc(noteId).set({ data: withoutId(note) })
    await stageIndex(t, { _id: note._id, memberId: note.memberId, content: note.content, createdAt: note.createdAt }, now)
    const next = MakeupSchema.parse({ ...prev, status: 'submitted', noteId, submittedAt: now, updatedAt: now })
    await t.collection('makeups').doc(id).set({ data: withoutId(next) })
    return next
  }, { memberInTx: true })
  // The postings after the commit, as a note save does; a crash here is finished by the cron tick.
  await finishIndex(rt, noteId)
  return { makeup, words, creditedWords, creditNotice: creditedWords < words ? assessment.notice : '' }
}

/** Accept or return a handed-in make-up; the note's review follows, and both are audited. */
export async function reviewMakeUpAction(rt: Runtime, input: z.infer<typeof ReviewMakeUpInput>) {
  const officer = await requireMember(rt)
  const session = await loadManagedSession(rt, officer, input.sessionId)
  const member = await loadBranchMember(rt, session, input.memberId)
  if (member._id === officer._id) throw new AppError('FORBIDDEN', MAKEUP_SELF_REVIEW)
  const id = makeupId(session._id, member._id)
  const now = rt.clock.now()
  const status = input.accept ? 'accepted' : 'returned'
  const settings = await settingsFor(rt, member.orgPath)
  const makeup = await transact(rt, settings, async (t, inc) => {
    const { data } = await t.collection('makeups').doc(id).get()
    if (!data) throw new AppError('NOT_FOUND', `没有给${member.name}安排过这次活动的补学`)
    const prev = MakeupSchema.parse(data)
    if (prev.status === status) return prev
    if (prev.status !== 'submitted' || !prev.noteId) throw new AppError('CONFLICT', `${member.name}还没有提交补学心得`)
    const next = MakeupSchema.parse({ ...prev, status, reviewedBy: officer._id, reviewedAt: now, updatedAt: now })
    await applyPairChange(t, rt, session._id, member, settings, (s) => ({ before: s, after: { ...s, makeup: next } }), inc)
    await t.collection('makeups').doc(id).set({ data: withoutId(next) })
    const review = { status: input.accept ? 'passed' : 'returned', by: officer._id, at: now, ...(input.note ? { comment: input.note } : {}) }
    await t.collection('notes').doc(prev.noteId).update({ data: { review: rt.db.command.set(review), updatedAt: now } })
    await addAudit(t, {
      actor: officer._id,
      action: 'makeup.review',
      target: { type: 'makeup', id },
      orgId: session.branchId,
      at: now,
      detail: { sessionId: session._id, memberId: member._id, to: status, ...(input.note ? { note: input.note } : {}) }
    })
    return next
  })
  await notifyMakeupReview(rt, makeup, session, input.note)
  return { makeup }
}
