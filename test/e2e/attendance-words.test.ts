/**
 * One member's attendance in a real browser, on 我的, 我的档案 and the
 * session page: the same word for the session (迟到, core/checkin/words.ts)
 * and the same 应到 N 场 / 实到 N 场 / 出勤率 for the year on all three —
 * and none of the retired words (已签到, 未到, 请假·已补学).
 */
import type { Page } from 'playwright-core'
import { DEMO_PEOPLE } from '../../server/seed/people'
import { apiClient, watchErrors } from '../helpers/api'
import { loginAs } from '../helpers/browser'
import { testNow } from '../helpers/clock'
import { serverAndPhone } from '../helpers/e2e'
import { periodKeysOf } from '../../src/core/period'

jest.setTimeout(120_000)

const HOUR = 3600e3
const SECRETARY = DEMO_PEOPLE.secretary2
const MEMBER = DEMO_PEOPLE.member2
const TITLE = '党小组学习：用词一致'
const live = serverAndPhone()
const { api, tokenOf } = apiClient(() => live.server.url)
let sessionId: string
let start: number

beforeAll(async () => {
  // Held three hours ago from the paper sheet: the member came late.
  start = testNow() - 3 * HOUR
  const out = await api<{ session: { _id: string } }>(
    'session',
    {
      action: 'record',
      clientId: 'e2e-attendance-words',
      branchId: 'br_2',
      type: 'theme_day',
      title: TITLE,
      startAt: start,
      endAt: start + HOUR,
      venue: { name: '三楼会议室' },
      attendance: [{ memberId: SECRETARY, state: 'attended' }, { memberId: MEMBER, state: 'late' }]
    },
    await tokenOf(SECRETARY)
  )
  sessionId = out.session._id
})

const texts = async (page: Page, selector: string) => (await page.locator(selector).allInnerTexts()).map((t) => t.trim())

it('我的, 我的档案 and the session page say the same word and the same 应到 / 实到', async () => {
  const page = await live.phone.context.newPage()
  const errors = watchErrors(page)
  await loginAs(page, live.server.url, MEMBER)
  const sameYear = periodKeysOf(start).year === periodKeysOf(testNow()).year

  // 我的 › 组织生活记录.
  await page.goto(`${live.server.url}#/pages/me/index`)
  await page.locator('.record-figure').first().waitFor({ state: 'visible' })
  if (!sameYear) await page.locator('.record-year-prev').click()
  const rowState = page.locator(`.record-row[data-session-id="${sessionId}"] .record-row-state`)
  await rowState.waitFor({ state: 'visible' })
  const onMe = { word: (await rowState.innerText()).split(' · ')[0].trim(), figures: await texts(page, '.record-figure') }
  const meText = await page.locator('.my-record').innerText()

  // 我的档案.
  await page.goto(`${live.server.url}#/pages/archive/index?year=${periodKeysOf(start).year}`)
  // The 组织生活 row (a points row names the session too).
  const arRow = page.locator('.ar-row').filter({ has: page.locator('.ar-what', { hasText: `主题党日 · ${TITLE}` }) })
  await arRow.waitFor({ state: 'visible' })
  const onArchive = { word: (await arRow.locator('.ar-mark').innerText()).trim(), figures: await texts(page, '.ar-attendance-total .ar-figures:not(.ar-figures--rest) .ar-figure') }
  const archiveText = await page.locator('.ar-doc').innerText()

  // The session page.
  await page.goto(`${live.server.url}#/pages/session/index?id=${encodeURIComponent(sessionId)}`)
  await page.locator('.my-state-figure').first().waitFor({ state: 'visible' })
  const onSession = { word: (await page.locator('.my-state-label').innerText()).trim(), figures: await texts(page, '.my-state-figure') }

  expect(onMe.word).toBe('迟到')
  expect(onMe.figures).toHaveLength(3)
  expect(onMe.figures[0]).toMatch(/^应到 \d+ 场$/)
  expect(onMe.figures[1]).toMatch(/^实到 \d+ 场$/)
  expect(onMe.figures[2]).toMatch(/^出勤率 (\d+%|—)$/)
  expect(onArchive).toEqual(onMe)
  expect(onSession).toEqual(onMe)
  for (const old of ['已签到', '未到', '请假·已补学', '未结束']) {
    expect(meText).not.toContain(old)
    expect(archiveText).not.toContain(old)
  }
  expect(errors).toEqual([])
})
