/**
 * Points, rankings and 双色预警 in a real browser, on the demo seed (whose
 * aggregates the seed's reconciliation builds):
 * 1. a member sees their own figures while the rankings are closed (the
 *    default), then, once the admin opens them, their rank and their row in
 *    both rankings, and the points ledger with a reason on every line;
 * 2. a secretary sees the branch ranking, opens 双色预警 from the workbench
 *    and finds a member's warning with the facts behind it.
 * The previous quarter is used throughout: the seed's year of activity always
 * covers it fully, whatever day the suite runs.
 */
import type { Page } from 'playwright-core'
import type { MemberWarning } from '../../src/core/functions/stats'
import { periodKeysOf, previousPeriod } from '../../src/core/period'
import { DEMO_COMMITTEE_ID, DEMO_PEOPLE } from '../../server/seed/people'
import { launchPhone, loginAs, requireH5Build } from '../helpers/browser'
import { apiClient, watchErrors } from '../helpers/api'
import { testNow } from '../helpers/clock'
import { removeDir, startServer, type RunningServer } from '../helpers/server-process'

jest.setTimeout(150_000)

let server: RunningServer
let memberPhone: Awaited<ReturnType<typeof launchPhone>>
let secretaryPhone: Awaited<ReturnType<typeof launchPhone>>

const { api, tokenOf } = apiClient(() => server.url)

/** Nothing scrolls sideways on a 375 px phone (a wide table scrolls inside its own box). */
async function expectNoSideScroll(page: Page, root: string): Promise<void> {
  const widths = await page.evaluate((sel) => {
    const el = document.querySelector(sel) as HTMLElement | null
    const box = el?.closest('.taro_page') as HTMLElement | null
    return { root: el ? el.scrollWidth - el.clientWidth : -1, page: box ? box.scrollWidth : -1, doc: document.documentElement.scrollWidth }
  }, root)
  expect(widths.root).toBe(0)
  expect(widths.page).toBeLessThanOrEqual(375)
  expect(widths.doc).toBeLessThanOrEqual(375)
}


const lastQuarter = () => previousPeriod(periodKeysOf(testNow()).quarter)

beforeAll(async () => {
  requireH5Build()
  server = await startServer()
  memberPhone = await launchPhone()
  secretaryPhone = await launchPhone()
})

afterAll(async () => {
  await memberPhone?.close()
  await secretaryPhone?.close()
  await server?.stop()
  if (server) removeDir(server.dataDir)
})

describe('points and rankings (H5)', () => {
  it('a member sees own figures always, the rankings once opened, and every point’s reason', async () => {
    const page = await memberPhone.context.newPage()
    const errors = watchErrors(page)
    await loginAs(page, server.url, DEMO_PEOPLE.member1)

    // Default settings: rankings for secretaries only. My own figures still show; no empty tables.
    await page.goto(`${server.url}#/pages/ranking/index`)
    const mine = page.locator('.my-figures')
    await mine.waitFor({ state: 'visible' })
    await expect(mine.getAttribute('data-points')).resolves.toMatch(/^-?\d+$/)
    await expect(mine.getAttribute('data-rank')).resolves.toBe('')
    // Both closed: one plain reason under my figures, not two empty sections.
    const hidden = page.locator('.rank-closed .rank-hidden')
    await hidden.waitFor({ state: 'visible' })
    await expect(hidden.textContent()).resolves.toMatch(/可以随时查看自己的记录/)
    expect(await page.locator('.ranking-section').count()).toBe(0)
    expect(await page.locator('.rank-table').count()).toBe(0)

    // The 党委 admin opens both rankings to all members.
    const admin = await tokenOf(DEMO_PEOPLE.admin)
    await api('org', { action: 'updateSettings', orgId: DEMO_COMMITTEE_ID, visibility: { memberRanking: 'members', branchRanking: 'members' } }, admin)

    await page.reload()
    await page.locator('.period-prev').first().click()
    const quarter = lastQuarter()
    await page.locator(`.my-figures[data-period="${quarter}"]`).waitFor({ state: 'visible' })
    const myRow = page.locator('.rank-members .rank-row--mine')
    await myRow.waitFor({ state: 'visible' })
    const rank = await myRow.getAttribute('data-rank')
    expect(Number(rank)).toBeGreaterThan(0)
    await expect(page.locator('.my-figures').getAttribute('data-rank')).resolves.toBe(rank)
    await expect(myRow.locator('.rank-mine-tag').textContent()).resolves.toBe('我')
    await expect(page.locator('.my-rank-text').textContent()).resolves.toContain(`第 ${rank} 名`)
    // My branch among the branches, compared per member.
    await page.locator('.rank-branches .rank-row--mine[data-id="br_1"]').waitFor({ state: 'visible' })
    expect(await page.locator('.rank-branches .rank-row').count()).toBe(3)
    await expectNoSideScroll(page, '.ranking-page')
    const points = Number(await page.locator('.my-figures').getAttribute('data-points'))

    // 积分明细: the same total, every line with its reason, the rules below.
    await page.locator('.my-points-link').click()
    const ledger = page.locator('.points-ledger')
    await ledger.waitFor({ state: 'visible' })
    await expect(page.locator('.period-picker').first().getAttribute('data-period')).resolves.toBe(quarter)
    await expect(ledger.getAttribute('data-total')).resolves.toBe(String(points))
    const lines = page.locator('.points-line')
    expect(await lines.count()).toBeGreaterThan(0)
    for (const reason of await page.locator('.points-line-reason').allTextContents()) expect(reason.trim().length).toBeGreaterThan(1)
    await expect(page.locator('.points-line-reason').first().textContent()).resolves.toMatch(/\d+月\d+日/)
    expect(await page.locator('.points-rule[data-rule="attend"]').count()).toBe(1)
    await expectNoSideScroll(page, '.points-page')
    expect(errors).toEqual([])
  })

  it('a secretary sees the branch ranking, opens 双色预警 and reads why a member is warned', async () => {
    const token = await tokenOf(DEMO_PEOPLE.secretary3)
    // The seed's absences fall in every quarter; take the newest quarter that has a warning.
    let quarter = periodKeysOf(testNow()).quarter
    let warned: MemberWarning | undefined
    for (let i = 0; i < 4; i++, quarter = previousPeriod(quarter)) {
      const out = await api<{ warnings: MemberWarning[] }>('stats', { action: 'warnings', branchId: 'br_3', quarter }, token)
      warned = out.warnings.find((w) => w.level !== null && w.facts.length > 0)
      if (warned) break
    }
    if (!warned) throw new Error('the demo seed gave 第三党支部 no warning in the last four quarters')
    const level = warned.level as 'yellow' | 'red'

    const page = await secretaryPhone.context.newPage()
    const errors = watchErrors(page)
    await loginAs(page, server.url, DEMO_PEOPLE.secretary3)

    await page.goto(`${server.url}#/secretary/ranking/index`)
    await page.locator('.rank-branches .rank-row').first().waitFor({ state: 'visible' })
    expect(await page.locator('.rank-branches .rank-row').count()).toBe(3)
    await page.locator('.rank-branches .rank-row--mine[data-id="br_3"]').waitFor({ state: 'visible' })
    expect(await page.locator('.rank-members .rank-row').count()).toBeGreaterThan(0)
    await expectNoSideScroll(page, '.s-ranking-page')

    // From the workbench, as a secretary would.
    await page.goto(`${server.url}#/secretary/index/index`)
    await page.locator('.workbench-tool-warnings').click()
    await page.locator('.warnings-page .period-picker').waitFor({ state: 'visible' })
    if (quarter !== periodKeysOf(testNow()).quarter) {
      await page.goto(`${server.url}#/secretary/warnings/index?quarter=${quarter}`)
    }
    const card = page.locator(`.warning-card[data-member-id="${warned.memberId}"]`)
    await card.waitFor({ state: 'visible' })
    await expect(card.getAttribute('data-level')).resolves.toBe(level)
    // The level in words, not colour alone, and the fact behind it.
    await expect(card.locator(`.warning-chip-${level}`).textContent()).resolves.toBe(level === 'red' ? '红色预警' : '黄色预警')
    await expect(card.locator('.warning-fact-text').first().textContent()).resolves.toBe(warned.facts[0].text)
    await expectNoSideScroll(page, '.warnings-page')

    // The card leads on to the member's points.
    await card.locator('.warning-go-points').click()
    await page.locator('.member-points-page .points-ledger').waitFor({ state: 'visible' })
    await page.locator('.adjust-form').waitFor({ state: 'visible' })
    expect(errors).toEqual([])
  })
})
