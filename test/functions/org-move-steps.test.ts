/**
 * An org move in bounded steps (CloudBase: no transaction over a whole
 * subtree): cut short after its first transaction or part-way through what
 * follows, it is finished by the admin's retry or by the next timer tick,
 * ending exactly as an uninterrupted move; no transaction holds more than
 * the moved org and its audit entry.
 */
import { CallCounter, countingDb } from '../helpers/counting-db'
import { expectOk, makeTestEnv, type TestEnv } from '../helpers/env'
import { failingAfterWrites } from '../helpers/faulty-db'
import { runCron } from './stats-support'

const ADMIN = 'm_br_1_01'
type Created = { org: { _id: string } }

let envs: TestEnv[] = []
afterEach(() => {
  for (const e of envs) e.close()
  envs = []
})

/** Everything a move touches, as stored. */
async function state(env: TestEnv) {
  const all = async (c: string) => (await env.db.collection(c).orderBy('_id', 'asc').limit(1000).get()).data
  const orgs = (await all('orgs')).map(({ moving: _m, ...o }) => o)
  const paths = async (c: string) => (await all(c)).map((d) => [d._id, d.orgPath])
  return { orgs, members: await paths('members'), sessions: await paths('sessions'), marked: (await all('orgs')).filter((o) => o.moving).length, moves: (await env.db.collection('audit').where({ action: 'org.move' }).count()).total }
}

async function setUp(env: TestEnv) {
  // A 总支 to move 第二党支部 (with its groups, members, sessions) under.
  const gb = expectOk(await env.call<Created>('org', 'createOrg', { parentId: 'org_demo', type: 'general_branch', name: '机关总支', clientId: 'c1' }, ADMIN)).org
  expectOk(await env.call<Created>('org', 'createOrg', { parentId: 'br_2', type: 'group', name: '第九党小组', clientId: 'g9' }, ADMIN))
  return gb._id
}

describe('org move in steps', () => {
  it.each([
    ['retried by the admin', 2],
    ['retried by the admin', 4],
    ['finished by the next tick', 2],
    ['finished by the next tick', 3]
  ])('cut short after %s (%i writes) ends as an uninterrupted move', async (how, n) => {
    const whole = await makeTestEnv()
    const fault = { left: null as number | null }
    const cut = await makeTestEnv({ wrapDb: (db) => failingAfterWrites(db, fault) })
    envs.push(whole, cut)
    const to = await setUp(whole)
    expect(await setUp(cut)).toBe(to)
    expectOk(await whole.call('org', 'moveOrg', { orgId: 'br_2', parentId: to }, ADMIN))

    fault.left = n
    const r = await cut.call('org', 'moveOrg', { orgId: 'br_2', parentId: to }, ADMIN)
    expect(r.ok).toBe(false)
    fault.left = null
    expect((await state(cut)).marked).toBe(1)
    if (how === 'retried by the admin') expectOk(await cut.call('org', 'moveOrg', { orgId: 'br_2', parentId: to }, ADMIN))
    else await runCron(cut, 'tally')
    expect(await state(cut)).toEqual(await state(whole))
    expect((await state(cut)).marked).toBe(0)
  })

  it('holds only the moved org and its audit entry in a transaction', async () => {
    const counter = new CallCounter()
    const env = await makeTestEnv({ wrapDb: (db) => countingDb(db, counter) })
    envs.push(env)
    const to = await setUp(env)
    counter.reset()
    const out = expectOk(await env.call<{ orgsMoved: number }>('org', 'moveOrg', { orgId: 'br_2', parentId: to }, ADMIN))
    expect(out.orgsMoved).toBe(2)
    expect(counter.get().transactions.map((t) => t.ops)).toEqual([2])
  })
})
