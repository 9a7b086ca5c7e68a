/**
 * The reading-notes journey in a real browser: write a note and watch the
 * live count (the same countNoteWords the server runs), close the page while
 * typing, come back and find the draft, save, and see the year's progress move.
 */
import type { Page } from 'playwright-core'
import { countNoteWords } from '../../src/core/words'
import { DEMO_PEOPLE } from '../../server/seed/people'
import { loginAs } from '../helpers/browser'
import { serverAndPhone } from '../helpers/e2e'

jest.setTimeout(120_000)

const live = serverAndPhone()

// Written for this test, so no demo note shares a passage with it (copies are not credited).
const TEXT =
  '周三下午读完这篇讲话，我把支部近三个月的学习记录翻了一遍：讲评时说到的“突击抓”，' +
  '在我们这里也有苗头。下个月起，我想把每周二午休后的半小时固定下来读原文，GDP 和 2.5% 这样的数字也要核对出处。'

/**
 * The credited words the notes page shows. With `expected`, waits (up to 10 s)
 * for the page to show it: the page can first render the progress it already
 * held and refresh it a moment later.
 */
async function credited(page: Page, expected?: number): Promise<number> {
  await page.goto(`${live.server.url}#/pages/notes/index`)
  const progress = page.locator('.notes-progress')
  await progress.waitFor({ state: 'visible' })
  let value = Number(await progress.getAttribute('data-credited'))
  for (let waited = 0; expected !== undefined && value !== expected && waited < 10_000; waited += 250) {
    await page.waitForTimeout(250)
    value = Number(await progress.getAttribute('data-credited'))
  }
  return value
}

describe('reading notes (H5)', () => {
  it('live count, a draft that survives a closed page, save, progress moves', async () => {
    let page = await live.phone.context.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(String(e)))
    await loginAs(page, live.server.url, DEMO_PEOPLE.member2)
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
    page = await live.phone.context.newPage()
    page.on('pageerror', (e) => errors.push(String(e)))
    await page.goto(`${live.server.url}#/pages/notes/index`)
    await page.locator('.notes-new').first().click()
    await page.locator('.note-draft-restored').waitFor({ state: 'visible' })
    await expect(page.locator('.note-content-input textarea').first().inputValue()).resolves.toBe(TEXT)

    await page.locator('.note-save').first().click()
    await page.locator('.note-saved').waitFor({ state: 'visible' })
    const after = await credited(page, before + countNoteWords(TEXT))
    expect(after).toBe(before + countNoteWords(TEXT))
    expect(errors).toEqual([])
  })

  it('a resubmitted note shows the copied passage in its own text, with the earlier note’s date only', async () => {
    const page = await live.phone.context.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(String(e)))
    // Still signed in as member2 from the journey above (same browser context).
    await page.goto(`${live.server.url}#/pages/notes/index`)
    await page.locator('.notes-new').first().click()
    await page.locator('.note-title-input').first().waitFor({ state: 'visible' })
    await page.locator('.note-title-input input').first().fill('再交一次的体会')
    const extra = '\n补充：本周已经开始执行。'
    await page.locator('.note-content-input textarea').first().fill(TEXT + extra)
    await page.locator('.note-save').first().click()
    await page.locator('.note-saved').waitFor({ state: 'visible' })

    await page.goto(`${live.server.url}#/pages/notes/index`)
    const row = page.locator('[data-note-id]').filter({ hasText: '再交一次的体会' }).first()
    await row.waitFor({ state: 'visible' })
    await row.click()
    const copied = page.locator('.note-view .note-passage-copied').first()
    await copied.waitFor({ state: 'visible' })
    await expect(copied.getAttribute('data-label')).resolves.toMatch(/^与 \d{4}-\d{2}-\d{2} 的笔记重复$/)
    await expect(copied.locator('.note-passage-label').first().textContent()).resolves.toMatch(/的笔记重复$/)
    // my own words around it are plain text; the copied part is my text too, not another note's
    await expect(copied.textContent()).resolves.toContain(TEXT.slice(20, 60))
    expect(errors).toEqual([])
  })
})
