/**
 * 规则与定额 in a real browser: the admin sets 心得体会最少字数 on the 笔记定额
 * card, which saves it with the quotas (org.updateSettings essayMinWords);
 * a figure out of range is refused on the page, in words, before anything is sent.
 * Beside it, how many 心得 a quarter earn points (essayPointsQuarterlyCap,
 * issue 15), with one line saying why.
 */
import { DEMO_PEOPLE } from '../../server/seed/people'
import { switchTo } from '../helpers/browser'
import { apiClient, watchErrors } from '../helpers/api'
import { serverAndPhone } from '../helpers/e2e'

jest.setTimeout(120_000)

const live = serverAndPhone()
const { api, tokenOf } = apiClient(() => live.server.url)

/** The admin's 规则与定额 page, open on its 笔记定额 card. */
async function openQuotasCard() {
  const page = await live.phone.context.newPage()
  const errors = watchErrors(page)
  await switchTo(page, live.server.url, DEMO_PEOPLE.admin)
  await page.goto(`${live.server.url}#/secretary/settings/index`)
  const card = page.locator('.st-quotas')
  await card.waitFor({ state: 'visible' })
  return { page, errors, card }
}

it('the 笔记定额 card sets the 心得体会 minimum length', async () => {
  const { page, errors, card } = await openQuotasCard()
  const field = card.locator('.st-essay-min-words input, input.st-essay-min-words').first()
  expect(await field.inputValue()).toBe('300')
  await expect(card.textContent()).resolves.toContain('心得体会最少字数')

  await field.fill('6000')
  await card.locator('.st-save').click()
  await card.locator('.st-error').waitFor({ state: 'visible' })
  await expect(card.locator('.st-error').textContent()).resolves.toBe('心得体会最少字数请填 0 到 5000 之间的整数')

  await field.fill('200')
  await card.locator('.st-save').click()
  await card.locator('.st-saved').waitFor({ state: 'visible' })
  // The page opens on the admin's 党委, the first org it lists; the quotas are saved with it, unchanged.
  const stored = await api<{ settings: { essayMinWords: number; quotas: { staffWords: number } } }>('org', { action: 'settings', orgId: 'org_demo' }, await tokenOf(DEMO_PEOPLE.admin))
  expect(stored.settings.essayMinWords).toBe(200)
  expect(stored.settings.quotas.staffWords).toBe(10000)
  // A fresh read shows what is stored.
  await page.reload()
  await card.waitFor({ state: 'visible' })
  expect(await card.locator('.st-essay-min-words input, input.st-essay-min-words').first().inputValue()).toBe('200')
  expect(errors).toEqual([])
})

it('the same card sets how many 心得 a quarter earn points', async () => {
  const { page, errors, card } = await openQuotasCard()
  const field = () => card.locator('.st-essay-cap input, input.st-essay-cap').first()
  expect(await field().inputValue()).toBe('2')
  const text = await card.textContent()
  expect(text).toContain('每季度最多几篇心得体会得积分')
  expect(text).toContain('再多写的照样计入篇数')

  await field().fill('21')
  await card.locator('.st-save').click()
  await card.locator('.st-error').waitFor({ state: 'visible' })
  await expect(card.locator('.st-error').textContent()).resolves.toBe('每季度计分的心得体会篇数请填 0 到 20 之间的整数')

  await field().fill('3')
  await card.locator('.st-save').click()
  await card.locator('.st-saved').waitFor({ state: 'visible' })
  const stored = await api<{ settings: { essayPointsQuarterlyCap: number; essayMinWords: number } }>('org', { action: 'settings', orgId: 'org_demo' }, await tokenOf(DEMO_PEOPLE.admin))
  // Saved with the quotas; the minimum set above stays.
  expect(stored.settings).toMatchObject({ essayPointsQuarterlyCap: 3, essayMinWords: 200 })
  await page.reload()
  await card.waitFor({ state: 'visible' })
  expect(await field().inputValue()).toBe('3')
  expect(errors).toEqual([])
})
