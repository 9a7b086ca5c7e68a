/**
 * org.rosterTemplate through the local runtime: an admin gets an .xlsx whose
 * first sheet the import itself reads back (header and example), a filled-in
 * copy imports, and its mistakes come back in line order; callers who are
 * not the org's admin, and bad input, are refused.
 */
import ExcelJS from 'exceljs'
import { readFileSync } from 'fs'
import { join } from 'path'
import { ROSTER_COLUMNS } from '../../src/core/import/roster-columns'
import { MemberSchema } from '../../src/core/schemas/member'
import { OrgSchema } from '../../src/core/schemas/org'
import { readTable } from '../../cloudfunctions/_shared/workbook'
import { expectFail, expectOk, makeTestEnv, type TestEnv } from '../helpers/env'
import { BR2 } from './checkin.fixtures'

const ADMIN = 'm_br_1_01'
type FileOut = { file: { url: string; fileName: string; bytes: number } }
type Preview = { errors: string[]; errorCount: number; counts: Record<string, number> }

let env: TestEnv
beforeEach(async () => {
  env = await makeTestEnv()
})
afterEach(() => env.close())

const template = (input: Record<string, unknown>, as = ADMIN) => env.call<FileOut>('org', 'rosterTemplate', input, as)
const bytesAt = (url: string) => readFileSync(join(env.dir, 'files', `${/^\/files\/([a-f0-9]{32})\//.exec(url)![1]}.bin`))

describe('org.rosterTemplate', () => {
  it('gives the admin an .xlsx the import reads: every column, one example row, then a filled copy imports with its errors in line order', async () => {
    const { file } = expectOk(await template({ orgId: 'org_demo' }))
    expect(file.fileName).toBe('名册导入模板.xlsx')
    const bytes = bytesAt(file.url)
    const table = await readTable(bytes, file.fileName)
    expect(table[0]).toEqual(ROSTER_COLUMNS.map((c) => c.header))
    expect(table[0]).toContain('加入支部日期')
    expect(table).toHaveLength(2)
    expect(table[1][0]).toBe('张三')

    // Left as it is, the example is refused as the example.
    const asIs = expectOk(await env.call<Preview>('org', 'importRoster', { orgId: 'org_demo', fileName: file.fileName, content: bytes.toString('base64'), commit: false }, ADMIN))
    expect(asIs.errors).toEqual(['第2行：这是模板里的示例（张三），请删掉这一行后再导入'])

    // Filled in: row errors from the reader (lines 3, 5) and from the plan (lines 2, 4) come back top to bottom.
    const book = new ExcelJS.Workbook()
    await book.xlsx.load(bytes as never)
    const ws = book.worksheets[0]
    const put = (line: number, cells: string[]) => cells.forEach((v, i) => (ws.getRow(line).getCell(i + 1).value = v))
    const blank = ROSTER_COLUMNS.map(() => '')
    const row = (name: string, phone: string, branch: string) => blank.map((_v, i) => (i === 0 ? name : i === 1 ? phone : i === 3 ? branch : ''))
    put(2, row('周甲', '13800000201', '第九党支部'))
    put(3, row('吴乙', '138', '第一党支部'))
    put(4, row('郑丙', '13800000203', '第八党支部'))
    put(5, row('', '13800000204', '第一党支部'))
    put(6, row('王丁', '13800000205', '第二党支部'))
    const filled = Buffer.from(await book.xlsx.writeBuffer()).toString('base64')
    const out = expectOk(await env.call<Preview>('org', 'importRoster', { orgId: 'org_demo', fileName: 'a.xlsx', content: filled, commit: false }, ADMIN))
    expect(out.errors.map((e) => e.slice(0, 3))).toEqual(['第2行', '第3行', '第4行', '第5行'])
    expect(out.errors[1]).toBe('第3行：手机号应为11位数字')
    expect(out.counts.create).toBe(1)
    const failed = await env.call('org', 'importRoster', { orgId: 'org_demo', fileName: 'a.xlsx', content: filled, commit: true }, ADMIN)
    expect(expectFail(failed, 'INVALID_INPUT').details).toMatchObject({ errors: out.errors })
  })

  it('refuses a secretary, another 党委’s admin and bad input', async () => {
    expectFail(await template({ orgId: 'org_demo' }, BR2.secretary), 'FORBIDDEN')
    const now = env.clock.now()
    await env.db.collection('orgs').add({ data: OrgSchema.parse({ _id: 'org_x', type: 'committee', name: '另一个党委', parentId: null, path: ['org_x'], closed: false, createdAt: now }) })
    await env.db.collection('members').add({ data: MemberSchema.parse({ _id: 'm_x', name: '赵其他', openid: 'dev_m_x', branchId: 'org_x', groupId: null, orgPath: ['org_x'], rank: 'staff', roles: [{ role: 'admin', orgId: 'org_x' }], leadingCadre: false, retired: false, exempt: null, joinedAt: now, createdAt: now }) })
    expectFail(await template({ orgId: 'org_demo' }, 'm_x'), 'FORBIDDEN')
    expectFail(await template({ orgId: 'org_missing' }), 'FORBIDDEN')
    expectFail(await template({}), 'INVALID_INPUT')
    expectFail(await template({ orgId: 7 }), 'INVALID_INPUT')
    expectFail(await template({ orgId: 'x'.repeat(500) }), 'INVALID_INPUT')
    expectFail(await template({ orgId: 'org_demo', extra: true }), 'INVALID_INPUT')
  })
})
