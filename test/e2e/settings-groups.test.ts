/**
 * 规则与定额 in plain groups (issue 16): one 保存 per group, each saving only
 * its own fields and saying when it saved; a value out of range is named
 * under its own field; saving one group keeps what was typed in another.
 */
import { DEMO_PEOPLE } from '../../server/seed/people'
import { switchTo } from '../helpers/browser'
import { apiClient, watchErrors } from '../helpers/api'
import { serverAndPhone } from '../helpers/e2e'
import { mkdirSync } from 'fs'
import { join, resolve } from 'path'

jest.setTimeout(120_000)

/** Shots of the changed screen for review (gitignored). */
const SCREENS = resolve(__dirname, '../../test-results/screens')
mkdirSync(SCREENS, { recursive: true })

const live = serverAndPhone()
const { api, tokenOf } = apiClient(() => live.server.url)
type Stored = { settings: { visibility: { memberRanking: string; branchRanking: string }; warnings: { yellowPace: number; redPace: number }; reviewExcellentShare: number } }
const stored = async () => (await api<Stored>('org', { action: 'settings', orgId: 'org_demo' }, await tokenOf(DEMO_PEOPLE.admin))).settings

it('groups the settings with one 保存 each; a group saves only its fields, says when, and leaves the others’ drafts alone', async () => {
  const page = await live.phone.context.newPage()
  const errors = watchErrors(page)
  await switchTo(page, live.server.url, DEMO_PEOPLE.admin)
  await page.goto(`${live.server.url}#/secretary/settings/index`)
  await page.locator('.st-card').first().waitFor({ state: 'visible' })

  const titles = await page.locator('.st-card-title').allTextContents()
  expect(titles).toEqual(['签到与免考核', '笔记定额', '积分', '预警', '定时提醒', '排行公开范围', '民主评议'])
  for (let i = 0; i < titles.length; i++) expect(await page.locator('.st-card').nth(i).locator('.st-save').count()).toBe(1)
  expect(await page.locator('.st-save').count()).toBe(titles.length)

  const before = await stored()
  expect(before.visibility.memberRanking).not.toBe('members')

  // An unsaved choice in 排行公开范围 …
  const vis = page.locator('.st-visibility')
  await vis.locator('.st-member-ranking .form-chip[data-value="members"]').click()
  // … and a red threshold above the yellow one in 预警: refused under that field, nothing sent.
  const warn = page.locator('.st-warnings')
  const pace = (cls: string) => warn.locator(`.${cls} input, input.${cls}`).first()
  await pace('st-yellow-pace').fill('50')
  await pace('st-red-pace').fill('60')
  await warn.locator('.st-save').click()
  const err = warn.locator('.st-error[data-at="redPace"]')
  await err.waitFor({ state: 'visible' })
  await expect(err.textContent()).resolves.toBe('红色预警的进度比例要低于黄色预警')
  await err.scrollIntoViewIfNeeded()
  await page.screenshot({ path: join(SCREENS, 'forms-settings-field-error.png') })
  // Next to its field: the red-pace input and its message share one form field.
  await expect(warn.locator('.form-field').filter({ has: page.locator('.st-error') }).locator('.st-red-pace').count()).resolves.toBe(1)
  expect((await stored()).warnings).toEqual(before.warnings)

  await pace('st-red-pace').fill('20')
  await warn.locator('.st-save').click()
  await warn.locator('.st-saved').waitFor({ state: 'visible' })
  await expect(warn.locator('.st-saved').textContent()).resolves.toMatch(/^已保存（\d{2}:\d{2}）$/)
  expect(await warn.locator('.st-error').count()).toBe(0)
  const afterWarn = await stored()
  expect(afterWarn.warnings).toMatchObject({ yellowPace: 0.5, redPace: 0.2 })
  // Only 预警 was sent: the ranking choice is not saved, and is still on the page as typed.
  expect(afterWarn.visibility).toEqual(before.visibility)
  await expect(vis.locator('.st-member-ranking .form-chip--on').getAttribute('data-value')).resolves.toBe('members')
  expect(await vis.locator('.st-saved').count()).toBe(0)

  await vis.locator('.st-save').click()
  await vis.locator('.st-saved').waitFor({ state: 'visible' })
  const afterVis = await stored()
  expect(afterVis.visibility.memberRanking).toBe('members')
  expect(afterVis.warnings).toMatchObject({ yellowPace: 0.5, redPace: 0.2 })
  // Both groups still say they were saved.
  expect(await warn.locator('.st-saved').count()).toBe(1)

  // 民主评议: the 优秀 share in whole percents, one step down from the default 30%.
  const review = page.locator('.st-review')
  await review.locator('.st-review-share .st-step').first().click()
  await review.locator('.st-save').click()
  await review.locator('.st-saved').waitFor({ state: 'visible' })
  expect((await stored()).reviewExcellentShare).toBe(0.29)
  expect(errors).toEqual([])
})
