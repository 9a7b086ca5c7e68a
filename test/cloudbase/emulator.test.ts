import { execFile } from 'child_process'
import { mkdtempSync, rmSync } from 'fs'
import { tmpdir } from 'os'
import { join } from 'path'
import { startCloudbaseEmulator, type CloudbaseEmulator } from '../../server/cloudbase/emulator'
import { decodeEJSON } from '../../server/cloudbase/emulator/ejson'
import { openDatabase, type EmbeddedDatabase } from '../../server/db'

/**
 * The emulator against the REAL wx-server-sdk: each scenario runs in a child
 * `node` process (fixtures/sdk-scenarios.js) with the emulator's env, and
 * the test checks what the SDK handed back (values, errCode/errMsg) and what
 * the SQLite file holds afterwards.
 */

const FIXTURE = join(__dirname, 'fixtures', 'sdk-scenarios.js')
jest.setTimeout(60_000)

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any

function runScenario(emu: CloudbaseEmulator, name: string): Promise<Any> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [FIXTURE, name],
      { env: { ...process.env, ...emu.env, WX_OPENID: 'o-caller' }, timeout: 45_000 },
      (err, stdout, stderr) => {
        const line = stdout.split('\n').find((l) => l.startsWith('@@RESULT '))
        if (!line) return reject(new Error(`scenario ${name} printed no result (${err?.message})\n${stdout}\n${stderr}`))
        const out = JSON.parse(line.slice('@@RESULT '.length))
        if (out.uncaught || out.failed) return reject(new Error(`scenario ${name}: ${out.uncaught ?? out.failed}`))
        resolve(out)
      }
    )
  })
}

const CONFLICT = /TransactionConflict/

let dir: string
let seedDb: EmbeddedDatabase
let emu: CloudbaseEmulator

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zbdk-emu-'))
  const file = join(dir, 'db.sqlite')
  // Seeded through the embedded database, as tests seed demo data: those tables count as existing collections.
  seedDb = openDatabase({ file })
  await seedDb.runTransaction(async (t) => {
    for (let i = 0; i < 1200; i++) await t.collection('bulk').add({ data: { _id: `b${String(i).padStart(4, '0')}`, g: i % 3, v: i } })
    for (const id of ['a', 'b', 'x', 'y', 's']) await t.collection('acct').add({ data: { _id: id, n: 1 } })
  })
  emu = await startCloudbaseEmulator({ file, latencyMs: 1 })
  await emu.createCollections(['people'])
})

afterAll(async () => {
  await emu?.close()
  seedDb?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('database calls from the real wx-server-sdk', () => {
  test('add, where with commands, orderBy/skip/limit, field, count, update with inc, remove', async () => {
    const r = await runScenario(emu, 'crud')
    expect(r.generated.value._id).toMatch(/^[0-9a-f]{32}$/)
    expect(r.where.value.data.map((d: Any) => d.age)).toEqual([50, 40])
    expect(r.projected.value.data).toEqual([{ _id: 'p3', age: 40 }])
    expect(r.count.value.total).toBe(3)
    expect(r.inc.value.stats.updated).toBe(1)
    expect(r.afterInc.value.data).toEqual({ _id: 'p1', age: 25, team: 'a', tags: ['x'] })
    expect(r.bulkUpdate.value.stats.updated).toBe(2)
    expect(r.seniors).toEqual(['p4', 'p5'])
    expect(r.removeOne.value.stats.removed).toBe(1)
    expect(r.removeMany.value.stats.removed).toBe(2)
    expect(r.left).toEqual(['p4', 'p5'])
    // wx-server-sdk itself rejects a missing doc().get() (throwOnNotFound), with errCode -1.
    expect(r.missingDoc).toMatchObject({ ok: false, errCode: -1 })
    expect(r.missingDoc.errMsg).toMatch(/document with _id nobody does not exist/)
    // The write went to the shared SQLite file.
    expect((await seedDb.collection('people').doc('p4').get()).data).toMatchObject({ age: 50, senior: true })
  })

  test('100 documents without limit, at most 1,000; aggregate 20 without a limit stage; match/group/sort/limit', async () => {
    const r = await runScenario(emu, 'limits')
    expect(r.getDefault).toBe(100)
    expect(r.getLimit5000).toBe(1000)
    expect(r.getLimit250).toBe(250)
    expect(r.aggregateDefault).toBe(20)
    expect(r.aggregateLimit50).toBe(50)
    const sum = (g: number) => Array.from({ length: 1200 }, (_, i) => i).filter((i) => i % 3 === g).reduce((a, b) => a + b, 0)
    expect(r.grouped.value.list).toEqual([
      { _id: 2, total: sum(2), n: 400 },
      { _id: 1, total: sum(1), n: 400 }
    ])
  })

  test('a collection must exist: -502005 until createCollection, which refuses an existing one', async () => {
    const r = await runScenario(emu, 'missing')
    for (const k of ['get', 'add', 'docGet', 'inTx']) {
      expect(r[k]).toMatchObject({ ok: false, errCode: -502005, hasCode: false })
      expect(r[k].errMsg).toMatch(/database collection not exists.*Db or Table not exist/)
    }
    expect(r.create.ok).toBe(true)
    expect(r.getAfter.value.data).toEqual([])
    // createCollection errors are not mapped by wx-server-sdk: errCode -1, CloudBase's code string kept.
    expect(r.createAgain).toMatchObject({ ok: false, errCode: -1, code: 'DATABASE_COLLECTION_ALREADY_EXIST' })
    // Nothing was created implicitly by the failed calls before createCollection... and now it exists.
    expect(seedDb.raw.prepare("SELECT name FROM sqlite_master WHERE name = 'ghost'").pluck().get()).toBe('ghost')
  })

  test('duplicate _id → -502001 E11000; _id in set data fails in the SDK; bad field names and type mismatches → -502001', async () => {
    const r = await runScenario(emu, 'refusals')
    expect(r.duplicate).toMatchObject({ ok: false, errCode: -502001, hasCode: false })
    expect(r.duplicate.errMsg).toMatch(/E11000 duplicate key/)
    expect(r.original.value.data).toEqual({ _id: 'dup', n: 1 })
    expect(r.setWithId).toMatchObject({ ok: false, errCode: -501007 })
    expect(r.setWithId.errMsg).toMatch(/不能更新_id的值/)
    expect(r.dottedKey).toMatchObject({ ok: false, errCode: -502001 })
    expect(r.dollarKey).toMatchObject({ ok: false, errCode: -502001 })
    expect(r.incOnString).toMatchObject({ ok: false, errCode: -502001 })
  })
})

describe('transactions', () => {
  test('a transaction reads its snapshot plus its own writes; a document committed by others since it started conflicts', async () => {
    const r = await runScenario(emu, 'snapshot')
    expect(r.outsideWrite.ok).toBe(true)
    expect(r.txReadA.value.data).toEqual({ _id: 'a', n: 1 })
    expect(r.outsideReadA.value.data).toEqual({ _id: 'a', n: 11 })
    expect(r.txReadB.value.data).toEqual({ _id: 'b', n: 6 })
    expect(r.outsideReadB.value.data).toEqual({ _id: 'b', n: 1 })
    expect(r.txWriteA).toMatchObject({ ok: false, errCode: -501001, hasCode: false })
    expect(r.txWriteA.errMsg).toMatch(CONFLICT)
    // The conflict aborted the transaction: its commit fails and its buffered write never lands.
    expect(r.commitAfterConflict).toMatchObject({ ok: false, code: 'DATABASE_TRANSACTION_FAIL' })
    expect(r.bAfterAbort.value.data).toEqual({ _id: 'b', n: 1 })
    // Only document-by-id operations and add inside a transaction.
    expect(r.txWhere).toMatchObject({ ok: false, errCode: -501007 })
    expect(r.commit2.ok).toBe(true)
    expect(r.after.value.data).toEqual([
      { _id: 'b', n: 6 },
      { _id: 'c', n: 7 },
      { _id: 'd', n: 3 }
    ])
  })

  test('two transactions writing one document: the second fails at once; plain writes wait; runTransaction does not retry', async () => {
    emu.resetStats()
    const r = await runScenario(emu, 'conflict')
    expect(r.first.ok).toBe(true)
    expect(r.second).toMatchObject({ ok: false, errCode: -501001, hasCode: false })
    expect(r.second.errMsg).toMatch(/^document\.update:fail -501001 resource system error\. \[ResourceUnavailable\.TransactionConflict\]/)
    expect(r.second.ms).toBeLessThan(1000)
    // The conflict aborted the second transaction.
    expect(r.secondLater).toMatchObject({ ok: false, errCode: -501001 })
    expect(r.secondLater.errMsg).toMatch(/TransactionNotExist/)
    expect(r.commit1.ok).toBe(true)
    // The plain write waited for t1's commit, then applied on top of it.
    expect(r.plainRes.ok).toBe(true)
    expect(r.plainRes.ms).toBeGreaterThanOrEqual(350)
    expect(r.final.value.data).toEqual({ _id: 'x', n: 102 })
    // runTransaction: B failed with A's lock and was not retried (wx-server-sdk dropped `.code`); A committed.
    expect(r.B).toMatchObject({ ok: false, errCode: -501001, hasCode: false })
    expect(r.B.errMsg).toMatch(CONFLICT)
    expect(r.A).toMatchObject({ ok: true, value: 'A' })
    expect(r.y.value.data).toEqual({ _id: 'y', n: 2 })
    expect(emu.stats().calls['database.startTransaction']).toBe(4)
  })

  test('a transaction open past txLifetimeMs is aborted; later calls fail with DATABASE_TRANSACTION_FAIL (-501001)', async () => {
    const file = join(dir, 'short.sqlite')
    const seed = openDatabase({ file })
    await seed.collection('acct').add({ data: { _id: 'e', n: 1 } })
    seed.close()
    const short = await startCloudbaseEmulator({ file, latencyMs: 1, txLifetimeMs: 300 })
    try {
      const r = await runScenario(short, 'expire')
      expect(r.write.ok).toBe(true)
      expect(r.readLate).toMatchObject({ ok: false, errCode: -501001, hasCode: false })
      expect(r.readLate.errMsg).toMatch(/TransactionNotExist.*not committed within 300 ms/)
      // commit() is not wrapped by wx-server-sdk: the TcbError comes through with CloudBase's code.
      expect(r.commitLate).toMatchObject({ ok: false, code: 'DATABASE_TRANSACTION_FAIL' })
      expect(r.e.value.data).toEqual({ _id: 'e', n: 1 })
      expect(r.other.ok).toBe(true)
      expect(r.slow).toMatchObject({ ok: false, code: 'DATABASE_TRANSACTION_FAIL' })
      expect(r.eAfter.value.data).toEqual({ _id: 'e', n: 3 })
      expect(short.stats().txOps).toEqual([1, 1, 1])
    } finally {
      await short.close()
    }
  })
})

describe('the service around the database', () => {
  test('every answer waits the configured latency', async () => {
    emu.setLatency(150)
    try {
      const r = await runScenario(emu, 'timing')
      for (const ms of r.ms) expect(ms).toBeGreaterThanOrEqual(145)
    } finally {
      emu.setLatency(1)
    }
    const r = await runScenario(emu, 'timing')
    // The median, not the slowest: on a loaded 2-core machine one call may stall by itself.
    const sorted = [...r.ms].sort((a, b) => a - b)
    expect(sorted[Math.floor(sorted.length / 2)]).toBeLessThan(145)
  })

  test('openapi.subscribeMessage.send lands in wechat_outbox (created if missing) and answers errCode 0', async () => {
    expect(seedDb.raw.prepare("SELECT name FROM sqlite_master WHERE name = 'wechat_outbox'").pluck().get()).toBeUndefined()
    const r = await runScenario(emu, 'openapi')
    expect(r.sent.value).toEqual({ errCode: 0, errMsg: 'openapi.subscribeMessage.send:ok' })
    expect(r.context).toMatchObject({ OPENID: 'o-caller', APPID: emu.env.WX_APPID, ENV: emu.env.TCB_ENV })
    const { data } = await seedDb.collection('wechat_outbox').get()
    expect(data).toHaveLength(1)
    expect(data[0]).toMatchObject({
      openid: 'o-member',
      templateId: 'TPL_REMIND',
      page: 'pages/checkin/index?sessionId=s1',
      data: { thing1: { value: '学习会' }, time2: { value: '2026-12-06 19:30' } },
      miniprogramState: 'formal'
    })
  })

  test('cloud storage: uploadFile, getTempFileURL, downloadFile, deleteFile', async () => {
    const r = await runScenario(emu, 'storage')
    expect(r.up.value).toMatchObject({ fileID: `cloud://${emu.env.TCB_ENV}.emulator-${emu.env.TCB_ENV}/exports/t1/台账 2026.xlsx`, errMsg: 'uploadFile:ok' })
    expect(r.temp.value.fileList[0]).toMatchObject({ status: 0, errMsg: 'ok', maxAge: 60, tempFileURL: expect.stringContaining('/cos/exports/t1/') })
    expect(r.down.value).toMatchObject({ fileContent: 'hello 世界', errMsg: 'downloadFile:ok' })
    expect(r.tempMissing.value.fileList[0]).toMatchObject({ status: -503003, tempFileURL: '' })
    expect(r.downMissing).toMatchObject({ ok: false })
    expect(r.downMissing.errMsg).toMatch(/storage file not exists/)
    expect(r.del.value.fileList[0]).toMatchObject({ status: 0 })
    expect(r.downDeleted).toMatchObject({ ok: false })
  })

  test('stats count calls per action and operations per transaction', async () => {
    emu.resetStats()
    await runScenario(emu, 'stats')
    const s = emu.stats()
    expect(s.calls).toEqual({
      'database.getDocument': 2,
      'database.calculateDocument': 1,
      'database.startTransaction': 1,
      'database.modifyDocument': 1,
      'database.insertDocument': 1,
      'database.commitTransaction': 1
    })
    expect(s.total).toBe(7)
    expect(s.txOps).toEqual([3])
  })
})

describe('the protocol, without the SDK', () => {
  const call = async (body: Record<string, unknown>): Promise<Any> => {
    const res = await fetch(emu.url + '?env=x&seqId=1', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
    return res.json()
  }

  test('limits are enforced server-side too, whatever limit is sent', async () => {
    const huge = await call({ action: 'database.getDocument', collectionName: 'bulk', queryType: 'WHERE', limit: 5000 })
    expect(huge.data.list).toHaveLength(1000)
    expect(typeof huge.data.list[0]).toBe('string')
    const none = await call({ action: 'database.getDocument', collectionName: 'bulk', queryType: 'WHERE' })
    expect(none.data.list).toHaveLength(100)
    const agg = await call({ action: 'database.aggregateDocuments', collectionName: 'bulk', stages: [{ stageKey: '$project', stageValue: '{"g":1}' }] })
    expect(agg.data.list).toHaveLength(20)
  })

  test('errors answer HTTP 200 with CloudBase code, message and requestId', async () => {
    expect(await call({ action: 'database.nope' })).toMatchObject({ code: 'INVALID_ACTION', requestId: expect.any(String) })
    expect(await call({ action: 'database.commitTransaction', transactionId: 'nope' })).toMatchObject({ code: 'DATABASE_TRANSACTION_FAIL' })
    expect(await call({ action: 'database.getDocument', collectionName: '_emb_paths', queryType: 'WHERE' })).toMatchObject({ code: 'DATABASE_COLLECTION_NOT_EXIST' })
  })

  test('a storage upload is a PUT to COS, not an API call: over the API body cap it still lands (a 党委 year of 积分台账 is ~24 MB)', async () => {
    const meta = await call({ action: 'storage.getUploadMetadata', path: 'exports/big/积分台账.xlsx', method: 'put' })
    const bytes = Buffer.alloc(24 * 1024 * 1024, 7)
    const put = await fetch(meta.data.url, { method: 'PUT', headers: { 'x-cos-security-token': meta.data.token }, body: bytes })
    expect(put.status).toBe(200)
    expect((await put.text()).startsWith('{')).toBe(false)
    const link = await call({ action: 'storage.batchGetDownloadUrl', file_list: [{ fileid: meta.data.fileId, max_age: 60 }] })
    const got = Buffer.from(await (await fetch(link.data.download_list[0].tempFileURL)).arrayBuffer())
    expect(got.length).toBe(bytes.length)
    // An API request that large is still refused.
    expect(await call({ action: 'database.getDocument', collectionName: 'bulk', queryType: 'WHERE', pad: 'x'.repeat(21 * 1024 * 1024) })).toMatchObject({ code: 'INVALID_PARAM' })
  })

  test('the EJSON forms @cloudbase/database sends decode to plain values', () => {
    const v = decodeEJSON(
      '{"i":{"$numberInt":"-3"},"d":{"$numberDouble":"1.5"},"l":{"$numberLong":"1099511627776"},"t":{"$date":{"$numberLong":"7"}},' +
        '"r":{"$regularExpression":{"pattern":"ab+c","options":"i"}},"s":{"$tcb_server_date":{"offset":{"$numberInt":"0"}}},"q":{"$gt":{"$numberInt":"1"}}}'
    ) as Any
    expect(v).toMatchObject({ i: -3, d: 1.5, l: 1099511627776, t: new Date(7), q: { $gt: 1 } })
    expect(v.r).toEqual(/ab+c/i)
    expect(Math.abs(v.s.getTime() - Date.now())).toBeLessThan(5000)
  })
})
