/**
 * Putting people on the app, in a real browser: a newcomer joins 第二党支部
 * with its invite code and waits; the secretary confirms them in 党员名册
 * and switches 长辈模式 on in their record; the newcomer's app opens; the
 * admin adds a branch in 组织管理.
 */
import ExcelJS from 'exceljs'
import { mkdtempSync, readFileSync } from 'fs'
import { tmpdir } from 'os'
import { join } from 'path'
import { deriveId } from '../../src/core/ids'
import { DEMO_PEOPLE } from '../../server/seed/people'
import { joinAsNewcomer, launchPhone, loginAs, requireH5Build, switchTo } from '../helpers/browser'
import { apiClient, watchErrors } from '../helpers/api'
import { removeDir, startServer, type RunningServer } from '../helpers/server-process'

jest.setTimeout(150_000)

let server: RunningServer
let phone: Awaited<ReturnType<typeof launchPhone>>
let newcomerPhone: Awaited<ReturnType<typeof launchPhone>>
const { api, tokenOf } = apiClient(() => server.url)

beforeAll(async () => {
  requireH5Build()
  server = await startServer()
  phone = await launchPhone()
  newcomerPhone = await launchPhone()
})

afterAll(async () => {
  await phone?.close()
  await newcomerPhone?.close()
  await server?.stop()
  if (server) removeDir(server.dataDir)
})

describe('organisation admin (H5)', () => {
  it('a newcomer joins with the invite code; the secretary confirms them and keeps their record', async () => {
    const secretaryToken = await tokenOf(DEMO_PEOPLE.secretary2)
    const { inviteCode } = await api<{ inviteCode: string }>('org', { action: 'invite', branchId: 'br_2' }, secretaryToken)

    const newcomer = await newcomerPhone.context.newPage()
    const newcomerErrors = watchErrors(newcomer)
    await joinAsNewcomer(newcomer, server.url, '刘新党', inviteCode.toLowerCase())

    const secretary = await phone.context.newPage()
    const errors = watchErrors(secretary)
    await loginAs(secretary, server.url, DEMO_PEOPLE.secretary2)
    await secretary.goto(`${server.url}#/secretary/index/index`)
    await secretary.locator('.workbench-tool-members').click()
    await expect(secretary.locator('.mb-invite-code').textContent()).resolves.toBe(inviteCode)
    const row = secretary.locator('.mb-pending-row').filter({ hasText: '刘新党' })
    await row.waitFor({ state: 'visible' })
    const memberId = await row.getAttribute('data-member-id')
    await row.locator('.mb-accept').click()
    const listed = secretary.locator(`.mb-member[data-member-id="${memberId}"]`)
    await listed.waitFor({ state: 'visible' })
    await secretary.locator('.mb-pending-row').waitFor({ state: 'detached' })

    // Their record: 长辈模式 on, saved and audited.
    await listed.click()
    await secretary.locator(`.mr-page[data-member-id="${memberId}"]`).waitFor({ state: 'visible' })
    await secretary.locator('.mr-large').click()
    await secretary.locator('.mr-save').click()
    await secretary.locator('.mr-saved').waitFor({ state: 'visible' })
    const rec = await api<{ member: { largeText: boolean; joinStatus: string } }>('org', { action: 'member', memberId }, secretaryToken)
    expect(rec.member).toMatchObject({ largeText: true, joinStatus: 'confirmed' })
    expect(errors).toEqual([])

    // The newcomer's app now opens on their branch.
    await newcomer.reload()
    await newcomer.locator('.home-name').waitFor({ state: 'visible' })
    await expect(newcomer.locator('.home-name').textContent()).resolves.toContain('刘新党')
    expect(newcomerErrors).toEqual([])
  })

  it('an admin adds a branch under the 党委 in 组织管理', async () => {
    const admin = await phone.context.newPage()
    const errors = watchErrors(admin)
    await switchTo(admin, server.url, DEMO_PEOPLE.admin)
    await admin.goto(`${server.url}#/secretary/index/index`)
    await admin.locator('.workbench-tool-org').click()
    const root = admin.locator('.og-node[data-org-id="org_demo"]')
    await root.waitFor({ state: 'visible' })
    await root.locator('.og-add').click()
    await root.locator('.og-type .form-chip[data-value="branch"]').click()
    await root.locator('.og-name input').fill('第四党支部')
    await root.locator('.og-submit').click()
    const created = admin.locator('.og-node--branch').filter({ hasText: '第四党支部' })
    await created.waitFor({ state: 'visible' })
    const tree = await api<{ roots: { children: { name: string; type: string }[] }[] }>('org', { action: 'tree' }, await tokenOf(DEMO_PEOPLE.admin))
    expect(tree.roots[0].children.filter((c) => c.name === '第四党支部' && c.type === 'branch')).toHaveLength(1)
    expect(errors).toEqual([])
  })

  it('an admin imports a roster; a listed person joins and is linked; the secretary exports a ledger that opens', async () => {
    const admin = await phone.context.newPage()
    const errors = watchErrors(admin)
    await switchTo(admin, server.url, DEMO_PEOPLE.admin)
    await admin.goto(`${server.url}#/secretary/index/index`)
    await admin.locator('.workbench-tool-import').click()
    const roster = '\ufeff姓名,手机号,支部,职级,是否离退休\r\n何志远,13800000101,第二党支部,副科级,否\r\n田秀英,13800000102,第三党支部（离退休）,一般工作人员,是\r\n'
    await admin.locator('.imp-file').setInputFiles({ name: '名册.csv', mimeType: 'text/csv', buffer: Buffer.from(roster) })
    const preview = admin.locator('.imp-preview')
    await preview.waitFor({ state: 'visible' })
    expect(await preview.getAttribute('data-errors')).toBe('0')
    expect(await preview.getAttribute('data-create')).toBe('2')
    await admin.locator('.imp-commit').click()
    await admin.locator('.imp-done').waitFor({ state: 'visible' })
    expect(await admin.locator('.imp-done').getAttribute('data-create')).toBe('2')
    expect(errors).toEqual([])

    // 何志远 opens the app for the first time and joins with the branch's code.
    const newcomer = await newcomerPhone.context.newPage()
    await joinAsNewcomer(newcomer, server.url, '何志远', 'DEMO0002')

    const secretary = await phone.context.newPage()
    const secretaryErrors = watchErrors(secretary)
    await switchTo(secretary, server.url, DEMO_PEOPLE.secretary2)
    await secretary.goto(`${server.url}#/secretary/members/index`)
    const row = secretary.locator('.mb-pending-row').filter({ hasText: '何志远' })
    await expect(row.locator('.mb-pending-when').textContent()).resolves.toContain('名册里有这位同志')
    await row.locator('.mb-accept').click()
    await row.waitFor({ state: 'detached' })
    await newcomer.reload()
    await newcomer.locator('.home-name').waitFor({ state: 'visible' })
    await expect(newcomer.locator('.home-name').textContent()).resolves.toContain('何志远')
    // The app now runs on the roster's record (its id is derived from the import key): rank and phone as imported.
    const listed = await api<{ member: { rank: string; phone: string } }>('org', { action: 'member', memberId: deriveId('m', 'org_demo', 'phone:13800000101') }, await tokenOf(DEMO_PEOPLE.secretary2))
    expect(listed.member).toMatchObject({ rank: 'deputy_section_plus', phone: '13800000101' })

    // 台账导出: the browser downloads the workbook, and it opens with the branch's members in it.
    await secretary.goto(`${server.url}#/secretary/index/index`)
    await secretary.locator('.workbench-tool-exports').click()
    await secretary.locator('.ex-kind .form-chip[data-value="attendance"]').click()
    const [download] = await Promise.all([secretary.waitForEvent('download'), secretary.locator('.ex-go').click()])
    const saved = join(mkdtempSync(join(tmpdir(), 'zbdk-dl-')), download.suggestedFilename())
    await download.saveAs(saved)
    expect(download.suggestedFilename()).toMatch(/签到台账.*\.xlsx$/)
    const book = new ExcelJS.Workbook()
    await book.xlsx.load(readFileSync(saved) as never)
    const ws = book.worksheets[0]
    expect(ws.getRow(2).getCell(1).value).toBe('姓名')
    const names: string[] = []
    ws.eachRow((r, n) => {
      if (n > 2) names.push(String(r.getCell(1).value))
    })
    expect(names.some((n) => n.startsWith('何志远'))).toBe(true)
    expect(secretaryErrors).toEqual([])
  })
})
