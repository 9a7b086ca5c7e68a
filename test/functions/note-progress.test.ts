import { NoteBranchProgressOutput, NoteProgressOutput, NoteYearEndOutput } from '../../src/core/functions/note'
import { essayCounts } from '../../src/core/notes/essay'
import { DEFAULT_SETTINGS, settingsId } from '../../src/core/schemas/settings'
import { expectFail, expectOk, makeTestEnv, type TestEnv } from '../helpers/env'
import { P, freshText, saveNote } from './note.fixtures'

type Progress = ReturnType<typeof NoteProgressOutput.parse>

/**
 * A long text nobody else wrote: Han characters drawn by a seeded generator from the whole basic
 * block, so two of them share no 10-character passage (freshText's long texts repeat each other).
 */
function ownText(seed: number, chars: number): string {
  let x = seed * 2654435761 >>> 0
  let s = ''
  for (let i = 0; i < chars; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0
    s += String.fromCharCode(0x4e00 + ((x >>> 8) % 20000))
  }
  return s + '。'
}
let env: TestEnv
beforeAll(async () => {
  env = await makeTestEnv()
})
afterAll(() => env.close())

const progress = async (year: number, as: string, memberId?: string): Promise<Progress> =>
  NoteProgressOutput.parse(expectOk(await env.call('note', 'progress', memberId ? { year, memberId } : { year }, as)))

describe('note.progress', () => {
  it('sums credited words and essays of the Shanghai year, by month, against the quota by rank', async () => {
    env.clock.set(Date.parse('2027-03-01T04:00:00Z')) // 12:00, 1 March 2027 in Shanghai
    const saved = []
    saved.push(expectOk(await saveNote(env, P.member, { content: freshText(60) })).note)
    // 心得 of at least 300 words, as the default setting asks (notes/essay.ts).
    saved.push(expectOk(await saveNote(env, P.member, { kind: 'essay', content: ownText(1, 320) })).note)
    env.clock.set(Date.parse('2027-03-31T15:59:00Z')) // 23:59, 31 March
    saved.push(expectOk(await saveNote(env, P.member, { content: freshText(50) })).note)
    env.clock.set(Date.parse('2027-03-31T16:01:00Z')) // 00:01, 1 April
    saved.push(expectOk(await saveNote(env, P.member, { kind: 'essay', content: ownText(2, 310) })).note)
    const credited = saved.reduce((s, n) => s + n.creditedWords, 0)
    const march = saved.slice(0, 3).reduce((s, n) => s + n.creditedWords, 0)

    const p = await progress(2027, P.member)
    expect(p).toMatchObject({ year: 2027, memberId: P.member, rank: 'staff', creditedWords: credited, wordQuota: 10000, essays: 2, essayQuota: 4, exempt: false, notes: 4, lastNoteAt: env.clock.now() })
    expect(p.byMonth).toHaveLength(12)
    expect(p.byMonth[2]).toEqual({ month: '2027-03', creditedWords: march })
    expect(p.byMonth[3]).toEqual({ month: '2027-04', creditedWords: saved[3].creditedWords })
    expect(p.byMonth.reduce((s, m) => s + m.creditedWords, 0)).toBe(credited)
    // 00:01 on 1 April: 90 days of 365 have passed.
    expect(p.paceWords).toBe(Math.round((10000 * (90 * 86400000 + 60000)) / (365 * 86400000)))
    expect(p.paceStatus).toBe('far_behind')
    expect(p.paceSentence).toMatch(/^按全年均匀进度，到今天应完成约 2,500 字，您已完成 \d+ 字，还差约 [\d,]+ 字。$/)

    const deputy = await progress(2027, P.deputy)
    expect(deputy).toMatchObject({ rank: 'deputy_section_plus', wordQuota: 15000, creditedWords: 0, essays: 0, notes: 0, lastNoteAt: null })
  })

  it('a deleted note credits nothing afterwards', async () => {
    env.clock.set(Date.parse('2028-06-01T04:00:00Z'))
    const n = expectOk(await saveNote(env, P.other, { content: freshText(60) })).note
    expect((await progress(2028, P.other)).creditedWords).toBe(n.creditedWords)
    expectOk(await env.call('note', 'remove', { noteId: n._id, version: 1 }, P.other))
    const after = await progress(2028, P.other)
    expect(after).toMatchObject({ creditedWords: 0, notes: 0 })
    expect(after.byMonth.every((m) => m.creditedWords === 0)).toBe(true)
  })

  it('gives an exempt member no quota and no pace', async () => {
    env.clock.set(Date.parse('2026-11-20T02:00:00Z'))
    const p = await progress(2026, P.exempt)
    expect(p).toMatchObject({ exempt: true, wordQuota: 0, essayQuota: 0, paceWords: 0, paceStatus: 'exempt', paceSentence: '' })
  })

  it('reads the seeded year as the notes say', async () => {
    env.clock.set(Date.parse('2026-11-20T02:00:00Z'))
    const docs = (await env.db.collection('notes').where({ memberId: P.secretary2, year: 2026 }).limit(1000).get()).data as unknown as Array<{ creditedWords: number; kind: string; deleted?: boolean }>
    const live = docs.filter((d) => !d.deleted)
    const p = await progress(2026, P.secretary2)
    expect(p.creditedWords).toBe(live.reduce((s, d) => s + d.creditedWords, 0))
    expect(p.essays).toBe(live.filter((d) => essayCounts(d as never, DEFAULT_SETTINGS.essayMinWords)).length)
    expect(p.wordQuota).toBe(15000)
    expect(['on_pace', 'behind', 'far_behind', 'done']).toContain(p.paceStatus)
  })

  it('shows others\' progress only to officers of their branch', async () => {
    env.clock.set(Date.parse('2026-11-20T02:00:00Z'))
    expect((await progress(2026, P.secretary2, P.member)).memberId).toBe(P.member)
    expect((await progress(2026, P.admin, P.member)).memberId).toBe(P.member)
    for (const who of [P.other, P.secretary1, P.secretary3]) {
      expectFail(await env.call('note', 'progress', { year: 2026, memberId: P.member }, who), 'FORBIDDEN')
    }
    expectFail(await env.call('note', 'progress', { year: '2026' }, P.member), 'INVALID_INPUT')
    expectFail(await env.call('note', 'progress', { year: 1969 }, P.member), 'INVALID_INPUT')
    expectFail(await env.call('note', 'progress', {}, P.member), 'INVALID_INPUT')
  })
})

describe('note.branchProgress and note.yearEnd', () => {
  it('list every member of the officer\'s branch with quota, pace and last note', async () => {
    env.clock.set(Date.parse('2026-11-20T02:00:00Z'))
    const out = NoteBranchProgressOutput.parse(expectOk(await env.call('note', 'branchProgress', { branchId: 'br_2', year: 2026 }, P.secretary2)))
    expect(out.rows).toHaveLength(12)
    expect(out.rows.every((r) => r.memberId.startsWith('m_br_2_'))).toBe(true)
    const mine = await progress(2026, P.secretary2, P.member)
    const row = out.rows.find((r) => r.memberId === P.member)!
    expect(row).toMatchObject({ rank: 'staff', exempt: false, creditedWords: mine.creditedWords, wordQuota: 10000, essays: mine.essays, paceWords: mine.paceWords, paceStatus: mine.paceStatus, lastNoteAt: mine.lastNoteAt })
    expect(out.rows.find((r) => r.memberId === P.deputy)?.wordQuota).toBe(15000)
    expect(out.totals.members).toBe(12)
    expect(out.totals.creditedWords).toBe(out.rows.reduce((s, r) => s + r.creditedWords, 0))
    expect(out.totals.onPace + out.totals.behind + out.totals.farBehind + out.totals.done + out.totals.exempt).toBe(12)
    // The retired branch has its exempt members flagged, with no quota.
    const br3 = NoteBranchProgressOutput.parse(expectOk(await env.call('note', 'branchProgress', { branchId: 'br_3', year: 2026 }, P.admin)))
    expect(br3.rows.find((r) => r.memberId === P.exempt)).toMatchObject({ exempt: true, wordQuota: 0, paceStatus: 'exempt', meets: true })
    expect(br3.totals.exempt).toBe(2)
  })

  it('are for the branch\'s officers and the 党委 admin only', async () => {
    for (const action of ['branchProgress', 'yearEnd']) {
      expectOk(await env.call('note', action, { branchId: 'br_2', year: 2026 }, P.committee2))
      expectOk(await env.call('note', action, { branchId: 'br_2', year: 2026 }, P.admin))
      for (const who of [P.member, P.secretary1, P.secretary3]) {
        expectFail(await env.call('note', action, { branchId: 'br_2', year: 2026 }, who), 'FORBIDDEN')
      }
      expectFail(await env.call('note', action, { branchId: 'br_404', year: 2026 }, P.secretary2), 'FORBIDDEN')
      expectFail(await env.call('note', action, { branchId: 'org_demo', year: 2026 }, P.secretary2), 'FORBIDDEN')
      expectFail(await env.call('note', action, { branchId: 'br_2' }, P.secretary2), 'INVALID_INPUT')
    }
  })

  it('yearEnd says who meets the word and essay quotas and who does not, with totals', async () => {
    env.clock.set(Date.parse('2029-12-20T02:00:00Z'))
    // One member writes enough words and four essays in 2029.
    const big = (i: number) => ownText(100 + i, 2600 + i)
    for (let i = 0; i < 4; i++) expectOk(await saveNote(env, P.other, { kind: 'essay', title: `心得${i}`, content: big(i) }))
    const p = await progress(2029, P.other)
    const out = NoteYearEndOutput.parse(expectOk(await env.call('note', 'yearEnd', { branchId: 'br_2', year: 2029 }, P.secretary2)))
    const row = out.rows.find((r) => r.memberId === P.other)!
    expect(row).toMatchObject({ creditedWords: p.creditedWords, essays: 4, meetsEssays: true, essaysShort: 0 })
    expect(row.meetsWords).toBe(p.creditedWords >= 10000)
    expect(row.wordsShort).toBe(Math.max(0, 10000 - p.creditedWords))
    const idle = out.rows.find((r) => r.memberId === P.deputy)!
    expect(idle).toMatchObject({ meets: false, meetsWords: false, meetsEssays: false, wordsShort: 15000, essaysShort: 4 })
    expect(out.totals).toMatchObject({ members: 12, assessed: 12, exempt: 0 })
    expect(out.totals.meets + out.totals.fails).toBe(12)
    expect(out.totals.meets).toBe(out.rows.filter((r) => r.meets).length)
    expect(out.totals.meetsEssays).toBe(1)
  })

  it('follow the organisation\'s quotas when its settings document exists', async () => {
    env.clock.set(Date.parse('2026-11-20T02:00:00Z'))
    await env.db.collection('settings').add({
      data: { ...DEFAULT_SETTINGS, quotas: { staffWords: 8000, deputyWords: 12000, essays: 6 }, _id: settingsId('org_demo'), orgId: 'org_demo', updatedBy: P.admin, updatedAt: env.clock.now() }
    })
    expect(await progress(2026, P.member)).toMatchObject({ wordQuota: 8000, essayQuota: 6 })
    expect(await progress(2026, P.deputy)).toMatchObject({ wordQuota: 12000, essayQuota: 6 })
    // A branch's own document wins over its 党委's.
    await env.db.collection('settings').add({
      data: { ...DEFAULT_SETTINGS, quotas: { staffWords: 9000, deputyWords: 13000, essays: 5 }, _id: settingsId('br_2'), orgId: 'br_2', updatedBy: P.admin, updatedAt: env.clock.now() }
    })
    const out = NoteBranchProgressOutput.parse(expectOk(await env.call('note', 'branchProgress', { branchId: 'br_2', year: 2026 }, P.secretary2)))
    expect(out.rows.find((r) => r.memberId === P.member)).toMatchObject({ wordQuota: 9000, essayQuota: 5 })
    expect((await progress(2026, P.secretary1)).wordQuota).toBe(12000)
  })
})
