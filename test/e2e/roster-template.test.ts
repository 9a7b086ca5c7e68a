/**
 * 名册导入 in a real browser (issue 16): the admin downloads the template,
 * which the project's own reader reads back with every column and the
 * example; a filled copy with mistakes in several rows, found by the reader
 * and by the plan in separate passes, lists them top to bottom by line.
 */
import ExcelJS from 'exceljs'
import { mkdirSync, mkdtempSync, readFileSync } from 'fs'
import { tmpdir } from 'os'
import { join, resolve } from 'path'
import { readTable } from '../../cloudfunctions/_shared/workbook'
import { ROSTER_COLUMNS } from '../../src/core/import/roster-columns'
import { DEMO_PEOPLE } from '../../server/seed/people'
import { switchTo } from '../helpers/browser'
import { watchErrors } from '../helpers/api'
import { serverAndPhone } from '../helpers/e2e'

jest.setTimeout(120_000)

/** Shots of the changed screen for review (gitignored). */
const SCREENS = resolve(__dirname, '../../test-results/screens')
mkdirSync(SCREENS, { recursive: true })

const live = serverAndPhone()

it('downloads the template, and a filled copy’s errors come in line order', async () => {
  const page = await live.phone.context.newPage()
  const errors = watchErrors(page)
  await switchTo(page, live.server.url, DEMO_PEOPLE.admin)
  await page.goto(`${live.server.url}#/secretary/import/index`)
  const get = page.locator('.imp-template-get')
  await get.waitFor({ state: 'visible' })

  const [download] = await Promise.all([page.waitForEvent('download'), get.click()])
  expect(download.suggestedFilename()).toBe('名册导入模板.xlsx')
  const saved = join(mkdtempSync(join(tmpdir(), 'zbdk-tpl-')), download.suggestedFilename())
  await download.saveAs(saved)
  const bytes = readFileSync(saved)
  const table = await readTable(bytes, 'x.xlsx')
  expect(table[0]).toEqual(ROSTER_COLUMNS.map((c) => c.header))
  expect(table[0]).toContain('加入支部日期')
  expect(table.slice(1)).toEqual([ROSTER_COLUMNS.map((c) => c.example)])

  // Filled in over the example: the reader finds lines 3 and 6, the plan (unknown branches) lines 2 and 5.
  const book = new ExcelJS.Workbook()
  await book.xlsx.load(bytes as never)
  const ws = book.worksheets[0]
  const row = (line: number, name: string, phone: string, branch: string) =>
    ROSTER_COLUMNS.forEach((c, i) => (ws.getRow(line).getCell(i + 1).value = c.field === 'name' ? name : c.field === 'phone' ? phone : c.field === 'branch' ? branch : ''))
  row(2, '周甲', '13800000301', '第九党支部')
  row(3, '吴乙', '138', '第一党支部')
  row(4, '王丙', '13800000303', '第二党支部')
  row(5, '郑丁', '13800000304', '第八党支部')
  row(6, '', '13800000305', '第一党支部')
  const filled = Buffer.from(await book.xlsx.writeBuffer())
  await page.locator('.imp-file').setInputFiles({ name: '名册.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: filled })
  const preview = page.locator('.imp-preview')
  await preview.waitFor({ state: 'visible' })
  expect(await preview.getAttribute('data-errors')).toBe('4')
  expect(await page.locator('.imp-error-line').allTextContents()).toEqual(['第2行', '第3行', '第5行', '第6行'])
  const texts = await page.locator('.imp-error-text').allTextContents()
  expect(texts[1]).toBe('手机号应为11位数字')
  expect(texts[0]).toContain('第九党支部')
  await expect(page.locator('.imp-commit').textContent()).resolves.toBe('改正后才能导入')
  await page.locator('.imp-errors').scrollIntoViewIfNeeded()
  await page.screenshot({ path: join(SCREENS, 'forms-import-errors.png') })
  expect(errors).toEqual([])
})
