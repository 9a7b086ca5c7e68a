/**
 * Note drafts kept on the phone (Taro storage: wx storage on weapp,
 * localStorage on H5, so a closed tab, a dead battery or a reload keeps them).
 * One draft per note: key 'note.draft.<noteId>', or 'note.draft.new' for a
 * note not saved yet. The draft is written as the member types (debounced)
 * and removed only after the server accepted the save.
 *
 * A new note's draft carries a clientId, made once and kept across restores,
 * which the first save sends: a retried first save (lost answer, second tap,
 * reopened app) returns the same note on the server instead of a second one.
 */
import Taro from '@tarojs/taro'
import type { NoteKind } from '../core/schemas/note'

export const DRAFT_PREFIX = 'note.draft.'
export const DRAFT_DEBOUNCE_MS = 500

export interface NoteDraft {
  /** The saved note this draft edits; absent for a new note. */
  noteId?: string
  /** The version the edit started from (sent with the save, for CONFLICT). */
  version?: number
  kind: NoteKind
  title: string
  source: string
  content: string
  /** 交流材料: the seminar it is for, and its title to show (absent: not linked). */
  exchange?: { sessionId: string; title: string }
  /** New notes only: the idempotency id of the first save. */
  clientId?: string
  /** When the phone last wrote the draft. */
  savedAt: number
}

export function draftKey(noteId?: string): string {
  return DRAFT_PREFIX + (noteId || 'new')
}

/** A random id fit for IdSchema ([A-Za-z0-9_:.-]), unique enough per phone. */
export function newClientId(): string {
  let rnd = ''
  for (let i = 0; i < 4; i++) rnd += Math.floor(Math.random() * 0x100000000).toString(36)
  return `c.${Date.now().toString(36)}.${rnd}`.slice(0, 64)
}

function isDraft(v: unknown): v is NoteDraft {
  if (!v || typeof v !== 'object') return false
  const d = v as Record<string, unknown>
  return typeof d.content === 'string' && typeof d.title === 'string' && (d.kind === 'note' || d.kind === 'essay')
}

/** True when there is nothing worth keeping (nothing typed). */
export function isEmptyDraft(d: Pick<NoteDraft, 'title' | 'content' | 'source'>): boolean {
  return !d.title.trim() && !d.content.trim() && !(d.source ?? '').trim()
}

/** The draft stored for this note (or for a new note), or null; never throws. */
export function readDraft(noteId?: string): NoteDraft | null {
  try {
    const raw: unknown = Taro.getStorageSync(draftKey(noteId))
    const v = typeof raw === 'string' && raw ? (JSON.parse(raw) as unknown) : raw
    if (!isDraft(v)) return null
    return {
      ...v,
      source: typeof v.source === 'string' ? v.source : '',
      savedAt: typeof v.savedAt === 'number' ? v.savedAt : 0
    }
  } catch {
    return null
  }
}

/** Writes the draft now (an empty one is removed). Returns false when storage refused it. */
export function writeDraft(draft: Omit<NoteDraft, 'savedAt'> & { savedAt?: number }): boolean {
  const key = draftKey(draft.noteId)
  try {
    if (isEmptyDraft(draft)) {
      // Nothing typed (or all deleted): keep nothing.
      Taro.removeStorageSync(key)
      return true
    }
    const stored: NoteDraft = { ...draft, savedAt: draft.savedAt ?? Date.now() }
    Taro.setStorageSync(key, stored)
    return true
  } catch {
    return false
  }
}

/** After a successful save only. */
export function clearDraft(noteId?: string): void {
  try {
    Taro.removeStorageSync(draftKey(noteId))
  } catch {
    // Nothing better to do: the next save replaces it anyway.
  }
}

/**
 * The clientId for a new note's draft: the stored one when a draft exists
 * (so a restore keeps it), else a fresh one.
 */
export function clientIdFor(existing?: NoteDraft | null): string {
  return existing?.clientId || newClientId()
}

export interface DraftSaver {
  /** Remember this state; written after `delayMs` without a newer call. */
  schedule: (draft: Omit<NoteDraft, 'savedAt'>) => void
  /** Write the pending state now (page hide / unload). */
  flush: () => void
  /** Drop the pending state without writing (after a successful save). */
  cancel: () => void
}

/** Debounced writer: typing writes storage at most once per pause. */
export function createDraftSaver(delayMs = DRAFT_DEBOUNCE_MS, onWritten?: (ok: boolean) => void): DraftSaver {
  let timer: ReturnType<typeof setTimeout> | null = null
  let pending: Omit<NoteDraft, 'savedAt'> | null = null
  const flush = () => {
    if (timer) clearTimeout(timer)
    timer = null
    if (!pending) return
    const d = pending
    pending = null
    const ok = writeDraft(d)
    onWritten?.(ok)
  }
  return {
    schedule(draft) {
      pending = draft
      if (timer) clearTimeout(timer)
      timer = setTimeout(flush, delayMs)
    },
    flush,
    cancel() {
      if (timer) clearTimeout(timer)
      timer = null
      pending = null
    }
  }
}

/**
 * Other forms' unsaved text (会议记录, 自我评价): the same storage, never
 * throwing — a full or missing storage costs the draft, not the page.
 */
export function readStoredDraft<T>(key: string, valid: (v: unknown) => v is T): T | null {
  try {
    const v: unknown = Taro.getStorageSync(key)
    return valid(v) ? v : null
  } catch {
    return null
  }
}

export function writeStoredDraft(key: string, value: unknown): void {
  try {
    Taro.setStorageSync(key, value)
  } catch {
    // See readStoredDraft.
  }
}

export function clearStoredDraft(key: string): void {
  try {
    Taro.removeStorageSync(key)
  } catch {
    // See readStoredDraft.
  }
}
