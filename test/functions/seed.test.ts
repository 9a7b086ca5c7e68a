import { periodKeysOf } from '../../src/core/period'
import { countNoteWords } from '../../src/core/words'
import { assessOriginality } from '../../cloudfunctions/_shared/originality'
import { seedDemoData } from '../../server/seed'
import { makeLocalRuntime } from '../../server/local-runtime'
import { StudyMaterialSchema } from '../../src/core/schemas/material'
import { NoteSchema } from '../../src/core/schemas/note'
import { TEST_SECRET, makeTestEnv, type TestEnv } from '../helpers/env'

let env: TestEnv
beforeAll(async () => {
  env = await makeTestEnv()
})
afterAll(() => env.close())

async function count(collection: string, where: Record<string, unknown> = {}): Promise<number> {
  return (await env.db.collection(collection).where(where).count()).total
}

describe('demo seed', () => {
  it('builds one 党委 with branches of 5, 12 and 30 members', async () => {
    expect(await count('orgs', { type: 'committee' })).toBe(1)
    expect(await count('members', { branchId: 'br_1' })).toBe(5)
    expect(await count('members', { branchId: 'br_2' })).toBe(12)
    expect(await count('members', { branchId: 'br_3' })).toBe(30)
    expect(await count('members', { retired: true })).toBeGreaterThanOrEqual(10)
    expect(await count('members', { leadingCadre: true })).toBeGreaterThanOrEqual(3)
    expect(await count('members', { exempt: env.db.command.neq(null) })).toBe(2)
    for (const b of ['br_1', 'br_2', 'br_3']) {
      expect(await count('members', { branchId: b, roles: env.db.command.elemMatch({ role: 'secretary', orgId: b }) })).toBe(1)
    }
  })

  it('holds a past year of sessions, check-ins, leave and notes, and upcoming sessions', async () => {
    const now = env.clock.now()
    const _ = env.db.command
    expect(await count('sessions', { startAt: _.lt(now - 300 * 86400000) })).toBeGreaterThan(0)
    expect(await count('sessions', { startAt: _.gt(now) })).toBeGreaterThan(0)
    // Every month of the past year has a 主题党日 in every branch.
    const themeDays = (await env.db.collection('sessions').where({ type: 'theme_day', startAt: _.lte(now) }).limit(1000).get()).data
    const months = new Set(themeDays.map((s) => `${s.branchId}:${periodKeysOf(Number(s.startAt)).month}`))
    expect(months.size).toBeGreaterThanOrEqual(3 * 12)
    expect(await count('checkins')).toBeGreaterThan(1000)
    expect(await count('checkins', { status: 'late' })).toBeGreaterThan(0)
    expect(await count('checkins', { method: 'proxy' })).toBeGreaterThan(0)
    expect(await count('leaves', { status: 'approved' })).toBeGreaterThan(0)
    // No check-in for a session that has not happened yet.
    const future = (await env.db.collection('sessions').where({ startAt: _.gt(now) }).limit(1000).get()).data.map((s) => s._id)
    expect(await count('checkins', { sessionId: _.in(future) })).toBe(0)
  })

  it('writes notes from the seed speeches with the published word count', async () => {
    const notes = (await env.db.collection('notes').where({ memberId: 'm_br_2_05' }).limit(1000).get()).data
    expect(notes.length).toBeGreaterThan(5)
    for (const n of notes) expect(n.words).toBe(countNoteWords(String(n.content)))
    expect(await count('notes', { kind: 'essay' })).toBeGreaterThan(10)
  })

  it('indexes the speeches as sources and every demo note, with honest credited words', async () => {
    expect(await count('note_sources')).toBe(3)
    // The speeches are the 党委's study materials, listed on its 学习材料 page and applying to every branch.
    for (const d of (await env.db.collection('note_sources').get()).data) expect(StudyMaterialSchema.parse(d)).toMatchObject({ orgId: 'org_demo', status: 'ready' })
    const notes = (await env.db.collection('notes').limit(1000).get()).data.map((n) => NoteSchema.parse(n))
    expect(await count('note_prints')).toBe(await count('notes'))
    for (const n of notes) expect(n.creditedWords).toBeLessThanOrEqual(n.words)
    // Quoting the speeches is credited and shown as excerpt.
    expect(notes.filter((n) => (n.excerptWords ?? 0) > 0).length).toBeGreaterThan(notes.length / 2)
    expect(notes.every((n) => n.kind === 'essay' || n.matches.length === 0)).toBe(true)
    // The shared essay reflection is written by many: later ones are caught.
    expect(notes.some((n) => n.kind === 'essay' && n.creditedWords < n.words && n.matches.length > 0)).toBe(true)
  })

  it('catches a new note copying a demo note’s reflection, crediting the excerpt', async () => {
    const essay = (await env.db.collection('notes').where({ kind: 'essay' }).limit(1000).get()).data
      .map((n) => NoteSchema.parse(n))
      .sort((a, b) => a.createdAt - b.createdAt)[0]
    const rt = makeLocalRuntime({ db: env.db, secret: TEST_SECRET, production: false, clock: env.clock, log: () => undefined }, { openid: null, source: 'none' })
    const r = await assessOriginality(rt, { noteId: 'n-new', memberId: 'm-someone', orgPath: ['org_demo', 'br_2'], content: essay.content, at: env.clock.now() })
    expect(r.matches.map((m) => m.noteId)).toContain(essay._id)
    expect(r.excerptWords).toBeGreaterThan(0)
    expect(r.creditedWords).toBeLessThan(r.words)
    expect(r.creditedWords).toBeGreaterThanOrEqual(r.excerptWords)
  })

  it('is written once: a second start changes nothing', async () => {
    const before = await count('checkins')
    const again = await seedDemoData(env.db, env.clock.now())
    expect(again.seeded).toBe(false)
    expect(await count('checkins')).toBe(before)
  })
})
