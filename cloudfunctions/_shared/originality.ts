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
 * - `note_sources`, `_id` = a material id: a study material (学习材料, a
 *   speech or document an organisation studies; StudyMaterialSchema) with
 *   its `hashes`. It is fingerprinted into the same postings as `src:<id>`,
 *   so one lookup finds notes and sources; passages found in a source are
 *   excerpts (credited, shown apart), see judgeCopies. A source counts for a
 *   note only when its `orgId` is on the author's org path (a branch's for
 *   that branch, a 党委's for all beneath it; one without `orgId` for all)
 *   and it is not being removed. Source keys are posted past POSTING_CAP: a
 *   speech added after a hundred members quoted it must still be found.
 *   Posting a long text takes many calls, so it goes in bounded steps
 *   (postSourceChunk, _shared/materials.ts).
 *
 * Queries: the new note's fingerprints (at most LOOKUP_MAX of them) go out as
 * `where({ _id: _.in(chunk) })` in chunks of IN_CHUNK (CloudBase returns
 * ≤ 1,000 documents per get); the MAX_CANDIDATES most-sharing earlier notes'
 * `note_prints` then give author, date and their full fingerprint sets.
 * Writes: a note's prints inside its save transaction, its postings after
 * the commit (stageIndex / finishIndex below), so the transaction stays a
 * handful of documents however long the note.
 */
import { stableHash } from '../../src/core/ids'
import {
  LOOKUP_MAX,
  POSTING_CAP,
  SOURCE_PREFIX,
  creditNotice,
  fingerprints,
  fingerprintSet,
  judgeCopies,
  lookupSample,
  normalise,
  rankHits,
  type Candidate,
  type CopyJudgement
} from '../../src/core/originality'
import type { NoteExcerpt, NoteMatch } from '../../src/core/schemas/note'
import { randomBytes } from 'crypto'
import { addIfAbsent, type Transaction } from './db'
import type { Runtime } from './runtime'

export const PRINTS = 'note_prints'
export const POSTINGS = 'note_postings'
export const SOURCES = 'note_sources'
export const IN_CHUNK = 100
/** Shared with the in-memory index (src/core/originality/lookup.ts). */
export { LOOKUP_MAX, POSTING_CAP }

export interface OriginalityInput {
  noteId: string
  memberId: string
  /**
   * The author's org path (Member.orgPath): which study materials apply.
   * Omitted, it is read from the member's record.
   */
  orgPath?: readonly string[]
  content: string
  /** What was studied, a free title; excerpts are matched against every known source regardless. */
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
  /** words minus words in passages copied from OTHER notes (others' or my own earlier ones); excerpts count */
  creditedWords: number
  /** ≤ 20, biggest first; memberIdHash only for other members, so the member never learns whose; passages are ranges of MY text */
  matches: NoteMatch[]
  /** Words quoted from known source texts (part of creditedWords). */
  excerptWords: number
  /** Known sources quoted, biggest first, with the ranges of my text. */
  excerpts: NoteExcerpt[]
  /** Chinese sentence for the member, '' when all credited. */
  notice: string
}

export interface PrintMeta {
  memberId: string
  createdAt: number
  /** Set for a known source text. */
  title?: string
}

function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size))
  return out
}

/** The stored shape of a judgement (shared with the demo seed). */
export function resultOf(j: CopyJudgement<PrintMeta>, memberId: string): OriginalityResult {
  const matches: NoteMatch[] = j.matches.map((m) => {
    const own = m.meta.memberId === memberId
    const passages = m.spans.map((p) => ({ start: p.start, end: p.end }))
    return own
      ? { noteId: m.id, at: m.meta.createdAt, chars: m.chars, passages }
      : { noteId: m.id, memberIdHash: stableHash(m.meta.memberId), at: m.meta.createdAt, chars: m.chars, passages }
  })
  const excerpts: NoteExcerpt[] = j.excerpts.slice(0, 10).map((e) => ({
    sourceId: e.id.slice(SOURCE_PREFIX.length),
    title: e.meta.title ?? '学习材料',
    chars: e.chars,
    passages: e.spans.map((p) => ({ start: p.start, end: p.end }))
  }))
  const notice = creditNotice(
    j.copiedWords,
    j.matches.map((m) => ({ at: m.meta.createdAt, own: m.meta.memberId === memberId }))
  )
  return { words: j.words, creditedWords: j.creditedWords, matches, excerptWords: j.excerptWords, excerpts, notice }
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

  // 1. Candidates: earlier notes and sources in the postings of (a sample of) my fingerprints.
  const { looked, step } = lookupSample(hashes)
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
  const ranked = rankHits(hits, step)

  // 2. Their prints: author, date and every fingerprint, so the shared set is
  //    exact even when a posting was capped or only sampled.
  const mine = new Set(hashes)
  const sharedOf = (list: unknown): Set<string> => {
    const shared = new Set<string>()
    if (Array.isArray(list)) for (const h of list as unknown[]) if (typeof h === 'string' && mine.has(h)) shared.add(h)
    return shared
  }
  const candidates: Array<Candidate<PrintMeta> & { source?: boolean }> = []
  for (const chunk of chunks(ranked.notes, IN_CHUNK)) {
    const { data } = await db.collection(PRINTS).where({ _id: _.in(chunk) }).limit(chunk.length).get()
    for (const d of data) {
      if (typeof d.memberId !== 'string' || typeof d.createdAt !== 'number' || d.createdAt > cutoff) continue
      candidates.push({ id: d._id, shared: sharedOf(d.hashes), meta: { memberId: d.memberId, createdAt: d.createdAt } })
    }
  }
  const sourceIds = ranked.sources.map((k) => k.slice(SOURCE_PREFIX.length))
  const orgPath = sourceIds.length > 0 ? input.orgPath ?? (await orgPathOf(rt, input.memberId)) : []
  for (const chunk of chunks(sourceIds, IN_CHUNK)) {
    // Not the text: a material can be 90 KB, its fingerprints are what is compared.
    const { data } = await db
      .collection(SOURCES)
      .where({ _id: _.in(chunk) })
      .field({ _id: true, title: true, hashes: true, orgId: true, status: true })
      .limit(chunk.length)
      .get()
    for (const d of data) {
      if (!sourceApplies(d, orgPath)) continue
      const title = typeof d.title === 'string' ? d.title : undefined
      candidates.push({ id: SOURCE_PREFIX + d._id, shared: sharedOf(d.hashes), meta: { memberId: '', createdAt: 0, ...(title ? { title } : {}) }, source: true })
    }
  }
  return resultOf(judgeCopies(input.content, candidates, norm, prints), input.memberId)
}

/** A material counts for a note when it belongs to an org on the author's path (or to none) and is not being removed. */
export function sourceApplies(doc: Record<string, unknown>, orgPath: readonly string[]): boolean {
  if (doc.status === 'removing') return false
  return typeof doc.orgId !== 'string' || orgPath.includes(doc.orgId)
}

async function orgPathOf(rt: Runtime, memberId: string): Promise<string[]> {
  const { data } = await rt.db.collection('members').doc(memberId).get()
  return data && Array.isArray(data.orgPath) ? (data.orgPath as unknown[]).filter((x): x is string => typeof x === 'string') : []
}

/**
 * Posts a source's fingerprints (`src:<id>`) into the shared postings, one
 * chunk of at most IN_CHUNK: the postings that exist get the key in one bulk
 * update, the missing ones are created one by one. Past POSTING_CAP, unlike
 * notes. Every write is idempotent (addToSet, add-if-absent), so a step
 * repeated after a timeout or by two callers at once changes nothing.
 * Answers the database calls it made.
 */
export async function postSourceChunk(rt: Runtime, sourceId: string, hashes: readonly string[]): Promise<number> {
  const key = SOURCE_PREFIX + sourceId
  const _ = rt.db.command
  const postings = rt.db.collection(POSTINGS)
  let calls = 1
  const found = await postings.where({ _id: _.in([...hashes]) }).field({ _id: true }).limit(hashes.length).get()
  const have = new Set(found.data.map((d) => String(d._id)))
  if (have.size > 0) {
    calls++
    await postings.where({ _id: _.in([...have]) }).update({ data: { notes: _.addToSet(key) } })
  }
  for (const h of hashes.filter((x) => !have.has(x))) {
    calls++
    if (!(await addIfAbsent(postings, { _id: h, notes: [key] }))) {
      calls++
      await postings.where({ _id: h }).update({ data: { notes: _.addToSet(key) } })
    }
  }
  return calls
}

/** Takes a source out of the postings of one chunk of its fingerprints (idempotent); answers the calls made. */
export async function unpostSourceChunk(rt: Runtime, sourceId: string, hashes: readonly string[]): Promise<number> {
  const _ = rt.db.command
  const postings = rt.db.collection(POSTINGS)
  await postings.where({ _id: _.in([...hashes]) }).update({ data: { notes: _.pull(SOURCE_PREFIX + sourceId) } })
  await postings.where({ _id: _.in([...hashes]), notes: _.size(0) }).remove()
  return 2
}

/**
 * Indexing a note, in two halves. Inside the save's transaction, `stageIndex`
 * writes only the note's prints document: its new fingerprints, the ones it
 * had before that postings may still list (`stale`), and a `pending` token.
 * After the commit, `finishIndex` brings the postings in line with bulk
 * updates (addToSet / pull: repeating them changes nothing) and clears the
 * token if no newer save replaced it. A crash in between leaves `pending`
 * for the nightly job (finishPendingIndexes); a retry finishes it again,
 * harmlessly. Until then other notes are compared without this one, and a
 * posting may list a note whose prints no longer hold that fingerprint,
 * which costs a candidate read and nothing else (shared fingerprints are
 * always taken from the prints).
 */
export async function stageIndex(
  t: Transaction,
  note: { _id: string; memberId: string; content: string; createdAt: number },
  now: number
): Promise<void> {
  const ref = t.collection(PRINTS).doc(note._id)
  const { data } = await ref.get()
  const hashes = fingerprintSet(note.content)
  const keep = new Set(hashes)
  const stale = [...new Set([...hashList(data?.stale), ...hashList(data?.hashes)])].filter((h) => !keep.has(h))
  // An edit keeps the first save's date (a later copy of it never costs it credit).
  const createdAt = typeof data?.createdAt === 'number' ? Math.min(data.createdAt, note.createdAt) : note.createdAt
  await ref.set({ data: { memberId: note.memberId, createdAt, hashes, stale, pending: pendingToken(), pendingAt: now } })
}

/** Inside the remove transaction: the note leaves every posting (finishIndex then drops its prints). */
export async function stageUnindex(t: Transaction, noteId: string, now: number): Promise<void> {
  const ref = t.collection(PRINTS).doc(noteId)
  const { data } = await ref.get()
  if (!data) return
  const stale = [...new Set([...hashList(data.stale), ...hashList(data.hashes)])]
  await ref.set({ data: { memberId: data.memberId, createdAt: data.createdAt, hashes: [], stale, pending: pendingToken(), pendingAt: now } })
}

function hashList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((h): h is string => typeof h === 'string') : []
}

function pendingToken(): string {
  return randomBytes(6).toString('hex')
}

/** After the commit: the postings of a staged note brought in line (see stageIndex). */
export async function finishIndex(rt: Runtime, noteId: string): Promise<void> {
  const db = rt.db
  const _ = db.command
  const { data } = await db.collection(PRINTS).doc(noteId).get()
  if (!data || typeof data.pending !== 'string') return
  const hashes = hashList(data.hashes)
  const stale = hashList(data.stale)
  const postings = db.collection(POSTINGS)
  // A posting already holding POSTING_CAP notes is left alone (the earliest carriers are the ones kept).
  const notFull = { [`notes.${POSTING_CAP - 1}`]: _.exists(false) }
  await Promise.all(
    chunks(hashes, IN_CHUNK).map(async (chunk) => {
      const found = await postings.where({ _id: _.in(chunk) }).field({ _id: true }).limit(chunk.length).get()
      const have = new Set(found.data.map((d) => String(d._id)))
      if (have.size > 0) await postings.where({ _id: _.in([...have]), ...notFull }).update({ data: { notes: _.addToSet(noteId) } })
      for (const h of chunk.filter((x) => !have.has(x))) {
        if (!(await addIfAbsent(postings, { _id: h, notes: [noteId] }))) {
          await postings.where({ _id: h, ...notFull }).update({ data: { notes: _.addToSet(noteId) } })
        }
      }
    })
  )
  await Promise.all(
    chunks(stale, IN_CHUNK).map(async (chunk) => {
      await postings.where({ _id: _.in(chunk) }).update({ data: { notes: _.pull(noteId) } })
      await postings.where({ _id: _.in(chunk), notes: _.size(0) }).remove()
    })
  )
  // Only if no newer save staged the note again meanwhile; a removed note's prints go with it.
  const mine = db.collection(PRINTS).where({ _id: noteId, pending: data.pending })
  if (hashes.length === 0) await mine.remove()
  else await mine.update({ data: { stale: [], pending: _.remove(), pendingAt: _.remove() } })
}

/** Stages and finishes in one go (tests, benchmarks, tools). */
export async function indexNote(rt: Runtime, note: { _id: string; memberId: string; content: string; createdAt: number }): Promise<void> {
  await rt.db.runTransaction((t) => stageIndex(t, note, rt.clock.now()))
  await finishIndex(rt, note._id)
}

export async function unindexNote(rt: Runtime, noteId: string): Promise<void> {
  await rt.db.runTransaction((t) => stageUnindex(t, noteId, rt.clock.now()))
  await finishIndex(rt, noteId)
}

/** Notes staged at least `olderThanMs` ago and never finished (a crash after the commit): finished now. */
export async function finishPendingIndexes(rt: Runtime, outOfTime: () => boolean, olderThanMs = 60_000): Promise<number> {
  const _ = rt.db.command
  let done = 0
  for (;;) {
    const { data } = await rt.db
      .collection(PRINTS)
      .where({ pendingAt: _.lte(rt.clock.now() - olderThanMs) })
      .field({ _id: true })
      .limit(20)
      .get()
    for (const d of data) {
      await finishIndex(rt, String(d._id))
      done++
      if (outOfTime()) return done
    }
    if (data.length < 20) return done
  }
}
