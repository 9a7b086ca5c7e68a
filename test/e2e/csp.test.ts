/**
 * The H5 build under the server's Content-Security-Policy (server/
 * security-headers.ts), in Chromium: a member's and a secretary's pages
 * (home, check-in, notes and the editor, ranking, me, the venue QR screen,
 * the secretary's tools) load and work with no `securitypolicyviolation`
 * event and no CSP message on the console. A policy too tight for the build
 * fails here, not on a member's phone.
 */
import type { Page } from 'playwright-core'
import { DEMO_PEOPLE } from '../../server/seed/people'
import { apiClient } from '../helpers/api'
import { launchPhone, loginAs, requireH5Build } from '../helpers/browser'
import { testNow } from '../helpers/clock'
import { removeDir, startServer, type RunningServer } from '../helpers/server-process'

jest.setTimeout(180_000)

let server: RunningServer
let phone: Awaited<ReturnType<typeof launchPhone>>
let sessionId: string
const { api } = apiClient(() => server.url)

beforeAll(async () => {
  requireH5Build()
  server = await startServer()
  phone = await launchPhone()
  const { token } = await api('auth', { action: 'devLogin', memberId: DEMO_PEOPLE.secretary2 })
  const start = testNow() + 10 * 60_000
  const created = await api(
    'session',
    { action: 'create', branchId: 'br_2', type: 'theme_day', title: '主题党日：CSP', startAt: start, endAt: start + 90 * 60_000, venue: { name: '三楼会议室' }, audience: { kind: 'branch' } },
    token
  )
  sessionId = created.sessions[0]._id
})

afterAll(async () => {
  await phone?.close()
  await server?.stop()
  if (server) removeDir(server.dataDir)
})

interface Watch {
  page: Page
  violations: () => Promise<string[]>
  errors: string[]
}

/** A page that records every CSP violation (the DOM event, before any app code runs) and every console error. */
async function watchedPage(): Promise<Watch> {
  const page = await phone.context.newPage()
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: string[] }
    w.__csp = []
    document.addEventListener('securitypolicyviolation', (e) => {
      w.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber} ${e.sample}`)
    })
  })
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(String(e)))
  page.on('console', (m) => {
    if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) errors.push(m.text())
  })
  const violations = async () => {
    try {
      return await page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? [])
    } catch {
      return ['(page gone)']
    }
  }
  return { page, violations, errors }
}

/** Opens a route and waits until the app has drawn it (a Taro page is shown) and settled. */
async function visit(w: Watch, route: string): Promise<string[]> {
  await w.page.goto(`${server.url}#/${route}`)
  await w.page.locator('.taro_page:visible').first().waitFor({ state: 'visible' })
  await w.page.waitForLoadState('networkidle')
  await w.page.waitForTimeout(300)
  return (await w.violations()).map((v) => `${route}: ${v}`)
}

describe('the H5 build under the Content-Security-Policy', () => {
  it('sends the policy with the page', async () => {
    const res = await fetch(server.url)
    const csp = res.headers.get('content-security-policy') ?? ''
    expect(csp).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/=]+'/)
    expect(csp).toContain("frame-ancestors 'none'")
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
  })

  it("a member's pages and a secretary's, the venue QR screen among them: no violation, no error", async () => {
    const w = await watchedPage()
    const found: string[] = []
    await loginAs(w.page, server.url, DEMO_PEOPLE.secretary2)
    found.push(...(await w.violations()).map((v) => `login: ${v}`))
    for (const route of [
      'pages/index/index',
      'pages/checkin/index',
      'pages/notes/index',
      'pages/note-edit/index',
      'pages/ranking/index',
      'pages/me/index',
      'pages/points/index',
      'pages/inbox/index',
      'secretary/index/index',
      `secretary/qr/index?sessionId=${encodeURIComponent(sessionId)}`,
      'secretary/sessions/index',
      'secretary/report/index',
      'secretary/settings/index'
    ]) {
      found.push(...(await visit(w, route)))
    }
    // A reload revalidates the page (304): the policy must still let it run.
    await w.page.reload()
    await w.page.locator('.taro_page:visible').first().waitFor({ state: 'visible' })
    await w.page.waitForLoadState('networkidle')
    found.push(...(await w.violations()).map((v) => `reload: ${v}`))
    // The QR really was drawn under the policy.
    await w.page.goto(`${server.url}#/secretary/qr/index?sessionId=${encodeURIComponent(sessionId)}`)
    await w.page.locator('.qr-token-text').waitFor({ state: 'visible' })
    found.push(...(await w.violations()))
    expect(found).toEqual([])
    expect(w.errors.filter((e) => /Content Security Policy|Refused to/i.test(e))).toEqual([])

    // The watch works: an injected inline script is refused and reported.
    const ran = await w.page.evaluate(() => {
      const s = document.createElement('script')
      s.textContent = 'window.__injected = true'
      document.body.appendChild(s)
      return (window as unknown as { __injected?: boolean }).__injected === true
    })
    expect(ran).toBe(false)
    await w.page.waitForTimeout(100)
    expect((await w.violations()).some((v) => v.startsWith('script-src'))).toBe(true)
    await w.page.close()
  })

  it('refuses to be framed by another page', async () => {
    const w = await watchedPage()
    await w.page.goto('about:blank')
    await w.page.setContent(`<iframe id="f" src="${server.url}" width="300" height="300"></iframe>`)
    await w.page.waitForTimeout(2000)
    const child = w.page.frames().find((f) => f !== w.page.mainFrame())
    expect(child).toBeDefined()
    // Chromium shows its error page instead of the app.
    expect(child!.url()).toMatch(/^chrome-error:/)
    expect(await child!.$('#app')).toBeNull()
    await w.page.close()
  })
})
