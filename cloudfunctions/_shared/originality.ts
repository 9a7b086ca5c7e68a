/**
 * Function-side adapter of the originality check (engine: src/core/originality).
 *
 * The index is per 党委 (issue 15): a note is compared only with the notes
 * and materials of the same top organisation (the root of the author's org
 * path, `scopeOf`). Another 党委's notes neither cost a member credit nor
 * tell them that a text exists elsewhere; the scope is part of every posting
 * key, so a lookup cannot even reach another 党委's postings.
 *
 * Storage, two collections, both read by primary key only, so the embedded
 * database answers from its `_id` column and CloudBase from its `_id` index
 * (array fields are never queried: the embedded DB pushes down scalar paths only):
 * - `note_prints`, `_id` = noteId: `{ memberId, scope, createdAt, hashes }`,
 *   the note's distinct fingerprints, so a re-save or delete knows what to
 *   undo; `stale` holds posting KEYS (scope included) still to be cleaned.
 * - `note_postings`, `_id` = `<scope>:<fingerprint>` (postingKey; a plain
 *   12-hex-digit id is a legacy, unscoped posting that nothing reads any
 *   more): `{ notes: [noteId…] }`, the inverted index. A posting keeps at
 *   most POSTING_CAP notes, the first ones indexed: a passage already found
 *   in that many notes is proven common, and the earliest carriers are the
 *   ones a later copy is compared with.
 *
 * - `note_sources`, `_id` = a material id: a study material (学习材料, a
 *   speech or document an organisation studies; StudyMaterialSchema) with
 *   its `hashes`. It is fingerprinted into the same postings (of its own
 *   党委's scope) as `src:<id>`, so one lookup finds notes and sources; passages found in a source are
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
import { slotGate } from './db-around'
import type { Runtime } from './runtime'

export const PRINTS = 'note_prints'
export const POSTINGS = 'note_postings'
export const SOURCES = 'note_sources'
export const IN_CHUNK = 100
/**
 * Fingerprints hashed or posted per slice before the event loop is given
 * back (setImmediate): a 20,000-character note has ~4,500 of them, and one
 * member saving many at once must not hold up everyone else's calls.
 */
export const YIELD_EVERY = IN_CHUNK
/** Database writes of one index job between two yields. */
export const YIELD_OPS = 10

/** The originality scope of an author or a material: the root (党委) of its org path. */
export function scopeOf(orgPath: readonly string[] | undefined): string {
  return orgPath?.[0] ?? ''
}

/** A posting's id: the scope, then the fingerprint. `scope` undefined is a legacy (unscoped) prints document. */
export function postingKey(scope: string | undefined, hash: string): string {
  return scope === undefined ? hash : `${scope}:${hash}`
}

/** Lets other calls run between slices of a long note's work. */
export function yieldToOthers(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}

/**
 * Fingerprints above which a note's index work is "heavy" (about 2,000
 * characters): it then waits for one of HEAVY_SLOTS. Issue 15: one member
 * saving a hundred 20,000-character notes at once queued tens of thousands
 * of database operations ahead of everyone else (6.6 s for a small call).
 * A process runs at most HEAVY_SLOTS heavy jobs at a time, first come first
 * served; short notes never wait. On CloudBase each instance serves one call,
 * so the gate never closes there.
 */
export const HEAVY_FINGERPRINTS = 4 * IN_CHUNK
export const HEAVY_SLOTS = 2
const heavyGate = slotGate(HEAVY_SLOTS)

export function heavySlot<T>(size: number, fn: () => Promise<T>): Promise<T> {
  return size <= HEAVY_FINGERPRINTS ? fn() : heavyGate(fn)
}
/** Shared with the in-memory index (src/core/originality/lookup.ts). */
export { LOOKUP_MAX, POSTING_CAP }

export interface OriginalityInput {
  noteId: string
  memberId: string
  /**
   * The author's org path (Member.orgPath): the scope (its root, the 党委)
   * and which study materials apply. Omitted, it is read from the member's record.
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
  /**
   * ≤ 20, biggest first, as stored on the note (server-side: the matched
   * note's id stays on the server, the member is answered with noteView's
   * ranges, lengths and dates); passages are ranges of MY text.
   */
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
  // No hash of the other author any more (an unsalted hash of a member id names them to anyone
  // holding the roster): whether the earlier note is the member's own is all the notice needs.
  const matches: NoteMatch[] = j.matches.map((m) => ({
    noteId: m.id,
    own: m.meta.memberId === memberId,
    at: m.meta.createdAt,
    chars: m.chars,
    passages: m.spans.map((p) => ({ start: p.start, end: p.end }))
  }))
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
  return (await assessWithHashes(rt, input)).result
}

/**
 * The same, with the note's distinct fingerprints, so stageIndex need not
 * hash the text again inside the save's transaction.
 */
export async function assessWithHashes(rt: Runtime, input: OriginalityInput): Promise<{ result: OriginalityResult; hashes: string[] }> {
  const db = rt.db
  const _ = db.command
  const norm = normalise(input.content)
  const prints = fingerprints(norm)
  const hashes = [...new Set(prints.map((p) => p.hash))]
  // A long note waits for a heavy slot and gives the event loop back between its CPU parts.
  return heavySlot(hashes.length, async () => {
    if (hashes.length > YIELD_EVERY) await yieldToOthers()
    const orgPath = input.orgPath ?? (await orgPathOf(rt, input.memberId))
    const scope = scopeOf(orgPath)

    // An edit is judged as of the note's first save, whatever `at` the caller
    // passes, so a later copy of this note never costs its author credit.
    const { data: stored } = await db.collection(PRINTS).doc(input.noteId).get()
    const cutoff = stored && typeof stored.createdAt === 'number' ? Math.min(input.at, stored.createdAt) : input.at

    // 1. Candidates: earlier notes and sources in the postings of (a sample of) my fingerprints.
    const { looked, step } = lookupSample(hashes)
    const hits = new Map<string, number>()
    for (const chunk of chunks(looked.map((h) => postingKey(scope, h)), IN_CHUNK)) {
      if (looked.length > IN_CHUNK) await yieldToOthers()
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
        // A posting of my scope lists notes of my scope; a note re-indexed elsewhere since (a branch moved
        // to another 党委) may still be listed until its stale postings are cleaned: never compared.
        if (d.scope !== scope) continue
        candidates.push({ id: d._id, shared: sharedOf(d.hashes), meta: { memberId: d.memberId, createdAt: d.createdAt } })
      }
    }
    const sourceIds = ranked.sources.map((k) => k.slice(SOURCE_PREFIX.length))
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
    if (hashes.length > YIELD_EVERY) await yieldToOthers()
    return { result: resultOf(judgeCopies(input.content, candidates, norm, prints), input.memberId), hashes }
  })
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
export async function postSourceChunk(rt: Runtime, sourceId: string, scope: string, hashes: readonly string[]): Promise<number> {
  const key = SOURCE_PREFIX + sourceId
  const _ = rt.db.command
  const postings = rt.db.collection(POSTINGS)
  const keys = hashes.map((h) => postingKey(scope, h))
  let calls = 1
  const found = await postings.where({ _id: _.in(keys) }).field({ _id: true }).limit(keys.length).get()
  const have = new Set(found.data.map((d) => String(d._id)))
  if (have.size > 0) {
    calls++
    await postings.where({ _id: _.in([...have]) }).update({ data: { notes: _.addToSet(key) } })
  }
  for (const h of keys.filter((x) => !have.has(x))) {
    calls++
    if (!(await addIfAbsent(postings, { _id: h, notes: [key] }))) {
      calls++
      await postings.where({ _id: h }).update({ data: { notes: _.addToSet(key) } })
    }
  }
  return calls
}

/**
 * Takes a source out of the postings of one chunk of its fingerprints
 * (idempotent); answers the calls made. Both its scoped postings and the
 * legacy unscoped ones, in the same two calls: a material indexed before the
 * index was scoped leaves no trace behind when removed.
 */
export async function unpostSourceChunk(rt: Runtime, sourceId: string, scope: string, hashes: readonly string[]): Promise<number> {
  const _ = rt.db.command
  const postings = rt.db.collection(POSTINGS)
  const keys = [...hashes.map((h) => postingKey(scope, h)), ...hashes]
  await postings.where({ _id: _.in(keys) }).update({ data: { notes: _.pull(SOURCE_PREFIX + sourceId) } })
  await postings.where({ _id: _.in(keys), notes: _.size(0) }).remove()
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
  note: { _id: string; memberId: string; content: string; createdAt: number; orgPath?: readonly string[]; hashes?: readonly string[] },
  now: number
): Promise<void> {
  const ref = t.collection(PRINTS).doc(note._id)
  const { data } = await ref.get()
  // Hashing 20,000 characters inside a transaction holds the embedded database's lock meanwhile: the caller's are taken when given.
  const hashes = note.hashes ? [...note.hashes] : fingerprintSet(note.content)
  const scope = scopeOf(note.orgPath ?? (await orgPathIn(t, note.memberId)))
  const keep = new Set(hashes.map((h) => postingKey(scope, h)))
  // What the note was posted under before: its old fingerprints in its old scope (none for a
  // legacy document: plain keys), and whatever an unfinished earlier save left to clean.
  const stale = [...new Set([...hashList(data?.stale), ...oldKeys(data)])].filter((k) => !keep.has(k))
  // An edit keeps the first save's date (a later copy of it never costs it credit).
  const createdAt = typeof data?.createdAt === 'number' ? Math.min(data.createdAt, note.createdAt) : note.createdAt
  await ref.set({ data: { memberId: note.memberId, scope, createdAt, hashes, stale, pending: pendingToken(), pendingAt: now } })
}

/** The posting keys a prints document's fingerprints are (or were) posted under. */
function oldKeys(data: Record<string, unknown> | null | undefined): string[] {
  const scope = typeof data?.scope === 'string' ? data.scope : undefined
  return hashList(data?.hashes).map((h) => postingKey(scope, h))
}

async function orgPathIn(t: Transaction, memberId: string): Promise<string[]> {
  const { data } = await t.collection('members').doc(memberId).get()
  return data && Array.isArray(data.orgPath) ? (data.orgPath as unknown[]).filter((x): x is string => typeof x === 'string') : []
}

/** Inside the remove transaction: the note leaves every posting (finishIndex then drops its prints). */
export async function stageUnindex(t: Transaction, noteId: string, now: number): Promise<void> {
  const ref = t.collection(PRINTS).doc(noteId)
  const { data } = await ref.get()
  if (!data) return
  const stale = [...new Set([...hashList(data.stale), ...oldKeys(data)])]
  await ref.set({
    data: { memberId: data.memberId, ...(typeof data.scope === 'string' ? { scope: data.scope } : {}), createdAt: data.createdAt, hashes: [], stale, pending: pendingToken(), pendingAt: now }
  })
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
  const keys = oldKeys(data)
  const stale = hashList(data.stale)
  const postings = db.collection(POSTINGS)
  // A posting already holding POSTING_CAP notes is left alone (the earliest carriers are the ones kept).
  const notFull = { [`notes.${POSTING_CAP - 1}`]: _.exists(false) }
  // The chunks in parallel: on CloudBase (~10 ms a call, one invocation per instance) a
  // 20,000-character note's ~4,500 postings one after another would outlast the timeout.
  // In one process (the local runtime) heavySlot lets only a few long notes do this at once.
  await heavySlot(keys.length + stale.length, async () => {
    await Promise.all(
      chunks(keys, IN_CHUNK).map(async (chunk) => {
        const found = await postings.where({ _id: _.in(chunk) }).field({ _id: true }).limit(chunk.length).get()
        const have = new Set(found.data.map((d) => String(d._id)))
        if (have.size > 0) await postings.where({ _id: _.in([...have]), ...notFull }).update({ data: { notes: _.addToSet(noteId) } })
        let n = 0
        for (const h of chunk.filter((x) => !have.has(x))) {
          if (!(await addIfAbsent(postings, { _id: h, notes: [noteId] }))) {
            await postings.where({ _id: h, ...notFull }).update({ data: { notes: _.addToSet(noteId) } })
          }
          // The embedded database answers synchronously, so a chain of awaits never reaches the
          // event loop by itself: without this, thousands of writes ran before anyone else's request.
          if (++n % YIELD_OPS === 0) await yieldToOthers()
        }
      })
    )
    await Promise.all(
      chunks(stale, IN_CHUNK).map(async (chunk) => {
        await postings.where({ _id: _.in(chunk) }).update({ data: { notes: _.pull(noteId) } })
        await postings.where({ _id: _.in(chunk), notes: _.size(0) }).remove()
      })
    )
  })
  // Only if no newer save staged the note again meanwhile; a removed note's prints go with it.
  const mine = db.collection(PRINTS).where({ _id: noteId, pending: data.pending })
  if (hashes.length === 0) await mine.remove()
  else await mine.update({ data: { stale: [], pending: _.remove(), pendingAt: _.remove() } })
}

/** Stages and finishes in one go (tests, benchmarks, tools). */
export async function indexNote(rt: Runtime, note: { _id: string; memberId: string; content: string; createdAt: number; orgPath?: readonly string[] }): Promise<void> {
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

/** The cron_state document recording that every note and material has been moved into its scope. */
export const SCOPE_MIGRATION = 'originality-scope'

/**
 * Issue 15's migration: prints and materials indexed before the index was
 * scoped. Until this finishes they are simply not found (lookups read only
 * scoped postings, so nothing leaks across 党委 meanwhile); then each note is
 * re-staged in its author's scope, its legacy unscoped postings as the stale
 * keys to clean, and each material re-posted from the start under its own.
 * Oldest notes first, so the capped postings keep the earliest carriers.
 * Runs from the cron tick in bounded steps; once done, one read a tick.
 * Answers how many documents it moved.
 */
export async function rescopeIndex(rt: Runtime, outOfTime: () => boolean): Promise<number> {
  const db = rt.db
  const _ = db.command
  const state = db.collection('cron_state').doc(SCOPE_MIGRATION)
  if ((await state.get()).data?.finishedAt) return 0
  let moved = 0
  for (;;) {
    const { data } = await db.collection(PRINTS).where({ scope: _.exists(false) }).field({ _id: true, memberId: true }).orderBy('createdAt', 'asc').limit(20).get()
    for (const d of data) {
      const id = String(d._id)
      const scope = scopeOf(await legacyOrgPath(rt, id, typeof d.memberId === 'string' ? d.memberId : ''))
      await db.runTransaction(async (t) => {
        const ref = t.collection(PRINTS).doc(id)
        const { data: p } = await ref.get()
        if (!p || typeof p.scope === 'string') return // re-saved meanwhile: already scoped
        const hashes = hashList(p.hashes)
        // Legacy keys are the plain fingerprints: all of them go from the old postings.
        const stale = [...new Set([...hashList(p.stale), ...hashes])]
        await ref.set({ data: { memberId: p.memberId, scope, createdAt: p.createdAt, hashes, stale, pending: pendingToken(), pendingAt: rt.clock.now() } })
      })
      await finishIndex(rt, id)
      moved++
      if (outOfTime()) return moved
    }
    if (data.length < 20) break
  }
  for (;;) {
    // Materials (with an org) posted before: from the start again, under their scope. A removal
    // under way needs no repost (unpostSourceChunk cleans scoped and legacy keys alike).
    const { data } = await db.collection(SOURCES).where({ scope: _.exists(false), orgId: _.exists(true) }).field({ _id: true, orgPath: true, status: true }).limit(20).get()
    for (const d of data) {
      const scope = scopeOf(Array.isArray(d.orgPath) ? (d.orgPath as string[]) : [])
      const restart = d.status === 'removing' ? {} : { status: 'indexing', indexed: 0 }
      await db.collection(SOURCES).where({ _id: d._id, scope: _.exists(false) }).update({ data: { scope, ...restart, updatedAt: rt.clock.now() } })
      moved++
    }
    if (data.length < 20 || outOfTime()) break
  }
  if (!outOfTime()) await state.set({ data: { finishedAt: rt.clock.now() } })
  return moved
}

/** The org path of a legacy note's author: the member's, else the note's branch, else none (compared with nothing). */
async function legacyOrgPath(rt: Runtime, noteId: string, memberId: string): Promise<string[]> {
  const fromMember = memberId ? await orgPathOf(rt, memberId) : []
  if (fromMember.length > 0) return fromMember
  const { data: note } = await rt.db.collection('notes').doc(noteId).get()
  if (!note || typeof note.branchId !== 'string') return []
  const { data: org } = await rt.db.collection('orgs').doc(note.branchId).get()
  return org && Array.isArray(org.path) ? (org.path as unknown[]).filter((x): x is string => typeof x === 'string') : []
}
