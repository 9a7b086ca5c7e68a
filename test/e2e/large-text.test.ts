/**
 * 长辈模式 (large text) and the phone-width checks, in a real browser at
 * 375 × 812: the main member pages and three secretary pages, in normal and
 * in large mode, each screenshotted (test-results/screens/, gitignored) and
 * checked that nothing sticks out sideways, that no figure breaks across
 * lines and that text is readable
 * (≥ 4.5:1 contrast). The member switches 长辈模式 on from 我的 with a tap;
 * it survives a reload, the home page becomes just 签到 and 笔记, text is
 * larger on every member page and the main buttons are at least 48 CSS px tall.
 */
import { mkdirSync } from 'fs'
import { join, resolve } from 'path'
import type { Page } from 'playwright-core'
import { FIGURE_PATTERN } from '../../src/components/figures'
import { quietUntil } from '../../src/core/remind/limits'
import { DEMO_PEOPLE } from '../../server/seed/people'
import { apiClient, watchErrors } from '../helpers/api'
import { launchPhone, loginAs, requireH5Build, switchTo } from '../helpers/browser'
import { testNow } from '../helpers/clock'
import { removeDir, startServer, type RunningServer } from '../helpers/server-process'

jest.setTimeout(90_000)

const SCREENS = resolve(__dirname, '..', '..', 'test-results', 'screens')
const MEMBER = DEMO_PEOPLE.member2
const SECRETARY = DEMO_PEOPLE.secretary2

const PHONE = { width: 375, height: 812 }

type Mode = 'normal' | 'large'

interface Screen {
  name: string
  hash: string
  /** The page's root class, to tell it from the tab pages kept (hidden) in the DOM. */
  root: string
  /** Shown once the page has its data. */
  ready: string
  /** Its main buttons (besides every Button): at least 48 CSS px tall in large mode. */
  buttons: string[]
}

const MEMBER_SCREENS: Screen[] = [
  { name: 'home', hash: '#/pages/index/index', root: '.home', ready: '.home-year', buttons: ['.home-year-row'] },
  { name: 'checkin', hash: '#/pages/checkin/index', root: '.checkin-page', ready: '.checkin-section', buttons: ['.checkin-code-submit'] },
  { name: 'notes', hash: '#/pages/notes/index', root: '.notes-page', ready: '.notes-progress', buttons: ['.notes-new'] },
  { name: 'note-edit', hash: '#/pages/note-edit/index', root: '.note-edit-page', ready: '.note-save', buttons: ['.note-save', '.note-kind'] },
  { name: 'ranking', hash: '#/pages/ranking/index', root: '.ranking-page', ready: '.my-figures', buttons: ['.period-kind', '.period-btn'] },
  { name: 'me', hash: '#/pages/me/index', root: '.me-page', ready: '.my-record, .lt-switch', buttons: ['.me-row', '.lt-switch-row', '.me-logout'] },
  // In quiet hours (22:00–07:00 Shanghai) the message the test sends is held, so the inbox is measured empty.
  { name: 'inbox', hash: '#/pages/inbox/index', root: '.inbox-page', ready: '.inbox-item, .inbox-empty', buttons: quietUntil(testNow()) === null ? ['.inbox-item'] : [] },
  // Reached from those: a session, my points, my record.
  { name: 'session', hash: '#/pages/session/index?id=', root: '.session-page', ready: '.session-my-state', buttons: [] },
  { name: 'points', hash: '#/pages/points/index', root: '.points-page', ready: '.points-ledger', buttons: ['.period-kind'] },
  { name: 'archive', hash: '#/pages/archive/index', root: '.ar-page', ready: '.ar-doc', buttons: [] },
  // 民主评议: a sheet of colleagues with four choices each, the widest rows an older member meets.
  { name: 'review', hash: '#/review/index/index', root: '.rv-page', ready: '.rv-sheet .rv-person', buttons: ['.rv-grade', '.rv-submit', '.rv-self-save'] }
]

const SIMPLE_HOME: Screen = {
  name: 'home',
  hash: '#/pages/index/index',
  root: '.home',
  ready: '.home-big-checkin',
  buttons: ['.home-big-checkin', '.home-big-notes']
}

const SECRETARY_SCREENS: Screen[] = [
  { name: 'sec-workbench', hash: '#/secretary/index/index', root: '.secretary', ready: '.member-row', buttons: ['.workbench-tool'] },
  { name: 'sec-schedule', hash: '#/secretary/schedule/index', root: '.schedule-page', ready: '.schedule-submit', buttons: ['.schedule-submit'] },
  { name: 'sec-record', hash: '#/secretary/record/index', root: '.record-page', ready: '.record-person', buttons: ['.record-submit', '.record-all-present'] },
  { name: 'sec-remind', hash: '#/secretary/remind/index', root: '.remind-page', ready: '.remind-compose', buttons: [] },
  { name: 'sec-review', hash: '#/review/manage/index', root: '.rv-manage-page', ready: '.rv-progress-card', buttons: ['.rv-close'] }
]

let server: RunningServer
let phone: Awaited<ReturnType<typeof launchPhone>>
const { api, tokenOf } = apiClient(() => server.url)

beforeAll(async () => {
  requireH5Build()
  mkdirSync(SCREENS, { recursive: true })
  ;[server, phone] = await Promise.all([startServer(), launchPhone()])
  // The session page shows the member's next session of the seeded year.
  const now = testNow()
  const { sessions } = await api<{ sessions: { _id: string; endAt: number }[] }>(
    'session',
    { action: 'list', branchId: 'br_2', from: now - 60 * 86_400_000, to: now + 60 * 86_400_000 },
    await tokenOf(MEMBER)
  )
  const session = sessions.find((x) => x.endAt > now) ?? sessions[sessions.length - 1]
  const screen = MEMBER_SCREENS.find((x) => x.name === 'session')!
  screen.hash += encodeURIComponent(session._id)
  // 民主评议 is measured while open: the member's sheet and the committee's progress.
  await api('review', { action: 'open', branchId: 'br_2', year: new Date(now + 8 * 3_600_000).getUTCFullYear() }, await tokenOf(SECRETARY))
  // The inbox is measured with a message in it, whatever the schedule sent by this day.
  await api(
    'remind',
    { action: 'send', branchId: 'br_2', audience: { kind: 'members', memberIds: [MEMBER] }, title: '本周五主题党日', body: '请带上学习笔记，下午两点在三楼会议室。', clientId: 'large-text-inbox' },
    await tokenOf(SECRETARY)
  )
})

afterAll(async () => {
  await phone?.close()
  await server?.stop()
  if (server) removeDir(server.dataDir)
})

/** What the browser measured on one screen. */
interface Measured {
  overflow: number
  /** Visible elements whose right edge passes the viewport (more than 1 px), outside any scroller. */
  sticking: string[]
  /** The root's computed font-size, CSS px. */
  bodyFont: number
  /** Heights of the main buttons found, CSS px. */
  buttons: { selector: string; height: number }[]
  /** Text below 4.5:1 against its ground. */
  lowContrast: string[]
  /** Figures (a number, a date, a time, with its unit) that the browser broke across two lines. */
  splits: string[]
}

/** Runs in the page: everything measured at once on the visible page root. */
function measure(args: { root: string; buttons: string[]; figures: string }): Measured {
  const visible = (el: Element) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden'
  const roots = Array.from(document.querySelectorAll(`.page${args.root}`)).filter(visible)
  const root = roots[roots.length - 1]
  if (!root) throw new Error(`no visible page root ${args.root}`)
  const width = window.innerWidth
  const describe = (el: Element) => `${el.tagName.toLowerCase()}.${(el.getAttribute('class') || '').trim().split(/\s+/).join('.')}`

  // Taro's page container scrolls (overflow-y), which makes its overflow-x compute to auto:
  // content wider than the phone shows as a sideways scroll inside it, not on <html>.
  const scroller = root.closest('.taro_page') || document.documentElement
  const frame = new Set<Element>([document.documentElement, document.body])
  for (let p = root.parentElement; p; p = p.parentElement) frame.add(p)

  /** Inside something of the page's own that scrolls or clips sideways (a wide table's scroller): that one is checked instead. */
  const clipped = (el: Element): boolean => {
    for (let p = el.parentElement; p && !frame.has(p); p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== 'visible') return true
    }
    return false
  }
  const sticking: string[] = []
  for (const el of Array.from(document.body.querySelectorAll('*'))) {
    if (!visible(el)) continue
    // Another page (the one sliding away after a navigation) is not this screen.
    const page = el.closest('.taro_page')
    if (page && page !== scroller) continue
    const r = el.getBoundingClientRect()
    if (r.width === 0 || r.height === 0) continue
    if (r.right > width + 1 && !clipped(el)) sticking.push(`${describe(el)} right=${Math.round(r.right)}`)
  }

  const buttons: Measured['buttons'] = []
  // The named main buttons, and every button on the page.
  for (const selector of [...args.buttons, 'taro-button-core']) {
    for (const el of Array.from(root.querySelectorAll(selector)).filter(visible)) {
      buttons.push({ selector, height: el.getBoundingClientRect().height })
    }
  }

  // Contrast (WCAG 2): each visible element with its own text against the first opaque ground above it.
  const rgb = (c: string): [number, number, number, number] => {
    const m = c.match(/rgba?\(([^)]+)\)/)
    if (!m) return [0, 0, 0, 0]
    const p = m[1].split(/[,\s/]+/).filter(Boolean).map(Number)
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]
  }
  const lum = ([r, g, b]: number[]) => {
    const f = (v: number) => {
      const s = v / 255
      return s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4)
    }
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b)
  }
  const ground = (el: Element): number[] => {
    for (let p: Element | null = el; p; p = p.parentElement) {
      const c = rgb(getComputedStyle(p).backgroundColor)
      if (c[3] >= 0.99) return c
    }
    return [255, 255, 255, 1]
  }
  const lowContrast: string[] = []
  for (const el of Array.from(root.querySelectorAll('*'))) {
    const own = Array.from(el.childNodes).some((n) => n.nodeType === 3 && (n.textContent || '').trim())
    if (!own || !visible(el)) continue
    const style = getComputedStyle(el)
    if (Number(style.opacity) < 1) continue
    const fg = rgb(style.color)
    const bg = ground(el)
    const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x)
    const ratio = (a + 0.05) / (b + 0.05)
    if (ratio < 4.5) lowContrast.push(`${describe(el)} "${(el.textContent || '').trim().slice(0, 12)}" ${ratio.toFixed(2)}:1`)
  }

  // Figures on one line: each number with its unit (6,391 字, 85.7%, 12/15 13:30, 2026年12月6日; the
  // pattern <Figures> keeps whole) is found in
  // the text of its block (inline pieces joined, as the reader sees them), and its pieces' line boxes must
  // not go back to the left on a lower line. Only text rects are read: element boxes overlap their text.
  const FIGURE = new RegExp(args.figures, 'g')
  const blockOf = (n: Node): Element => {
    let p = n.parentElement!
    while (p !== root && getComputedStyle(p).display.startsWith('inline')) p = p.parentElement!
    return p
  }
  const blocks = new Map<Element, Text[]>()
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT)
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!(n.textContent || '').trim() || !n.parentElement || !visible(n.parentElement)) continue
    const block = blockOf(n)
    blocks.set(block, [...(blocks.get(block) ?? []), n as Text])
  }
  const splits: string[] = []
  for (const [block, texts] of blocks) {
    const joined = texts.map((t) => t.data).join('')
    for (const m of joined.matchAll(FIGURE)) {
      const rects: DOMRect[] = []
      let at = 0
      for (const t of texts) {
        const from = Math.max(m.index!, at)
        const to = Math.min(m.index! + m[0].length, at + t.data.length)
        if (from < to) {
          const range = document.createRange()
          range.setStart(t, from - at)
          range.setEnd(t, to - at)
          rects.push(...Array.from(range.getClientRects()).filter((r) => r.width > 0.5))
        }
        at += t.data.length
      }
      const broken = rects.some((r, i) => i > 0 && r.left < rects[i - 1].left - 0.5 && r.top > rects[i - 1].top + 2)
      if (broken) splits.push(`${describe(block)} "${m[0]}"`)
    }
  }

  return {
    splits,
    overflow: Math.max(document.documentElement.scrollWidth - window.innerWidth, scroller.scrollWidth - scroller.clientWidth),
    sticking,
    bodyFont: parseFloat(getComputedStyle(root).fontSize),
    buttons,
    lowContrast
  }
}

async function visit(page: Page, screen: Screen, mode: Mode): Promise<Measured> {
  await page.goto(`${server.url}${screen.hash}`)
  await page.locator(`.page${screen.root}`).locator(screen.ready).locator('visible=true').first().waitFor({ timeout: 15_000 })
  // Loaded: no visible "正在加载" left on the page.
  await page.waitForFunction(() => !Array.from(document.querySelectorAll('.status-loading')).some((el) => el.getClientRects().length > 0), undefined, {
    timeout: 15_000
  })
  await page.waitForTimeout(150)
  const measured = await page.evaluate(measure, { root: screen.root, buttons: screen.buttons, figures: FIGURE_PATTERN })
  await screenshot(page, screen.root, `${mode}-${screen.name}`)
  return measured
}

/**
 * The whole page, not just the first screen: Taro's page scrolls inside its
 * own container, so the viewport is made as tall as the content for the shot
 * (same width, so the same layout across), then put back.
 */
async function screenshot(page: Page, root: string, name: string): Promise<void> {
  const height = await page.evaluate((sel) => {
    const el = Array.from(document.querySelectorAll(`.page${sel}`)).filter((e) => e.getClientRects().length > 0).pop()
    const scroller = el?.closest('.taro_page') as HTMLElement | null
    return (scroller?.scrollHeight ?? 0) + (window.innerHeight - (scroller?.clientHeight ?? window.innerHeight))
  }, root)
  const tall = Math.min(Math.max(PHONE.height, Math.ceil(height)), 7500)
  if (tall > PHONE.height) await page.setViewportSize({ width: PHONE.width, height: tall })
  await page.screenshot({ path: join(SCREENS, `${name}.png`) })
  if (tall > PHONE.height) await page.setViewportSize(PHONE)
}

function expectFits(m: Measured, where: string): void {
  expect({ where, overflow: Math.max(0, m.overflow), sticking: m.sticking }).toEqual({ where, overflow: 0, sticking: [] })
  expect({ where, lowContrast: m.lowContrast }).toEqual({ where, lowContrast: [] })
  expect({ where, splits: m.splits }).toEqual({ where, splits: [] })
}

/** Waits (up to 5 s) for the server to hold the expected setting. */
async function expectServerLarge(memberId: string, expected: boolean): Promise<void> {
  let value = await isLargeOnServer(memberId)
  for (let waited = 0; value !== expected && waited < 5000; waited += 200) {
    await new Promise((r) => setTimeout(r, 200))
    value = await isLargeOnServer(memberId)
  }
  expect(value).toBe(expected)
}

async function isLargeOnServer(memberId: string): Promise<boolean> {
  const out = await api<{ me: { member: { largeText: boolean } } }>('auth', { action: 'whoami' }, await tokenOf(memberId))
  return out.me.member.largeText
}

describe('长辈模式 and the phone width (H5, 375 × 812)', () => {
  it('member: every main page fits in normal mode; the switch on 我的 turns large mode on, it persists, home is simple, text and buttons grow', async () => {
    const page = await phone.context.newPage()
    const errors = watchErrors(page)
    await loginAs(page, server.url, MEMBER)
    expect(await isLargeOnServer(MEMBER)).toBe(false)

    const normal = new Map<string, Measured>()
    for (const screen of MEMBER_SCREENS) {
      const m = await visit(page, screen, 'normal')
      expectFits(m, `normal ${screen.name}`)
      normal.set(screen.name, m)
    }
    // Normal home: the next session and my year.
    await page.goto(`${server.url}#/pages/index/index`)
    await page.locator('.home .home-year').waitFor()

    // 我的 → tap the switch.
    await page.goto(`${server.url}#/pages/me/index`)
    const row = page.locator('.me-page .lt-switch')
    await row.waitFor()
    await expect(row.getAttribute('data-on')).resolves.toBe('false')
    await expect(row.innerText()).resolves.toContain('长辈模式')
    await expect(row.innerText()).resolves.toContain('字更大、按钮更大、首页更简单')
    await expect(row.locator('input').getAttribute('aria-label')).resolves.toBe('长辈模式：字更大、按钮更大、首页更简单')
    // Found without scrolling: right under the member's name, not below the year's record.
    const top = await row.evaluate((el) => el.getBoundingClientRect().top)
    expect(top).toBeLessThan(PHONE.height / 2)
    await expect(row.locator('.lt-switch-control input').isChecked()).resolves.toBe(false)
    // A tap on the row (the switch is drawn on its right; the whole row takes the tap).
    await row.locator('.lt-switch-row').click()
    await page.locator('.me-page .lt-switch--on').waitFor()
    await expectServerLarge(MEMBER, true)
    // One tap, one change: still on a moment later.
    await page.waitForTimeout(300)
    await expect(row.getAttribute('data-on')).resolves.toBe('true')

    // Every page at once: back on the home tab (still mounted), without a reload.
    await page.locator('.weui-tabbar__item').filter({ hasText: '首页' }).click()
    await page.locator('.home--simple .home-big-checkin').locator('visible=true').waitFor()

    // Survives a reload (a closed app): the server and the cached me both have it.
    await page.goto(`${server.url}#/pages/me/index`)
    await page.reload()
    await page.locator('.me-page .lt-switch--on').locator('visible=true').waitFor()
    await expect(page.locator('.me-page .lt-switch-control input').isChecked()).resolves.toBe(true)

    // The simple home: the name, 签到 and 笔记 in big buttons, none of the other cards.
    const home = await visit(page, SIMPLE_HOME, 'large')
    const simple = page.locator('.home--simple')
    await expect(simple.locator('.home-big-checkin .home-big-title').innerText()).resolves.toBe('签到')
    await expect(simple.locator('.home-big-notes .home-big-title').innerText()).resolves.toBe('笔记')
    await expect(simple.locator('.home-name').isVisible()).resolves.toBe(true)
    expect(await simple.locator('.home-year, .home-orgpath').count()).toBe(0)
    expectFits(home, 'large home')
    expect(home.bodyFont).toBeGreaterThan(normal.get('home')!.bodyFont)
    expect(home.bodyFont).toBeGreaterThanOrEqual(20)
    expect(home.buttons.length).toBe(2)
    for (const b of home.buttons) expect(b.height).toBeGreaterThanOrEqual(100)
    // 签到 opens the check-in tab.
    await simple.locator('.home-big-checkin').click()
    await page.locator('.checkin-page.page--large').locator('visible=true').waitFor()

    for (const screen of MEMBER_SCREENS.filter((s) => s.name !== 'home')) {
      const m = await visit(page, screen, 'large')
      expectFits(m, `large ${screen.name}`)
      const before = normal.get(screen.name)!
      expect({ screen: screen.name, larger: m.bodyFont > before.bodyFont }).toEqual({ screen: screen.name, larger: true })
      expect(m.bodyFont).toBeGreaterThanOrEqual(20)
      if (screen.buttons.length > 0) expect(m.buttons.length).toBeGreaterThan(0)
      for (const b of m.buttons) expect({ screen: screen.name, ...b, tall: b.height >= 48 }).toMatchObject({ tall: true })
    }

    // And off again from 我的: the full home is back.
    await page.goto(`${server.url}#/pages/me/index`)
    // Off again with a tap on its words.
    await page.locator('.me-page .lt-switch--on .lt-switch-title').locator('visible=true').click()
    await page.locator('.me-page .lt-switch[data-on="false"]').locator('visible=true').waitFor()
    await expectServerLarge(MEMBER, false)
    await page.goto(`${server.url}#/pages/index/index`)
    await page.locator('.home .home-year').locator('visible=true').waitFor()
    expect(await page.locator('.home--simple').count()).toBe(0)

    expect(errors).toEqual([])
    await page.close()
  })

  it('secretary: the workbench, 排期, 发提醒 and 民主评议 fit the phone width in both modes', async () => {
    const page = await phone.context.newPage()
    const errors = watchErrors(page)
    await switchTo(page, server.url, SECRETARY)
    for (const mode of ['normal', 'large'] as const) {
      if (mode === 'large') {
        await api('auth', { action: 'updateMe', largeText: true }, await tokenOf(SECRETARY))
        // A fresh start, as after reopening the app: the server's answer is the one used.
        await page.goto(`${server.url}#/pages/index/index`)
        await page.reload()
        await page.locator('.home--simple .home-big-checkin').locator('visible=true').waitFor()
        await page.locator('.home--simple .secretary-entry').locator('visible=true').waitFor()
      }
      for (const screen of SECRETARY_SCREENS) {
        const m = await visit(page, screen, mode)
        expectFits(m, `${mode} ${screen.name}`)
      }
    }
    expect(errors).toEqual([])
    await page.close()
  })
})
