/**
 * Roster import and the year-end ledgers through the local runtime on a real
 * SQLite file: preview with per-row errors, all-or-nothing, idempotent
 * re-import, a transfer by import, joining as a listed person; workbooks
 * opened back with exceljs and their cells checked against the data; scope
 * across two organisations.
 */
import ExcelJS from 'exceljs'
import { readFileSync } from 'fs'
import { join } from 'path'
import { MemberSchema } from '../../src/core/schemas/member'
import { OrgSchema } from '../../src/core/schemas/org'
import { expectFail, expectOk, makeTestEnv, type TestEnv } from '../helpers/env'
import { addSession, BR2, HOUR } from './checkin.fixtures'

const ADMIN = 'm_br_1_01'
type Preview = { counts: Record<string, number>; errors: string[]; errorCount: number; unknownColumns: string[]; rows: { line: number; action: string; changes: string[] }[]; committed: boolean }
type FileOut = { url: string; fileName: string; bytes: number; rows: number }

let env: TestEnv
beforeEach(async () => {
  env = await makeTestEnv()
})
afterEach(() => env.close())

const csv = (lines: string[][]) => Buffer.from('\ufeff' + lines.map((l) => l.join(',')).join('\r\n')).toString('base64')
const HEAD = ['姓名', '手机号', '工号', '支部', '党小组', '职级', '是否离退休', '免除原因']
const ROSTER = [
  HEAD,
  ['周新华', '13800000001', '', '第一党支部', '', '副科级', '否', ''],
  ['吴晓梅', '13800000002', '', '第三党支部（离退休）', '第二党小组', '一般工作人员', '是', '年龄较大'],
  ['郑国强', '', 'X9001', '第二党支部', '', '', '否', '']
]
const importRoster = (content: string, commit: boolean, as = ADMIN, fileName = '名册.csv') => env.call<Preview>('org', 'importRoster', { orgId: 'org_demo', fileName, content, commit }, as)
const members = async () => (await env.db.collection('members').get()).data.length

async function openBook(url: string): Promise<ExcelJS.Workbook> {
  const id = /^\/files\/([a-f0-9]{32})\//.exec(url)![1]
  const bytes = readFileSync(join(env.dir, 'files', `${id}.bin`))
  const book = new ExcelJS.Workbook()
  await book.xlsx.load(bytes as never)
  return book
}

describe('roster import', () => {
  it('previews without writing, imports all rows, and a second import changes nothing', async () => {
    const before = (await env.db.collection('members').count()).total
    const preview = expectOk(await importRoster(csv(ROSTER), false))
    expect(preview).toMatchObject({ committed: false, errorCount: 0, counts: { create: 3, update: 0, transfer: 0, unchanged: 0 } })
    expect((await env.db.collection('members').count()).total).toBe(before)
    expect(expectOk(await importRoster(csv(ROSTER), true)).committed).toBe(true)
    expect((await env.db.collection('members').count()).total).toBe(before + 3)
    const wu = MemberSchema.parse((await env.db.collection('members').where({ phone: '13800000002' }).get()).data[0])
    expect(wu).toMatchObject({ branchId: 'br_3', groupId: 'br_3_g2', retired: true, rank: 'staff', exempt: { reason: 'age' }, joinStatus: 'confirmed', openid: null })
    const again = expectOk(await importRoster(csv(ROSTER), true))
    expect(again.counts).toEqual({ create: 0, update: 0, transfer: 0, unchanged: 3 })
    expect((await env.db.collection('members').count()).total).toBe(before + 3)
    expect((await env.db.collection('members').where({ phone: '13800000002' }).get()).data[0].exempt).toEqual(wu.exempt)
  })

  it('a shorter file (names, phones, branches) leaves ranks, flags and exemptions as they were', async () => {
    expectOk(await importRoster(csv(ROSTER), true))
    const short = ROSTER.map((r) => [r[0], r[1], r[2], r[3]])
    const out = expectOk(await importRoster(csv(short), true))
    expect(out.counts).toEqual({ create: 0, update: 0, transfer: 0, unchanged: 3 })
    const zhou = (await env.db.collection('members').where({ phone: '13800000001' }).get()).data[0]
    const wu = (await env.db.collection('members').where({ phone: '13800000002' }).get()).data[0]
    expect([zhou.rank, wu.retired, wu.groupId, (wu.exempt as { reason: string }).reason]).toEqual(['deputy_section_plus', true, 'br_3_g2', 'age'])
  })

  it('is all or nothing: one bad row and nothing is written; the preview lists every error by line', async () => {
    const before = await members()
    const bad = [...ROSTER, ['', '13800000009', '', '第一党支部', '', '', '', ''], ['钱多多', '1380000', '', '第九党支部', '', '', '', '']]
    const preview = expectOk(await importRoster(csv(bad), false))
    expect(preview.errors).toEqual(['第5行：没有填姓名', '第6行：手机号应为11位数字'])
    const e = expectFail(await importRoster(csv(bad), true), 'INVALID_INPUT')
    expect(e.message).toContain('这次什么都没有写入')
    expect(await members()).toBe(before)
    const unknownBranch = [...ROSTER, ['钱多多', '13800000010', '', '第九党支部', '', '', '', '']]
    expect(expectOk(await importRoster(csv(unknownBranch), false)).errors).toEqual(['第5行：没有找到支部“第九党支部”，请与组织管理中的名称一致'])
    expectFail(await importRoster(csv(unknownBranch), true), 'INVALID_INPUT')
    expect(await members()).toBe(before)
  })

  it('reads xlsx (a phone stored as a number, a date cell) and GBK csv', async () => {
    const book = new ExcelJS.Workbook()
    const ws = book.addWorksheet('名册')
    ws.addRow(['姓名', '手机号', '支部', '出生日期'])
    ws.addRow(['孙丽', 13800000011, '第二党支部', new Date(Date.UTC(1962, 4, 1))])
    const xlsx = Buffer.from(await book.xlsx.writeBuffer()).toString('base64')
    expectOk(await importRoster(xlsx, true, ADMIN, '名册.xlsx'))
    expect((await env.db.collection('members').where({ phone: '13800000011' }).get()).data[0]).toMatchObject({ name: '孙丽', birthYear: 1962, branchId: 'br_2' })
    // 张三 in GBK is D5C5 C8FD; the header 姓名,手机号,支部 too.
    const header = Buffer.from([0xd0, 0xd5, 0xc3, 0xfb, 0x2c, 0xca, 0xd6, 0xbb, 0xfa, 0xba, 0xc5, 0x2c, 0xd6, 0xa7, 0xb2, 0xbf])
    const row = Buffer.concat([Buffer.from([0xd5, 0xc5, 0xc8, 0xfd]), Buffer.from(',13800000012,'), Buffer.from([0xb5, 0xda, 0xb6, 0xfe, 0xb5, 0xb3, 0xd6, 0xa7, 0xb2, 0xbf])])
    const content = Buffer.concat([header, Buffer.from('\r\n'), row]).toString('base64')
    expectOk(await importRoster(content, true))
    expect((await env.db.collection('members').where({ phone: '13800000012' }).get()).data[0]).toMatchObject({ name: '张三', branchId: 'br_2' })
  })

  it('moves a listed member whose branch changed (history kept) and refuses another 党委’s people and callers', async () => {
    expectOk(await importRoster(csv(ROSTER), true))
    const moved = ROSTER.map((r) => (r[1] === '13800000001' ? [r[0], r[1], r[2], '第二党支部', '', r[5], r[6], r[7]] : r))
    const out = expectOk(await importRoster(csv(moved), true))
    expect(out.counts.transfer).toBe(1)
    const zhou = MemberSchema.parse((await env.db.collection('members').where({ phone: '13800000001' }).get()).data[0])
    expect(zhou.branchId).toBe('br_2')
    expect(zhou.branchHistory).toEqual([expect.objectContaining({ branchId: 'br_1' })])
    // A secretary is not an admin; another organisation's admin cannot reach this one.
    expectFail(await importRoster(csv(ROSTER), false, BR2.secretary), 'FORBIDDEN')
    const now = env.clock.now()
    await env.db.collection('orgs').add({ data: OrgSchema.parse({ _id: 'org_x', type: 'committee', name: '另一个党委', parentId: null, path: ['org_x'], closed: false, createdAt: now }) })
    await env.db.collection('orgs').add({ data: OrgSchema.parse({ _id: 'br_x', type: 'branch', name: '第一党支部', parentId: 'org_x', path: ['org_x', 'br_x'], closed: false, createdAt: now }) })
    await env.db.collection('members').add({ data: MemberSchema.parse({ _id: 'm_x', name: '赵其他', openid: 'dev_m_x', branchId: 'br_x', groupId: null, orgPath: ['org_x', 'br_x'], rank: 'staff', roles: [{ role: 'admin', orgId: 'org_x' }], leadingCadre: false, retired: false, exempt: null, joinedAt: now, createdAt: now }) })
    expectFail(await importRoster(csv(ROSTER), false, 'm_x'), 'FORBIDDEN')
    // The other 党委 imports a person this one already has: refused, without saying where they are.
    const theirs = expectOk(await env.call<Preview>('org', 'importRoster', { orgId: 'org_x', fileName: 'a.csv', content: csv([HEAD, ['周新华', '13800000001', '', '第一党支部', '', '', '否', '']]), commit: false }, 'm_x'))
    expect(theirs.errors).toEqual(['第2行：这个手机号已经属于其他单位的党员，请核对'])
  })

  it('refuses bad input: wrong types, oversized, other extensions, both or neither source', async () => {
    const call = (over: Record<string, unknown>) => env.call<Preview>('org', 'importRoster', { orgId: 'org_demo', fileName: 'a.csv', content: csv(ROSTER), commit: false, ...over }, ADMIN)
    expectFail(await call({ content: 7 }), 'INVALID_INPUT')
    expectFail(await call({ fileName: 'a.exe' }), 'INVALID_INPUT')
    expectFail(await call({ content: 'A'.repeat(2_900_000) }), 'INVALID_INPUT')
    expectFail(await call({ content: undefined }), 'INVALID_INPUT')
    expectFail(await call({ fileId: 'cloud://x' }), 'INVALID_INPUT')
    expectFail(await call({ content: Buffer.from('not a zip').toString('base64'), fileName: 'a.xlsx' }), 'INVALID_INPUT')
    // An empty file is not an error of the request: the preview says what is wrong with it.
    expect(expectOk(await call({ content: '' })).errors).toEqual(['文件是空的'])
  })

  it('a listed person who joins with the invite code becomes that record when the secretary confirms', async () => {
    expectOk(await importRoster(csv(ROSTER), true))
    const zheng = (await env.db.collection('members').where({ employeeNo: 'X9001' }).get()).data[0]
    const wx = { openid: 'wx_zheng', source: 'wechat' as const }
    expectOk(await env.call('auth', 'joinBranch', { inviteCode: 'DEMO0002', name: '郑国强' }, wx))
    const pending = expectOk(await env.call<{ members: { _id: string; inRoster: boolean }[] }>('org', 'pending', { branchId: 'br_2' }, BR2.secretary)).members
    expect(pending).toEqual([expect.objectContaining({ inRoster: true })])
    const out = expectOk(await env.call<{ memberId: string; linked: boolean }>('org', 'confirmMember', { memberId: pending[0]._id, accept: true }, BR2.secretary))
    expect(out).toMatchObject({ memberId: zheng._id, linked: true })
    const me = expectOk(await env.call<{ me: { member: { _id: string } } }>('auth', 'whoami', {}, wx)).me
    expect(me.member._id).toBe(zheng._id)
    expect((await env.db.collection('members').where({ openid: 'wx_zheng' }).count()).total).toBe(1)
  })
})

describe('ledgers', () => {
  it('签到台账 for a branch: each cell matches the facts; the file opens with a frozen header', async () => {
    const s = await addSession(env, { startIn: -3 * HOUR, durationMs: 2 * HOUR, title: '主题党日：学习党章' })
    await env.db.collection('checkins').add({ data: { _id: 'ci_l1', sessionId: s._id, memberId: BR2.member, branchId: 'br_2', status: 'late', at: s.startAt + 20 * 60_000, periodKeys: { year: '2026', quarter: '2026-Q4', month: '2026-11' } } })
    await env.db.collection('leaves').add({ data: { _id: 'lv_l1', sessionId: s._id, memberId: 'm_br_2_06', branchId: 'br_2', status: 'approved', periodKeys: { year: '2026', quarter: '2026-Q4', month: '2026-11' } } })
    const out = expectOk(await env.call<FileOut>('archive', 'ledger', { kind: 'attendance', branchId: 'br_2', period: '2026-11' }, BR2.secretary))
    expect(out.fileName).toContain('签到台账')
    const book = await openBook(out.url)
    const ws = book.worksheets[0]
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 2, xSplit: 1 })
    const header = (ws.getRow(2).values as unknown[]).slice(1)
    const col = header.findIndex((h) => String(h).includes('11月20日 主题党日')) + 1
    expect(col).toBeGreaterThan(1)
    const nameOf = async (id: string) => String((await env.db.collection('members').doc(id).get()).data!.name)
    const rowOf = async (id: string) => {
      const name = await nameOf(id)
      for (let r = 3; r <= ws.rowCount; r++) if (String(ws.getRow(r).getCell(1).value).startsWith(name)) return ws.getRow(r)
      throw new Error(`no row for ${name}`)
    }
    expect((await rowOf(BR2.member)).getCell(col).value).toBe('迟到')
    expect((await rowOf('m_br_2_06')).getCell(col).value).toBe('请假')
    expect((await rowOf('m_br_2_07')).getCell(col).value).toBe('缺席')
    expect(ws.getColumn(1).width).toBeGreaterThanOrEqual(12)
  })

  it('笔记, 积分 and 预警 for the whole organisation, with a 支部 column; other branches and 党委 refused', async () => {
    for (const kind of ['notes', 'points', 'warnings']) {
      const out = expectOk(await env.call<FileOut>('archive', 'ledger', { kind, orgId: 'org_demo', period: '2026' }, ADMIN))
      const book = await openBook(out.url)
      const first = book.worksheets[0]
      expect(first.getRow(2).getCell(1).value).toBe('支部')
      expect(out.rows).toBeGreaterThan(0)
    }
    // Points: the totals sheet agrees with the ledger lines in the database.
    const out = expectOk(await env.call<FileOut>('archive', 'ledger', { kind: 'points', branchId: 'br_2', period: '2026' }, BR2.secretary))
    const book = await openBook(out.url)
    const totals = book.getWorksheet('积分汇总')!
    const lines = (await env.db.collection('ledger').where({ memberId: BR2.member, 'periodKeys.year': '2026' }).get()).data
    const name = String((await env.db.collection('members').doc(BR2.member).get()).data!.name)
    let total: unknown = null
    totals.eachRow((row) => {
      if (row.getCell(1).value === name) total = row.getCell(4).value
    })
    expect(total).toBe(lines.reduce((s, l) => s + Number(l.delta), 0))
    expect(book.getWorksheet('积分明细')!.rowCount).toBeGreaterThan(lines.length)

    expectFail(await env.call('archive', 'ledger', { kind: 'points', branchId: 'br_3', period: '2026' }, BR2.secretary), 'FORBIDDEN')
    expectFail(await env.call('archive', 'ledger', { kind: 'points', orgId: 'org_demo', period: '2026' }, BR2.secretary), 'FORBIDDEN')
    expectFail(await env.call('archive', 'ledger', { kind: 'points', branchId: 'br_2', period: '2026' }, BR2.member), 'FORBIDDEN')
    expectFail(await env.call('archive', 'ledger', { kind: 'points', branchId: 'br_2', orgId: 'org_demo', period: '2026' }, ADMIN), 'INVALID_INPUT')
    expectFail(await env.call('archive', 'ledger', { kind: 'points', branchId: 'br_2', period: '2026-13' }, ADMIN), 'INVALID_INPUT')
    expectFail(await env.call('archive', 'ledger', { kind: 'everything', branchId: 'br_2', period: '2026' }, ADMIN), 'INVALID_INPUT')
  })

  it('个人档案: the member’s own, their secretary’s view and the workbook agree; others refused', async () => {
    type Archive = { archive: { member: { name: string }; attendanceTotals: { expected: number; present: number }; notesTotals: { count: number }; pointsTotal: number }; file?: FileOut }
    const own = expectOk(await env.call<Archive>('archive', 'member', { year: 2026 }, BR2.member)).archive
    const bySecretary = expectOk(await env.call<Archive>('archive', 'member', { memberId: BR2.member, year: 2026, file: true }, BR2.secretary))
    expect(bySecretary.archive).toEqual(own)
    const lines = (await env.db.collection('ledger').where({ memberId: BR2.member, 'periodKeys.year': '2026' }).get()).data
    expect(own.pointsTotal).toBe(lines.reduce((s, l) => s + Number(l.delta), 0))
    const notes = (await env.db.collection('notes').where({ memberId: BR2.member, year: 2026 }).get()).data.filter((n) => !n.deleted)
    expect(own.notesTotals.count).toBe(notes.length)
    const book = await openBook(bySecretary.file!.url)
    expect(book.worksheets.map((w) => w.name)).toEqual(['基本情况', '组织生活', '学习笔记', '积分'])
    expect(book.getWorksheet('学习笔记')!.rowCount).toBe(notes.length + 1)
    expectFail(await env.call('archive', 'member', { memberId: BR2.member, year: 2026 }, 'm_br_2_06'), 'FORBIDDEN')
    expectFail(await env.call('archive', 'member', { memberId: BR2.member, year: 2026 }, 'm_br_3_01'), 'FORBIDDEN')
    expectFail(await env.call('archive', 'member', { memberId: 'nobody', year: 2026 }, BR2.secretary), 'FORBIDDEN')
    expectFail(await env.call('archive', 'member', { year: 'last' }, BR2.member), 'INVALID_INPUT')
  })
})
