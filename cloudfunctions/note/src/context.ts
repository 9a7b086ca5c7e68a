/**
 * Loading and permission helpers shared by the note actions. A note the
 * caller may not read answers exactly as a missing one, so ids cannot be
 * probed and no one learns another member's text.
 */
import { AppError } from '../../../src/core/errors'
import { MemberSchema, type Member } from '../../../src/core/schemas/member'
import { NoteSchema, type Note, type NoteSummary } from '../../../src/core/schemas/note'
import { OrgSchema, type Org } from '../../../src/core/schemas/org'
import { isBranchOfficer } from '../../_shared/caller'
import type { Runtime } from '../../_shared/runtime'

export const NOTE_UNAVAILABLE = '没有找到这篇笔记，或您没有权限查看'
export const NOT_MY_BRANCH = '您只能查看本支部党员的笔记情况'

export async function findNote(rt: Runtime, id: string): Promise<Note | null> {
  const { data } = await rt.db.collection('notes').doc(id).get()
  return data ? NoteSchema.parse(data) : null
}

/** The branch as permission checks see it; a branch without an org document answers with its id only. */
async function branchRef(rt: Runtime, branchId: string): Promise<Pick<Org, '_id' | 'path'>> {
  const { data } = await rt.db.collection('orgs').doc(branchId).get()
  return data ? OrgSchema.parse(data) : { _id: branchId, path: [branchId] }
}

/** Secretary / committee of the branch, or an admin above it. */
export async function isOfficerOf(rt: Runtime, caller: Member, branchId: string): Promise<boolean> {
  if (caller.roles.some((r) => (r.role === 'secretary' || r.role === 'committee') && r.orgId === branchId)) return true
  if (!caller.roles.some((r) => r.role === 'admin')) return false
  return isBranchOfficer(caller, await branchRef(rt, branchId))
}

/** A live note the caller may read: their own, or one of a branch they are an officer of. */
export async function loadReadableNote(rt: Runtime, caller: Member, noteId: string): Promise<Note> {
  const note = await findNote(rt, noteId)
  if (!note || note.deleted) throw new AppError('FORBIDDEN', NOTE_UNAVAILABLE)
  if (note.memberId === caller._id) return note
  if (!(await isOfficerOf(rt, caller, note.branchId))) throw new AppError('FORBIDDEN', NOTE_UNAVAILABLE)
  return note
}

/** Whose notes or progress are asked for: the caller, or a member of a branch they are an officer of. */
export async function subjectOf(rt: Runtime, caller: Member, memberId: string | undefined): Promise<Member> {
  if (!memberId || memberId === caller._id) return caller
  const { data } = await rt.db.collection('members').doc(memberId).get()
  const member = data ? MemberSchema.parse(data) : null
  if (!member || !isBranchOfficer(caller, { _id: member.branchId, path: member.orgPath })) {
    throw new AppError('FORBIDDEN', NOT_MY_BRANCH)
  }
  return member
}

/** Moved to the shared module so every function reads settings the same way. */
export { settingsFor } from '../../_shared/settings'

/** A list row: no body and no matched-note ids, only how many matches. */
export function summarize(note: Note): NoteSummary {
  const { content: _content, matches, excerpts: _excerpts, ...rest } = note
  return { ...rest, matchCount: matches.length }
}

