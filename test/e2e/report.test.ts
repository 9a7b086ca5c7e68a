/**
 * 季度通报 in a real browser, as the 党委 admin reads it: the criteria for
 * 红旗党支部 printed on the report, at most a third of the branches named,
 * each branch's 三会一课 held against what was due, and the reason given to
 * every branch that could not be a candidate.
 */
import { DEMO_PEOPLE } from '../../server/seed/people'
import { watchErrors } from '../helpers/api'
import { loginAs } from '../helpers/browser'
import { serverAndPhone } from '../helpers/e2e'

jest.setTimeout(120_000)

const live = serverAndPhone()

describe('季度通报 (H5)', () => {
  it('prints the 红旗党支部 criteria and names at most one of three branches, each with its meetings held', async () => {
    const page = await live.phone.context.newPage()
    const errors = watchErrors(page)
    await loginAs(page, live.server.url, DEMO_PEOPLE.admin)
    await page.goto(`${live.server.url}#/secretary/report/index`)
    await page.locator('.report-doc').waitFor({ state: 'visible' })
    // The quarter running now is provisional; the last one is complete.
    await page.locator('.report-provisional').waitFor({ state: 'visible' })
    await page.locator('.period-prev').click()
    await page.locator('.report-doc[data-period="2026-Q3"]').waitFor({ state: 'visible' })
    expect(await page.locator('.report-provisional').count()).toBe(0)

    const rules = await page.locator('.report-rule').allTextContents()
    expect(rules).toHaveLength(4)
    expect(rules.join('')).toContain('落实‘三会一课’制度')
    expect(rules.join('')).toContain('没有缺项')
    expect(rules.join('')).toContain('三分之一')

    const rows = page.locator('.report-branch')
    expect(await rows.count()).toBe(3)
    const named = await page.locator('.report-redflag-item').count()
    expect(named).toBeLessThanOrEqual(1)
    expect(await page.locator('.report-branch[data-red-flag="candidate"]').count()).toBe(named)
    for (const text of await page.locator('.report-branch .rc-meet').allTextContents()) expect(text).toMatch(/^(\d+)\/\1 项$/)
    const notQualified = await page.locator('.report-branch[data-red-flag="not_qualified"]').count()
    expect(await page.locator('.report-reason:not(.report-pending)').count()).toBe(notQualified)

    // The table scrolls inside its own box; the page itself never runs off a 375 px phone.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    expect(overflow).toBeLessThanOrEqual(0)
    expect(errors).toEqual([])
  })
})
