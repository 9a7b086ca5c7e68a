/**
 * Function-side adapter of the originality check (engine: src/core/originality).
 *
 * Storage, two collections, both read by primary key only, so the embedded
 * database answers from its `_id` column and CloudBase from its `_id` index
 * (array fields are never queried: the embedded DB pushes down scalar paths only):
 * - `note_prints`, `_id` = noteId: `{ memberId, createdAt, hashes }`, the
 *   note's distinct fingerprints, so a re-save or delete knows what to undo.
 * - `note_postings`, `_id` = fingerprint (12 hex digits): `{ notes: [noteId…] }`,
 *   the inverted index. A posting keeps at most POSTING_CAP notes, the first
 *   ones indexed: a passage already found in that many notes is proven common,
 *   and the earliest carriers are the ones a later copy is compared with.
 *
 * Queries: the new note's fingerprints (at most LOOKUP_MAX of them) go out as
 * `where({ _id: _.in(chunk) })` in chunks of IN_CHUNK (CloudBase returns
 * ≤ 1,000 documents per get); the MAX_CANDIDATES most-sharing earlier notes'
 * `note_prints` then give author, date and their full fingerprint sets. Writes happen inside the caller's transaction with doc get/set/remove
 * only (the Transaction contract has no `command`), so a save and its index
 * commit or roll back together.
 */
import { stableHash } from '../../../src/core/ids'
import {
  MAX_CANDIDATES,
  MIN_SHARED,
  creditNotice,
  fingerprints,
  fingerprintSet,
  judgeCopies,
  normalise,
  type Candidate
} from '../../../src/core/originality'
import type { Transaction } from '../../_shared/db'
import type { Runtime } from '../../_shared/runtime'

export const PRINTS = 'note_prints'
export const POSTINGS = 'note_postings'
export const POSTING_CAP = 100
export const IN_CHUNK = 100
/**
 * Postings read per check at most. A longer note (over ~2,700 characters)
 * looks up a deterministic 1-in-`step` sample of its fingerprints (by hash
 * value, so the same ones every time) to find candidates; the candidates'
 * full prints then give the exact overlap. A copied passage of ≥ 150
 * characters (~30 fingerprints) is still found; a short one in a very long
 * note may be missed.
 */
export const LOOKUP_MAX = 600

export interface OriginalityInput {
  noteId: string
  memberId: string
  content: string
  /** What was studied; reserved for excerpt-vs-own-writing once source texts are stored. */
  source?: string
  /**
   * When the note was first written (its createdAt; for an edit, the original
   * creation time). Only notes created at or before it count, so a later copy
   * of this note never costs it credit. For a note already indexed the stored
   * createdAt wins when earlier, so passing the save time is safe too.
   */
  at: number
}
export interface OriginalityResult {
  /** countNoteWords(content) */
  words: number
  /** words minus words in passages copied from OTHER notes (others' or my own earlier ones) */
  creditedWords: number
  /** ≤ 20, biggest first; memberIdHash only for other members, so the member never learns whose */
  matches: Array<{ noteId: string; memberIdHash?: string; at: number; chars: number }>
  /** Chinese sentence for the member, '' when all credited. */
  notice: string
}

interface PrintMeta {
  memberId: string
  createdAt: number
}


function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size))
  return out
}

/** Reads the index (outside any transaction) and judges a note before it is saved. */
export async function assessOriginality(rt: Runtime, input: OriginalityInput): Promise<OriginalityResult> {
  const db = rt.db
  const _ = db.command
  const norm = normalise(input.content)
  const prints = fingerprints(norm)
  const hashes = [...new Set(prints.map((p) => p.hash))]

  // An edit is judged as of the note's first save, whatever `at` the caller
  // passes, so a later copy of this note never costs its author credit.
  const { data: stored } = await db.collection(PRINTS).doc(input.noteId).get()
  const cutoff = stored && typeof stored.createdAt === 'number' ? Math.min(input.at, stored.createdAt) : input.at

  // 1. Candidates: earlier notes in the postings of (a sample of) my fingerprints.
  const step = Math.max(1, Math.ceil(hashes.length / LOOKUP_MAX))
  const looked = step === 1 ? hashes : hashes.filter((h) => parseInt(h.slice(0, 8), 16) % step === 0)
  const hits = new Map<string, number>()
  for (const chunk of chunks(looked, IN_CHUNK)) {
    const { data } = await db.collection(POSTINGS).where({ _id: _.in(chunk) }).limit(chunk.length).get()
    for (const doc of data) {
      const notes = Array.isArray(doc.notes) ? (doc.notes as unknown[]) : []
      for (const id of notes) {
        if (typeof id !== 'string' || id === input.noteId) continue
        hits.set(id, (hits.get(id) ?? 0) + 1)
      }
    }
  }
  const minHits = step === 1 ? MIN_SHARED : 1
  const ranked = [...hits.entries()]
    .filter(([, c]) => c >= minHits)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, MAX_CANDIDATES)
    .map(([id]) => id)

  // 2. Their prints: author, date and every fingerprint, so the shared set is
  //    exact even when a posting was capped or only sampled.
  const mine = new Set(hashes)
  const candidates: Array<Candidate<PrintMeta>> = []
  for (const chunk of chunks(ranked, IN_CHUNK)) {
    const { data } = await db.collection(PRINTS).where({ _id: _.in(chunk) }).limit(chunk.length).get()
    for (const d of data) {
      if (typeof d.memberId !== 'string' || typeof d.createdAt !== 'number' || d.createdAt > cutoff) continue
      const shared = new Set<string>()
      if (Array.isArray(d.hashes)) for (const h of d.hashes as unknown[]) if (typeof h === 'string' && mine.has(h)) shared.add(h)
      candidates.push({ id: d._id, shared, meta: { memberId: d.memberId, createdAt: d.createdAt } })
    }
  }
  const j = judgeCopies(input.content, candidates, norm, prints)
  const matches = j.matches.map((m) => {
    const own = m.meta.memberId === input.memberId
    return own
      ? { noteId: m.id, at: m.meta.createdAt, chars: m.chars }
      : { noteId: m.id, memberIdHash: stableHash(m.meta.memberId), at: m.meta.createdAt, chars: m.chars }
  })
  const notice = creditNotice(
    j.copiedWords,
    j.matches.map((m) => ({ at: m.meta.createdAt, own: m.meta.memberId === input.memberId }))
  )
  return { words: j.words, creditedWords: j.creditedWords, matches, notice }
}

async function postingAdd(t: Transaction, hash: string, noteId: string): Promise<void> {
  const ref = t.collection(POSTINGS).doc(hash)
  const { data } = await ref.get()
  const notes = data && Array.isArray(data.notes) ? (data.notes as string[]) : []
  if (notes.includes(noteId) || notes.length >= POSTING_CAP) return
  await ref.set({ data: { notes: [...notes, noteId] } })
}

async function postingRemove(t: Transaction, hash: string, noteId: string): Promise<void> {
  const ref = t.collection(POSTINGS).doc(hash)
  const { data } = await ref.get()
  if (!data || !Array.isArray(data.notes)) return
  const notes = (data.notes as string[]).filter((id) => id !== noteId)
  if (notes.length === (data.notes as string[]).length) return
  if (notes.length === 0) await ref.remove()
  else await ref.set({ data: { notes } })
}

async function storedHashes(t: Transaction, noteId: string): Promise<string[]> {
  const { data } = await t.collection(PRINTS).doc(noteId).get()
  return data && Array.isArray(data.hashes) ? (data.hashes as string[]) : []
}

/** Writes / replaces the note's fingerprints inside the save transaction. */
export async function indexNote(t: Transaction, note: { _id: string; memberId: string; content: string; createdAt: number }): Promise<void> {
  const before = new Set(await storedHashes(t, note._id))
  const hashes = fingerprintSet(note.content)
  const after = new Set(hashes)
  for (const h of before) if (!after.has(h)) await postingRemove(t, h, note._id)
  for (const h of hashes) if (!before.has(h)) await postingAdd(t, h, note._id)
  await t.collection(PRINTS).doc(note._id).set({ data: { memberId: note.memberId, createdAt: note.createdAt, hashes } })
}

/** Removes a deleted note's fingerprints (inside the remove transaction). */
export async function unindexNote(t: Transaction, noteId: string): Promise<void> {
  const ref = t.collection(PRINTS).doc(noteId)
  const { data } = await ref.get()
  if (!data) return
  const hashes = Array.isArray(data.hashes) ? (data.hashes as string[]) : []
  for (const h of hashes) await postingRemove(t, h, noteId)
  await ref.remove()
}
