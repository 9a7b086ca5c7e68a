/**
 * The six digits under the venue QR, in a real browser: the secretary's
 * 签到大屏 shows them large (and 投屏模式 shows only the code and the counts);
 * a member on the web version, who cannot scan, types them as read
 * (“382 917”) and is checked in; an expired code is refused in plain words;
 * before the window opens the screen says when it opens instead of a code.
 */
import { readFileSync } from 'fs'
import { join } from 'path'
import type { Page } from 'playwright-core'
import { issueCheckinToken } from '../../cloudfunctions/_shared/checkin-token'
import { QR_SLOT_MS } from '../../src/core/checkin/qr-slot'
import { DEMO_PEOPLE } from '../../server/seed/people'
import { launchPhone, loginAs, requireH5Build } from '../helpers/browser'
import { apiClient, watchErrors } from '../helpers/api'
import { testNow } from '../helpers/clock'
import { removeDir, startServer, type RunningServer } from '../helpers/server-process'

jest.setTimeout(120_000)

let server: RunningServer
let secretaryPhone: Awaited<ReturnType<typeof launchPhone>>
let memberPhone: Awaited<ReturnType<typeof launchPhone>>
let sessionId: string
let laterId: string

const { api, tokenOf } = apiClient(() => server.url)

async function create(title: string, startIn: number): Promise<string> {
  const start = testNow() + startIn
  const created = await api(
    'session',
    { action: 'create', branchId: 'br_2', type: 'theme_day', title, startAt: start, endAt: start + 90 * 60_000, venue: { name: '三楼会议室' }, audience: { kind: 'branch' } },
    await tokenOf(DEMO_PEOPLE.secretary2)
  )
  return created.sessions[0]._id
}

/** On the check-in tab: pick the session when several are open, type the digits, tap 签到. */
async function typeCode(page: Page, forSession: string, typed: string): Promise<void> {
  await page.goto(`${server.url}#/pages/checkin/index`)
  await page.locator('.checkin-section').first().waitFor({ state: 'visible' })
  const choice = page.locator(`.checkin-code-choice[data-session-id="${forSession}"]`)
  if (await choice.count()) await choice.first().click()
  await page.locator(`.checkin-code-submit[data-session-id="${forSession}"]`).waitFor({ state: 'visible' })
  const input = page.locator('.checkin-code-input input').first()
  // The phone's number pad, not the full keyboard.
  expect(await input.getAttribute('inputmode')).toBe('numeric')
  await input.fill(typed)
  await page.locator('.checkin-code-submit').first().click()
}

beforeAll(async () => {
  requireH5Build()
  server = await startServer()
  secretaryPhone = await launchPhone()
  memberPhone = await launchPhone()
  sessionId = await create('主题党日：输数字签到', 10 * 60_000)
  laterId = await create('党课：三天后', 3 * 24 * 60 * 60_000)
})

afterAll(async () => {
  await memberPhone?.close()
  await secretaryPhone?.close()
  await server?.stop()
  if (server) removeDir(server.dataDir)
})

describe('the short code (H5)', () => {
  it('the screen shows the digits; a member types them and is checked in; an expired code is refused', async () => {
    const secretary = await secretaryPhone.context.newPage()
    const secretaryErrors = watchErrors(secretary)
    await loginAs(secretary, server.url, DEMO_PEOPLE.secretary2)
    await secretary.goto(`${server.url}#/secretary/qr/index?sessionId=${encodeURIComponent(sessionId)}`)
    const shown = secretary.locator('.qr-short-code')
    await shown.waitFor({ state: 'visible' })
    const spaced = (await shown.innerText()).trim()
    expect(spaced).toMatch(/^[0-9]{3} [0-9]{3}$/)
    // Large enough to read from the back of a room.
    const px = await shown.evaluate((el) => parseFloat(getComputedStyle(el).fontSize))
    expect(px).toBeGreaterThanOrEqual(48)

    const member = await memberPhone.context.newPage()
    const memberErrors = watchErrors(member)
    await loginAs(member, server.url, DEMO_PEOPLE.member2)
    await typeCode(member, sessionId, spaced)
    const ok = member.locator('.checkin-result-ok')
    await ok.waitFor({ state: 'visible' })
    await expect(ok.innerText()).resolves.toContain('签到成功')
    await secretary.locator(`.roster-row.roster-state-attended[data-member-id="${DEMO_PEOPLE.member2}"]`).waitFor({ state: 'visible', timeout: 15_000 })
    const after = await api('checkin', { action: 'mine', year: new Date(testNow()).getFullYear() }, await tokenOf(DEMO_PEOPLE.member2))
    expect(after.rows.find((r: { sessionId: string }) => r.sessionId === sessionId)).toMatchObject({ state: expect.stringMatching(/attended|late/) })

    // The digits of a minute ago (read off a photo, or typed too slowly).
    const secret = readFileSync(join(server.dataDir, 'secret.key'), 'utf8').trim()
    const stale = issueCheckinToken(secret, sessionId, testNow() - 2 * QR_SLOT_MS).code
    // Another member on another phone.
    const otherPhone = await launchPhone()
    const other = await otherPhone.context.newPage()
    const otherErrors = watchErrors(other)
    await loginAs(other, server.url, 'm_br_2_06')
    await typeCode(other, sessionId, stale)
    const refusal = other.locator('.checkin-result-error')
    await refusal.waitFor({ state: 'visible' })
    const text = await refusal.innerText()
    expect(text).toContain('这组数字已经过期了，请输入现场大屏上正在显示的 6 位数字')
    expect(text).toContain('每 30 秒换一次')
    expect(secretaryErrors.concat(memberErrors, otherErrors)).toEqual([])
    await otherPhone.close()
  })

  it('投屏模式 shows the code and the counts, no list; before the window opens, when it opens and nobody 未到', async () => {
    // The screen at the front of the room: its own browser.
    const screenPc = await launchPhone()
    const page = await screenPc.context.newPage()
    const errors = watchErrors(page)
    await loginAs(page, server.url, DEMO_PEOPLE.secretary2)
    await page.goto(`${server.url}#/secretary/qr/index?sessionId=${encodeURIComponent(sessionId)}&projector=1`)
    await page.locator('.qr-page--projector .qr-short-code').waitFor({ state: 'visible' })
    const counts = page.locator('.qr-projector-counts')
    await counts.waitFor({ state: 'visible' })
    expect(Number(await counts.getAttribute('data-arrived'))).toBeGreaterThanOrEqual(1)
    await expect(counts.innerText()).resolves.toMatch(/实到\s*\d+\s*\/\s*应到\s*\d+/)
    expect(await page.locator('.roster-row').count()).toBe(0)
    expect(await page.locator('.qr-projector-counts').count()).toBe(1)

    await page.goto(`${server.url}#/secretary/qr/index?sessionId=${encodeURIComponent(laterId)}`)
    const notOpen = page.locator('.qr-not-open-text')
    await notOpen.waitFor({ state: 'visible' })
    await expect(notOpen.innerText()).resolves.toMatch(/^签到 \d{1,2}\/\d{1,2} \d{2}:\d{2} 开放$/)
    expect(await page.locator('.qr-short-code').count()).toBe(0)
    expect(await page.locator('.qr-code').count()).toBe(0)
    await page.locator('.roster-row').first().waitFor({ state: 'visible' })
    expect(await page.locator('.roster-state-absent .roster-state').allInnerTexts()).not.toContain('未到')
    // Before check-in opens: each row 未开始, the count 未签到 (core/checkin/words.ts), nobody 缺席.
    expect(new Set(await page.locator('.roster-state-absent .roster-state').allInnerTexts())).toEqual(new Set(['未开始']))
    expect(await page.locator('.roster-count-absent .roster-count-label').innerText()).toBe('未签到')
    expect(errors).toEqual([])
    await screenPc.close()
  })
})
