/** list, get: a member's own notes; an officer reads those of their branch's members. */
import type { NoteGetInput, NoteListInput } from '../../../src/core/functions/note'
import { NoteSchema, noteView } from '../../../src/core/schemas/note'
import type { z } from '../../../src/core/zod'
import { requireMember } from '../../_shared/caller'
import type { Runtime } from '../../_shared/runtime'
import { loadReadableNote, subjectOf, summarize } from './context'
import { exchangeSession } from './exchange'

export const LIST_DEFAULT_LIMIT = 20

/** Summaries (no body), newest first, one page; `total` counts every live note matching. */
export async function listAction(rt: Runtime, input: z.infer<typeof NoteListInput>) {
  const caller = await requireMember(rt)
  const member = await subjectOf(rt, caller, input.memberId)
  const where: Record<string, unknown> = { memberId: member._id, deleted: rt.db.command.neq(true) }
  if (input.year !== undefined) where.year = input.year
  if (input.kind !== undefined) where.kind = input.kind
  const query = rt.db.collection('notes').where(where)
  const [{ total }, { data }] = await Promise.all([
    query.count(),
    rt.db
      .collection('notes')
      .where(where)
      .orderBy('createdAt', 'desc')
      .orderBy('_id', 'desc')
      .skip(input.skip ?? 0)
      .limit(input.limit ?? LIST_DEFAULT_LIMIT)
      .get()
  ])
  return { notes: data.map((d) => summarize(NoteSchema.parse(d))), total }
}

/** The whole note, with the secretary's review comment, for its author or an officer of its branch. */
export async function getAction(rt: Runtime, input: z.infer<typeof NoteGetInput>) {
  const caller = await requireMember(rt)
  const note = await loadReadableNote(rt, caller, input.noteId)
  return { note: noteView(note), exchange: note.sessionId ? await exchangeSession(rt, note.sessionId) : null }
}
