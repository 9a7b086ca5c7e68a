/**
 * The reading-notes journey in a real browser: write a note and watch the
 * live count (the same countNoteWords the server runs), close the page while
 * typing, come back and find the draft, save, and see the year's progress move.
 */
import { existsSync } from 'fs'
import { join, resolve } from 'path'
import type { Page } from 'playwright-core'
import { countNoteWords } from '../../src/core/words'
import { DEMO_PEOPLE } from '../../server/seed/people'
import { launchPhone } from '../helpers/browser'
import { removeDir, startServer, type RunningServer } from '../helpers/server-process'

const ROOT = resolve(__dirname, '..', '..')
jest.setTimeout(120_000)

let server: RunningServer
let phone: Awaited<ReturnType<typeof launchPhone>>

// Written for this test, so no demo note shares a passage with it (copies are not credited).
const TEXT =
  '周三下午读完这篇讲话，我把支部近三个月的学习记录翻了一遍：讲评时说到的“突击抓”，' +
  '在我们这里也有苗头。下个月起，我想把每周二午休后的半小时固定下来读原文，GDP 和 2.5% 这样的数字也要核对出处。'

async function loginAs(page: Page, memberId: string): Promise<void> {
  await page.goto(server.url)
  const row = page.locator(`.login-identity[data-member-id="${memberId}"]`)
  await row.waitFor({ state: 'visible' })
  await row.click()
  await page.locator('.home-name').waitFor({ state: 'visible' })
}

async function credited(page: Page): Promise<number> {
  await page.goto(`${server.url}#/pages/notes/index`)
  const progress = page.locator('.notes-progress')
  await progress.waitFor({ state: 'visible' })
  return Number(await progress.getAttribute('data-credited'))
}

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'dist', 'h5', 'index.html'))) {
    throw new Error('dist/h5 is missing: the e2e suite drives the production H5 build (npm test builds it first)')
  }
  server = await startServer()
  phone = await launchPhone()
})

afterAll(async () => {
  await phone?.close()
  await server?.stop()
  if (server) removeDir(server.dataDir)
})

describe('reading notes (H5)', () => {
  it('live count, a draft that survives a closed page, save, progress moves', async () => {
    let page = await phone.context.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(String(e)))
    await loginAs(page, DEMO_PEOPLE.member2)
    const before = await credited(page)

    await page.locator('.notes-new').first().click()
    await page.locator('.note-title-input').first().waitFor({ state: 'visible' })
    await page.locator('.note-title-input input').first().fill('学习讲话的体会')
    const content = page.locator('.note-content-input textarea').first()
    await content.fill(TEXT)
    const count = page.locator('.note-word-count')
    await expect(count.getAttribute('data-words')).resolves.toBe(String(countNoteWords(TEXT)))

    // Close the page mid-typing (after the draft debounce), then come back.
    await page.waitForTimeout(1200)
    await page.close()
    page = await phone.context.newPage()
    page.on('pageerror', (e) => errors.push(String(e)))
    await page.goto(`${server.url}#/pages/notes/index`)
    await page.locator('.notes-new').first().click()
    await page.locator('.note-draft-restored').waitFor({ state: 'visible' })
    await expect(page.locator('.note-content-input textarea').first().inputValue()).resolves.toBe(TEXT)

    await page.locator('.note-save').first().click()
    await page.locator('.note-saved').waitFor({ state: 'visible' })
    const after = await credited(page)
    expect(after).toBe(before + countNoteWords(TEXT))
    expect(errors).toEqual([])
  })
})
