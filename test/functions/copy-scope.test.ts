/**
 * Issue 15, "the copy check leaks whose note was copied, across 党委": the
 * originality index is per 党委, and every answer carries ranges, lengths and
 * dates only, never a note id, a member id or a hash of either.
 */
import { POSTINGS, PRINTS, SCOPE_MIGRATION, postingKey } from '../../cloudfunctions/_shared/originality'
import { NoteGetOutput, NoteReviewOutput, NoteSaveOutput } from '../../src/core/functions/note'
import { stableHash } from '../../src/core/ids'
import { fingerprintSet } from '../../src/core/originality'
import { NoteSchema, type Note } from '../../src/core/schemas/note'
import { expectOk, makeTestEnv, type TestEnv } from '../helpers/env'
import { P } from './note.fixtures'
import { OTHER, addOtherCommittee } from './outsider.fixtures'

const DEMO_COMMITTEE = 'org_demo'
const T = Date.parse('2026-11-20T02:00:00Z')

// Reflections written for this suite (no seed speech holds them), long enough to be judged a copy.
const REFLECTION = [
  '这次集中学习后，我把支部近三年的会议记录重新翻了一遍，发现我们在谈心谈话这件事上做得很不够，往往是年底为了填表才突击谈几次。',
  '下一步我打算和支委分工，每人固定联系四五名党员，每月至少面对面聊一次，把大家在工作和家庭上的难处记下来，能帮的马上帮，帮不了的向上反映。',
  '我还体会到，学习笔记不是抄给别人看的，而是给自己照镜子用的，写下来的每一条都要能在岗位上找到对应的行动，不然就是形式主义。'
].join('\n')
const OTHER_REFLECTION = [
  '窗口服务最怕的就是推诿扯皮，群众跑一趟办不成事，心里就会对党员干部打个问号。这段时间我在前台轮岗，专门记下群众反映最多的几个问题。',
  '我准备把这些问题整理成清单，在支部大会上提出来，请大家一起想办法，能当场解决的不过夜，需要协调的明确责任人和时限，办结以后再回访一次。'
].join('\n')

let env: TestEnv
const save = (as: string, content: string, kind: 'note' | 'essay' = 'note') =>
  env.call<unknown>('note', 'save', { kind, title: '学习体会', content }, as)
const OUTSIDER = 'm_other_member'

/** Nothing in an answer may name the other note or its author, in any form. */
function expectNothingNaming(answer: unknown, note: Pick<Note, '_id' | 'memberId'>): void {
  const json = JSON.stringify(answer)
  expect(json).not.toContain(note._id)
  expect(json).not.toContain(note.memberId)
  expect(json).not.toContain(stableHash(note.memberId))
  expect(json).not.toContain('noteId')
  expect(json).not.toContain('memberIdHash')
}

beforeAll(async () => {
  env = await makeTestEnv()
  await addOtherCommittee(env)
  // A plain member of the other 党委's branch.
  const { data: sec } = await env.db.collection('members').doc(OTHER.secretary).get()
  const { _id: _drop, ...rest } = sec as Record<string, unknown>
  await env.db.collection('members').add({ data: { ...rest, _id: OUTSIDER, name: '外单位党员', openid: `dev_${OUTSIDER}`, roles: [] } })
})
afterAll(() => env.close())
beforeEach(() => env.clock.set(T))

describe('the originality index is per 党委', () => {
  let original: Note

  beforeAll(async () => {
    env.clock.set(T - 3 * 86400e3)
    original = NoteSaveOutput.parse(expectOk(await save(P.member, REFLECTION))).note as unknown as Note
    expect(original.creditedWords).toBe(original.words)
  })

  it('a member of another 党委 pasting a demo note gets full credit and learns nothing of it', async () => {
    const out = expectOk(await save(OUTSIDER, REFLECTION))
    const parsed = NoteSaveOutput.parse(out)
    expect(parsed.note.creditedWords).toBe(parsed.note.words)
    expect(parsed.note.matches).toEqual([])
    expect(parsed.note.excerpts ?? []).toEqual([])
    expect(parsed.creditNotice).toBe('')
    expectNothingNaming(out, original)
    // The stored note agrees: no match kept for them either.
    const { data } = await env.db.collection('notes').doc(parsed.note._id).get()
    expect(NoteSchema.parse(data).matches).toEqual([])
  })

  it('the demo 党委’s seeded notes (and its study materials) do not reach another 党委', async () => {
    // The seeded note most reduced by the demo's own copy check: its text is known in the demo 党委.
    const { data } = await env.db.collection('notes').where({ branchId: 'br_2' }).limit(1000).get()
    const seeded = data.map((d) => NoteSchema.parse(d)).sort((a, b) => b.words - a.words)[0]
    const out = expectOk(await save(OUTSIDER, seeded.content))
    const parsed = NoteSaveOutput.parse(out)
    expect(parsed.note.creditedWords).toBe(parsed.note.words)
    expect(parsed.note.matches).toEqual([])
    // The speeches are the demo 党委's materials: not excerpts for another 党委.
    expect(parsed.note.excerpts ?? []).toEqual([])
    expectNothingNaming(out, seeded)
  })

  it('a colleague of the same 党委 copying it is still caught, told ranges, lengths and dates only', async () => {
    const out = expectOk(await save(P.other, REFLECTION))
    const parsed = NoteSaveOutput.parse(out) // strict match shape: any extra key fails here
    expect(parsed.note.creditedWords).toBeLessThan(parsed.note.words / 5)
    expect(parsed.note.matches).toHaveLength(1)
    const m = parsed.note.matches[0]
    expect(Object.keys(m).sort()).toEqual(['at', 'chars', 'own', 'passages'])
    expect(m).toMatchObject({ own: false, at: original.createdAt })
    expect(m.passages!.length).toBeGreaterThan(0)
    expect(parsed.creditNotice).toMatch(/^有约 \d+ 字与 1 篇已有笔记（2026-11-17）重复/)
    expectNothingNaming(out, original)

    // note.get by the author and by the branch secretary: the same reduced shape.
    for (const as of [P.other, P.secretary2]) {
      const got = expectOk(await env.call<unknown>('note', 'get', { noteId: parsed.note._id }, as))
      expect(NoteGetOutput.parse(got).note.matches).toEqual(parsed.note.matches)
      expectNothingNaming(got, original)
    }
    // Reviewing it (the secretary returns it) answers the same way.
    const reviewed = expectOk(await env.call<unknown>('note', 'review', { noteId: parsed.note._id, status: 'returned', comment: '请用自己的话写' }, P.secretary2))
    expect(NoteReviewOutput.parse(reviewed).note.matches).toHaveLength(1)
    expectNothingNaming(reviewed, original)

    // Server-side the match keeps which note it was, for an inspection to follow up.
    const { data } = await env.db.collection('notes').doc(parsed.note._id).get()
    expect(NoteSchema.parse(data).matches[0]).toMatchObject({ noteId: original._id, own: false })
  })

  it('one’s own earlier note resubmitted says so, still without its id', async () => {
    const out = expectOk(await save(P.member, REFLECTION))
    const parsed = NoteSaveOutput.parse(out)
    expect(parsed.note.creditedWords).toBe(0)
    // Mine, and the colleague's copy above (also earlier than now): which one is mine is all it says.
    expect(parsed.note.matches.map((m) => m.own).sort()).toEqual([false, true])
    expect(parsed.creditNotice).toContain('其中 1 篇是您自己的')
    expect(JSON.stringify(out)).not.toContain(original._id)
  })

  it('the postings are keyed by 党委: nothing of the demo 党委 sits under the other one', async () => {
    const hashes = fingerprintSet(REFLECTION).slice(0, 20)
    const demo = await env.db.collection(POSTINGS).where({ _id: env.db.command.in(hashes.map((h) => postingKey(DEMO_COMMITTEE, h))) }).get()
    expect(demo.data.length).toBeGreaterThan(0)
    for (const d of demo.data) expect(d.notes as string[]).toContain(original._id)
    const other = await env.db.collection(POSTINGS).where({ _id: env.db.command.in(hashes.map((h) => postingKey(OTHER.org, h))) }).get()
    for (const d of other.data) expect(d.notes as string[]).not.toContain(original._id)
    // No unscoped posting is written any more.
    expect((await env.db.collection(POSTINGS).where({ _id: env.db.command.in(hashes) }).get()).data).toEqual([])
  })
})

describe('index entries from before the scope (migration)', () => {
  it('are never read across 党委, and the cron tick moves them into their 党委', async () => {
    // A note indexed the old way: prints without a scope, postings under the bare fingerprint.
    env.clock.set(T - 2 * 86400e3)
    const legacy = NoteSaveOutput.parse(expectOk(await save(P.deputy, OTHER_REFLECTION))).note
    const hashes = fingerprintSet(OTHER_REFLECTION)
    await env.db.collection(POSTINGS).where({ _id: env.db.command.in(hashes.map((h) => postingKey(DEMO_COMMITTEE, h))) }).remove()
    await env.db.collection(PRINTS).doc(legacy._id).set({ data: { memberId: P.deputy, createdAt: legacy.createdAt, hashes } })
    for (const h of hashes) await env.db.collection(POSTINGS).add({ data: { _id: h, notes: [legacy._id] } })
    await env.db.collection('cron_state').doc(SCOPE_MIGRATION).remove()
    env.clock.set(T)

    // Before the migration: another 党委 cannot reach it.
    const outside = expectOk(await save(OUTSIDER, OTHER_REFLECTION))
    expect(NoteSaveOutput.parse(outside).note.matches).toEqual([])
    expectNothingNaming(outside, legacy)

    expectOk(await env.call('cron', 'tally', {}, null))
    const { data: prints } = await env.db.collection(PRINTS).doc(legacy._id).get()
    expect(prints).toMatchObject({ scope: DEMO_COMMITTEE })
    expect(prints!.pending).toBeUndefined()
    // The bare postings are cleaned, the scoped ones written.
    expect((await env.db.collection(POSTINGS).where({ _id: env.db.command.in(hashes) }).get()).data).toEqual([])
    expect((await env.db.collection(POSTINGS).where({ _id: env.db.command.in(hashes.map((h) => postingKey(DEMO_COMMITTEE, h))) }).get()).data.length).toBe(hashes.length)
    expect((await env.db.collection('cron_state').doc(SCOPE_MIGRATION).get()).data?.finishedAt).toBe(T)

    // After it: the same 党委 catches the copy, the other still does not see it.
    const inside = NoteSaveOutput.parse(expectOk(await save(P.committee2, OTHER_REFLECTION)))
    expect(inside.note.matches).toHaveLength(1)
    expect(inside.note.creditedWords).toBeLessThan(inside.note.words / 5)
    const outsideAgain = expectOk(await save(OTHER.admin, OTHER_REFLECTION))
    expectNothingNaming(outsideAgain, legacy)
    // In the other 党委 only its own member's earlier save of the text is found.
    const { data: stored } = await env.db.collection('notes').doc(NoteSaveOutput.parse(outsideAgain).note._id).get()
    expect(NoteSchema.parse(stored).matches.map((m) => m.noteId)).toEqual([NoteSaveOutput.parse(outside).note._id])
  })
})
