/**
 * 民主评议党员 in a real browser, one server: the secretary opens the year's
 * review; members write a 自我评价 and grade the others (secretly, with a
 * confirmation); the secretary closes the grading, reads the tally and
 * records the outcomes, one 基本合格 with its reason; that member hears of it
 * in 消息 (not the grade) and a tap there shows their own result, as 我的 does. Along the way: the year's 组织生活会
 * is listed with its 会议记录 one tap away, a half-filled sheet survives a
 * reload, and the committee sees the ballots beside each name it decides.
 */
import type { Page } from 'playwright-core'
import { DEMO_PEOPLE } from '../../server/seed/people'
import { apiClient, watchErrors } from '../helpers/api'
import { loginAs, switchTo } from '../helpers/browser'
import { testNow } from '../helpers/clock'
import { serverAndPhone } from '../helpers/e2e'

jest.setTimeout(150_000)

const live = serverAndPhone()
const { api, tokenOf } = apiClient(() => live.server.url)
const SEC = DEMO_PEOPLE.secretary1
const WEAK = 'm_br_1_04'

const savedNotices = new Map<string, string>()
// Long enough to hold a passage the copy check can find; the secretary's 自我评价 borrows most of it.
const OWN_WORDS = '按时参加组织生活，笔记完成定额。不足是联系群众不够主动，常常等群众上门。今后每月抽出两个半天到服务窗口听取意见，把群众的难处记下来、办下去。'

async function gradeAs(page: Page, who: string, self: string, reloadHalfway = false): Promise<void> {
  await switchTo(page, live.server.url, who)
  await page.goto(`${live.server.url}#/review/index/index`)
  await page.locator('.rv-page .rv-self-input textarea').locator('visible=true').fill(self)
  await page.locator('.rv-page .rv-self-save').locator('visible=true').click()
  const saved = page.locator('.rv-page .rv-self-saved').locator('visible=true')
  await saved.waitFor()
  savedNotices.set(who, await saved.innerText())
  const rows = page.locator('.rv-page .rv-sheet .rv-person').locator('visible=true')
  await expect(rows.count()).resolves.toBe(4)
  // Big targets: each choice at least 44 CSS px tall, as WeChat's and Apple's guidance ask of a tap.
  const box = await rows.nth(0).locator('.rv-grade--basic').boundingBox()
  expect(box!.height).toBeGreaterThanOrEqual(44)
  // Two 优秀 are over the limit of one: the page says so before anything is sent.
  await rows.nth(0).locator('.rv-grade--excellent').click()
  await rows.nth(1).locator('.rv-grade--excellent').click()
  await expect(page.locator('.rv-page .rv-limit--over').locator('visible=true').count()).resolves.toBe(1)
  if (reloadHalfway) {
    // Closed half way (a call, a flat battery): the two choices are still there when the page opens again.
    await page.reload()
    // count() does not wait: the reloaded page may not have its sheet yet.
    await rows.first().waitFor()
    await expect(rows.count()).resolves.toBe(4)
    await expect(page.locator('.rv-page .rv-sheet .rv-grade--on').locator('visible=true').count()).resolves.toBe(2)
  }
  for (const row of await rows.all()) await row.locator('.rv-grade--qualified').click()
  await page.locator('.rv-page .rv-submit').locator('visible=true').click()
  await page.getByText('提交', { exact: true }).locator('visible=true').last().click()
  await page.locator('.rv-page .rv-voted').locator('visible=true').waitFor()
}

it('a year\'s 民主评议: opened, self-evaluated, graded in secret, closed, tallied and decided; the member sees their result', async () => {
  const page = await live.phone.context.newPage()
  const errors = watchErrors(page)
  const start = testNow() + 3 * 24 * 3_600_000
  const meeting = await api(
    'session',
    { action: 'create', branchId: 'br_1', type: 'life_meeting', title: '2026年度组织生活会', startAt: start, endAt: start + 3 * 3_600_000, venue: { name: '党员活动室' }, audience: { kind: 'branch' } },
    await tokenOf(SEC)
  )
  await loginAs(page, live.server.url, SEC)
  await page.goto(`${live.server.url}#/review/manage/index`)
  await page.locator('.rv-manage-page .rv-open .form-submit').locator('visible=true').last().click()
  await page.locator('.rv-manage-page .rv-progress-card').locator('visible=true').waitFor()
  const listed = page.locator(`.rv-manage-page .rv-meeting[data-session-id="${meeting.sessions[0]._id}"]`).locator('visible=true')
  await expect(listed.innerText()).resolves.toContain('2026年度组织生活会')
  await listed.click()
  await page.waitForURL(/minutes\/view/)
  await page.goto(`${live.server.url}#/review/manage/index`)
  await expect(page.locator('.rv-manage-page .rv-progress-card').innerText()).resolves.toContain('评议结束后才能看到汇总')

  await gradeAs(page, DEMO_PEOPLE.member1, OWN_WORDS, true)
  await gradeAs(page, WEAK, '今年参加活动少了，明年改进。')
  await gradeAs(page, SEC, `组织开展三会一课。${OWN_WORDS.slice(16)}`)
  // Copying is made visible, kindly, to the one who copied; the first writer is told nothing of it.
  expect(savedNotices.get(DEMO_PEOPLE.member1)).not.toContain('相同')
  expect(savedNotices.get(SEC)).toMatch(/约有 \d+ 字与其他同志先写的自我评价相同/)

  await page.goto(`${live.server.url}#/review/manage/index`)
  const progress = page.locator('.rv-manage-page .rv-progress-card').locator('visible=true')
  await expect(progress.innerText()).resolves.toContain('已有 3 位同志完成评定，共 5 位')
  await page.locator('.rv-manage-page .rv-close').locator('visible=true').click()
  await page.getByText('结束', { exact: true }).locator('visible=true').last().click()
  const tally = page.locator('.rv-manage-page .rv-tally').locator('visible=true')
  await tally.waitFor({ timeout: 15_000 })
  await expect(tally.getAttribute('data-ballots')).resolves.toBe('3')
  await expect(tally.locator('.rv-tally-row').count()).resolves.toBe(5)
  // The committee reads each 自我评价 with the copy count where there is one (and never whose text it matched).
  await expect(page.locator('.rv-manage-page .rv-selves .rv-self-copied').locator('visible=true').count()).resolves.toBe(1)

  const outcomes = page.locator('.rv-manage-page .rv-outcomes').locator('visible=true')
  for (const row of await outcomes.locator('.rv-person').all()) await row.locator('.rv-grade--qualified').click()
  const weak = outcomes.locator(`.rv-person[data-member-id="${WEAK}"]`)
  await expect(weak.locator('.rv-outcome-tally').innerText()).resolves.toMatch(/^评议票：优秀 \d+　合格 \d+　基本合格 \d+　不合格 \d+$/)
  await weak.locator('.rv-grade--basic').click()
  await outcomes.locator('.rv-decide').click()
  await expect(outcomes.locator('.rv-outcomes-error').innerText()).resolves.toContain('的理由')
  await weak.locator('.rv-reason input').fill('全年两次无故缺席组织生活')
  await outcomes.locator('.rv-decide').click()
  await outcomes.locator('.rv-outcomes-saved').waitFor()

  await switchTo(page, live.server.url, WEAK)
  // 消息 tells them the result is recorded, not what it is; a tap opens it.
  await page.goto(`${live.server.url}#/pages/inbox/index`)
  const notice = page.locator('.inbox-page .inbox-item[data-review-id]').locator('visible=true').filter({ hasText: '民主评议结果已记录' })
  await notice.waitFor({ timeout: 15_000 })
  await expect(notice.locator('.inbox-item-meta').innerText()).resolves.toContain('民主评议')
  expect(await notice.innerText()).not.toMatch(/优秀|合格|理由/)
  await notice.click()
  await expect(page.locator('.rv-page .rv-outcome-text').locator('visible=true').innerText()).resolves.toBe('基本合格（理由：全年两次无故缺席组织生活）')
  // 我的 leads there too: in a fresh page, as after reopening the app (going back through the router's
  // history under load was a flake, and is not what this proves).
  const reopened = await live.phone.context.newPage()
  const reopenedErrors = watchErrors(reopened)
  await reopened.goto(`${live.server.url}#/pages/me/index`)
  await reopened.locator('.me-page .me-review').locator('visible=true').click()
  const result = reopened.locator('.rv-page .rv-outcome-text').locator('visible=true')
  await result.waitFor({ timeout: 15_000 })
  await expect(result.innerText()).resolves.toBe('基本合格（理由：全年两次无故缺席组织生活）')
  await expect(reopened.locator('.rv-page .rv-self-text').locator('visible=true').innerText()).resolves.toBe('今年参加活动少了，明年改进。')
  expect(reopenedErrors).toEqual([])
  await reopened.close()
  expect(errors).toEqual([])
})
