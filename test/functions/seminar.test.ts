/**
 * 专题学习研讨 through the session and note functions on a real SQLite file,
 * fixed clock: the record links the branch's study materials (checked), a
 * seminar's plan names its topic and the branch's speakers, and members hand
 * in 交流材料 as ordinary notes linked to the session: counted and copy
 * checked like any note, listed in the record (all for officers, one's own
 * for a member).
 */
import { readFileSync } from 'fs'
import ExcelJS from 'exceljs'
import { join } from 'path'
import { StudyMaterialSchema } from '../../src/core/schemas/material'
import { countNoteWords } from '../../src/core/words'
import { expectFail, expectOk, makeTestEnv, type TestEnv } from '../helpers/env'
import { BR2, HOUR, addSession } from './checkin.fixtures'
import { OTHER, addOtherCommittee } from './outsider.fixtures'

const T0 = Date.parse('2026-11-20T02:00:00Z')
const SPEECH = readFileSync(join(__dirname, '../../data/seeds/speech-2.txt'), 'utf8')
// A member's own remarks around a quoted passage of the speech (the quote is an excerpt, the rest their own).
const REMARKS = [
  '这次专题学习研讨前，我对照讲话把自己这一年的工作重新梳理了一遍，发现在联系群众这件事上，我常常是等群众上门，很少主动走出去听意见。',
  SPEECH.split('\n').find((p) => p.trim().length > 80)!.trim(),
  '下一步我准备每月抽出两个半天到服务窗口和社区走一走，把听到的难处记在本子上，能当场办的当场办，办不了的写清楚向谁反映、什么时候回复。'
].join('\n')

type Named = { memberId: string; name: string }
type Exchange = Array<Named & { notes: Array<{ _id: string; title: string; words: number; creditedWords: number }> }>
type Got = {
  minutes: { content: { topic: string; speakerIds: string[]; materialIds: string[] }; updatedAt: number | null }
  materials: Array<{ _id: string; title: string }>
  speakers: Named[]
  exchange: Exchange
}
type Saved = { note: { _id: string; version: number; words: number; creditedWords: number; excerptWords?: number; matches: unknown[]; sessionId?: string } }

let env: TestEnv
beforeEach(async () => {
  env = await makeTestEnv()
  env.clock.set(T0)
})
afterEach(() => env.close())

const get = async (sessionId: string, as: string) => expectOk(await env.call<Got>('session', 'minutes', { sessionId }, as))
const save = (sessionId: string, patch: Record<string, unknown>, baseUpdatedAt: number | null = null, as: string = BR2.secretary) =>
  env.call<{ updatedAt: number }>('session', 'minutesSave', { sessionId, patch, baseUpdatedAt }, as)
const hand = (as: string, sessionId: string | undefined, content = REMARKS, extra: Record<string, unknown> = {}) =>
  env.call<Saved>('note', 'save', { kind: 'essay', title: '研讨交流材料', content, ...(sessionId ? { sessionId } : {}), ...extra }, as)

async function seedMaterial(): Promise<{ _id: string; title: string }> {
  const { data } = await env.db.collection('note_sources').where({ orgId: 'org_demo' }).limit(1).get()
  return { _id: String(data[0]._id), title: String(data[0].title) }
}

async function putMaterial(_id: string, orgPath: string[], status: 'ready' | 'removing') {
  await env.db.collection('note_sources').add({
    data: StudyMaterialSchema.parse({
      _id, orgId: orgPath[orgPath.length - 1], orgPath, scope: orgPath[0], title: `材料 ${_id}`, content: '学习材料正文', words: 6,
      contentHash: '0123456789abcdef', hashes: [], hashCount: 0, indexed: 0, status, createdBy: 'm_x', createdByName: '测试', createdAt: T0, updatedAt: T0
    })
  })
}

describe('学习材料 in the record', () => {
  it('links the branch’s materials and answers their titles; another org’s, a removing or a missing one is refused', async () => {
    const s = await addSession(env)
    const mat = await seedMaterial()
    await addOtherCommittee(env)
    await putMaterial('mat_other', [OTHER.org, OTHER.branch], 'ready')
    await putMaterial('mat_gone', ['org_demo', 'br_2'], 'removing')
    await putMaterial('mat_br1', ['org_demo', 'br_1'], 'ready')
    for (const bad of ['mat_other', 'mat_gone', 'mat_br1', 'mat_nowhere']) {
      const e = expectFail(await save(s._id, { materialIds: [mat._id, bad] }), 'INVALID_INPUT')
      expect(e.message).toBe('所选学习材料不存在、正在移除，或不属于本支部可用的材料，请重新选择')
    }
    expectOk(await save(s._id, { materialIds: [mat._id], agenda: '学习讲话' }))
    const rec = await get(s._id, BR2.member)
    expect(rec.materials).toEqual([mat])
    expect(rec.exchange).toEqual([])
  })
})

describe('专题学习研讨', () => {
  it('plans topic and speakers (the branch’s people); other sessions take no plan', async () => {
    const seminar = await addSession(env, { type: 'seminar', startIn: 2 * 24 * HOUR })
    const meeting = await addSession(env)
    expect(expectFail(await save(seminar._id, { speakerIds: [BR2.member, 'm_br_1_03'] }), 'INVALID_INPUT').message).toBe('发言人要从本支部党员中选择')
    expect(expectFail(await save(meeting._id, { topic: '以学铸魂' }), 'INVALID_INPUT').message).toBe('研讨主题和发言人只用于专题学习研讨，这场活动不需要填写')
    expectFail(await save(meeting._id, { speakerIds: [BR2.member] }), 'INVALID_INPUT')
    expectOk(await save(seminar._id, { topic: '以学铸魂、以学增智', speakerIds: [BR2.member, BR2.committee] }))
    const rec = await get(seminar._id, BR2.member)
    expect(rec.minutes.content.topic).toBe('以学铸魂、以学增智')
    expect(rec.speakers.map((x) => x.memberId)).toEqual([BR2.member, BR2.committee])
    expect(rec.speakers.every((x) => x.name.length > 0)).toBe(true)
  })

  it('a seminar locks only with its topic; after that the plan changes by corrections with a reason', async () => {
    const seminar = await addSession(env, { type: 'seminar', startIn: -3 * HOUR })
    const v1 = expectOk(await save(seminar._id, { chairId: BR2.secretary, recorderId: BR2.committee, agenda: '学习讲话，交流体会' })).updatedAt
    expect(expectFail(await env.call('session', 'minutesLock', { sessionId: seminar._id, baseUpdatedAt: v1 }, BR2.secretary), 'INVALID_INPUT').message).toBe('锁定前请填写：研讨主题')
    const v2 = expectOk(await save(seminar._id, { topic: '以学铸魂' }, v1)).updatedAt
    const locked = expectOk(await env.call<{ updatedAt: number }>('session', 'minutesLock', { sessionId: seminar._id, baseUpdatedAt: v2 }, BR2.secretary))
    const fixed = await env.call<{ corrections: number }>('session', 'minutesSave', { sessionId: seminar._id, patch: { speakerIds: [BR2.member] }, baseUpdatedAt: locked.updatedAt, reason: '补记发言人' }, BR2.secretary)
    expect(expectOk(fixed).corrections).toBe(1)
    const rec = await env.call<{ minutes: { corrections: Array<{ field: string; before: unknown; after: unknown }> } }>('session', 'minutes', { sessionId: seminar._id }, BR2.member)
    expect(expectOk(rec).minutes.corrections).toEqual([expect.objectContaining({ field: 'speakerIds', before: [], after: [BR2.member] })])
  })

  it('a 交流材料 is a note linked to the seminar, counted with its words; the record lists who handed in', async () => {
    const seminar = await addSession(env, { type: 'seminar', title: '第四季度专题学习研讨' })
    const before = expectOk(await env.call<{ creditedWords: number }>('note', 'progress', { year: 2026 }, BR2.member))
    const out = expectOk(await hand(BR2.member, seminar._id))
    expect(out.note.sessionId).toBe(seminar._id)
    expect(out.note.words).toBe(countNoteWords(REMARKS))
    // The quoted speech is an excerpt: credited, not a copy.
    expect(out.note.excerptWords).toBeGreaterThan(0)
    expect(out.note.creditedWords).toBe(out.note.words)
    const after = expectOk(await env.call<{ creditedWords: number }>('note', 'progress', { year: 2026 }, BR2.member))
    expect(after.creditedWords - before.creditedWords).toBe(out.note.creditedWords)

    const got = expectOk(await env.call<{ exchange: { sessionId: string; title: string } | null }>('note', 'get', { noteId: out.note._id }, BR2.member))
    expect(got.exchange).toEqual({ sessionId: seminar._id, title: '第四季度专题学习研讨' })

    const officer = await get(seminar._id, BR2.secretary)
    expect(officer.exchange).toHaveLength(12)
    const mine = officer.exchange.find((r) => r.memberId === BR2.member)!
    expect(mine.notes).toEqual([{ _id: out.note._id, title: '研讨交流材料', words: out.note.words, creditedWords: out.note.creditedWords }])
    expect(officer.exchange.filter((r) => r.notes.length === 0)).toHaveLength(11)

    const other = await get(seminar._id, BR2.others[0])
    expect(other.exchange).toEqual([{ memberId: BR2.others[0], name: expect.any(String), notes: [] }])
    const own = await get(seminar._id, BR2.member)
    expect(own.exchange.map((r) => r.memberId)).toEqual([BR2.member])

    // Unlinked on an edit: out of the record, still a note.
    const edited = expectOk(await hand(BR2.member, undefined, REMARKS, { id: out.note._id, version: out.note.version }))
    expect(edited.note.sessionId).toBeUndefined()
    expect((await get(seminar._id, BR2.member)).exchange[0].notes).toEqual([])
  })

  it('refuses a link to another branch’s, a non-seminar, a cancelled session, or one the member is not expected at', async () => {
    const otherBranch = await addSession(env, { type: 'seminar', branchId: 'br_1' })
    const meeting = await addSession(env)
    const cancelled = await addSession(env, { type: 'seminar', status: 'cancelled', cancelReason: '改期' })
    const notMine = await addSession(env, { type: 'seminar', audience: { kind: 'list', memberIds: [BR2.others[0]] } })
    expect(expectFail(await hand(BR2.member, otherBranch._id), 'FORBIDDEN').message).toBe('没有找到这场专题学习研讨，或它不是您所在支部的活动')
    expectFail(await hand(BR2.member, 's_nowhere'), 'FORBIDDEN')
    expect(expectFail(await hand(BR2.member, meeting._id), 'INVALID_INPUT').message).toBe('只有专题学习研讨可以提交交流材料')
    expectFail(await hand(BR2.member, cancelled._id), 'INVALID_INPUT')
    expect(expectFail(await hand(BR2.member, notMine._id), 'FORBIDDEN').message).toBe('这场专题学习研讨不需要您参加，交流材料请按支部安排提交')
    expectOk(await hand(BR2.others[0], notMine._id))
  })

  it('a copied 交流材料 is still flagged by the copy check', async () => {
    const seminar = await addSession(env, { type: 'seminar' })
    const first = expectOk(await hand(BR2.member, seminar._id))
    env.clock.set(T0 + HOUR)
    const copy = expectOk(await hand(BR2.others[1], seminar._id))
    expect(first.note.matches).toEqual([])
    expect(copy.note.matches).toHaveLength(1)
    expect(copy.note.creditedWords).toBeLessThan(copy.note.words)
    const officer = await get(seminar._id, BR2.secretary)
    const row = officer.exchange.find((r) => r.memberId === BR2.others[1])!
    expect(row.notes[0].creditedWords).toBe(copy.note.creditedWords)
  })

  it('the 会议记录 workbook carries the seminar\'s plan and materials and counts who handed in 交流材料; nothing of these for other meetings', async () => {
    const seminar = await addSession(env, { type: 'seminar', startIn: -3 * HOUR, title: '11月专题学习研讨' })
    await addSession(env, { startIn: -5 * HOUR, title: '11月主题党日' })
    const mat = await seedMaterial()
    expectOk(await save(seminar._id, { topic: '以学铸魂', speakerIds: [BR2.member], materialIds: [mat._id] }))
    const speaker = (await get(seminar._id, BR2.secretary)).speakers[0].name
    expectOk(await hand(BR2.member, seminar._id))
    const out = expectOk(await env.call<{ url: string }>('archive', 'ledger', { kind: 'minutes', branchId: 'br_2', period: '2026-11' }, BR2.secretary))
    const id = /^\/files\/([a-f0-9]{32})\//.exec(out.url)![1]
    const book = new ExcelJS.Workbook()
    await book.xlsx.load(readFileSync(join(env.dir, 'files', `${id}.bin`)) as never)
    const ws = book.worksheets[0]
    const header = (ws.getRow(2).values as unknown[]).slice(1).map(String)
    const cellOf = (title: string, column = '交流材料') => {
      let v: unknown
      ws.eachRow((r) => {
        if (r.getCell(header.indexOf('会议名称') + 1).value === title) v = r.getCell(header.indexOf(column) + 1).value
      })
      return v
    }
    expect(cellOf('11月专题学习研讨')).toBe('已交 1 人，未交 11 人')
    expect(cellOf('11月专题学习研讨', '研讨主题与发言人')).toBe(`研讨主题：以学铸魂；发言人：${speaker}`)
    expect(cellOf('11月专题学习研讨', '学习材料')).toBe(`《${mat.title.replace(/^《|》$/g, '')}》`)
    for (const column of ['交流材料', '研讨主题与发言人', '学习材料']) expect(cellOf('11月主题党日', column) ?? '').toBe('')
  })
})
