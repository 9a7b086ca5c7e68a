import { runJob } from '../run-job'
import { periodKeysOf } from '../../src/core/period'
import type { Database, DocData } from '../../cloudfunctions/_shared/db'
import { POSTINGS, PRINTS, SOURCES, postingKey, resultOf, scopeOf, type PrintMeta } from '../../cloudfunctions/_shared/originality'
import { MemoryIndex, SOURCE_PREFIX } from '../../src/core/originality'
import { CheckinSchema, LeaveRequestSchema } from '../../src/core/schemas/checkin'
import { StudyMaterialSchema, materialContentHash, type StudyMaterial } from '../../src/core/schemas/material'
import { MemberSchema, type Member } from '../../src/core/schemas/member'
import { NoteSchema, type Note } from '../../src/core/schemas/note'
import { countNoteWords } from '../../src/core/words'
import { OrgSchema } from '../../src/core/schemas/org'
import { SessionSchema } from '../../src/core/schemas/session'
import { SPEECH_TITLES, demoActivity } from './activity'
import { DEMO_COMMITTEE_ID, DEMO_PEOPLE, demoMembers, demoOrgs } from './people'
import { loadSeedTexts } from './texts'

export interface SeedSummary {
  seeded: boolean
  counts: Record<string, number>
}

/**
 * The originality index of the demo: the seed speeches as known sources, then
 * every note in createdAt order judged and indexed by the same rules the note
 * function applies (src/core/originality lookup + judgeCopies, the adapter's
 * resultOf), in memory, so a first start stays fast. Notes get honest
 * creditedWords / matches / excerpts; the index docs are returned for writing.
 * One index per 党委 (the root of the author's org path), as the adapter
 * keeps it: the speeches are the demo 党委's materials.
 */
export function demoOriginality(notes: Note[], members: readonly Member[]): { notes: Note[]; docs: Record<string, DocData[]> } {
  // Tests seed a fresh database per case: the same notes give the same index.
  const key = notes.map((n) => `${n._id}@${n.createdAt}#${n.content.length}`).join('|')
  if (cached?.key !== key) cached = { key, value: computeOriginality(notes, members) }
  return structuredClone(cached.value)
}
let cached: { key: string; value: { notes: Note[]; docs: Record<string, DocData[]> } } | undefined

function computeOriginality(notes: Note[], members: readonly Member[]): { notes: Note[]; docs: Record<string, DocData[]> } {
  const indexes = new Map<string, MemoryIndex<PrintMeta>>()
  const indexOf = (scope: string) => {
    let idx = indexes.get(scope)
    if (!idx) indexes.set(scope, (idx = new MemoryIndex<PrintMeta>()))
    return idx
  }
  const scopeOfMember = new Map(members.map((m) => [m._id, scopeOf(m.orgPath)]))
  const sourceScope = scopeOf([DEMO_COMMITTEE_ID])
  const sources: DocData[] = loadSeedTexts().map((s, i) => {
    const title = SPEECH_TITLES[i % SPEECH_TITLES.length]
    const hashes = indexOf(sourceScope).add(SOURCE_PREFIX + s.id, s.content, 0, { memberId: '', createdAt: 0, title })
    return { _id: s.id, title, content: s.content, hashes }
  })
  const prints: DocData[] = []
  const ordered = [...notes].sort((a, b) => a.createdAt - b.createdAt || (a._id < b._id ? -1 : 1))
  const judged = ordered.map((n) => {
    const scope = scopeOfMember.get(n.memberId) ?? ''
    const idx = indexOf(scope)
    const j = idx.judge(n._id, n.content, n.createdAt)
    const r = resultOf(j, n.memberId)
    const hashes = idx.add(n._id, j, n.createdAt, { memberId: n.memberId, createdAt: n.createdAt })
    prints.push({ _id: n._id, memberId: n.memberId, scope, createdAt: n.createdAt, hashes })
    const creditedWords = Math.max(0, Math.min(n.words, r.creditedWords))
    return {
      ...n,
      creditedWords,
      matches: r.matches.slice(0, 20),
      excerptWords: Math.min(creditedWords, r.excerptWords),
      excerpts: r.excerpts.slice(0, 10)
    }
  })
  const postings: DocData[] = [...indexes.entries()].flatMap(([scope, idx]) => [...idx.postingMap.entries()].map(([hash, ids]) => ({ _id: postingKey(scope, hash), notes: ids })))
  return { notes: judged, docs: { [SOURCES]: sources, [PRINTS]: prints, [POSTINGS]: postings } }
}

/** A seed speech as the 党委's study material (学习材料), added by its admin, already indexed. */
function demoMaterial(doc: DocData, members: Member[], now: number): StudyMaterial {
  const admin = members.find((m) => m._id === DEMO_PEOPLE.admin)
  const content = String(doc.content)
  const hashes = doc.hashes as string[]
  return StudyMaterialSchema.parse({
    ...doc,
    orgId: DEMO_COMMITTEE_ID,
    orgPath: [DEMO_COMMITTEE_ID],
    scope: scopeOf([DEMO_COMMITTEE_ID]),
    origin: '局系统党建工作会议讲话',
    words: countNoteWords(content),
    contentHash: materialContentHash(content),
    hashCount: hashes.length,
    indexed: hashes.length,
    status: 'ready',
    createdBy: DEMO_PEOPLE.admin,
    createdByName: admin?.name ?? '党委管理员',
    createdAt: now,
    updatedAt: now
  })
}

/**
 * Writes the demo organisation on first start, all in one transaction: a
 * killed first start leaves nothing behind and the next start seeds again.
 */
export async function seedDemoData(db: Database, now: number): Promise<SeedSummary> {
  const { total } = await db.collection('orgs').count()
  if (total > 0) return { seeded: false, counts: {} }
  const members = demoMembers(now).map((m) => MemberSchema.parse(m))
  const activity = demoActivity(members, now)
  const originality = demoOriginality(activity.notes, members)
  // Every demo document passes the same schema the functions enforce.
  const docs: Record<string, DocData[]> = {
    orgs: demoOrgs(now).map((o) => OrgSchema.parse(o)),
    members,
    sessions: activity.sessions.map((s) => SessionSchema.parse(s)),
    checkins: activity.checkins.map((c) => CheckinSchema.parse(c)),
    leaves: activity.leaves.map((l) => LeaveRequestSchema.parse(l)),
    notes: originality.notes.map((n) => NoteSchema.parse(n)),
    ...originality.docs,
    [SOURCES]: originality.docs[SOURCES].map((d) => demoMaterial(d, members, now))
  }
  await db.runTransaction(async (t) => {
    for (const [collection, list] of Object.entries(docs)) {
      for (const data of list) await t.collection(collection).add({ data })
    }
  })
  // Points and aggregates come from the same jobs that keep them in production:
  // tally the sessions that are over, then reconcile each year with activity.
  const jobs = { db, secret: 'seed', production: false, clock: { now: () => now }, log: () => undefined }
  await runJob(jobs, 'tally')
  const years = new Set(activity.sessions.map((s) => Number(periodKeysOf(s.startAt).year)))
  for (const year of [...years].sort()) await runJob(jobs, 'reconcile', { year })
  return { seeded: true, counts: Object.fromEntries(Object.entries(docs).map(([k, v]) => [k, v.length])) }
}
