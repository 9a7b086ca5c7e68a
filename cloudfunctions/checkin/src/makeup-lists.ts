/**
 * The two read sides of 补学: a member's own to-do list, and the officer's
 * list of the branch's make-ups with the handed-in notes to review. Writes
 * (assign, hand in, review) are in makeup.ts.
 */
import { BRANCH_MAKEUPS_LIMIT, MAKEUP_NOTE_TEXT_MAX, type BranchMakeUpsInput } from '../../../src/core/functions/checkin'
import { MakeupSchema, type Makeup } from '../../../src/core/schemas/checkin'
import { NoteSchema, type Note } from '../../../src/core/schemas/note'
import type { Session } from '../../../src/core/schemas/session'
import type { z } from '../../../src/core/zod'
import { loadOfficerBranch, requireMember } from '../../_shared/caller'
import { fetchAll } from '../../_shared/paging'
import type { Runtime } from '../../_shared/runtime'
import { memberNamesByIds, sessionsByIds } from './context'

/** Past the deadline with nothing waiting for review: handed-in work is the officer's to read, not late. */
function isOverdue(makeup: Makeup, now: number): boolean {
  return (makeup.status === 'assigned' || makeup.status === 'returned') && now > makeup.deadline
}

/** The row fields both lists share: the make-up, its session's title and start, and whether it is overdue. */
function rowOf(makeup: Makeup, sessions: Map<string, Session>, now: number) {
  const session = sessions.get(makeup.sessionId)
  return { makeup, sessionTitle: session?.title ?? '', sessionStartAt: session?.startAt ?? 0, overdue: isOverdue(makeup, now) }
}

/** The member's own make-ups not yet accepted, soonest deadline first. */
export async function makeUpsAction(rt: Runtime) {
  const member = await requireMember(rt)
  const _ = rt.db.command
  const docs = await fetchAll(rt.db.collection('makeups').where({ memberId: member._id, status: _.in(['assigned', 'submitted', 'returned']) }), { cap: 1000 })
  const makeups = docs.map((d) => MakeupSchema.parse(d)).sort((a, b) => a.deadline - b.deadline)
  const sessions = await sessionsByIds(rt, makeups.map((m) => m.sessionId))
  const now = rt.clock.now()
  return { rows: makeups.map((makeup) => rowOf(makeup, sessions, now)) }
}

/** The note as the officer reads it in the list; a very long body is cut (the row says so). */
function noteForList(note: Note) {
  const truncated = note.content.length > MAKEUP_NOTE_TEXT_MAX
  return {
    _id: note._id,
    title: note.title,
    content: truncated ? note.content.slice(0, MAKEUP_NOTE_TEXT_MAX) : note.content,
    truncated,
    words: note.words,
    review: note.review,
    updatedAt: note.updatedAt
  }
}

/**
 * An officer's view of the branch's make-ups: who was assigned, who handed
 * in, what they wrote, and what was accepted or returned. Most recently
 * changed first, so the newly handed-in are on top; at most BRANCH_MAKEUPS_LIMIT.
 */
export async function branchMakeUpsAction(rt: Runtime, input: z.infer<typeof BranchMakeUpsInput>) {
  const officer = await requireMember(rt)
  const branch = await loadOfficerBranch(rt, officer, input.branchId, '您只能查看本支部的补学情况')
  const where: Record<string, unknown> = { branchId: branch._id }
  if (input.status) where.status = input.status
  if (input.sessionId) where.sessionId = input.sessionId
  const res = await rt.db.collection('makeups').where(where).orderBy('updatedAt', 'desc').limit(BRANCH_MAKEUPS_LIMIT).get()
  const makeups = res.data.map((d) => MakeupSchema.parse(d))
  const noteIds = makeups.flatMap((m) => (m.noteId ? [m.noteId] : []))
  const [sessions, names, notes] = await Promise.all([
    sessionsByIds(rt, makeups.map((m) => m.sessionId)),
    memberNamesByIds(rt, makeups.map((m) => m.memberId)),
    notesByIds(rt, noteIds)
  ])
  const now = rt.clock.now()
  return {
    rows: makeups.map((makeup) => {
      // The note is written with the make-up, so it is there; should one go missing the row still lists, without text.
      const note = makeup.noteId ? notes.get(makeup.noteId) : undefined
      return {
        ...rowOf(makeup, sessions, now),
        memberName: names.get(makeup.memberId) ?? '',
        ...(note ? { note: noteForList(note) } : {})
      }
    })
  }
}

async function notesByIds(rt: Runtime, ids: string[]): Promise<Map<string, Note>> {
  if (ids.length === 0) return new Map()
  const docs = await fetchAll(rt.db.collection('notes').where({ _id: rt.db.command.in(ids) }), { cap: 1000 })
  return new Map(docs.map((d) => { const n = NoteSchema.parse(d); return [n._id, n] }))
}
