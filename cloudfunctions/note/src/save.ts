/**
 * save: create or edit one's own note. The author is the caller's identity,
 * never a field of the payload; the server counts the words; an edit names
 * the version it started from, so a stale phone gets CONFLICT with the
 * stored text instead of overwriting it.
 */
import { randomBytes } from 'crypto'
import { AppError, fail, type Fail } from '../../../src/core/errors'
import type { NoteSaveInput } from '../../../src/core/functions/note'
import { deriveId } from '../../../src/core/ids'
import { periodKeysOf } from '../../../src/core/period'
import { NoteSchema, isOwnMatch, noteView, type Note } from '../../../src/core/schemas/note'
import { creditNotice } from '../../../src/core/originality'
import { NOTE_MAX_CHARS, countNoteWords } from '../../../src/core/words'
import type { z } from '../../../src/core/zod'
import { requireMember } from '../../_shared/caller'
import { withoutId } from '../../_shared/db'
import type { Runtime } from '../../_shared/runtime'
import { transact } from '../../_shared/aggregates'
import { applyNoteChange } from '../../_shared/fact-changes'
import { settingsFor } from '../../_shared/settings'
import { assessWithHashes, finishIndex, stageIndex } from '../../_shared/originality'
import { checkExchangeLink } from './exchange'

type SaveInput = z.infer<typeof NoteSaveInput>

export const TOO_LONG_MESSAGE = `一篇笔记最多 ${NOTE_MAX_CHARS} 字符，请分成两篇保存`
const CONTROL_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/
const LINE_CONTROL_CHARS = /[\u0000-\u001f\u007f]/

/**
 * Kind messages for the refusals a member can actually meet while writing;
 * the schema still decides everything else. Runs on the raw event, before
 * the generic "field is not right" message the dispatcher would give.
 */
export function precheckSave(event: unknown): Fail | null {
  if (typeof event !== 'object' || event === null || (event as { action?: unknown }).action !== 'save') return null
  const { content, title, source } = event as Record<string, unknown>
  if (typeof content === 'string') {
    if (content.length > NOTE_MAX_CHARS) {
      return fail('INVALID_INPUT', TOO_LONG_MESSAGE, { field: 'content', max: NOTE_MAX_CHARS, length: content.length })
    }
    if (content.trim().length === 0) return fail('INVALID_INPUT', '笔记正文不能为空', { field: 'content' })
    if (CONTROL_CHARS.test(content)) {
      return fail('INVALID_INPUT', '正文里有无法显示的控制字符（可能来自复制粘贴），请删除后再保存', { field: 'content' })
    }
  }
  if (typeof title === 'string') {
    if (title.trim().length === 0) return fail('INVALID_INPUT', '请填写笔记标题', { field: 'title' })
    if (title.trim().length > 60) return fail('INVALID_INPUT', '标题最多 60 个字', { field: 'title', max: 60 })
    if (LINE_CONTROL_CHARS.test(title)) return fail('INVALID_INPUT', '标题里有无法显示的控制字符，请删除后再保存', { field: 'title' })
  }
  if (typeof source === 'string' && source.trim().length > 100) {
    return fail('INVALID_INPUT', '学习材料名称最多 100 个字', { field: 'source', max: 100 })
  }
  return null
}

/** A retried first save with the same clientId lands on the same id. */
export function noteIdFor(memberId: string, clientId: string | undefined): string {
  return deriveId('nt', memberId, clientId ?? `r${randomBytes(8).toString('hex')}`)
}

function sameText(a: Pick<Note, 'kind' | 'title' | 'source' | 'sessionId' | 'content'>, b: SaveInput): boolean {
  return (
    a.kind === b.kind &&
    a.title === b.title &&
    (a.source ?? undefined) === (b.source ?? undefined) &&
    (a.sessionId ?? undefined) === (b.sessionId ?? undefined) &&
    a.content === b.content
  )
}

/** What the phone needs to show the stored text beside the member's and let them choose. */
function conflict(stored: Note, message: string): AppError {
  return new AppError('CONFLICT', message, {
    note: {
      _id: stored._id,
      version: stored.version,
      kind: stored.kind,
      title: stored.title,
      ...(stored.source !== undefined ? { source: stored.source } : {}),
      ...(stored.sessionId !== undefined ? { sessionId: stored.sessionId } : {}),
      content: stored.content,
      words: stored.words,
      updatedAt: stored.updatedAt,
      deleted: stored.deleted === true
    }
  })
}

export async function saveAction(rt: Runtime, input: SaveInput) {
  const member = await requireMember(rt)
  const now = rt.clock.now()
  const id = input.id ?? noteIdFor(member._id, input.clientId)
  const words = countNoteWords(input.content)
  if (input.sessionId !== undefined) await checkExchangeLink(rt, member, input)
  // Read-only and possibly slow: outside the transaction, as the index's owner asks.
  const { result: assessment, hashes } = await assessWithHashes(rt, {
    noteId: id,
    memberId: member._id,
    // The member's 党委 is the scope compared with; the study materials of the member's
    // branch and the orgs above it are excerpts, not copies.
    orgPath: member.orgPath,
    content: input.content,
    ...(input.source !== undefined ? { source: input.source } : {}),
    at: now
  })
  const creditedWords = Math.max(0, Math.min(words, Math.round(assessment.creditedWords)))
  const matches = assessment.matches.slice(0, 20)
  const excerpts = assessment.excerpts.slice(0, 10)
  const excerptWords = Math.max(0, Math.min(creditedWords, assessment.excerptWords))
  const creditNotice = creditedWords < words ? assessment.notice : ''
  const settings = await settingsFor(rt, member.orgPath)

  // The note, its points and the member's aggregates commit together; the originality index is
  // staged with them (its prints) and finished after the commit (originality.ts).
  const result = await transact(rt, settings, async (t, inc) => {
    const { data } = await t.collection('notes').doc(id).get()
    const stored = data ? NoteSchema.parse(data) : null
    if (input.id === undefined) {
      if (stored) {
        // A retried first save (lost reply) gets the note it created.
        if (stored.memberId !== member._id) throw new AppError('FORBIDDEN', '您只能修改自己的笔记')
        if (sameText(stored, input)) return { note: stored, fresh: false }
        throw conflict(stored, '这篇笔记已经保存过一个不同的版本，请对照后选择保留哪一份')
      }
      const note = NoteSchema.parse({
        _id: id,
        kind: input.kind,
        title: input.title,
        ...(input.source !== undefined ? { source: input.source } : {}),
        ...(input.sessionId !== undefined ? { sessionId: input.sessionId } : {}),
        content: input.content,
        words,
        creditedWords,
        excerptWords,
        excerpts,
        version: 1,
        year: Number(periodKeysOf(now).year),
        memberId: member._id,
        branchId: member.branchId,
        review: { status: 'pending' },
        matches,
        createdAt: now,
        updatedAt: now
      })
      await t.collection('notes').add({ data: note })
      await applyNoteChange(t, rt, member, settings, null, note, inc)
      await stageIndex(t, { _id: note._id, memberId: note.memberId, content: note.content, createdAt: note.createdAt, orgPath: member.orgPath, hashes }, now)
      return { note, fresh: true }
    }
    if (!stored || stored.memberId !== member._id) throw new AppError('FORBIDDEN', '没有找到这篇笔记，您只能修改自己的笔记')
    if (stored.deleted) throw conflict(stored, '这篇笔记已在别处删除；您的内容还在本机草稿里，可以另存为新笔记')
    if (input.version !== stored.version) {
      // The same save retried after its reply was lost: already done.
      if (input.version === stored.version - 1 && sameText(stored, input)) return { note: stored, fresh: false }
      throw conflict(stored, '这篇笔记已在另一台设备上修改过，请对照两份内容，选择保留哪一份')
    }
    if (sameText(stored, input)) return { note: stored, fresh: false }
    const note = NoteSchema.parse({
      ...stored,
      kind: input.kind,
      title: input.title,
      source: input.source,
      sessionId: input.sessionId,
      content: input.content,
      words,
      creditedWords,
      matches,
      excerptWords,
      excerpts,
      version: stored.version + 1,
      // An edited note is read again: a verdict on the old text does not carry over.
      review: { status: 'pending' },
      updatedAt: Math.max(now, stored.createdAt)
    })
    if (note.source === undefined) delete (note as Partial<Note>).source
    if (note.sessionId === undefined) delete (note as Partial<Note>).sessionId
    await t.collection('notes').doc(id).set({ data: withoutId(note) })
    await applyNoteChange(t, rt, member, settings, stored, note, inc)
    await stageIndex(t, { _id: note._id, memberId: note.memberId, content: note.content, createdAt: note.createdAt, orgPath: member.orgPath, hashes }, now)
    return { note, fresh: true }
  }, { memberInTx: true })
  // A retried save whose first attempt died after its commit finishes the index here too.
  await finishIndex(rt, id)
  return { note: noteView(result.note), creditNotice: result.fresh ? creditNotice : creditNoticeOf(result.note) }
}

/** For a save that changed nothing: the notice matching the stored figures, worded as a fresh save's (one text). */
function creditNoticeOf(note: Note): string {
  if (note.creditedWords >= note.words) return ''
  return creditNotice(note.words - note.creditedWords, note.matches.map((m) => ({ at: m.at, own: isOwnMatch(m) })))
}
