/**
 * The 补学 journey in a real browser: a member who missed yesterday's
 * 主题党日 hands in a make-up on the session page and sees 补学待审 (not
 * 已补学) there and in 我的 › 组织生活记录; the secretary, on another phone,
 * reads it and marks it 合格; the member then sees 已补学, beside the
 * absence, which still counts as one.
 */
import type { Page } from 'playwright-core'
import { DEMO_PEOPLE } from '../../server/seed/people'
import { apiClient, watchErrors } from '../helpers/api'
import { launchPhone, loginAs, requireH5Build } from '../helpers/browser'
import { testNow } from '../helpers/clock'
import { removeDir, startServer, type RunningServer } from '../helpers/server-process'

jest.setTimeout(120_000)

const DAY = 24 * 3600e3
const SECRETARY = DEMO_PEOPLE.secretary2
const MEMBER = DEMO_PEOPLE.member2
// Written for this test, so no demo note shares a passage with it (a copied make-up is refused).
const TEXT =
  '昨天的主题党日我因为在医院陪护老人没能参加。今天向支部要来了会议记录，逐条读了书记传达的会议精神，' +
  '对照自己在窗口岗位上的表现，感到服务群众的耐心还不够。下一步我打算每周抽出一个晚上读原文，把群众反映的难题记在本子上逐条去办。'

let server: RunningServer
let memberPhone: Awaited<ReturnType<typeof launchPhone>>
let secretaryPhone: Awaited<ReturnType<typeof launchPhone>>
let sessionId: string
const { api, tokenOf } = apiClient(() => server.url)

/** Where the member stands at the session, as the session page says it. */
async function myStateOnSessionPage(page: Page, expected: string): Promise<string> {
  await page.goto(`${server.url}#/pages/session/index?id=${encodeURIComponent(sessionId)}`)
  const label = page.locator('.my-state-label')
  await label.getByText(expected).waitFor({ state: 'visible' })
  return (await label.textContent()) ?? ''
}

/** The row of the session in 我的 › 组织生活记录. */
async function recordRow(page: Page, expected: RegExp): Promise<string> {
  await page.goto(`${server.url}#/pages/me/index`)
  const state = page.locator(`.record-row[data-session-id="${sessionId}"] .record-row-state`)
  await state.filter({ hasText: expected }).waitFor({ state: 'visible' })
  return (await state.textContent()) ?? ''
}

beforeAll(async () => {
  requireH5Build()
  server = await startServer()
  memberPhone = await launchPhone()
  secretaryPhone = await launchPhone()
  // Yesterday's 主题党日, recorded from the paper sheet: the member was not there. A make-up is assigned.
  const token = await tokenOf(SECRETARY)
  const start = testNow() - DAY
  const recorded = await api<{ session: { _id: string } }>(
    'session',
    {
      action: 'record',
      clientId: 'e2e-makeup-journey',
      branchId: 'br_2',
      type: 'theme_day',
      title: '主题党日：学习全会精神',
      startAt: start,
      endAt: start + 2 * 3600e3,
      venue: { name: '三楼会议室' },
      attendance: [{ memberId: SECRETARY, state: 'attended' }]
    },
    token
  )
  sessionId = recorded.session._id
  await api('checkin', { action: 'assignMakeUp', sessionId, memberIds: [MEMBER], deadline: testNow() + 7 * DAY }, token)
})

afterAll(async () => {
  await memberPhone?.close()
  await secretaryPhone?.close()
  await server?.stop()
  if (server) removeDir(server.dataDir)
})

describe('补学 (H5)', () => {
  it('handed in shows 补学待审; only the secretary’s 合格 makes it 已补学', async () => {
    const member = await memberPhone.context.newPage()
    const secretary = await secretaryPhone.context.newPage()
    const errors = [...watchErrors(member), ...watchErrors(secretary)]
    await loginAs(member, server.url, MEMBER)

    // Before: an absence with a make-up to do.
    expect(await myStateOnSessionPage(member, '缺席')).toBe('缺席')
    await member.locator('.makeup-input textarea, textarea.makeup-input').first().fill(TEXT)
    await member.locator('.makeup-submit').click()
    await member.locator('.makeup-submitted').first().waitFor({ state: 'visible' })

    // Handed in: pending, not done.
    expect(await myStateOnSessionPage(member, '补学待审')).toBe('补学待审')
    // (The record marks a meeting entered from the paper sheet with · 补录.)
    expect(await recordRow(member, /补学待审/)).toMatch(/^缺席 · 补学待审/)
    expect(await member.locator('.record-count-made_up .record-count-value').textContent()).toBe('0')

    // The secretary reads it and marks it 合格.
    await loginAs(secretary, server.url, SECRETARY)
    await secretary.goto(`${server.url}#/secretary/makeups/index?sessionId=${encodeURIComponent(sessionId)}`)
    const row = secretary.locator('.makeup-row-submitted').first()
    await row.waitFor({ state: 'visible' })
    await row.locator('.makeup-open').click()
    await row.locator('.makeup-note-text').getByText('陪护老人', { exact: false }).waitFor({ state: 'visible' })
    await row.locator('.makeup-accept').click()
    await secretary.locator('.makeup-row-accepted').first().waitFor({ state: 'visible' })

    // Done: 已补学 on the session page and in the record, the absence still counted beside it.
    expect(await myStateOnSessionPage(member, '已补学')).toBe('已补学')
    expect(await recordRow(member, /已补学/)).toMatch(/^已补学/)
    const count = async (key: string) => Number(await member.locator(`.record-count-${key} .record-count-value`).textContent())
    expect(await count('made_up')).toBe(1)
    expect(await count('absent')).toBeGreaterThanOrEqual(1)
    expect(errors).toEqual([])
  })
})
