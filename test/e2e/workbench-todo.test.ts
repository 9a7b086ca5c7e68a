/**
 * 书记工作台's to-do in a real browser: two members hand in notes; the
 * secretary sees 笔记待审阅 2, taps it, opens the first, marks it 合格, taps
 * 下一篇 (还有 1 篇 → none), returns the other with a comment, is told they
 * are all done and taken back to the list; the workbench then says 0.
 */
import { join } from 'path'
import { openDatabase } from '../../server/db'
import { DEMO_PEOPLE } from '../../server/seed/people'
import { launchPhone, loginAs, requireH5Build } from '../helpers/browser'
import { apiClient, watchErrors } from '../helpers/api'
import { testNow } from '../helpers/clock'
import { removeDir, startServer, type RunningServer } from '../helpers/server-process'

jest.setTimeout(120_000)

let server: RunningServer
let phone: Awaited<ReturnType<typeof launchPhone>>
const { api, tokenOf } = apiClient(() => server.url)

const SECRETARY = DEMO_PEOPLE.secretary2
const WRITERS = [DEMO_PEOPLE.member2, 'm_br_2_06']
// Written for this test, so no demo note shares a passage with them.
const TEXTS = [
  '周三下午重读了支部学习计划，对照自己这一季度的笔记，发现摘抄多、思考少。下个月起每周写一段工作中的体会。',
  '参加主题党日后，我把社区走访中听到的三件难事记了下来，准备在支委会上提出，力求件件有回音。'
]

beforeAll(async () => {
  requireH5Build()
  server = await startServer()
  phone = await launchPhone()
  // The demo history leaves many notes of br_2 waiting; mark them reviewed so the journey starts from exactly two.
  const db = openDatabase({ file: join(server.dataDir, 'zbdk.sqlite') })
  try {
    await db
      .collection('notes')
      .where({ branchId: 'br_2', 'review.status': 'pending' })
      .update({ data: { review: db.command.set({ status: 'passed', by: SECRETARY, at: testNow() }) } })
  } finally {
    db.close()
  }
  for (let i = 0; i < WRITERS.length; i++) {
    await api('note', { action: 'save', kind: 'note', title: `学习笔记 ${i + 1}`, content: TEXTS[i] }, await tokenOf(WRITERS[i]))
  }
})

afterAll(async () => {
  await phone?.close()
  await server?.stop()
  if (server) removeDir(server.dataDir)
})

async function todoCount(page: import('playwright-core').Page, expected: number): Promise<void> {
  await page.goto(`${server.url}#/secretary/index/index`)
  const row = page.locator(`.workbench-todo-notes[data-count="${expected}"]`)
  await row.waitFor({ state: 'visible', timeout: 15_000 })
  await expect(row.innerText()).resolves.toMatch(new RegExp(`笔记待审阅\\s*${expected}`))
}

describe('书记工作台 to-do (H5)', () => {
  it('笔记待审阅 2 → review both in a row → 0', async () => {
    const page = await phone.context.newPage()
    const errors = watchErrors(page)
    await loginAs(page, server.url, SECRETARY)
    await todoCount(page, 2)
    await expect(page.locator('.secretary .page-title').innerText()).resolves.toBe('书记工作台')

    // The row opens the 待审阅 list; start from the first (the oldest).
    await page.locator('.workbench-todo-notes').click()
    await page.locator('.sec-queue[data-total="2"]').waitFor({ state: 'visible', timeout: 15_000 })
    await page.locator('.sec-queue-start').click()
    await page.locator('.sec-queue-left[data-left="1"]').waitFor({ state: 'visible', timeout: 15_000 })
    await expect(page.locator('.sec-queue-left').innerText()).resolves.toContain('还有 1 篇待审阅')
    await expect(page.locator('.note-view, .sec-note-read').first().innerText()).resolves.toContain(TEXTS[0].slice(0, 12))

    // 合格, then straight on to the next.
    await page.locator('.sec-review-pass').click()
    await page.locator('.sec-queue-after[data-status="passed"]').waitFor({ state: 'visible', timeout: 15_000 })
    await page.locator('.sec-queue-next').click()
    await page.locator('.sec-queue-left[data-left="0"]').waitFor({ state: 'visible', timeout: 15_000 })
    await expect(page.locator('.sec-note-read').first().innerText()).resolves.toContain(TEXTS[1].slice(0, 12))

    // 退回修改 needs a comment.
    await page.locator('.sec-review-comment textarea, textarea.sec-review-comment').first().fill('请结合本职工作再写几句体会。')
    await page.locator('.sec-review-return').click()
    await page.locator('.sec-queue-done').waitFor({ state: 'visible', timeout: 15_000 })
    await expect(page.locator('.sec-queue-done').innerText()).resolves.toContain('都看完了')
    // Back on the list by itself, which now has none.
    await page.locator('.sec-queue-empty').waitFor({ state: 'visible', timeout: 15_000 })

    await todoCount(page, 0)
    // What the members see: one 合格, one returned with the comment.
    const returned = await api('note', { action: 'list' }, await tokenOf(WRITERS[1]))
    expect(returned.notes.find((n: { title: string }) => n.title === '学习笔记 2').review).toMatchObject({ status: 'returned', comment: '请结合本职工作再写几句体会。' })
    const passed = await api('note', { action: 'list' }, await tokenOf(WRITERS[0]))
    expect(passed.notes.find((n: { title: string }) => n.title === '学习笔记 1').review.status).toBe('passed')
    expect(errors).toEqual([])
    await page.close()
  })

  it('an admin’s entry and page say 管理工作台', async () => {
    // The admin's own phone.
    const adminPhone = await launchPhone()
    const page = await adminPhone.context.newPage()
    await loginAs(page, server.url, DEMO_PEOPLE.admin)
    const entry = page.locator('.secretary-entry .home-card-title')
    await entry.waitFor({ state: 'visible', timeout: 15_000 })
    await expect(entry.innerText()).resolves.toBe('管理工作台')
    await entry.click()
    await page.locator('.workbench-todo').waitFor({ state: 'visible', timeout: 15_000 })
    await expect(page.locator('.secretary .page-title').innerText()).resolves.toBe('管理工作台')
    await adminPhone.close()
  })
})
