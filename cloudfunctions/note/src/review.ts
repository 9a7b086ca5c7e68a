/**
 * review: an officer of the author's branch marks a note 合格 or 退回修改
 * with a comment. Audited. Version and updatedAt stay as they are, so a
 * review never turns the author's next save into a conflict.
 */
import { AppError } from '../../../src/core/errors'
import type { NoteReviewInput } from '../../../src/core/functions/note'
import { NoteSchema, type NoteReview, noteView } from '../../../src/core/schemas/note'
import type { z } from '../../../src/core/zod'
import { requireMember } from '../../_shared/caller'
import type { Runtime } from '../../_shared/runtime'
import { addAudit } from '../../_shared/audit'
import { NOTE_UNAVAILABLE, isOfficerOf } from './context'
import { MemberSchema } from '../../../src/core/schemas/member'
import { transact } from '../../_shared/aggregates'
import { applyNoteChange } from '../../_shared/fact-changes'
import { settingsFor } from '../../_shared/settings'
import { notifyNoteReview } from '../../_shared/notify-outcome'

export async function reviewAction(rt: Runtime, input: z.infer<typeof NoteReviewInput>) {
  const officer = await requireMember(rt)
  const { data: first } = await rt.db.collection('notes').doc(input.noteId).get()
  const seen = first ? NoteSchema.parse(first) : null
  if (!seen || seen.deleted) throw new AppError('FORBIDDEN', NOTE_UNAVAILABLE)
  if (!(await isOfficerOf(rt, officer, seen.branchId))) {
    throw new AppError('FORBIDDEN', seen.memberId === officer._id ? '不能审阅自己的笔记' : '只有本支部的书记或支委可以审阅笔记')
  }
  if (seen.memberId === officer._id) throw new AppError('FORBIDDEN', '不能审阅自己的笔记，请由其他支委审阅')
  const now = rt.clock.now()
  // A returned essay stops earning its points (and earns them again once passed): the author's ledger moves.
  const author = MemberSchema.parse((await rt.db.collection('members').doc(seen.memberId).get()).data)
  const settings = await settingsFor(rt, author.orgPath)
  const note = await transact(rt, settings, async (t, inc) => {
    const { data } = await t.collection('notes').doc(input.noteId).get()
    const stored = data ? NoteSchema.parse(data) : null
    if (!stored || stored.deleted || stored.branchId !== seen.branchId) throw new AppError('FORBIDDEN', NOTE_UNAVAILABLE)
    if (stored.review.status === input.status && stored.review.comment === input.comment) return stored
    const review: NoteReview = {
      status: input.status,
      by: officer._id,
      at: now,
      ...(input.comment !== undefined ? { comment: input.comment } : {})
    }
    const next = NoteSchema.parse({ ...stored, review })
    await t.collection('notes').doc(stored._id).update({ data: { review: rt.db.command.set(review) } })
    await applyNoteChange(t, rt, author, settings, stored, next, inc)
    await addAudit(t, {
      actor: officer._id,
      action: 'note.review',
      target: { type: 'note', id: stored._id },
      orgId: stored.branchId,
      at: now,
      detail: {
        memberId: stored.memberId,
        version: stored.version,
        from: stored.review.status,
        to: input.status,
        ...(input.comment !== undefined ? { comment: input.comment } : {})
      }
    })
    return next
  }, { memberInTx: true })
  await notifyNoteReview(rt, note)
  return { note: noteView(note) }
}
