/** remove: the author deletes their own note (soft), so it credits nothing from then on. */
import { AppError } from '../../../src/core/errors'
import type { NoteRemoveInput } from '../../../src/core/functions/note'
import { NoteSchema, noteView } from '../../../src/core/schemas/note'
import type { z } from '../../../src/core/zod'
import { requireMember } from '../../_shared/caller'
import type { Runtime } from '../../_shared/runtime'
import { NOTE_UNAVAILABLE } from './context'
import { finishIndex, stageUnindex } from '../../_shared/originality'
import { transact } from '../../_shared/aggregates'
import { applyNoteChange } from '../../_shared/fact-changes'
import { settingsFor } from '../../_shared/settings'

export async function removeAction(rt: Runtime, input: z.infer<typeof NoteRemoveInput>) {
  const member = await requireMember(rt)
  const now = rt.clock.now()
  const settings = await settingsFor(rt, member.orgPath)
  const note = await transact(rt, settings, async (t, inc) => {
    const { data } = await t.collection('notes').doc(input.noteId).get()
    const stored = data ? NoteSchema.parse(data) : null
    if (!stored || stored.memberId !== member._id) throw new AppError('FORBIDDEN', NOTE_UNAVAILABLE)
    // Deleting twice (a retry) is not an error.
    if (stored.deleted) return stored
    if (stored.version !== input.version) {
      throw new AppError('CONFLICT', '这篇笔记已在另一台设备上修改过，请刷新后再决定是否删除', {
        note: { _id: stored._id, version: stored.version, title: stored.title, content: stored.content, updatedAt: stored.updatedAt }
      })
    }
    const next = NoteSchema.parse({ ...stored, deleted: true, version: stored.version + 1, updatedAt: Math.max(now, stored.updatedAt) })
    await t.collection('notes').doc(stored._id).update({ data: { deleted: true, version: next.version, updatedAt: next.updatedAt } })
    await applyNoteChange(t, rt, member, settings, stored, next, inc)
    // The postings follow after the commit (originality.ts).
    await stageUnindex(t, stored._id, now)
    return next
  }, { memberInTx: true })
  await finishIndex(rt, note._id)
  return { note: noteView(note) }
}
