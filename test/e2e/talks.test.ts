/**
 * 谈心谈话 in a real browser: a secretary opens 双色预警, records on a warned
 * member's card that a talk took place, and the card says so — also after a
 * reload, read back from the server.
 */
import { DEMO_PEOPLE } from '../../server/seed/people'
import { watchErrors } from '../helpers/api'
import { loginAs } from '../helpers/browser'
import { serverAndPhone } from '../helpers/e2e'

jest.setTimeout(90_000)

const live = serverAndPhone()

it('a secretary records a 谈心谈话 from a warning, and the warning shows it', async () => {
  const page = await live.phone.context.newPage()
  const errors = watchErrors(page)
  // The demo's 第三党支部 has a member warned this quarter.
  await loginAs(page, live.server.url, DEMO_PEOPLE.secretary3)
  await page.goto(`${live.server.url}#/secretary/warnings/index`)
  const offered = page.locator('.warnings-page .warning-card').filter({ has: page.locator('.warning-talk-open') }).locator('visible=true').first()
  await offered.waitFor({ timeout: 15_000 })
  const memberId = await offered.getAttribute('data-member-id')
  const card = page.locator(`.warnings-page .warning-card[data-member-id="${memberId}"]`).locator('visible=true')
  await card.locator('.warning-talk-open').click()
  await card.locator('.warning-talk-note input').fill('了解到家中老人住院，已商定补学时间')
  await card.locator('.warning-talk-save').click()
  const done = card.locator('.warning-talk-done')
  await done.waitFor()
  await expect(done.innerText()).resolves.toMatch(/^已于 \d+月\d+日 周. 谈心谈话（.+）：了解到家中老人住院，已商定补学时间$/)

  await page.reload()
  const again = page.locator(`.warnings-page .warning-card[data-member-id="${memberId}"] .warning-talk-done`).locator('visible=true')
  await again.waitFor({ timeout: 15_000 })
  await expect(again.innerText()).resolves.toContain('了解到家中老人住院')
  expect(errors).toEqual([])
})
