/**
 * Targeted reminders in a real browser: a 主题党日 of 第二党支部 starts soon
 * and one member has already checked in. The secretary opens 发提醒, picks
 * 本次活动还没签到的 and that session, previews (the checked-in member is not
 * among the names), sends; a member who has not checked in sees the unread
 * count on 我的 and the message in 消息, and a tap opens the session; the
 * checked-in member has no such message.
 */
import { quietUntil } from '../../src/core/remind/limits'
import { DEMO_PEOPLE } from '../../server/seed/people'
import { launchPhone, loginAs, requireH5Build, switchTo } from '../helpers/browser'
import { apiClient, watchErrors } from '../helpers/api'
import { testNow } from '../helpers/clock'
import { removeDir, startServer, type RunningServer } from '../helpers/server-process'

jest.setTimeout(150_000)

const CHECKED_IN = DEMO_PEOPLE.member2 // m_br_2_05
const NOT_CHECKED_IN = 'm_br_2_06'

let server: RunningServer
let secretaryPhone: Awaited<ReturnType<typeof launchPhone>>
let memberPhone: Awaited<ReturnType<typeof launchPhone>>
let sessionId: string

const { api, tokenOf } = apiClient(() => server.url)


beforeAll(async () => {
  requireH5Build()
  server = await startServer()
  secretaryPhone = await launchPhone()
  memberPhone = await launchPhone()
  const secretary = await tokenOf(DEMO_PEOPLE.secretary2)
  // This branch turns off scheduled reminders for theme days, so the server's own schedule
  // (which would remind this session's absentees within the minute) cannot blur what is tested here.
  await api(
    'org',
    { action: 'updateSettings', orgId: 'br_2', reminders: { sessionOffsets: { theme_day: [] }, defaultSessionOffsets: [1440, 60], paceDay: 20, makeupDaysBefore: 2 } },
    await tokenOf(DEMO_PEOPLE.admin)
  )
  // Starting in 10 minutes: its check-in window is open now.
  const start = testNow() + 10 * 60_000
  const created = await api<{ sessions: { _id: string }[] }>(
    'session',
    {
      action: 'create',
      branchId: 'br_2',
      type: 'theme_day',
      title: '主题党日：学习新修订的条例',
      startAt: start,
      endAt: start + 90 * 60_000,
      venue: { name: '二楼会议室' },
      audience: { kind: 'branch' }
    },
    secretary
  )
  sessionId = created.sessions[0]._id
  // One member checks in with the code on the venue screen.
  const { token } = await api<{ token: string }>('checkin', { action: 'token', sessionId }, secretary)
  await api('checkin', { action: 'checkIn', sessionId, token }, await tokenOf(CHECKED_IN))
})

afterAll(async () => {
  await memberPhone?.close()
  await secretaryPhone?.close()
  await server?.stop()
  if (server) removeDir(server.dataDir)
})

describe('reminders (H5)', () => {
  it('reaches only those who have not checked in, and shows in their inbox', async () => {
    // 22:00–07:00 Shanghai: the reminder is held for the morning and the inbox shows it only then.
    const quiet = quietUntil(testNow()) !== null

    const secretary = await secretaryPhone.context.newPage()
    const errors = watchErrors(secretary)
    await loginAs(secretary, server.url, DEMO_PEOPLE.secretary2)
    await secretary.goto(`${server.url}#/secretary/index/index`)
    await secretary.locator('.workbench-tool-remind').click()

    await secretary.locator('.remind-audience .form-chip[data-value="not_checked_in"]').click()
    const sessionRow = secretary.locator(`.remind-session[data-session-id="${sessionId}"]`)
    await sessionRow.waitFor({ state: 'visible' })
    await sessionRow.click()
    // The audience suggests 活动即将开始, which fills the title and body from the session.
    const title = secretary.locator('.remind-title-input input').first()
    await expect(title.inputValue()).resolves.toContain('学习新修订的条例')
    await expect(secretary.locator('.remind-body-input textarea').first().inputValue()).resolves.toContain('二楼会议室')

    await secretary.locator('.remind-preview').click()
    const preview = secretary.locator('.remind-preview-step')
    await preview.waitFor({ state: 'visible' })
    const count = Number(await preview.getAttribute('data-count'))
    expect(count).toBeGreaterThan(0)
    expect(await secretary.locator(`.remind-name[data-member-id="${CHECKED_IN}"]`).count()).toBe(0)
    expect(await secretary.locator(`.remind-name[data-member-id="${NOT_CHECKED_IN}"]`).count()).toBe(1)

    await secretary.locator('.remind-send').click()
    const done = secretary.locator('.remind-done')
    await done.waitFor({ state: 'visible' })
    const result = await secretary.locator('.remind-result').allTextContents()
    expect(result.join('')).toMatch(quiet ? /早上 7 点送达/ : new RegExp(`已送达 ${count} 人`))
    expect(errors).toEqual([])

    const member = await memberPhone.context.newPage()
    const memberErrors = watchErrors(member)
    await loginAs(member, server.url, NOT_CHECKED_IN)
    await member.goto(`${server.url}#/pages/me/index`)
    const inboxRow = member.locator('.me-inbox')
    await inboxRow.waitFor({ state: 'visible' })
    if (!quiet) {
      await member.locator('.me-inbox-count').waitFor({ state: 'visible' })
      await expect(member.locator('.me-inbox-count').textContent()).resolves.toMatch(/^[1-9]\d* 条未读$/)
    }

    await inboxRow.click()
    await member.locator('.inbox-page[data-unread]:not([data-unread=""])').waitFor({ state: 'visible' })
    const item = member.locator(`.inbox-item[data-session-id="${sessionId}"]`)
    if (quiet) {
      expect(await item.count()).toBe(0)
    } else {
      await item.waitFor({ state: 'visible' })
      expect(await item.getAttribute('class')).toContain('inbox-item--unread')
      await expect(item.locator('.inbox-item-title').textContent()).resolves.toContain('学习新修订的条例')
      // A tap reads it and opens the session it is about.
      await item.click()
      await member.waitForFunction((id) => location.hash.includes('pages/session/index') && location.hash.includes(id), sessionId)
    }
    // Back in 消息: the message now reads as read; the web version says plainly that WeChat cannot reach it.
    if (!quiet) {
      // The tap recorded it as read on the server (polled, since the mark is sent as the page opens) …
      const token = await tokenOf(NOT_CHECKED_IN)
      for (let i = 0; ; i++) {
        const box = await api<{ items: { sessionId?: string; inApp: { readAt?: number } }[] }>('remind', { action: 'inbox' }, token)
        if (box.items.some((d) => d.sessionId === sessionId && d.inApp.readAt)) break
        if (i > 50) throw new Error('the tapped reminder was never marked read')
        await new Promise((r) => setTimeout(r, 100))
      }
      // … and 消息 opened again shows it as read.
      // A fresh load: after a hash change alone the H5 router may keep showing an older, hidden copy of the page.
      await member.goto(`${server.url}#/pages/inbox/index`)
      await member.reload()
      await member.locator(`.inbox-item[data-session-id="${sessionId}"]:not(.inbox-item--unread):visible`).waitFor({ state: 'visible' })
      expect(await member.locator(`.inbox-item--unread[data-session-id="${sessionId}"]:visible`).count()).toBe(0)
    }
    // `.first()`: in quiet hours the empty inbox shows the note a second time.
    await expect(member.locator('.subscribe-ask-note:visible').first().textContent()).resolves.toContain('网页版无法接收微信消息')

    // The member who checked in was not reminded.
    await switchTo(member, server.url, CHECKED_IN)
    await member.goto(`${server.url}#/pages/inbox/index`)
    await member.locator('.inbox-page[data-unread]:not([data-unread=""]):visible').waitFor({ state: 'visible' })
    expect(await member.locator(`.inbox-item[data-session-id="${sessionId}"]`).count()).toBe(0)
    expect(memberErrors).toEqual([])
  })

  it('the send log shows who read it and who can no longer get a WeChat reminder; an admin turns a type’s schedule off', async () => {
    const secretary = await secretaryPhone.context.newPage()
    const errors = watchErrors(secretary)
    // This phone is still signed in from the first test.
    await secretary.goto(`${server.url}#/secretary/remind-log/index`)
    const item = secretary.locator('.rlog-item').filter({ hasText: '学习新修订的条例' }).first()
    await item.waitFor({ state: 'visible' })
    await item.locator('.rlog-item-head').click()
    const row = secretary.locator(`.rlog-detail .rlog-row[data-member-id="${NOT_CHECKED_IN}"]`)
    await row.waitFor({ state: 'visible' })
    // The member opened it in the first test.
    await expect(row.locator('.rlog-app').textContent()).resolves.toBe(quietUntil(testNow()) !== null ? '待送达' : '已读')
    // Nobody here has accepted WeChat reminders (the web version cannot): all are listed as app-only.
    await secretary.locator('.rlog-budget-toggle').click()
    const body = secretary.locator('.rlog-budget-body')
    await body.waitFor({ state: 'visible' })
    const none = Number(await body.getAttribute('data-none'))
    expect(none).toBe(await secretary.locator('.rlog-budget-row').count())
    expect(none).toBeGreaterThan(0)
    await expect(secretary.locator('.rlog-budget-summary').textContent()).resolves.toContain('只能在应用内收到')
    expect(errors).toEqual([])

    const admin = await secretaryPhone.context.newPage()
    const adminErrors = watchErrors(admin)
    await switchTo(admin, server.url, DEMO_PEOPLE.admin)
    await admin.goto(`${server.url}#/secretary/settings/index`)
    const card = admin.locator('.st-reminders')
    await card.waitFor({ state: 'visible' })
    const chip = card.locator('.st-silenced-types .form-chip[data-type="group_meeting"]')
    expect(await chip.getAttribute('data-silenced')).toBe('false')
    await chip.click()
    expect(await chip.getAttribute('data-silenced')).toBe('true')
    await card.locator('.st-save').click()
    await card.locator('.st-saved').waitFor({ state: 'visible' })
    // The page opens on the admin's 党委, the first org it lists.
    const stored = await api<{ settings: { reminders: { sessionOffsets: Record<string, number[]> } } }>('org', { action: 'settings', orgId: 'org_demo' }, await tokenOf(DEMO_PEOPLE.admin))
    expect(stored.settings.reminders.sessionOffsets.group_meeting).toEqual([])
    expect(adminErrors).toEqual([])
  })
})
