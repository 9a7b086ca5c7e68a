/**
 * 学习材料 in a real browser: the secretary of 第二党支部 adds a speech the app
 * does not know by pasting it; a member pastes a paragraph of it into a note
 * and sees it as 摘录, credited; a second member quoting the same paragraph
 * is not told they copied a colleague.
 */
import type { Page } from 'playwright-core'
import { countNoteWords } from '../../src/core/words'
import { DEMO_PEOPLE } from '../../server/seed/people'
import { watchErrors } from '../helpers/api'
import { loginAs, switchTo } from '../helpers/browser'
import { NEW_SPEECH, speechContent } from '../functions/materials.fixtures'
import { serverAndPhone } from '../helpers/e2e'

jest.setTimeout(150_000)

const live = serverAndPhone()

const PARA = NEW_SPEECH.paragraphs[2]
const SECOND_MEMBER = 'm_br_2_09'

/** Writes a note in the app, saves it, and opens it; resolves on the note view. */
async function writeNote(page: Page, title: string, content: string): Promise<{ notice: string }> {
  await page.goto(`${live.server.url}#/pages/notes/index`)
  await page.locator('.notes-new').first().click()
  await page.locator('.note-title-input').first().waitFor({ state: 'visible' })
  await page.locator('.note-title-input input').first().fill(title)
  await page.locator('.note-content-input textarea').first().fill(content)
  await page.locator('.note-save').first().click()
  const saved = page.locator('.note-saved')
  await saved.waitFor({ state: 'visible' })
  const notice = (await page.locator('.note-credit-notice').count()) > 0 ? String(await page.locator('.note-credit-notice').first().textContent()) : ''
  await page.locator('.note-saved-open').click()
  await page.locator('.note-view').waitFor({ state: 'visible' })
  return { notice }
}

async function expectExcerptCredited(page: Page): Promise<void> {
  const excerpt = page.locator('.note-view .note-passage-excerpt').first()
  await excerpt.waitFor({ state: 'visible' })
  await expect(excerpt.getAttribute('data-label')).resolves.toBe(`摘自《${NEW_SPEECH.title}》`)
  await expect(excerpt.textContent()).resolves.toContain(PARA.slice(10, 60))
  const words = page.locator('.note-view-words')
  await expect(words.getAttribute('data-credited')).resolves.toBe(await words.getAttribute('data-words'))
  const excerptWords = Number(await page.locator('.note-view-excerpt-words').getAttribute('data-excerpt-words'))
  expect(excerptWords).toBeGreaterThanOrEqual(countNoteWords(PARA) - 2)
  // Nothing marked as copied from a colleague.
  expect(await page.locator('.note-view .note-passage-copied').count()).toBe(0)
  expect(await page.locator('.note-view-matches').count()).toBe(0)
}

describe('学习材料 (H5)', () => {
  it('a secretary adds a speech by pasting it; members quoting it get 摘录, credited, not a copy notice', async () => {
    const page = await live.phone.context.newPage()
    const errors = watchErrors(page)

    // The secretary, from the workbench.
    await loginAs(page, live.server.url, DEMO_PEOPLE.secretary2)
    await page.goto(`${live.server.url}#/secretary/index/index`)
    await page.locator('.workbench-tool-materials').click()
    await page.locator('.mt-add').waitFor({ state: 'visible' })
    // The 党委's speeches are listed already, for the branch too, and not the secretary's to remove.
    await page.locator('.mt-item[data-status="ready"]').first().waitFor({ state: 'visible' })
    expect(await page.locator('.mt-item .mt-remove').count()).toBe(0)
    await page.locator('.mt-add').click()
    await page.locator('.mt-title input').fill(NEW_SPEECH.title)
    await page.locator('.mt-origin input').fill(NEW_SPEECH.origin)
    await page.locator('.mt-content textarea').fill(speechContent())
    await expect(page.locator('.mt-count').getAttribute('data-words')).resolves.toBe(String(countNoteWords(speechContent())))
    await page.locator('.mt-submit').click()
    const added = page.locator('.mt-item[data-status="ready"]').filter({ hasText: NEW_SPEECH.title })
    await added.waitFor({ state: 'visible', timeout: 20_000 })
    await expect(added.textContent()).resolves.toContain(NEW_SPEECH.origin)
    expect(await added.locator('.mt-remove').count()).toBe(1)

    // A member pastes a paragraph of it with a reflection of their own.
    await switchTo(page, live.server.url, DEMO_PEOPLE.member2)
    const first = await writeNote(page, '学习交流会讲话的体会', `${PARA}\n我在窗口岗位上，先把群众问得最多的三件事理清楚，每周五对照检查一次。`)
    expect(first.notice).toBe('')
    await expectExcerptCredited(page)

    // A second member quotes the same paragraph: still an excerpt, no copy notice.
    await switchTo(page, live.server.url, SECOND_MEMBER)
    const second = await writeNote(page, '讲话摘录和打算', `${PARA}\n我负责财务报销审核，打算把常见的退单原因整理出来，提前告诉同事们。`)
    expect(second.notice).toBe('')
    await expectExcerptCredited(page)

    expect(errors).toEqual([])
  })
})
