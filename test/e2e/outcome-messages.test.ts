/**
 * Everyone hears what happened, in a real browser: a secretary returns a
 * member's note with a comment; the member's 我的 shows one unread, 消息
 * shows the message with the comment, and once 消息 has been opened the
 * count and the tab badge are gone (and the server agrees).
 */
import { DEMO_PEOPLE } from '../../server/seed/people'
import { loginAs } from '../helpers/browser'
import { apiClient, watchErrors } from '../helpers/api'
import { serverAndPhone } from '../helpers/e2e'

jest.setTimeout(120_000)

const live = serverAndPhone()

const { api, tokenOf } = apiClient(() => live.server.url)
const MEMBER = DEMO_PEOPLE.member2
const COMMENT = '请结合本职工作，再谈谈自己的打算'

describe('a returned note reaches the member’s 消息 (H5)', () => {
  it('with the comment; opening 消息 clears the count and the badge', async () => {
    const member = await tokenOf(MEMBER)
    // Start from a clean inbox, so the one unread is the message under test.
    await api('remind', { action: 'markRead', all: true }, member)
    const saved = await api(
      'note',
      { action: 'save', kind: 'note', title: '学习新党章的体会', content: '认真学习新修订的党章，对照检查自己在理论学习上的不足，明确今后的努力方向。'.repeat(3) },
      member
    )
    await api('note', { action: 'review', noteId: saved.note._id, status: 'returned', comment: COMMENT }, await tokenOf(DEMO_PEOPLE.secretary2))

    const page = await live.phone.context.newPage()
    const errors = watchErrors(page)
    await loginAs(page, live.server.url, MEMBER)
    await page.goto(`${live.server.url}#/pages/me/index`)
    await page.locator('.me-inbox-count:visible').waitFor({ state: 'visible' })
    await expect(page.locator('.me-inbox-count:visible').textContent()).resolves.toBe('1 条未读')
    await page.locator('.taro-tabbar-badge:visible').waitFor({ state: 'visible' })
    await expect(page.locator('.taro-tabbar-badge:visible').textContent()).resolves.toBe('1')

    await page.locator('.me-inbox:visible').click()
    const item = page.locator(`.inbox-item[data-note-id="${saved.note._id}"]:visible`)
    await item.waitFor({ state: 'visible' })
    await expect(item.locator('.inbox-item-title').textContent()).resolves.toBe('笔记退回修改')
    await expect(item.locator('.inbox-item-body').textContent()).resolves.toContain(`书记的意见：${COMMENT}`)
    await expect(item.locator('.inbox-item-meta').textContent()).resolves.toContain('笔记审阅')
    // Still marked new on this screen, so the member sees which one it is …
    expect(await item.getAttribute('class')).toContain('inbox-item--unread')
    // … but the page counts nothing unread any more, and the server is told.
    await page.locator('.inbox-page[data-unread="0"]:visible').waitFor({ state: 'visible' })
    for (let i = 0; ; i++) {
      const box = await api<{ unread: number }>('remind', { action: 'inbox', unreadOnly: true, limit: 1 }, member)
      if (box.unread === 0) break
      if (i > 50) throw new Error('opening 消息 never marked it read')
      await new Promise((r) => setTimeout(r, 100))
    }

    // Back on 我的 (as a member taps back): no count; the tab bar shows no badge.
    await page.goBack()
    // The row shown, once it says nothing is unread (the tab page may re-render as it comes back).
    const row = page.locator('.me-inbox[data-unread="0"]:visible')
    await row.waitFor({ state: 'visible' })
    await expect(row.textContent()).resolves.not.toContain('未读')
    expect(await page.locator('.me-inbox-count:visible').count()).toBe(0)
    expect(await page.locator('.taro-tabbar-badge:visible').count()).toBe(0)
    expect(errors).toEqual([])
  })
})
