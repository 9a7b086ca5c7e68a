/**
 * 学习材料 through the `note` function on the seeded demo organisation (a real
 * SQLite file): a secretary adds a speech for the branch, an admin one for
 * the whole 党委; a passage of one in a later note is 摘录, credited, and a
 * second member quoting it is not told they copied a colleague; scope,
 * bounded indexing steps, removal, and every refusal.
 */
import { MATERIAL_CALLS_PER_STEP } from '../../cloudfunctions/_shared/materials'
import { POSTINGS, SOURCES, postingKey, scopeOf } from '../../cloudfunctions/_shared/originality'
import { MaterialListOutput, MaterialOutput, type MaterialSummary } from '../../src/core/functions/note'
import { MATERIAL_MAX_CHARS } from '../../src/core/schemas/material'
import { countNoteWords } from '../../src/core/words'
import { DEMO_PEOPLE as P } from '../../server/seed/people'
import { CallCounter } from '../helpers/counting-db'
import { expectFail, expectOk, type TestEnv } from '../helpers/env'
import { countedEnv } from './call-budget.fixtures'
import { NEW_SPEECH, speechContent, unknownText } from './materials.fixtures'
import { saveNote, type SaveOut } from './note.fixtures'
import { OTHER, addOtherCommittee } from './outsider.fixtures'

jest.setTimeout(60_000)

let env: TestEnv
let counter: CallCounter
let serial = 0

beforeAll(async () => {
  ;({ env, counter } = await countedEnv())
  await addOtherCommittee(env)
})
afterAll(() => env.close())

const REFLECT_A = '结合我在社保窗口的工作，我打算把群众最常问的三个问题整理成一页说明，贴在柜台上，也发到服务群里。'
const REFLECT_B = '我在办公室负责文件流转，以后每周五下午抽出一小时，对照讲话要求检查一遍本周有没有拖着没办的事。'
const PARA = NEW_SPEECH.paragraphs[1]

async function add(as: string, orgId: string, over: Record<string, unknown> = {}) {
  return env.call<{ material: MaterialSummary | null }>(
    'note',
    'addMaterial',
    { orgId, title: NEW_SPEECH.title, origin: NEW_SPEECH.origin, content: speechContent(), clientId: `c${++serial}`, ...over },
    as
  )
}

async function list(as: string, orgId: string) {
  return MaterialListOutput.parse(expectOk(await env.call('note', 'materials', { orgId }, as)))
}

async function untilSettled(as: string, material: MaterialSummary | null): Promise<MaterialSummary | null> {
  let m = material
  for (let i = 0; m && m.status !== 'ready' && i < 500; i++) {
    m = MaterialOutput.parse(expectOk(await env.call('note', 'continueMaterial', { materialId: m._id }, as))).material
  }
  return m
}

async function quote(as: string, reflection: string): Promise<SaveOut> {
  return expectOk(await saveNote(env, as, { title: '学习交流会讲话笔记', content: `${PARA}\n${reflection}` }))
}

describe('a branch secretary’s study material', () => {
  let material: MaterialSummary

  it('is added by pasting, indexed, and listed with the 党委’s own', async () => {
    const out = MaterialOutput.parse(expectOk(await add(P.secretary2, 'br_2')))
    material = (await untilSettled(P.secretary2, out.material))!
    expect(material).toMatchObject({ orgId: 'br_2', orgName: '第二党支部', title: NEW_SPEECH.title, origin: NEW_SPEECH.origin, status: 'ready', progress: 1, canRemove: true })
    expect(material.words).toBe(countNoteWords(speechContent()))
    const shown = await list(P.secretary2, 'br_2')
    expect(shown.canAdd).toBe(true)
    // The branch's own first, then the 党委's (the seed speeches), which a secretary may not remove.
    expect(shown.items[0]._id).toBe(material._id)
    expect(shown.items.slice(1).map((m) => [m.orgId, m.canRemove])).toEqual([
      ['org_demo', false],
      ['org_demo', false],
      ['org_demo', false]
    ])
    const audit = await env.db.collection('audit').where({ action: 'material.add', 'target.id': material._id }).get()
    expect(audit.data).toHaveLength(1)
  })

  it('makes a pasted paragraph of it 摘录, credited; a second member quoting it is not told they copied a colleague', async () => {
    const first = await quote(P.member2, REFLECT_A)
    expect(first.note.creditedWords).toBe(first.note.words)
    expect(first.note.excerpts!.map((e) => [e.sourceId, e.title])).toEqual([[material._id, NEW_SPEECH.title]])
    expect(first.note.excerptWords).toBeGreaterThanOrEqual(countNoteWords(PARA) - 2)
    const second = await quote('m_br_2_09', REFLECT_B)
    expect(second.note.matches).toEqual([])
    expect(second.creditNotice).toBe('')
    expect(second.note.creditedWords).toBe(second.note.words)
    expect(second.note.excerpts!.map((e) => e.sourceId)).toEqual([material._id])
  })

  it('belongs to its branch only: another branch of the same 党委 quoting it gets no excerpt', async () => {
    const other = await quote(P.member1, REFLECT_A.replace('社保窗口', '档案室'))
    expect(other.note.excerpts ?? []).toEqual([])
  })

  it('a retried add (same clientId) is the same material; the same text again is refused kindly', async () => {
    const again = expectFail(await add(P.secretary2, 'br_2', { content: `${speechContent()}\n` , title: '同一篇讲话' }), 'CONFLICT')
    expect(again.message).toContain(NEW_SPEECH.title)
    const clientId = `retry${++serial}`
    const text = unknownText(200, 7)
    const one = MaterialOutput.parse(expectOk(await add(P.secretary2, 'br_2', { clientId, content: text, title: '重试的材料' }))).material!
    const two = MaterialOutput.parse(expectOk(await add(P.secretary2, 'br_2', { clientId, content: text, title: '重试的材料' }))).material!
    expect(two._id).toBe(one._id)
    expect((await env.db.collection(SOURCES).where({ title: '重试的材料' }).count()).total).toBe(1)
  })

  it('removed, no later note counts it, the list drops it and its postings go', async () => {
    const removed = MaterialOutput.parse(expectOk(await env.call('note', 'removeMaterial', { materialId: material._id }, P.secretary2)))
    expect(removed.material).toBeNull()
    expect((await list(P.secretary2, 'br_2')).items.map((m) => m._id)).not.toContain(material._id)
    const left = await env.db.collection(POSTINGS).where({ notes: `src:${material._id}` }).count()
    expect(left.total).toBe(0)
    const later = await quote('m_br_2_10', REFLECT_B.replace('文件流转', '财务报销'))
    expect(later.note.excerpts ?? []).toEqual([])
    expect((await env.db.collection('audit').where({ action: 'material.remove' }).count()).total).toBe(1)
    // Removing again: already gone.
    expectFail(await env.call('note', 'removeMaterial', { materialId: material._id }, P.secretary2), 'FORBIDDEN')
  })
})

describe('a 党委 admin’s study material', () => {
  it('applies to every branch beneath the 党委', async () => {
    const text = unknownText(400, 11)
    const m = (await untilSettled(P.admin, MaterialOutput.parse(expectOk(await add(P.admin, 'org_demo', { content: text, title: '党委下发的学习材料' }))).material))!
    expect(m).toMatchObject({ orgId: 'org_demo', status: 'ready', canRemove: true })
    const para = text.slice(0, 122)
    for (const who of [P.member1, 'm_br_3_05']) {
      const saved = expectOk(await saveNote(env, who, { title: '党委材料笔记', content: `${para}\n我的体会：要学以致用。编号${++serial}` }))
      expect(saved.note.excerpts!.map((e) => e.sourceId)).toEqual([m._id])
      expect(saved.note.matches).toEqual([])
    }
    expect((await list(P.secretary3, 'br_3')).items.map((x) => x._id)).toContain(m._id)
  })
})

describe('a long material is indexed in bounded steps', () => {
  it('each call stays within its budget; the page’s calls, or the timer, finish it', async () => {
    const text = unknownText(29000, 3)
    expect(text.length).toBeLessThanOrEqual(MATERIAL_MAX_CHARS)
    const first = await counter.run('add', () => add(P.secretary2, 'br_2', { content: text, title: '很长的学习材料' }))
    const m = MaterialOutput.parse(expectOk(first)).material!
    expect(m.status).toBe('indexing')
    expect(m.progress).toBeGreaterThan(0)
    expect(m.progress).toBeLessThan(1)
    // Worst case a step starts one more chunk when under budget: find, bulk update, an add and a retry per fingerprint, the cursor.
    const bound = MATERIAL_CALLS_PER_STEP + 3 + 2 * 100 + 20
    expect(counter.get('add').calls).toBeLessThanOrEqual(bound)
    // Two page calls, then the page is closed: the timer goes on from the cursor.
    let now = m
    for (let i = 0; i < 2; i++) {
      counter.reset()
      now = MaterialOutput.parse(expectOk(await counter.run('step', () => env.call('note', 'continueMaterial', { materialId: m._id }, P.secretary2)))).material!
      expect(counter.get('step').calls).toBeLessThanOrEqual(bound)
      expect(now.progress).toBeGreaterThan(m.progress)
    }
    for (let i = 0; i < 200 && now.status !== 'ready'; i++) {
      expectOk(await env.call('cron', 'tally', {}, null))
      now = (await list(P.secretary2, 'br_2')).items.find((x) => x._id === m._id)!
    }
    expect(now.status).toBe('ready')
    const doc = (await env.db.collection(SOURCES).doc(m._id).get()).data as unknown as { hashes: string[]; indexed: number; orgPath: string[] }
    expect(doc.indexed).toBe(doc.hashes.length)
    // Every fingerprint's posting names it exactly once.
    const sample = doc.hashes.filter((_h, i) => i % 97 === 0)
    // Posted under the material's 党委 scope (issue 15), the root of its org path.
    const keys = sample.map((h) => postingKey(scopeOf(doc.orgPath), h))
    const posted = await env.db.collection(POSTINGS).where({ _id: env.db.command.in(keys) }).get()
    expect(posted.data).toHaveLength(sample.length)
    for (const p of posted.data) expect((p.notes as string[]).filter((k) => k === `src:${m._id}`)).toHaveLength(1)
  })
})

describe('refusals', () => {
  it('a member may not add, list or remove materials', async () => {
    expectFail(await add(P.member2, 'br_2'), 'FORBIDDEN')
    expectFail(await env.call('note', 'materials', { orgId: 'br_2' }, P.member2), 'FORBIDDEN')
    const seeded = (await list(P.secretary2, 'br_2')).items.find((m) => m.orgId === 'org_demo')!
    expectFail(await env.call('note', 'removeMaterial', { materialId: seeded._id }, P.member2), 'FORBIDDEN')
    expectFail(await env.call('note', 'continueMaterial', { materialId: seeded._id }, P.member2), 'FORBIDDEN')
  })

  it('a secretary manages their own branch only: not another branch, not the 党委, not a 党小组', async () => {
    expectFail(await add(P.secretary1, 'br_2'), 'FORBIDDEN')
    expectFail(await add(P.secretary2, 'org_demo'), 'FORBIDDEN')
    expectFail(await env.call('note', 'materials', { orgId: 'br_3' }, P.secretary2), 'FORBIDDEN')
    const group = (await env.db.collection('orgs').where({ type: 'group' }).limit(1).get()).data[0]
    expectFail(await add(P.secretary3, String(group._id)), 'FORBIDDEN')
    const seeded = (await list(P.secretary2, 'br_2')).items.find((m) => m.orgId === 'org_demo')!
    expectFail(await env.call('note', 'removeMaterial', { materialId: seeded._id }, P.secretary2), 'FORBIDDEN')
    expect((await list(P.secretary2, 'br_2')).items.map((m) => m._id)).toContain(seeded._id)
  })

  it('another 党委 sees and touches nothing of this one, and the refusals read alike', async () => {
    const seeded = (await list(P.admin, 'org_demo')).items[0]
    const a = expectFail(await env.call('note', 'materials', { orgId: 'org_demo' }, OTHER.admin), 'FORBIDDEN')
    const b = expectFail(await env.call('note', 'materials', { orgId: 'no_such_org' }, OTHER.admin), 'FORBIDDEN')
    expect(a.message).toBe(b.message)
    expectFail(await add(OTHER.admin, 'br_2'), 'FORBIDDEN')
    expectFail(await add(OTHER.secretary, 'br_2'), 'FORBIDDEN')
    const c = expectFail(await env.call('note', 'removeMaterial', { materialId: seeded._id }, OTHER.admin), 'FORBIDDEN')
    const d = expectFail(await env.call('note', 'removeMaterial', { materialId: 'no_such_material' }, OTHER.admin), 'FORBIDDEN')
    expect(c.message).toBe(d.message)
    expectFail(await add(null as unknown as string, 'br_2'), 'FORBIDDEN')
  })

  it('bad input: empty, oversized (a 2 MB text), too short, wrong types, control characters, extra fields', async () => {
    const call = (input: Record<string, unknown>) => env.call('note', 'addMaterial', input, P.secretary2)
    const ok = { orgId: 'br_2', title: '标题', content: speechContent(), clientId: 'bad1' }
    expectFail(await call({}), 'INVALID_INPUT')
    const big = expectFail(await call({ ...ok, content: '学'.repeat(2 * 1024 * 1024) }), 'INVALID_INPUT')
    expect(big.message).toContain(String(MATERIAL_MAX_CHARS))
    expect(big.details).toMatchObject({ field: 'content', max: MATERIAL_MAX_CHARS })
    expectFail(await call({ ...ok, content: '   ' }), 'INVALID_INPUT')
    const short = expectFail(await call({ ...ok, content: '不忘初心，牢记使命。' }), 'INVALID_INPUT')
    expect(short.message).toContain('太短')
    expectFail(await call({ ...ok, content: `${speechContent()}\u0007` }), 'INVALID_INPUT')
    expectFail(await call({ ...ok, title: '' }), 'INVALID_INPUT')
    expectFail(await call({ ...ok, title: '长'.repeat(61) }), 'INVALID_INPUT')
    expectFail(await call({ ...ok, title: 42 }), 'INVALID_INPUT')
    expectFail(await call({ ...ok, origin: '出'.repeat(101) }), 'INVALID_INPUT')
    expectFail(await call({ ...ok, content: ['a'] }), 'INVALID_INPUT')
    expectFail(await call({ ...ok, clientId: undefined }), 'INVALID_INPUT')
    expectFail(await call({ ...ok, orgId: 'x'.repeat(2 * 1024 * 1024) }), 'INVALID_INPUT')
    expectFail(await call({ ...ok, orgPath: ['org_other'] }), 'INVALID_INPUT')
    expectFail(await env.call('note', 'removeMaterial', {}, P.secretary2), 'INVALID_INPUT')
    expectFail(await env.call('note', 'removeMaterial', { materialId: 7 }, P.secretary2), 'INVALID_INPUT')
    expectFail(await env.call('note', 'materials', { orgId: 'br_2', all: true }, P.secretary2), 'INVALID_INPUT')
    expect((await env.db.collection(SOURCES).where({ title: '标题' }).count()).total).toBe(0)
  })
})
