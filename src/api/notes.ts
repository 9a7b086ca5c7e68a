/**
 * The `note` cloud function, typed from the zod schemas in src/core.
 * Only types are imported from the schemas, so no schema code is bundled here.
 */
import type { z } from '../core/zod'
import type {
  NoteBranchProgressOutput,
  NoteBranchRow,
  NoteListOutput,
  NoteProgressOutput,
  NoteSaveOutput,
  NoteYearEndOutput,
  NoteYearEndRow,
  PaceStatus
} from '../core/functions/note'
import type { NoteKind, NoteMatchView, NoteSummary, NoteView, ReviewStatus } from '../core/schemas/note'
import { ApiError, call } from './index'

/** A note as the functions answer it: matches are ranges, lengths and dates (NoteMatchView), never whose. */
export type Note = NoteView
export type NoteMatch = NoteMatchView
export type { NoteKind, NoteSummary, ReviewStatus }
export type NoteSaveResult = z.infer<typeof NoteSaveOutput>
export type NoteList = z.infer<typeof NoteListOutput>
export type NoteProgress = z.infer<typeof NoteProgressOutput>
export type { NoteBranchRow, NoteYearEndRow, PaceStatus }

export interface NoteDraftInput {
  id?: string
  version?: number
  kind: NoteKind
  title: string
  source?: string
  /** 交流材料: the 专题学习研讨 it is handed in for. */
  sessionId?: string
  content: string
  clientId?: string
}

export function saveNote(input: NoteDraftInput): Promise<NoteSaveResult> {
  const payload: Record<string, unknown> = { kind: input.kind, title: input.title.trim(), content: input.content }
  if (input.id) {
    payload.id = input.id
    payload.version = input.version
  }
  const source = input.source?.trim()
  if (source) payload.source = source
  if (input.sessionId) payload.sessionId = input.sessionId
  if (!input.id && input.clientId) payload.clientId = input.clientId
  return call<NoteSaveResult>('note', 'save', payload)
}

export interface ListQuery {
  memberId?: string
  year?: number
  kind?: NoteKind
  skip?: number
  limit?: number
}

export function listNotes(q: ListQuery): Promise<NoteList> {
  const input: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') input[k] = v
  return call<NoteList>('note', 'list', input)
}

/** Every note of a year (pages of 50; a member writes far fewer than 1,000 a year). */
export async function listAllNotes(q: Omit<ListQuery, 'skip' | 'limit'>): Promise<NoteList> {
  const notes: NoteSummary[] = []
  let total = 0
  for (let page = 0; page < 20; page++) {
    const out = await listNotes({ ...q, skip: notes.length, limit: 50 })
    total = out.total
    notes.push(...(out.notes ?? []))
    if ((out.notes ?? []).length < 50 || notes.length >= total) break
  }
  return { notes, total }
}

/** The seminar a 交流材料 belongs to, by title. */
export interface ExchangeLink {
  sessionId: string
  title: string
}

/** The note, with the seminar it was handed in for (null when it is not a 交流材料). */
export async function getNote(noteId: string): Promise<Note & { exchange: ExchangeLink | null }> {
  const out = await call<{ note: Note; exchange?: ExchangeLink | null }>('note', 'get', { noteId })
  return { ...out.note, exchange: out.exchange ?? null }
}

export function removeNote(noteId: string, version: number): Promise<unknown> {
  return call<unknown>('note', 'remove', { noteId, version })
}

export async function reviewNote(noteId: string, status: 'passed' | 'returned', comment?: string): Promise<Note | undefined> {
  const input: Record<string, unknown> = { noteId, status }
  if (comment && comment.trim()) input.comment = comment.trim()
  const out = await call<{ note?: Note } | undefined>('note', 'review', input)
  return out?.note
}

export function progress(year: number, memberId?: string): Promise<NoteProgress> {
  return call<NoteProgress>('note', 'progress', memberId ? { year, memberId } : { year })
}

export type BranchProgress = z.infer<typeof NoteBranchProgressOutput>
export type YearEnd = z.infer<typeof NoteYearEndOutput>

/** Secretary: each member's words, essays and pace for the year. */
export async function branchProgress(branchId: string, year: number): Promise<BranchProgress> {
  const out = await call<Partial<BranchProgress> | undefined>('note', 'branchProgress', { branchId, year })
  return { branchId, year, rows: out?.rows ?? [], totals: out?.totals ?? EMPTY_TOTALS }
}

/** Secretary: 年终检查, who meets the word and essay quotas. */
export async function yearEnd(branchId: string, year: number): Promise<YearEnd> {
  const out = await call<Partial<YearEnd> | undefined>('note', 'yearEnd', { branchId, year })
  return { branchId, year, rows: out?.rows ?? [], totals: out?.totals ?? EMPTY_YEAR_END_TOTALS }
}

const EMPTY_TOTALS: BranchProgress['totals'] = {
  members: 0,
  exempt: 0,
  creditedWords: 0,
  essays: 0,
  onPace: 0,
  behind: 0,
  farBehind: 0,
  done: 0
}

const EMPTY_YEAR_END_TOTALS: YearEnd['totals'] = {
  members: 0,
  assessed: 0,
  exempt: 0,
  meets: 0,
  fails: 0,
  meetsWords: 0,
  meetsEssays: 0,
  creditedWords: 0,
  essays: 0
}

/** The stored note a CONFLICT carries (details.note), or null when the server sent none. */
export interface ConflictNote {
  id?: string
  version: number
  title?: string
  content?: string
  updatedAt?: number
  /** Deleted elsewhere: the member's text can only be kept as a new note. */
  deleted: boolean
}

export function conflictNote(err: unknown): ConflictNote | null {
  if (!(err instanceof ApiError) || err.code !== 'CONFLICT') return null
  const d = (err.details ?? {}) as Record<string, unknown>
  const src = (d.note && typeof d.note === 'object' ? d.note : d) as Record<string, unknown>
  if (typeof src.version !== 'number') return null
  return {
    id: typeof src._id === 'string' ? src._id : undefined,
    version: src.version,
    title: typeof src.title === 'string' ? src.title : undefined,
    content: typeof src.content === 'string' ? src.content : undefined,
    updatedAt: typeof src.updatedAt === 'number' ? src.updatedAt : undefined,
    deleted: src.deleted === true
  }
}
