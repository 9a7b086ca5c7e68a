/**
 * Issue 15, "points farming": ten 8-character 心得 earned +20 and met the
 * quota. A 心得 now counts only from essayMinWords credited words (issue 14),
 * and at most essayPointsQuarterlyCap of a member's counting 心得 in a
 * quarter earn their points (default 2): the first ones written; when one of
 * those is deleted or returned, the next in line earns. The write path and
 * the nightly rebuild give the same points (reconciliation corrects nothing).
 */
import { reconcileBranch } from '../../cloudfunctions/_shared/reconcile'
import { NoteProgressOutput } from '../../src/core/functions/note'
import { DEFAULT_ESSAY_POINTS_QUARTERLY_CAP } from '../../src/core/notes/essay'
import type { Note } from '../../src/core/schemas/note'
import { DEFAULT_SETTINGS } from '../../src/core/schemas/settings'
import { expectFail, expectOk, makeTestEnv, type TestEnv } from '../helpers/env'
import { addBranch, ownText, runtimeOf } from './judges.fixtures'
import { aggregateOf, ledgerOf } from './stats-support'

const ADMIN = 'm_br_1_01'
const Q4 = Date.parse('2026-11-02T02:00:00Z')
const Q3 = Date.parse('2026-08-03T02:00:00Z')
let env: TestEnv
const [SEC, FARMER, WRITER, STEADY] = ['ec_1', 'ec_2', 'ec_3', 'ec_4']

beforeAll(async () => {
  env = await makeTestEnv()
  env.clock.set(Q4)
  await addBranch(env, 'ec', [{}, {}, {}, {}])
})
afterAll(() => env.close())

const save = async (as: string, content: string, title = '心得体会') =>
  expectOk(await env.call<{ note: Note }>('note', 'save', { kind: 'essay', title, content }, as)).note
const progress = async (as: string) => NoteProgressOutput.parse(expectOk(await env.call('note', 'progress', { year: 2026 }, as)))
/** Essay points each note holds (the net of its ledger key). */
async function essayPoints(memberId: string): Promise<Map<string, number>> {
  const nets = new Map<string, number>()
  for (const e of (await ledgerOf(env, memberId)).filter((x) => x.rule === 'essay')) nets.set(e.sourceId, (nets.get(e.sourceId) ?? 0) + e.delta)
  return nets
}
const ledgerTotal = async (memberId: string) => (await ledgerOf(env, memberId)).reduce((a, e) => a + e.delta, 0)
const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0)
const reconcile = async () => {
  const { data } = await env.db.collection('orgs').doc('ec').get()
  return reconcileBranch(runtimeOf(env), data as never, 2026)
}

it('defaults: 2 心得 a quarter earn points, out of the 4 a year the rule asks for', () => {
  expect(DEFAULT_SETTINGS.essayPointsQuarterlyCap).toBe(DEFAULT_ESSAY_POINTS_QUARTERLY_CAP)
  expect(DEFAULT_ESSAY_POINTS_QUARTERLY_CAP).toBe(2)
  expect(DEFAULT_SETTINGS.quotas.essays).toBe(4)
})

it('ten 8-character 心得 earn nothing and do not count toward the four', async () => {
  for (let i = 0; i < 10; i++) await save(FARMER, `学习心得第${i}篇好`.slice(0, 8), `心得${i}`)
  const p = await progress(FARMER)
  expect(p.notes).toBe(10)
  expect(p.essays).toBe(0)
  expect(total(await essayPoints(FARMER))).toBe(0)
  expect((await ledgerOf(env, FARMER)).reduce((s, e) => s + e.delta, 0)).toBe(0)
  expect((await aggregateOf(env, 'member', FARMER, '2026'))?.points ?? 0).toBe(0)
  expect((await aggregateOf(env, 'member', FARMER, '2026'))?.essays ?? 0).toBe(0)
})

describe('the quarterly cap on 心得 points', () => {
  const ids: string[] = []

  it('three real 心得 in one quarter all count, the first two earn', async () => {
    for (let i = 0; i < 3; i++) {
      env.clock.set(Q4 + i * 86400e3)
      ids.push((await save(WRITER, ownText(300 + i, 400), `心得${i + 1}`))._id)
    }
    expect((await progress(WRITER)).essays).toBe(3)
    expect(await essayPoints(WRITER)).toEqual(new Map([[ids[0], 2], [ids[1], 2]]))
    // The aggregate holds what the ledger holds (the essays' 4 and the words' note_1000 point).
    expect((await aggregateOf(env, 'member', WRITER, '2026'))?.points).toBe(await ledgerTotal(WRITER))
    expect((await aggregateOf(env, 'member', WRITER, '2026-Q4'))?.essays).toBe(3)
    expect(await reconcile()).toMatchObject({ pointsCorrected: 0 })
  })

  it('the next in line earns when an earning one is deleted, or returned; and gives way again when it is passed', async () => {
    const first = (await env.db.collection('notes').doc(ids[0]).get()).data as unknown as Note
    expectOk(await env.call('note', 'remove', { noteId: ids[0], version: first.version }, WRITER))
    expect(await essayPoints(WRITER)).toEqual(new Map([[ids[0], 0], [ids[1], 2], [ids[2], 2]]))
    expect((await progress(WRITER)).essays).toBe(2)

    // Returned by the secretary: out of the four and out of the points; the third holds its place meanwhile.
    expectOk(await env.call('note', 'review', { noteId: ids[1], status: 'returned', comment: '请结合本职工作再谈谈' }, SEC))
    expect(await essayPoints(WRITER)).toEqual(new Map([[ids[0], 0], [ids[1], 0], [ids[2], 2]]))
    expectOk(await env.call('note', 'review', { noteId: ids[1], status: 'passed' }, SEC))
    expect(await essayPoints(WRITER)).toEqual(new Map([[ids[0], 0], [ids[1], 2], [ids[2], 2]]))
    expect((await aggregateOf(env, 'member', WRITER, '2026'))?.points).toBe(await ledgerTotal(WRITER))
    expect(await reconcile()).toMatchObject({ pointsCorrected: 0, aggregatesCorrected: 0 })
  })

  it('another quarter has its own two', async () => {
    env.clock.set(Q3)
    const a = (await save(STEADY, ownText(400, 420), '三季度心得'))._id
    env.clock.set(Q4)
    const b = (await save(STEADY, ownText(401, 420), '四季度心得一'))._id
    env.clock.set(Q4 + 3600e3)
    const c = (await save(STEADY, ownText(402, 420), '四季度心得二'))._id
    env.clock.set(Q4 + 7200e3)
    const d = (await save(STEADY, ownText(403, 420), '四季度心得三'))._id
    expect((await progress(STEADY)).essays).toBe(4)
    expect(await essayPoints(STEADY)).toEqual(new Map([[a, 2], [b, 2], [c, 2]]))
    expect((await essayPoints(STEADY)).has(d)).toBe(false)
    expect(await reconcile()).toMatchObject({ pointsCorrected: 0 })
  })

  it('is an organisation setting: 0–20, the 党委 admin only; a new cap applies at once', async () => {
    expectFail(await env.call('org', 'updateSettings', { orgId: 'ec', essayPointsQuarterlyCap: -1 }, ADMIN), 'INVALID_INPUT')
    expectFail(await env.call('org', 'updateSettings', { orgId: 'ec', essayPointsQuarterlyCap: 21 }, ADMIN), 'INVALID_INPUT')
    expectFail(await env.call('org', 'updateSettings', { orgId: 'ec', essayPointsQuarterlyCap: 1 }, SEC), 'FORBIDDEN')
    expectOk(await env.call('org', 'updateSettings', { orgId: 'ec', essayPointsQuarterlyCap: 1 }, ADMIN))
    // WRITER's third and STEADY's second Q4 essay give their points back, in the setting's own call (recount.ts).
    expect(total(await essayPoints(WRITER))).toBe(2)
    expect(total(await essayPoints(STEADY))).toBe(4)
    expect(await reconcile()).toMatchObject({ pointsCorrected: 0 })
    // The write path ranks by the new cap too: a fourth 心得 earns nothing, and nothing needs correcting.
    await save(WRITER, ownText(304, 400), '心得4')
    expect(total(await essayPoints(WRITER))).toBe(2)
    expect(await reconcile()).toMatchObject({ pointsCorrected: 0 })
    expect((await progress(WRITER)).essays).toBe(3)
  })
})
