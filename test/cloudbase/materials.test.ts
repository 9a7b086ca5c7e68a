/**
 * 学习材料 through the deployable bundles (the real wx-server-sdk) on the
 * local CloudBase emulator, 10 ms per database call and the functions'
 * config.json timeouts: a long material is indexed in steps that each end
 * well within the note function's timeout, the timer finishes what the page
 * left, a note quoting it gets 摘录, and removal takes it out of the index.
 */
import { MATERIAL_CALLS_PER_STEP } from '../../cloudfunctions/_shared/materials'
import type { MaterialSummary } from '../../src/core/functions/note'
import type { Note } from '../../src/core/schemas/note'
import { DEMO_PEOPLE as P } from '../../server/seed/people'
import { cbFail, cbOk, makeCloudbaseEnv, type CloudbaseEnv } from '../helpers/cloudbase-env'
import { unknownText } from '../functions/materials.fixtures'

jest.setTimeout(180_000)

let env: CloudbaseEnv
beforeAll(async () => {
  env = await makeCloudbaseEnv({ latencyMs: 10 })
})
afterAll(async () => {
  await env?.close()
})

type Out = { material: MaterialSummary | null }
// The note function's config.json timeout.
const NOTE_TIMEOUT_MS = 10_000

describe('学习材料 on the CloudBase emulator', () => {
  it('a long material: bounded steps within the timeout, the timer goes on, a quote is 摘录, removal cleans up', async () => {
    const text = unknownText(12000, 5)
    const added = cbOk(await env.call<Out>('note', 'addMaterial', { orgId: 'br_2', title: '云端长材料', content: text, clientId: 'cb-long-1' }, P.secretary2))
    const m = added.material!
    expect(m.status).toBe('indexing')
    // One more page step, then the page is closed.
    const step = await env.call<Out>('note', 'continueMaterial', { materialId: m._id }, P.secretary2)
    const stepped = cbOk(step).material!
    expect(stepped.progress).toBeGreaterThan(m.progress)
    // A step is at most ~MATERIAL_CALLS_PER_STEP + one chunk of calls at 10 ms: seconds, never the timeout.
    expect(step.ms).toBeLessThan(NOTE_TIMEOUT_MS * 0.7)
    expect(MATERIAL_CALLS_PER_STEP * 10).toBeLessThan(NOTE_TIMEOUT_MS / 2)
    let status = stepped.status
    for (let i = 0; i < 40 && status !== 'ready'; i++) {
      const tick = await env.timer()
      expect(tick.error).toBeUndefined()
      const list = cbOk(await env.call<{ items: MaterialSummary[] }>('note', 'materials', { orgId: 'br_2' }, P.secretary2))
      status = list.items.find((x) => x._id === m._id)!.status
    }
    expect(status).toBe('ready')

    const para = text.slice(0, 122)
    const saved = cbOk(await env.call<{ note: Note; creditNotice: string }>('note', 'save', { kind: 'note', title: '长材料笔记', content: `${para}\n我的体会：学以致用，不搞形式。` }, P.member2))
    expect(saved.note.excerpts!.map((e) => e.sourceId)).toEqual([m._id])
    expect(saved.note.creditedWords).toBe(saved.note.words)

    let removed = cbOk(await env.call<Out>('note', 'removeMaterial', { materialId: m._id }, P.secretary2)).material
    for (let i = 0; i < 20 && removed; i++) removed = cbOk(await env.call<Out>('note', 'continueMaterial', { materialId: m._id }, P.secretary2)).material
    expect(removed).toBeNull()
    const db = env.openReader()
    try {
      expect((await db.collection('note_postings').where({ notes: `src:${m._id}` }).count()).total).toBe(0)
      expect((await db.collection('note_sources').doc(m._id).get()).data).toBeNull()
    } finally {
      db.close()
    }
    cbFail(await env.call('note', 'addMaterial', { orgId: 'br_2', title: '成员不能添加', content: text, clientId: 'cb-member' }, P.member2), 'FORBIDDEN')
  })
})
