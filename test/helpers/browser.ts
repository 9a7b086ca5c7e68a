import { existsSync, mkdtempSync, rmSync } from 'fs'
import { tmpdir } from 'os'
import { join } from 'path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { testNow } from './clock'

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium'

/**
 * Debian's Chromium, headless, with a phone viewport, on the test clock. The background-network
 * flags matter here: without them Chromium keeps dialling Google's hosts,
 * which this machine's closed network refuses.
 */
export async function launchPhone(options: { args?: string[] } = {}): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'zbdk-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    viewport: { width: 375, height: 812 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    // options.args: extra Chromium switches for one suite (e.g. a fake camera playing a file).
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', ...(options.args ?? [])]
  })
  // The page's Date starts at the test clock's now and runs on from there, as the server's does.
  await context.clock.install({ time: testNow() })
  return {
    context,
    async close() {
      await context.close()
      rmSync(profile, { recursive: true, force: true })
    }
  }
}

/** Logs in through the demo login page, as a person would; resolves on the home page. */
export async function loginAs(page: Page, baseUrl: string, memberId: string): Promise<void> {
  await page.goto(baseUrl)
  // No session yet: the app sends us to the demo login page.
  const row = page.locator(`.login-identity[data-member-id="${memberId}"]`)
  await row.waitFor({ state: 'visible' })
  await row.click()
  await page.locator('.home-name').waitFor({ state: 'visible' })
}

/** Same phone, another person: the last one is logged out by clearing the app's storage. */
export async function switchTo(page: Page, baseUrl: string, memberId: string): Promise<void> {
  await page.goto(baseUrl)
  await page.evaluate(() => localStorage.clear())
  await loginAs(page, baseUrl, memberId)
}

/** A first open by someone with no branch yet: the demo 新同志 login, then the join form; resolves while they wait. */
export async function joinAsNewcomer(page: Page, baseUrl: string, name: string, inviteCode: string): Promise<void> {
  await page.goto(baseUrl)
  await page.evaluate(() => localStorage.clear())
  await page.goto(baseUrl)
  await page.locator('.login-newcomer').click()
  await page.locator('.join-branch').waitFor({ state: 'visible' })
  await page.locator('.join-name input').fill(name)
  await page.locator('.join-code input').fill(inviteCode)
  await page.locator('.join-submit').click()
  await page.getByText('等待').first().waitFor({ state: 'visible' })
}

/** The e2e suites drive the production H5 build that `npm test` makes before jest runs. */
export function requireH5Build(): void {
  if (!existsSync(join(__dirname, '..', '..', 'dist', 'h5', 'index.html'))) {
    throw new Error('dist/h5 is missing: the e2e suite drives the production H5 build (npm test builds it first)')
  }
}
