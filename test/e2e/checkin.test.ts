/**
 * The check-in journey in a real browser: a secretary opens the venue QR
 * screen; a member, in a second browser (another phone), enters the current
 * code and is checked in; the secretary's live list shows it; a code from
 * two slots ago (a forwarded screenshot) is refused with its message.
 */
import { readFileSync } from 'fs'
import { join } from 'path'
import type { Page } from 'playwright-core'
import { issueCheckinToken } from '../../cloudfunctions/_shared/checkin-token'
import { QR_SLOT_MS } from '../../src/core/checkin/qr-slot'
import { DEMO_PEOPLE } from '../../server/seed/people'
import { launchPhone, loginAs, requireH5Build } from '../helpers/browser'
import { apiClient } from '../helpers/api'
import { testNow } from '../helpers/clock'
import { removeDir, startServer, type RunningServer } from '../helpers/server-process'

jest.setTimeout(120_000)

let server: RunningServer
let secretaryPhone: Awaited<ReturnType<typeof launchPhone>>
let memberPhone: Awaited<ReturnType<typeof launchPhone>>
let sessionId: string

const { api } = apiClient(() => server.url)

/** Taro renders <Input> as a custom element around a real <input>. */
async function fillInput(page: Page, selector: string, value: string): Promise<void> {
  const inner = page.locator(`${selector} input, input${selector}, ${selector} textarea`).first()
  await inner.fill(value)
}

async function enterCode(page: Page, code: string): Promise<void> {
  await page.goto(`${server.url}#/pages/checkin/index`)
  await page.locator('.checkin-code-input').first().waitFor({ state: 'visible' })
  await fillInput(page, '.checkin-code-input', code)
  await page.locator('.checkin-code-submit').first().click()
}

beforeAll(async () => {
  requireH5Build()
  server = await startServer()
  secretaryPhone = await launchPhone()
  memberPhone = await launchPhone()
  // A 主题党日 of 第二党支部 starting in 10 minutes: its check-in window is open now.
  const { token } = await api('auth', { action: 'devLogin', memberId: DEMO_PEOPLE.secretary2 })
  const start = testNow() + 10 * 60_000
  const created = await api(
    'session',
    {
      action: 'create',
      branchId: 'br_2',
      type: 'theme_day',
      title: '主题党日：重温入党誓词',
      startAt: start,
      endAt: start + 90 * 60_000,
      venue: { name: '三楼会议室' },
      audience: { kind: 'branch' }
    },
    token
  )
  sessionId = created.sessions[0]._id
})

afterAll(async () => {
  await memberPhone?.close()
  await secretaryPhone?.close()
  await server?.stop()
  if (server) removeDir(server.dataDir)
})

describe('check-in at the venue (H5)', () => {
  it('a member checks in with the code on the screen; the live list updates; an old code is refused', async () => {
    const secretary = await secretaryPhone.context.newPage()
    const member = await memberPhone.context.newPage()
    const errors: string[] = []
    for (const p of [secretary, member]) p.on('pageerror', (e) => errors.push(String(e)))

    await loginAs(secretary, server.url, DEMO_PEOPLE.secretary2)
    await secretary.goto(`${server.url}#/secretary/qr/index?sessionId=${encodeURIComponent(sessionId)}`)
    const tokenText = secretary.locator('.qr-token-text')
    await tokenText.waitFor({ state: 'visible' })
    const code = (await tokenText.innerText()).trim()
    expect(code.length).toBeGreaterThan(10)
    const memberRow = secretary.locator(`.roster-row[data-member-id="${DEMO_PEOPLE.member2}"]`)
    await memberRow.waitFor({ state: 'visible' })
    expect(await memberRow.getAttribute('class')).not.toContain('roster-state-attended')

    await loginAs(member, server.url, DEMO_PEOPLE.member2)
    await enterCode(member, code)
    await member.locator('.checkin-result-ok').waitFor({ state: 'visible' })
    await expect(member.locator('.checkin-result-ok').innerText()).resolves.toContain('签到成功')

    // The venue screen polls: the member moves to attended without a reload.
    await secretary.locator(`.roster-row.roster-state-attended[data-member-id="${DEMO_PEOPLE.member2}"]`).waitFor({ state: 'visible', timeout: 15_000 })

    // A screenshot forwarded a minute ago: validly signed, two slots old.
    const secret = readFileSync(join(server.dataDir, 'secret.key'), 'utf8').trim()
    const stale = issueCheckinToken(secret, sessionId, testNow() - 2 * QR_SLOT_MS).token
    const other = await memberPhone.context.newPage()
    other.on('pageerror', (e) => errors.push(String(e)))
    // Same phone, another member: log the first one out by clearing the app's storage.
    await other.goto(server.url)
    await other.evaluate(() => localStorage.clear())
    await loginAs(other, server.url, 'm_br_2_06')
    await enterCode(other, stale)
    const refusal = other.locator('.checkin-result-error')
    await refusal.waitFor({ state: 'visible' })
    await expect(refusal.innerText()).resolves.toContain('过期')
    expect(errors).toEqual([])
  })
})
