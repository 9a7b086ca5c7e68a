import type { Page } from 'playwright-core'
import type { DevIdentity } from '../../src/core/functions/auth'
import { DEMO_PEOPLE } from '../../server/seed/people'
import { launchPhone, loginAs, requireH5Build } from '../helpers/browser'
import { removeDir, startServer, type RunningServer } from '../helpers/server-process'

jest.setTimeout(90_000)

let server: RunningServer
let phone: Awaited<ReturnType<typeof launchPhone>>
let identities: DevIdentity[]

beforeAll(async () => {
  requireH5Build()
  server = await startServer()
  phone = await launchPhone()
  const res = await fetch(`${server.url}api/auth`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ action: 'devIdentities' })
  })
  identities = (await res.json()).data.identities
})

afterAll(async () => {
  await phone?.close()
  await server?.stop()
  if (server) removeDir(server.dataDir)
})

function nameOf(memberId: string): string {
  const found = identities.find((i) => i.memberId === memberId)
  if (!found) throw new Error(`no demo identity ${memberId}`)
  return found.name
}

async function newPage(): Promise<{ page: Page; errors: string[] }> {
  const page = await phone.context.newPage()
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(String(e)))
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text())
  })
  return { page, errors }
}

/**
 * How far content sticks out sideways. Taro's H5 page container scrolls on its own, so content
 * wider than the phone shows as a sideways scroll inside it, not on <html>: both are checked.
 */
function sidewaysOverflow(): number {
  const pages = Array.from(document.querySelectorAll('.taro_page')).filter((e) => (e as HTMLElement).getClientRects().length > 0) as HTMLElement[]
  const inner = Math.max(0, ...pages.map((p) => p.scrollWidth - p.clientWidth))
  return Math.max(document.documentElement.scrollWidth - window.innerWidth, inner)
}

describe('H5 on the local runtime', () => {
  it('a member picks a demo identity, sees home, reloads and stays logged in', async () => {
    const { page, errors } = await newPage()
    await page.goto(server.url)
    await page.getByText('选择一个演示身份登录').waitFor()
    expect(await page.locator('.login-identity').count()).toBe(47)

    await loginAs(page, server.url, DEMO_PEOPLE.member2)
    await expect(page.locator('.home-name').innerText()).resolves.toContain(nameOf(DEMO_PEOPLE.member2))
    await expect(page.locator('.home-branch').innerText()).resolves.toContain('第二党支部')
    // The four areas are there as tabs; an ordinary member has no secretary entry.
    for (const tab of ['签到', '笔记', '排行', '我的']) {
      await expect(page.getByText(tab, { exact: true }).first().isVisible()).resolves.toBe(true)
    }
    expect(await page.locator('.secretary-entry').count()).toBe(0)

    await page.reload()
    await page.locator('.home-name').waitFor({ state: 'visible' })
    await expect(page.locator('.home-name').innerText()).resolves.toContain(nameOf(DEMO_PEOPLE.member2))
    expect(page.url()).not.toContain('login')
    expect(errors).toEqual([])
    await page.close()
  })

  it('a secretary opens the secretary workbench and sees their branch roster', async () => {
    const { page, errors } = await newPage()
    await page.goto(server.url)
    await page.evaluate(() => localStorage.clear())
    await loginAs(page, server.url, DEMO_PEOPLE.secretary2)
    const entry = page.locator('.secretary-entry')
    await entry.waitFor({ state: 'visible' })
    await entry.click()
    await page.locator('.member-row').first().waitFor({ state: 'visible' })
    expect(await page.locator('.member-row').count()).toBe(12)
    await expect(page.locator('body').innerText()).resolves.toContain(nameOf(DEMO_PEOPLE.member2))
    expect(errors).toEqual([])
    await page.close()
  })

  it('nothing overflows the phone width on the login and home pages', async () => {
    const { page } = await newPage()
    await page.goto(server.url)
    await page.evaluate(() => localStorage.clear())
    await page.goto(server.url)
    await page.locator('.login-identity').first().waitFor()
    const loginOverflow = await page.evaluate(sidewaysOverflow)
    expect(loginOverflow).toBeLessThanOrEqual(0)
    await loginAs(page, server.url, DEMO_PEOPLE.retired)
    const homeOverflow = await page.evaluate(sidewaysOverflow)
    expect(homeOverflow).toBeLessThanOrEqual(0)
    await page.close()
  })
})
