/**
 * The normal home and the 排行 tab, in a real browser at 375 × 812:
 * 1. the home shows the next session the member is expected at (the seed's),
 *    with their state for it; the state follows a leave request, and a session
 *    whose check-in is open offers 去签到, which leads to the check-in; back
 *    home, it says 出席. My year (笔记, 出勤率) shows the server's figures.
 * 2. a secretary's home keeps the workbench entry, with what waits there;
 * 3. 排行 puts the member's own figures first whatever the organisation's
 *    setting: closed (one plain reason, no tables), open, admins only; a
 *    secretary still sees the branch ranking when it is theirs to see.
 */
import { mkdirSync } from 'fs'
import { join, resolve } from 'path'
import type { Page } from 'playwright-core'
import { isCheckinOpen } from '../../src/components/sessionState'
import { isExpected } from '../../src/core/audience'
import { periodKeysOf } from '../../src/core/period'
import { DEMO_COMMITTEE_ID, DEMO_PEOPLE } from '../../server/seed/people'
import { apiClient, watchErrors } from '../helpers/api'
import { loginAs } from '../helpers/browser'
import { testNow } from '../helpers/clock'
import { serverAndPhone } from '../helpers/e2e'

jest.setTimeout(150_000)

const live = serverAndPhone()
const { api, tokenOf } = apiClient(() => live.server.url)
const SCREENS = resolve(__dirname, '..', '..', 'test-results', 'screens')
const DAY = 24 * 60 * 60 * 1000

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENS, { recursive: true })
  await page.screenshot({ path: join(SCREENS, `${name}.png`), fullPage: true })
}

/** The visible home (tab pages stay in the DOM, hidden, once opened). */
const home = (page: Page) => page.locator('.page.home').locator('visible=true')

async function openHome(page: Page): Promise<void> {
  await page.goto(`${live.server.url}#/pages/index/index`)
  await page.reload()
  await home(page).locator('.home-next-section, .home-next-none').first().waitFor({ state: 'visible' })
  await home(page).locator('.home-year-attendance').waitFor({ state: 'visible' })
}

/** The member's state word on the home's next-session card. */
async function homeState(page: Page): Promise<{ id: string | null; label: string; key: string | null }> {
  const card = home(page).locator('.home-next-section .session-card')
  return {
    id: await card.getAttribute('data-session-id'),
    label: (await card.locator('.session-state').innerText()).trim(),
    key: await home(page).locator('.home-next-section').getAttribute('data-state')
  }
}

describe('the normal home (H5)', () => {
  it('shows the next session with my state for it, which changes after a leave request and a check-in', async () => {
    const member = await tokenOf(DEMO_PEOPLE.member2)
    const who = await api('auth', { action: 'whoami' }, member)
    const now = testNow()
    const listed = await api('session', { action: 'list', branchId: 'br_2', from: now - DAY, to: now + 30 * DAY }, member)
    const expected = (listed.sessions as Array<{ _id: string; title: string; status: string; startAt: number; endAt: number }>)
      .filter((s) => s.status !== 'cancelled' && s.endAt > now && isExpected(s as never, who.me.member))
      .sort((a, b) => a.startAt - b.startAt)[0]
    expect(expected).toBeDefined()

    const page = await live.phone.context.newPage()
    const errors = watchErrors(page)
    await loginAs(page, live.server.url, DEMO_PEOPLE.member2)
    await openHome(page)
    // Not a copy of the tab bar any more.
    expect(await page.locator('.home-card-checkin, .home-card-notes, .home-card-ranking, .home-card-me').count()).toBe(0)
    let state = await homeState(page)
    expect(state.id).toBe(expected._id)
    await expect(home(page).locator('.home-next-section .session-title').innerText()).resolves.toBe(expected.title)
    // 未开始 on the suite's day (the seed's 党课 at 15:00); 未签到 if another ZBDK_TEST_NOW falls in its window.
    expect(state.label).toBe(isCheckinOpen(expected as never, testNow()) ? '未签到' : '未开始')
    await expect(home(page).locator('.home-next-section .session-hint').innerText()).resolves.toMatch(/^签到时间 \d{2}:\d{2}–\d{2}:\d{2}/)
    expect(await home(page).locator('.home-next-checkin').count()).toBe(state.label === '未签到' ? 1 : 0)

    // My year: the server's figures, whole on one line each.
    const year = Number(periodKeysOf(now).year)
    const record = await api('checkin', { action: 'mine', year }, member)
    const notes = await api('note', { action: 'progress', year }, member)
    await expect(home(page).locator('.home-year-attendance .home-year-value').innerText()).resolves.toBe(`${Math.round(record.rate * 100)}%`)
    const words = (await home(page).locator('.home-year-notes .home-year-value').innerText()).replace(/\s+/g, ' ')
    expect(words).toBe(`${notes.creditedWords.toLocaleString('zh-CN')} / ${notes.wordQuota.toLocaleString('zh-CN')} 字`)
    await expect(home(page).locator('.home-year-attendance .home-year-sub').innerText()).resolves.toContain(`应到 ${record.counts.due} 场`)
    for (const el of await home(page).locator('.home-year .num').all()) {
      const box = await el.evaluate((e) => ({ lines: e.getClientRects().length, h: e.getBoundingClientRect().height, lh: parseFloat(getComputedStyle(e).fontSize) }))
      expect(box.h).toBeLessThan(box.lh * 2)
    }
    await shot(page, 'home-next-upcoming')

    // A leave request: the home says it waits for approval.
    await api('checkin', { action: 'requestLeave', sessionId: expected._id, reason: '出差在外地' }, member)
    await openHome(page)
    state = await homeState(page)
    expect(state).toMatchObject({ id: expected._id, key: 'leave_pending', label: '请假待审批' })

    // A session starting in ten minutes: check-in is open, so it comes first with 去签到.
    const start = testNow() + 10 * 60_000
    const secretary = await tokenOf(DEMO_PEOPLE.secretary2)
    const created = await api(
      'session',
      { action: 'create', branchId: 'br_2', type: 'theme_day', title: '主题党日：首页签到', startAt: start, endAt: start + 90 * 60_000, venue: { name: '三楼会议室' }, audience: { kind: 'branch' } },
      secretary
    )
    const openId = created.sessions[0]._id as string
    await openHome(page)
    state = await homeState(page)
    expect(state).toMatchObject({ id: openId, key: 'open', label: '未签到' })
    await shot(page, 'home-next-open')
    await home(page).locator('.home-next-checkin').click()
    const input = page.locator('.checkin-code-input input').locator('visible=true').first()
    await input.waitFor({ state: 'visible' })
    const { code } = await api('checkin', { action: 'token', sessionId: openId }, secretary)
    await input.fill(code)
    await page.locator('.checkin-code-submit').locator('visible=true').first().click()
    await page.locator('.checkin-result-ok').waitFor({ state: 'visible' })

    // Back on the home tab: 出席, and no button to check in again.
    await page.locator('.taro-tabbar__tabbar').getByText('首页', { exact: true }).click()
    // Shown again, the home asks once more (no reload).
    await home(page).locator('.home-next-section[data-state="attended"]').waitFor({ state: 'visible', timeout: 15_000 })
    expect(await homeState(page)).toMatchObject({ id: openId, label: '出席' })
    expect(await home(page).locator('.home-next-checkin').count()).toBe(0)
    await shot(page, 'home-next-checked-in')
    expect(errors).toEqual([])
    await page.close()
  })

  it('a secretary keeps the workbench entry, with the count of what waits', async () => {
    const secretary = await tokenOf(DEMO_PEOPLE.secretary2)
    const page = await live.phone.context.newPage()
    const errors = watchErrors(page)
    await page.goto(live.server.url)
    await page.evaluate(() => localStorage.clear())
    await loginAs(page, live.server.url, DEMO_PEOPLE.secretary2)
    const todo = await api('org', { action: 'todo', branchId: 'br_2' }, secretary)
    const waiting = todo.leaves + todo.notes + todo.makeups + todo.joins + todo.scans
    const hint = home(page).locator('.secretary-entry .home-todo')
    await hint.waitFor({ state: 'visible' })
    expect(Number(await hint.getAttribute('data-waiting'))).toBe(waiting)
    await expect(hint.innerText()).resolves.toContain(waiting > 0 ? `待处理 ${waiting} 项` : '没有待处理的事')
    await shot(page, 'home-secretary')
    expect(errors).toEqual([])
    await page.close()
  })
})

/** The ranking tab's children in order, by their first class. */
async function rankingOrder(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const root = Array.from(document.querySelectorAll('.page.ranking-page')).find((e) => (e as HTMLElement).getClientRects().length > 0)
    return root ? Array.from(root.children).map((c) => (c.getAttribute('class') || c.tagName).split(' ')[0]) : []
  })
}

async function openRanking(page: Page): Promise<void> {
  await page.goto(`${live.server.url}#/pages/ranking/index`)
  await page.reload()
  await page.locator('.my-figures').locator('visible=true').first().waitFor({ state: 'visible' })
  await page.waitForFunction(() => !Array.from(document.querySelectorAll('.status-loading')).some((el) => el.getClientRects().length > 0))
  // The figures themselves come before the period choice, on the first screen.
  const top = (sel: string) => page.locator(sel).locator('visible=true').first().evaluate((e) => e.getBoundingClientRect().top)
  const figures = await top('.my-cell-attendance')
  expect(figures).toBeLessThan(await top('.period-picker'))
  expect(figures).toBeLessThan(400)
}

describe('排行 (H5): my own figures first, in every setting', () => {
  it('closed, open and admins-only for a member; a secretary still sees what they may', async () => {
    const admin = await tokenOf(DEMO_PEOPLE.admin)
    const setVisibility = (level: string) =>
      api('org', { action: 'updateSettings', orgId: DEMO_COMMITTEE_ID, visibility: { memberRanking: level, branchRanking: level } }, admin)
    const page = await live.phone.context.newPage()
    const errors = watchErrors(page)
    await page.goto(live.server.url)
    await page.evaluate(() => localStorage.clear())
    await loginAs(page, live.server.url, DEMO_PEOPLE.member1)

    // Secretaries only: my figures first, then one plain reason; no tables, no 排序 choice.
    await setVisibility('secretaries')
    await openRanking(page)
    let order = await rankingOrder(page)
    expect(order[0]).toBe('my-figures')
    expect(order).toContain('rank-closed')
    expect(order).not.toContain('ranking-section')
    const closed = page.locator('.rank-closed').locator('visible=true')
    await expect(closed.innerText()).resolves.toContain('仅支部书记及以上可查看排行')
    expect(await closed.locator('.rank-hidden').count()).toBe(1)
    expect(await page.locator('.rank-table').count()).toBe(0)
    await expect(page.locator('.my-figures').getAttribute('data-rank')).resolves.toBe('')
    await shot(page, 'ranking-closed')

    // Open to all members: still my figures first, then the rankings with my rank.
    await setVisibility('members')
    await openRanking(page)
    order = await rankingOrder(page)
    expect(order[0]).toBe('my-figures')
    expect(order).not.toContain('rank-closed')
    await page.locator('.rank-members').locator('visible=true').first().waitFor({ state: 'visible' })
    await expect(page.locator('.my-figures').getAttribute('data-rank')).resolves.toMatch(/^\d+$/)
    await shot(page, 'ranking-open')

    // Admins only: the reason says so.
    await setVisibility('admins')
    await openRanking(page)
    order = await rankingOrder(page)
    expect(order[0]).toBe('my-figures')
    await expect(page.locator('.rank-closed').locator('visible=true').innerText()).resolves.toContain('仅党委管理员可查看排行')

    // A secretary, rankings for secretaries: their figures first, then the branch's ranking.
    await setVisibility('secretaries')
    await page.goto(live.server.url)
    await page.evaluate(() => localStorage.clear())
    await loginAs(page, live.server.url, DEMO_PEOPLE.secretary1)
    await openRanking(page)
    order = await rankingOrder(page)
    expect(order[0]).toBe('my-figures')
    expect(order).not.toContain('rank-closed')
    await page.locator('.rank-members').locator('visible=true').first().waitFor({ state: 'visible' })
    expect(errors).toEqual([])
    await page.close()
  })
})
