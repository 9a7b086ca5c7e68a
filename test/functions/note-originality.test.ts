import { readFileSync } from 'fs'
import { join } from 'path'
import {
  LOOKUP_MAX,
  POSTINGS,
  POSTING_CAP,
  PRINTS,
  SOURCES,
  assessOriginality,
  indexNote,
  stageIndex,
  unindexNote
} from '../../cloudfunctions/_shared/originality'
import { stableHash } from '../../src/core/ids'
import { EDGE, fingerprintSet, noteSegments } from '../../src/core/originality'
import { countNoteWords } from '../../src/core/words'
import { NoteMatchSchema } from '../../src/core/schemas/note'
import { makeLocalRuntime } from '../../server/local-runtime'
import { TEST_SECRET, makeTestEnv, type TestEnv } from '../helpers/env'
import { addIndexedMaterial } from './materials.fixtures'
import { readMaterial, startRemoval } from '../../cloudfunctions/_shared/materials'

const seeds = [1, 2, 3].map((i) => readFileSync(join(__dirname, '../../data/seeds', `speech-${i}.txt`), 'utf8'))
const paras = seeds.map((s) =>
  s
    .split('\n')
    .map((p) => p.trim())
    .filter((p) => p.length >= 150)
)

const DAY = 86400e3
const T0 = Date.parse('2026-03-05T02:00:00Z')

function edited(p: string): string {
  return p.replace(/我们/g, '咱们').replace(/，/g, ', ').replace(/。/g, '. ')
}

describe('note originality adapter (embedded DB, real SQLite file)', () => {
  let env: TestEnv
  const rt = () => makeLocalRuntime({ db: env.db, secret: TEST_SECRET, production: false, clock: env.clock, log: () => undefined }, { openid: null, source: 'none' })
  const index = (id: string, memberId: string, content: string, createdAt: number, orgPath?: string[]) =>
    indexNote(rt(), { _id: id, memberId, content, createdAt, ...(orgPath ? { orgPath } : {}) })

  beforeEach(async () => {
    env = await makeTestEnv({ seed: false })
    await index('n-alice-1', 'm-alice', `${paras[0][0]}\n${paras[0][1]}`, T0)
    await index('n-bob-1', 'm-bob', paras[1][0], T0 + DAY)
    await index('n-carol-1', 'm-carol', paras[2][0], T0 + 2 * DAY)
  })
  afterEach(() => env.close())

  it('credits an original note fully', async () => {
    const mine = '这次学习让我认识到，抓党建要从每一名党员做起，按时参加组织生活，在岗位上当先锋，把学习体会落实到为群众办实事上。'
    const r = await assessOriginality(rt(), { noteId: 'n-new', memberId: 'm-dave', content: mine, at: T0 + 10 * DAY })
    expect(r).toEqual({ words: countNoteWords(mine), creditedWords: countNoteWords(mine), matches: [], excerptWords: 0, excerpts: [], notice: '' })
  })

  it('finds a lightly edited copy of another member’s note, hiding who wrote it', async () => {
    const own = '以下是我的学习摘录和体会。'
    const content = `${own}\n${edited(paras[0][1])}`
    const r = await assessOriginality(rt(), { noteId: 'n-new', memberId: 'm-dave', content, at: T0 + 10 * DAY })
    expect(r.words).toBe(countNoteWords(content))
    expect(r.creditedWords).toBeLessThanOrEqual(countNoteWords(own) + 0.2 * countNoteWords(paras[0][1]))
    expect(r.matches).toHaveLength(1)
    const m = r.matches[0]
    // Stored server-side with the matched note's id; no hash of its author (issue 15).
    expect(m).toMatchObject({ noteId: 'n-alice-1', own: false, at: T0 })
    expect(m.memberIdHash).toBeUndefined()
    expect(JSON.stringify(r)).not.toContain(stableHash('m-alice'))
    expect(NoteMatchSchema.parse(m)).toEqual(m)
    expect(JSON.stringify(r)).not.toContain('m-alice')
    expect(r.notice).toMatch(/^有约 \d+ 字与 1 篇已有笔记（2026-03-05）重复，这部分不计入字数。$/)
  })

  it('matches each re-ordered paragraph to its note, biggest first', async () => {
    const content = `${paras[2][0]}\n\n${paras[1][0]}`
    const r = await assessOriginality(rt(), { noteId: 'n-new', memberId: 'm-dave', content, at: T0 + 10 * DAY })
    expect(r.matches.map((m) => m.noteId).sort()).toEqual(['n-bob-1', 'n-carol-1'])
    expect(r.matches[0].chars).toBeGreaterThanOrEqual(r.matches[1].chars)
    expect(r.creditedWords).toBeLessThanOrEqual(5)
  })

  it('flags my own earlier note resubmitted, without a member hash', async () => {
    const r = await assessOriginality(rt(), { noteId: 'n-bob-2', memberId: 'm-bob', content: paras[1][0], at: T0 + 10 * DAY })
    expect(r.creditedWords).toBe(0)
    expect(r.matches).toHaveLength(1)
    expect(r.matches[0].noteId).toBe('n-bob-1')
    expect(r.matches[0].memberIdHash).toBeUndefined()
    expect(r.notice).toContain('您自己')
  })

  it('never matches the note against itself, nor against later notes', async () => {
    const self = await assessOriginality(rt(), { noteId: 'n-bob-1', memberId: 'm-bob', content: paras[1][0], at: T0 + DAY })
    expect(self.matches).toEqual([])
    // Alice's note, re-judged as of its creation, is not a copy of anything later.
    const alice = await assessOriginality(rt(), { noteId: 'n-alice-x', memberId: 'm-alice', content: paras[2][0], at: T0 })
    expect(alice.matches).toEqual([])
  })

  it('an edit of an older note is not judged against a later copy of it, even when `at` is the save time', async () => {
    // Carol (day 2) copied Alice's paragraph; Alice (day 0) now edits her note.
    await index('n-carol-2', 'm-carol', paras[0][1], T0 + 2 * DAY)
    const content = `${paras[0][0]}\n${paras[0][1]}\n补充一句体会。`
    const r = await assessOriginality(rt(), { noteId: 'n-alice-1', memberId: 'm-alice', content, at: T0 + 30 * DAY })
    expect(r.matches).toEqual([])
    expect(r.creditedWords).toBe(r.words)
    // Carol's copy, judged as a new note, is caught.
    const c = await assessOriginality(rt(), { noteId: 'n-carol-3', memberId: 'm-carol', content: paras[0][1], at: T0 + 30 * DAY })
    expect(c.matches.map((m) => m.noteId)).toEqual(['n-alice-1', 'n-carol-2'])
  })

  it('unindexNote removes the note from prints and postings', async () => {
    await unindexNote(rt(), 'n-bob-1')
    expect((await env.db.collection(PRINTS).doc('n-bob-1').get()).data).toBeNull()
    const r = await assessOriginality(rt(), { noteId: 'n-new', memberId: 'm-dave', content: paras[1][0], at: T0 + 10 * DAY })
    expect(r.matches).toEqual([])
    const postings = await env.db.collection(POSTINGS).limit(1000).get()
    expect(postings.data.some((p) => (p.notes as string[]).includes('n-bob-1'))).toBe(false)
    // unindexing twice is harmless
    await unindexNote(rt(), 'n-bob-1')
  })

  it('re-indexing a note replaces its fingerprints', async () => {
    await index('n-bob-1', 'm-bob', '改写后的笔记：我认为党建工作的关键在于每个党员都能在本职岗位上发挥作用，而不是停留在纸面上。', T0 + DAY)
    const r = await assessOriginality(rt(), { noteId: 'n-new', memberId: 'm-dave', content: paras[1][0], at: T0 + 10 * DAY })
    expect(r.matches).toEqual([])
    const prints = (await env.db.collection(PRINTS).doc('n-bob-1').get()).data
    expect(prints).toMatchObject({ memberId: 'm-bob', createdAt: T0 + DAY })
  })

  it('a rolled-back save leaves the index untouched', async () => {
    await expect(
      env.db.runTransaction(async (t) => {
        await stageIndex(t, { _id: 'n-eve-1', memberId: 'm-eve', content: paras[0][2], createdAt: T0 }, T0)
        throw new Error('save failed')
      })
    ).rejects.toThrow('save failed')
    expect((await env.db.collection(PRINTS).doc('n-eve-1').get()).data).toBeNull()
  })

  it('a long note looks up a sample of its fingerprints and still finds the copied paragraph', async () => {
    const content = seeds[1]
    expect(fingerprintSet(content).length).toBeGreaterThan(LOOKUP_MAX)
    const r = await assessOriginality(rt(), { noteId: 'n-new', memberId: 'm-dave', content, at: T0 + 10 * DAY })
    expect(r.matches.map((m) => m.noteId)).toEqual(['n-bob-1'])
    // the whole paragraph Bob wrote is taken out, the rest of the speech is credited
    const para = countNoteWords(paras[1][0])
    expect(r.words - r.creditedWords).toBeGreaterThanOrEqual(para - 5)
    expect(r.words - r.creditedWords).toBeLessThanOrEqual(para + 2 * EDGE + 2) // edges are fuzzy by up to EDGE
  })

  it('caps a posting list at POSTING_CAP notes and still detects the copy', async () => {
    const p = paras[0][2]
    for (let i = 0; i < POSTING_CAP + 5; i++) await indexNote(rt(), { _id: `n-many-${i}`, memberId: `m-${i}`, content: p, createdAt: T0 + i })
    const { data } = await env.db.collection(POSTINGS).limit(1000).get()
    expect(Math.max(...data.map((d) => (d.notes as string[]).length))).toBe(POSTING_CAP)
    const r = await assessOriginality(rt(), { noteId: 'n-new', memberId: 'm-dave', content: edited(p), at: T0 + 10 * DAY })
    expect(r.matches.length).toBe(20)
    expect(r.creditedWords).toBeLessThanOrEqual(0.2 * r.words)
  })

  it('records where in my text each copied passage is (seed paragraph), never the other text', async () => {
    const own = '以下是我的学习摘录和体会。'
    const para = paras[0][1]
    const content = `${own}\n${para}\n我要在岗位上落实。`
    const r = await assessOriginality(rt(), { noteId: 'n-new', memberId: 'm-dave', content, at: T0 + 10 * DAY })
    expect(r.matches).toHaveLength(1)
    const passages = r.matches[0].passages!
    expect(passages.length).toBeGreaterThanOrEqual(1)
    expect(passages.length).toBeLessThanOrEqual(10)
    expect(NoteMatchSchema.parse(r.matches[0])).toEqual(r.matches[0])
    const at = content.indexOf(para)
    const first = Math.min(...passages.map((p) => p.start))
    const last = Math.max(...passages.map((p) => p.end))
    // covers the copied paragraph (its closing "。" aside), fuzzy by up to EDGE characters outside it
    expect(first).toBeLessThanOrEqual(at)
    expect(first).toBeGreaterThanOrEqual(at - 2 * EDGE)
    expect(last).toBeGreaterThanOrEqual(at + para.length - 1)
    expect(last).toBeLessThanOrEqual(at + para.length + 2 * EDGE)
    // shown: my own text, the copied part highlighted with the other note's date
    const segs = noteSegments(content, r.matches)
    expect(segs.map((x) => x.text).join('')).toBe(content)
    const copied = segs.filter((x) => x.kind === 'copied')
    expect(copied).toHaveLength(1)
    expect(copied[0].label).toBe('与 2026-03-05 的笔记重复')
    expect(copied[0].text).toContain(para.slice(0, -1))
  })

  describe('known source texts (excerpts)', () => {
    const reflA =
      '结合我所在的财务科工作，我体会到党建和业务不能两张皮。今后报销审核要坚持原则又要服务到位，每季度主动向支部汇报一次思想和工作情况，带头把制度执行到位。'
    const reflB =
      '我在社区工作多年，深感基层党组织的战斗力来自每一名党员的日常表现。下一步我准备牵头组织楼栋党员志愿服务队，每月走访困难群众，把学习成果落到为民办实事上。'
    const excerpt = () => paras[0][3]
    // The 党委's study materials; the authors below are members of its branch.
    const ORG = ['org_t', 'br_t']
    const indexSources = async () => {
      for (let i = 0; i < 3; i++) await addIndexedMaterial(rt(), { _id: `speech-${i + 1}`, title: `讲话${i + 1}`, content: seeds[i], orgPath: ['org_t'] })
    }

    it('credits two members excerpting the same speech paragraph with their own reflections, showing the excerpt', async () => {
      await indexSources()
      expect((await env.db.collection(SOURCES).doc('speech-1').get()).data).toMatchObject({ title: '讲话1' })
      const a = `${excerpt()}\n${reflA}`
      const ra = await assessOriginality(rt(), { noteId: 'n-amy-1', memberId: 'm-amy', orgPath: ORG, content: a, at: T0 + 5 * DAY })
      expect(ra.creditedWords).toBe(ra.words)
      await index('n-amy-1', 'm-amy', a, T0 + 5 * DAY)
      const b = `${excerpt()}\n${reflB}`
      const rb = await assessOriginality(rt(), { noteId: 'n-ben-1', memberId: 'm-ben', orgPath: ORG, content: b, at: T0 + 6 * DAY })
      expect(rb.words).toBe(countNoteWords(b))
      expect(rb.creditedWords).toBe(rb.words)
      expect(rb.matches).toEqual([])
      expect(rb.notice).toBe('')
      const paraWords = countNoteWords(excerpt())
      expect(rb.excerptWords).toBeGreaterThanOrEqual(paraWords - 2)
      expect(rb.excerptWords).toBeLessThanOrEqual(paraWords + 2 * EDGE)
      expect(rb.excerpts.map((e) => e.sourceId)).toEqual(['speech-1'])
      expect(rb.excerpts[0].title).toBe('讲话1')
      const segs = noteSegments(b, rb.matches, rb.excerpts)
      expect(segs.map((x) => x.text).join('')).toBe(b)
      expect(segs.filter((x) => x.kind === 'excerpt').map((x) => x.label)).toEqual(['摘自《讲话1》'])
      expect(segs.filter((x) => x.kind === 'own').map((x) => x.text).join('')).toContain(reflB.slice(EDGE + 1))
    })

    it('a material counts only under the org it belongs to, and stops counting the moment its removal starts', async () => {
      await indexSources()
      const b = `${excerpt()}\n${reflB}`
      // Another 党委's member quoting the same paragraph: not their material, so it is their own writing here.
      const elsewhere = await assessOriginality(rt(), { noteId: 'n-x-1', memberId: 'm-x', orgPath: ['org_x', 'br_x'], content: b, at: T0 + 6 * DAY })
      expect(elsewhere.excerpts).toEqual([])
      expect(elsewhere.creditedWords).toBe(elsewhere.words)
      // Without an org path given, the member's own record says which materials apply.
      await env.db.collection('members').add({ data: { _id: 'm-ben', orgPath: ORG } })
      const read = await assessOriginality(rt(), { noteId: 'n-ben-1', memberId: 'm-ben', content: b, at: T0 + 6 * DAY })
      expect(read.excerpts.map((e) => e.sourceId)).toEqual(['speech-1'])
      await startRemoval(rt(), (await readMaterial(rt(), 'speech-1'))!)
      const after = await assessOriginality(rt(), { noteId: 'n-ben-1', memberId: 'm-ben', orgPath: ORG, content: b, at: T0 + 6 * DAY })
      expect(after.excerpts).toEqual([])
    })

    it('a material added after a hundred notes quoted it is still found (sources go past the posting cap)', async () => {
      const para = excerpt()
      for (let i = 0; i < POSTING_CAP + 2; i++) await index(`n-q-${i}`, `m-q-${i}`, `${para}\n第 ${i} 位同志的体会。`, T0 + i * 1000)
      await indexSources()
      const late = await assessOriginality(rt(), { noteId: 'n-late', memberId: 'm-late', orgPath: ORG, content: `${para}\n${reflB}`, at: T0 + 9 * DAY })
      expect(late.excerpts.map((e) => e.sourceId)).toEqual(['speech-1'])
      expect(late.matches).toEqual([])
      expect(late.creditedWords).toBe(late.words)
    })

    it('still catches a member copying another member’s reflection next to the same excerpt', async () => {
      await indexSources()
      await index('n-amy-1', 'm-amy', `${excerpt()}\n${reflA}`, T0 + 5 * DAY, ORG)
      const c = `${excerpt()}\n${edited(reflA)}`
      const r = await assessOriginality(rt(), { noteId: 'n-cat-1', memberId: 'm-cat', orgPath: ORG, content: c, at: T0 + 6 * DAY })
      expect(r.matches.map((m) => m.noteId)).toEqual(['n-amy-1'])
      const copied = r.words - r.creditedWords
      const reflWords = countNoteWords(edited(reflA))
      expect(copied).toBeGreaterThanOrEqual(reflWords - EDGE)
      expect(copied).toBeLessThanOrEqual(reflWords + 2)
      expect(r.excerptWords).toBeGreaterThan(0)
      expect(r.notice).toContain('2026-03-10')
      // the copied passage lies in the reflection, not in the excerpt
      const at = c.indexOf(edited(reflA))
      for (const p of r.matches[0].passages!) expect(p.start).toBeGreaterThanOrEqual(at - 2 * EDGE)
    })
  })
})

describe('originality index finished after the save commits', () => {
  let env: TestEnv
  const rt = () => makeLocalRuntime({ db: env.db, secret: TEST_SECRET, production: false, clock: env.clock, log: () => undefined }, { openid: null, source: 'none' })
  beforeEach(async () => {
    env = await makeTestEnv({ seed: false })
    env.clock.set(T0)
  })
  afterEach(() => env.close())

  it('a save that died after its commit is finished by the next timer tick, once', async () => {
    // Staged with the note (its prints), postings never written: as if the instance died right after the commit.
    await env.db.runTransaction((t) => stageIndex(t, { _id: 'n-alice-1', memberId: 'm-alice', content: paras[0][1], createdAt: T0 }, T0))
    const before = await assessOriginality(rt(), { noteId: 'n-new', memberId: 'm-dave', content: paras[0][1], at: T0 + DAY })
    expect(before.matches).toEqual([])
    env.clock.advance(2 * 60 * 1000)
    const tick = await env.call('cron', 'tally', {}, null)
    expect(tick.ok).toBe(true)
    expect((await env.db.collection(PRINTS).doc('n-alice-1').get()).data).not.toHaveProperty('pending')
    const after = await assessOriginality(rt(), { noteId: 'n-new', memberId: 'm-dave', content: paras[0][1], at: T0 + DAY })
    expect(after.matches.map((m) => m.noteId)).toEqual(['n-alice-1'])
    // Finishing again changes nothing: each posting lists the note once.
    await indexNote(rt(), { _id: 'n-alice-1', memberId: 'm-alice', content: paras[0][1], createdAt: T0 })
    const { data } = await env.db.collection(POSTINGS).limit(1000).get()
    expect(data.every((p) => (p.notes as string[]).filter((id) => id === 'n-alice-1').length === 1)).toBe(true)
  })
})
