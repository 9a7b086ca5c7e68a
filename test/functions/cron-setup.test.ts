/**
 * cron.setup: creates every collection CloudBase needs (it creates none by
 * itself and answers -502005 to a missing one), once; lists the indexes to
 * create in the console; refused to anyone calling as a member.
 */
import { CLOUD_COLLECTIONS, COLLECTIONS, COLLECTION_NAMES } from '../../cloudfunctions/_shared/collections'
import { expectFail, expectOk, makeTestEnv, type TestEnv } from '../helpers/env'

type SetupOut = { created: string[]; existing: string[]; indexes: Array<{ collection: string; fields: string[] }> }

let env: TestEnv
afterEach(() => env.close())

const tables = () =>
  (env.db.raw.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_emb\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite%'").pluck().all() as string[]).sort()

describe('cron.setup', () => {
  it('creates every collection on an empty database, and nothing the second time', async () => {
    env = await makeTestEnv({ seed: false })
    expect(tables()).toEqual([])
    const first = expectOk(await env.call<SetupOut>('cron', 'setup', {}, null))
    expect(first.created.sort()).toEqual([...CLOUD_COLLECTIONS].sort())
    expect(first.existing).toEqual([])
    expect(tables()).toEqual([...CLOUD_COLLECTIONS].sort())
    const second = expectOk(await env.call<SetupOut>('cron', 'setup', {}, null))
    expect(second.created).toEqual([])
    expect(second.existing.sort()).toEqual([...CLOUD_COLLECTIONS].sort())
  })

  it('leaves the local-only outbox out, and answers the indexes to create in the console', async () => {
    env = await makeTestEnv({ seed: false })
    const out = expectOk(await env.call<SetupOut>('cron', 'setup', {}, null))
    expect(COLLECTION_NAMES).toContain('wechat_outbox')
    expect(out.created).not.toContain('wechat_outbox')
    expect(out.indexes).toContainEqual({ collection: 'members', fields: ['openid'] })
    expect(out.indexes).toContainEqual({ collection: 'aggregates', fields: ['scope', 'branchId', 'period'] })
    const declared = CLOUD_COLLECTIONS.reduce((n, c) => n + COLLECTIONS[c].indexes.length, 0)
    expect(out.indexes).toHaveLength(declared)
  })

  it('reports what a used database already has', async () => {
    env = await makeTestEnv()
    const out = expectOk(await env.call<SetupOut>('cron', 'setup', {}, null))
    expect(out.existing).toEqual(expect.arrayContaining(['members', 'orgs', 'sessions', 'notes']))
    expect(out.created.length + out.existing.length).toBe(CLOUD_COLLECTIONS.length)
  })

  it('is refused to a member, as every cron job is', async () => {
    env = await makeTestEnv({ seed: false })
    expectFail(await env.call('cron', 'setup', {}, 'm_br_2_01'), 'FORBIDDEN')
    expectFail(await env.call('cron', 'setup', { extra: 1 }, null), 'INVALID_INPUT')
    expect(tables()).toEqual([])
  })
})
