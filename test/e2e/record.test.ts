/**
 * A meeting held on paper, entered afterwards, in a real browser: the
 * secretary records yesterday's 主题党日 with its sign-in sheet (most came,
 * one late, one on leave), then on its roster enters leave a second member
 * told them of by phone; a third, absent, asks leave themselves on the
 * session page (补请假); the member on leave finds it on 我的, marked 补录,
 * and the counts behind it are the server's.
 */
import type { Page } from 'playwright-core'
import { DEMO_PEOPLE } from '../../server/seed/people'
import { apiClient, watchErrors } from '../helpers/api'
import { loginAs, switchTo } from '../helpers/browser'
import { serverAndPhone } from '../helpers/e2e'

jest.setTimeout(180_000)

const live = serverAndPhone()
const { api, tokenOf } = apiClient(() => live.server.url)

const ON_LEAVE = DEMO_PEOPLE.member2 // m_br_2_05
const LATE = 'm_br_2_06'
const TOLD_BY_PHONE = 'm_br_2_07'
const ASKS_HIMSELF = 'm_br_2_08'

async function fill(page: Page, selector: string, value: string): Promise<void> {
  await page.locator(`${selector} input, input${selector}, ${selector} textarea, textarea${selector}`).first().fill(value)
}

const person = (page: Page, memberId: string) => page.locator(`.record-person[data-member-id="${memberId}"]`)

describe('a meeting held without the app (H5)', () => {
  it('is recorded with its attendance, leave follows on its roster and from the member, and 我的 shows it', async () => {
    const page = await live.phone.context.newPage()
    const errors = watchErrors(page)

    // The secretary: 活动列表 › 补录一场已开过的活动.
    await loginAs(page, live.server.url, DEMO_PEOPLE.secretary2)
    await page.goto(`${live.server.url}#/secretary/sessions/index`)
    await page.locator('.sessions-record').click()
    await person(page, ON_LEAVE).waitFor({ state: 'visible' })
    await fill(page, '.record-venue-input', '二楼小会议室（纸质签到）')
    // The sheet: everyone came but for these three.
    await page.locator('.record-all-present').click()
    await person(page, LATE).locator('.form-chip[data-value="late"]').click()
    await person(page, TOLD_BY_PHONE).locator('.form-chip[data-value="absent"]').click()
    await person(page, ASKS_HIMSELF).locator('.form-chip[data-value="absent"]').click()
    await person(page, ON_LEAVE).locator('.form-chip[data-value="leave"]').click()
    // Leave without a reason is not sent: the form says what is missing.
    await page.locator('.record-submit').click()
    await page.locator('.record-error').getByText('请假原因').waitFor({ state: 'visible' })
    await fill(page, `.record-person[data-member-id="${ON_LEAVE}"] .record-leave-reason`, '在外地出差')
    await page.locator('.record-submit').click()
    const done = page.locator('.record-done')
    await done.waitFor({ state: 'visible' })
    await expect(done.locator('.record-done-counts').textContent()).resolves.toContain('应到 12 人 / 实到 9 人：出席 8，迟到 1，请假 1，缺席 2')
    const sessionId = (await done.getAttribute('data-session-id'))!
    expect(sessionId).toBeTruthy()

    // Its roster says 补录; leave told by phone is entered for the absent member.
    await page.locator('.record-go-roster').click()
    await page.locator('.qr-recorded').waitFor({ state: 'visible' })
    const absentRow = page.locator(`.roster-row[data-member-id="${TOLD_BY_PHONE}"]`)
    await expect(absentRow.getAttribute('data-state')).resolves.toBe('absent')
    await absentRow.locator('.roster-leave').click()
    await absentRow.locator('.reason-chip').first().click()
    await absentRow.locator('.leave-record-confirm').click()
    await page.locator(`.roster-row[data-member-id="${TOLD_BY_PHONE}"][data-state="leave_approved"]`).waitFor({ state: 'visible' })
    // Nobody enters their own leave: the secretary's own row offers none.
    await expect(page.locator(`.roster-row[data-member-id="${DEMO_PEOPLE.secretary2}"] .roster-leave`).count()).resolves.toBe(0)

    // An absent member asks leave himself afterwards (补请假), for the secretary to decide.
    await switchTo(page, live.server.url, ASKS_HIMSELF)
    await page.goto(`${live.server.url}#/pages/session/index?id=${encodeURIComponent(sessionId)}`)
    await page.locator('.leave-card').getByText('补请假').first().waitFor({ state: 'visible' })
    await page.locator('.leave-open').click()
    await fill(page, '.leave-reason', '那天发烧在家休息')
    await page.locator('.leave-submit').click()
    await page.locator('.leave-status[data-status="pending"]').waitFor({ state: 'visible' })

    // The member on leave: 我的 lists the meeting as 请假, marked 补录.
    await switchTo(page, live.server.url, ON_LEAVE)
    await page.goto(`${live.server.url}#/pages/me/index`)
    const row = page.locator(`.record-row[data-session-id="${sessionId}"]`)
    await row.waitFor({ state: 'visible' })
    await expect(row.locator('.record-row-state').textContent()).resolves.toMatch(/请假.*补录/)
    expect(errors).toEqual([])

    // Behind the pages, the server's roster says the same: the pending 补请假 counts as leave asked, not yet granted.
    const roster = await api('session', { action: 'roster', sessionId }, await tokenOf(DEMO_PEOPLE.secretary2))
    expect(roster.counts).toMatchObject({ expected: 12, attended: 8, late: 1, leave: 3, absent: 0, leavePending: 1 })
    expect(roster.session).toMatchObject({ recorded: true })
  })
})
