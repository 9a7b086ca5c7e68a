/**
 * 专题学习研讨 in a real browser, one server: the secretary plans a seminar
 * in its record form (研讨主题, a 学习材料, a 发言人); the member sees the
 * plan on the session page and hands in 交流材料 from there (note-edit opens
 * with the seminar linked); the secretary sees it handed in on the record
 * and opens it for reading.
 */
import { mkdirSync } from 'fs'
import { join, resolve } from 'path'
import { DEMO_PEOPLE } from '../../server/seed/people'
import { apiClient, watchErrors } from '../helpers/api'
import { loginAs, switchTo } from '../helpers/browser'
import { testNow } from '../helpers/clock'
import { serverAndPhone } from '../helpers/e2e'

jest.setTimeout(120_000)

const live = serverAndPhone()
const { api, tokenOf } = apiClient(() => live.server.url)
const SECRETARY = DEMO_PEOPLE.secretary2
const MEMBER = DEMO_PEOPLE.member2
const DAY = 24 * 60 * 60_000
const TOPIC = '以学铸魂，坚定理想信念'
const TITLE = '第四季度专题学习研讨'

// Screens kept for a reader of the build (the record as printed, the member's card).
const SCREENS = resolve(__dirname, '../../test-results/screens')
mkdirSync(SCREENS, { recursive: true })

let sessionId = ''
beforeAll(async () => {
  const sec = await tokenOf(SECRETARY)
  const start = testNow() + 2 * DAY
  const { sessions } = await api<{ sessions: Array<{ _id: string }> }>(
    'session',
    { action: 'create', branchId: 'br_2', title: TITLE, type: 'seminar', startAt: start, endAt: start + 2 * 60 * 60_000, venue: { name: '三楼会议室' }, audience: { kind: 'branch' } },
    sec
  )
  sessionId = sessions[0]._id
})

describe('专题学习研讨', () => {
  it('the secretary plans it, a member hands in 交流材料 from the session page, the record lists it', async () => {
    const page = await live.phone.context.newPage()
    const errors = watchErrors(page)
    await loginAs(page, live.server.url, SECRETARY)
    await page.goto(`${live.server.url}#/minutes/view/index?id=${encodeURIComponent(sessionId)}`)
    await page.locator('.mr-page .mr-edit').click()
    const form = page.locator('.mne-page')
    await form.locator('.mne-topic input').fill(TOPIC)
    await form.locator(`.mne-speakers [data-member-id="${MEMBER}"]`).click()
    const material = form.locator('.mne-materials .mne-material').first()
    const materialTitle = (await material.innerText()).trim()
    await material.click()
    await page.screenshot({ path: join(SCREENS, 'seminar-plan-form.png'), fullPage: true })
    await form.locator('.mne-save').click()

    await page.locator('.mr-page .mr-topic').filter({ hasText: TOPIC }).waitFor()
    await expect(page.locator('.mr-page .mr-materials').innerText()).resolves.toContain(materialTitle)
    const memberName = (await page.locator('.mr-page .mr-speakers .mr-names').innerText()).trim()
    await expect(page.locator(`.mr-page .mr-exchange-row[data-member-id="${MEMBER}"]`).innerText()).resolves.toContain('未提交')

    // The member: the plan on the session page, and 提交交流材料 opens note-edit with the seminar linked.
    await switchTo(page, live.server.url, MEMBER)
    await page.goto(`${live.server.url}#/pages/session/index?id=${encodeURIComponent(sessionId)}`)
    const card = page.locator('.session-page .seminar-card')
    await card.locator('.seminar-topic').filter({ hasText: TOPIC }).waitFor()
    await expect(card.locator('.seminar-speakers').innerText()).resolves.toContain(memberName)
    await expect(card.locator('.seminar-materials').innerText()).resolves.toContain(materialTitle)
    await page.screenshot({ path: join(SCREENS, 'seminar-session-card.png'), fullPage: true })
    await card.locator('.seminar-write').click()
    const editor = page.locator('.note-edit-page')
    await expect(editor.locator('.note-exchange .note-exchange-title').innerText()).resolves.toBe(TITLE)
    await editor.locator('.note-title-input input').fill('我的研讨交流材料')
    await editor
      .locator('.note-content-input textarea')
      .fill('这次研讨前，我对照讲话把这一年的工作重新梳理了一遍，发现在联系群众上常常是等群众上门，很少主动走出去。下一步每月抽出两个半天到窗口和社区走一走，把群众的难处记下来、办下去。')
    await editor.locator('.note-save').click()
    await editor.locator('.note-saved').waitFor()
    await editor.locator('.note-saved-open').click()
    await page.locator('.note-page .note-view-exchange').filter({ hasText: `交流材料：${TITLE}` }).waitFor()

    // The secretary: handed in, on the record, and open for reading.
    await switchTo(page, live.server.url, SECRETARY)
    await page.goto(`${live.server.url}#/minutes/view/index?id=${encodeURIComponent(sessionId)}`)
    const row = page.locator(`.mr-page .mr-exchange-row[data-member-id="${MEMBER}"][data-handed="yes"]`)
    await expect(row.innerText()).resolves.toContain('《我的研讨交流材料》')
    await page.screenshot({ path: join(SCREENS, 'seminar-record.png'), fullPage: true })
    await row.locator('.mr-exchange-note').click()
    await page.locator('.note-view-exchange').filter({ hasText: `交流材料：${TITLE}` }).waitFor()
    expect(errors).toEqual([])
  })
})
