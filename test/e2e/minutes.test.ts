/**
 * 会议纪实 in a real browser: members checked in to a meeting of the demo
 * year, others did not; the secretary opens its 会议记录 from the session list,
 * reads the attendance the check-ins made (the same 应到 / 实到 as the roster),
 * fills 主持人, 记录人 and what was studied and decided, adds optional photos
 * (compressed in the browser; a PDF named .jpg refused in words; one removed
 * after a kind question), prints it, locks it; a member who was expected
 * opens the record and reads it, photo included.
 */
import type { Page } from 'playwright-core'
import { DEMO_PEOPLE } from '../../server/seed/people'
import { apiClient, watchErrors } from '../helpers/api'
import { loginAs, switchTo } from '../helpers/browser'
import { testNow } from '../helpers/clock'
import { serverAndPhone } from '../helpers/e2e'
import { tinyPng } from '../helpers/photos'

jest.setTimeout(120_000)

const live = serverAndPhone()
const { api, tokenOf } = apiClient(() => live.server.url)
const SECRETARY = DEMO_PEOPLE.secretary2
const MEMBER = DEMO_PEOPLE.member2
const DAY = 24 * 60 * 60_000

let sessionId = ''
let roster: {
  counts: { expected: number; attended: number; late: number; leave: number; absent: number }
  rows: Array<{ member: { _id: string; name: string }; state: string }>
}
const namesIn = (...states: string[]) => roster.rows.filter((r) => states.includes(r.state)).map((r) => r.member.name)

beforeAll(async () => {
  const sec = await tokenOf(SECRETARY)
  const now = testNow()
  // A meeting of the demo year that members checked in to (a new one cannot be scheduled in the past).
  const { sessions } = await api<{ sessions: Array<{ _id: string; endAt: number; status: string; checkin: { closesAt: number } }> }>(
    'session',
    { action: 'list', branchId: 'br_2', from: now - 60 * DAY, to: now },
    sec
  )
  for (const s of sessions.filter((x) => x.status !== 'cancelled' && Math.max(x.endAt, x.checkin.closesAt) < now).reverse()) {
    const r = await api<typeof roster>('session', { action: 'roster', sessionId: s._id }, sec)
    if (r.counts.attended + r.counts.late >= 3 && r.counts.absent >= 1) {
      sessionId = s._id
      roster = r
      break
    }
  }
  if (!sessionId) throw new Error('the demo data has no past br_2 meeting with check-ins and an absence')
})
const figures = (page: Page) => page.locator('.mr-page .mr-figures').locator('visible=true').innerText()

describe('会议纪实', () => {
  it('a secretary fills the record from the check-ins, prints it and locks it; a member reads it', async () => {
    const page = await live.phone.context.newPage()
    const errors = watchErrors(page)
    await loginAs(page, live.server.url, SECRETARY)
    await page.goto(`${live.server.url}#/secretary/sessions/index`)
    await page.locator(`.session-minutes[data-session-id="${sessionId}"]`).click()

    // The attendance is there before anyone typed a word, and it is the roster's.
    const c = roster.counts
    await expect(figures(page)).resolves.toBe(`应到 ${c.expected} 人，实到 ${c.attended + c.late} 人（其中迟到 ${c.late} 人），请假 ${c.leave} 人，缺席 ${c.absent} 人`)
    const name = (id: string) => roster.rows.find((r) => r.member._id === id)!.member.name
    const listed = async (row: string) => (await page.locator(`.mr-page .mr-${row} .mr-names`).innerText()).split('、').map((n) => n.replace(/（.*）$/, '')).sort()
    expect(await listed('attended')).toEqual(namesIn('attended', 'late').sort())
    expect(await listed('absent')).toEqual(namesIn('absent').sort())
    await expect(page.locator('.mr-page .mr-chair').innerText()).resolves.toContain('（未填写）')

    // 填写记录.
    await page.locator('.mr-page .mr-edit').click()
    const form = page.locator('.mne-page')
    await form.locator(`.mne-chair [data-member-id="${SECRETARY}"]`).click()
    await form.locator(`.mne-recorder [data-member-id="${MEMBER}"]`).click()
    await form.locator('.mne-agenda textarea').fill('学习《中国共产党章程》第三章，交流学习体会。')
    await form.locator('.mne-decisions textarea').fill('12月开展一次社区志愿服务。')
    await form.locator('.mne-save').click()

    // Back on the record: what was typed, under the attendance.
    await page.locator('.mr-page .mr-agenda').filter({ hasText: '中国共产党章程' }).waitFor()
    await expect(page.locator('.mr-page .mr-chair').innerText()).resolves.toContain(name(SECRETARY))
    await expect(page.locator('.mr-page .mr-recorder').innerText()).resolves.toContain(name(MEMBER))
    await expect(page.locator('.mr-page .mr-decisions').innerText()).resolves.toContain('12月开展一次社区志愿服务。')

    // Photos, optional and said to be: one added (sent as the browser's JPEG), a PDF named .jpg refused, one removed.
    await page.locator('.mr-page .mr-edit').click()
    const photos = page.locator('.mne-page .mph-edit')
    await photos.locator('.mph-hint').filter({ hasText: '照片不是必须的' }).waitFor()
    const file = photos.locator('input.mph-file')
    await file.setInputFiles({ name: '合影.png', mimeType: 'image/png', buffer: Buffer.from(tinyPng()) })
    await photos.locator('.mph-done').filter({ hasText: '照片已添加' }).waitFor()
    await file.setInputFiles({ name: '会议.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('%PDF-1.7\n1 0 obj << >> endobj\n') })
    await expect(photos.locator('.mph-error').innerText()).resolves.toBe('只能添加 JPG、PNG 或 WebP 格式的照片')
    await file.setInputFiles({ name: '合影2.png', mimeType: 'image/png', buffer: Buffer.from(tinyPng()) })
    await photos.locator('.mph-item').nth(1).waitFor()
    await photos.locator('.mph-item').nth(1).locator('.mph-remove').click()
    await page.locator('.danger-confirm-ok').click()
    await photos.locator('.mph-done').filter({ hasText: '照片已删除' }).waitFor()
    expect(await photos.locator('.mph-item').count()).toBe(1)
    const stored = await api<{ photos: Array<{ type: string }> }>('session', { action: 'minutes', sessionId }, await tokenOf(SECRETARY))
    expect(stored.photos.map((p) => p.type)).toEqual(['jpeg'])
    await page.goBack()
    const shown = page.locator('.mr-page .mph-read .mph-photo img')
    await shown.first().waitFor()
    await expect(shown.first().evaluate((img: HTMLImageElement) => img.decode().then(() => img.naturalWidth))).resolves.toBe(1)

    // Printed: the record alone, the buttons left off the paper.
    await page.emulateMedia({ media: 'print' })
    await expect(page.locator('.mr-page .mr-doc').isVisible()).resolves.toBe(true)
    await expect(page.locator('.mr-page .mr-noprint').isVisible()).resolves.toBe(false)
    const pdf = await page.pdf({ format: 'A4' })
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
    await page.emulateMedia({ media: 'screen' })

    // Locked after a confirmation; then a change needs a reason and is listed as a correction.
    await page.locator('.mr-page .mr-edit').click()
    await page.locator('.mne-page .mne-lock').click()
    await page.getByText('锁定', { exact: true }).locator('visible=true').last().click()
    await page.locator('.mr-page .mr-locked').waitFor()
    await page.locator('.mr-page .mr-edit').filter({ hasText: '更正记录' }).click()
    await page.locator('.mne-page .mne-decisions textarea').fill('12月开展两次社区志愿服务。')
    await page.locator('.mne-page .mne-save').click()
    await expect(page.locator('.mne-page .mne-error').innerText()).resolves.toBe('记录已经锁定，请写明更正原因')
    await page.locator('.mne-page .mne-reason input').fill('更正次数')
    await page.locator('.mne-page .mne-save').click()
    await page.locator('.mr-page .mr-correction').filter({ hasText: '更正了“决议与决定事项”：更正次数' }).waitFor()

    // A member who was expected opens it: the same figures and names.
    await switchTo(page, live.server.url, MEMBER)
    await page.goto(`${live.server.url}#/pages/session/index?id=${encodeURIComponent(sessionId)}`)
    await page.locator('.session-page .session-minutes-link').click()
    await expect(figures(page)).resolves.toBe(`应到 ${c.expected} 人，实到 ${c.attended + c.late} 人（其中迟到 ${c.late} 人），请假 ${c.leave} 人，缺席 ${c.absent} 人`)
    expect(await listed('absent')).toEqual(namesIn('absent').sort())
    await expect(page.locator('.mr-page .mr-decisions').innerText()).resolves.toContain('12月开展两次社区志愿服务。')
    expect(await page.locator('.mr-page .mr-edit').count()).toBe(0)
    await expect(page.locator('.mr-page .mph-read .mph-photo img').count()).resolves.toBe(1)
    expect(errors).toEqual([])
  })
})
