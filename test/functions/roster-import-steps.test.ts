/**
 * Roster import written member by member (CloudBase: no transaction may hold
 * a whole 党委): an import cut short after N writes and then imported again
 * ends exactly as an uninterrupted one; no transaction holds more than one
 * member; the preview still writes nothing.
 */
import { CallCounter, countingDb } from '../helpers/counting-db'
import { expectFail, expectOk, makeTestEnv, type TestEnv } from '../helpers/env'
import { failingAfterWrites } from '../helpers/faulty-db'

const ADMIN = 'm_br_1_01'
type Out = { counts: Record<string, number>; committed: boolean }
const HEAD = ['姓名', '手机号', '工号', '支部', '党小组', '职级', '是否离退休', '免除原因']
const csv = (lines: string[][]) => Buffer.from('\ufeff' + lines.map((l) => l.join(',')).join('\r\n')).toString('base64')
const BRANCHES = ['第一党支部', '第二党支部', '第三党支部（离退休）']
const FIRST = [
  HEAD,
  ['周新华', '13800000001', '', '第一党支部', '', '副科级', '否', ''],
  ['吴晓梅', '13800000002', '', '第三党支部（离退休）', '第二党小组', '一般工作人员', '是', '年龄较大'],
  ['郑国强', '', 'X9001', '第二党支部', '', '', '否', '']
]
/** A transfer (周新华 to 第二党支部), an update (吴晓梅's rank), one unchanged and 20 new members. */
const SECOND = [
  HEAD,
  ['周新华', '13800000001', '', '第二党支部', '', '副科级', '否', ''],
  ['吴晓梅', '13800000002', '', '第三党支部（离退休）', '第二党小组', '副科级', '是', '年龄较大'],
  ['郑国强', '', 'X9001', '第二党支部', '', '', '否', ''],
  ...Array.from({ length: 20 }, (_, i) => [`新党员${i + 1}`, i % 3 === 2 ? '' : `1390000${String(i).padStart(4, '0')}`, i % 3 === 2 ? `E${i}` : '', BRANCHES[i % 3], '', '', i % 3 === 2 ? '是' : '否', ''])
]

const importRoster = (env: TestEnv, lines: string[][], commit = true) =>
  env.call<Out>('org', 'importRoster', { orgId: 'org_demo', fileName: '名册.csv', content: csv(lines), commit }, ADMIN)

async function snapshot(env: TestEnv) {
  const members = (await env.db.collection('members').orderBy('_id', 'asc').limit(1000).get()).data
  const imports = (await env.db.collection('audit').where({ action: 'member.import' }).count()).total
  return { members, imports }
}

let envs: TestEnv[] = []
afterEach(() => {
  for (const e of envs) e.close()
  envs = []
})

describe('roster import in steps', () => {
  it.each([0, 1, 4, 13])('cut short after %i writes, then imported again, ends as an uninterrupted import', async (n) => {
    const whole = await makeTestEnv()
    const fault = { left: null as number | null }
    const cut = await makeTestEnv({ wrapDb: (db) => failingAfterWrites(db, fault) })
    envs.push(whole, cut)
    for (const env of [whole, cut]) expectOk(await importRoster(env, FIRST))

    expect(expectOk(await importRoster(whole, SECOND)).counts).toEqual({ create: 20, update: 1, transfer: 1, unchanged: 1 })
    fault.left = n
    const e = expectFail(await importRoster(cut, SECOND), 'INTERNAL')
    expect(e.message).toContain('请再导入一次同一份文件')
    fault.left = null
    const resumed = expectOk(await importRoster(cut, SECOND))
    // What the cut import wrote is unchanged now; the rest is written.
    expect(resumed.counts.unchanged).toBeGreaterThanOrEqual(1 + Math.min(n, 22))
    expect(await snapshot(cut)).toEqual(await snapshot(whole))
    // The transfer was appended to the history once, however many times its step ran.
    const zhou = (await cut.db.collection('members').where({ phone: '13800000001' }).get()).data[0]
    expect(zhou.branchHistory).toEqual([expect.objectContaining({ branchId: 'br_1' })])
    expect(expectOk(await importRoster(cut, SECOND)).counts).toEqual({ create: 0, update: 0, transfer: 0, unchanged: 23 })
  })

  it('holds at most one member per transaction, and the preview writes nothing', async () => {
    const counter = new CallCounter()
    const env = await makeTestEnv({ wrapDb: (db) => countingDb(db, counter) })
    envs.push(env)
    expectOk(await importRoster(env, FIRST))
    const before = await snapshot(env)
    counter.reset()
    expect(expectOk(await importRoster(env, SECOND, false)).committed).toBe(false)
    expect(counter.get().transactions).toHaveLength(0)
    expect(Object.keys(counter.get().byKind).filter((k) => !/\.(get|count|doc\.get)$/.test(k))).toEqual([])
    expect(await snapshot(env)).toEqual(before)
    expectOk(await importRoster(env, SECOND))
    const f = counter.get()
    expect(f.maxTxOps).toBeLessThanOrEqual(2)
    expect(f.transactions.every((t) => t.wrote.length <= 1)).toBe(true)
  })
})
