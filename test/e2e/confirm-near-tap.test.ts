/**
 * A destructive confirmation on the web opens where the tap was (issue 16):
 * 撤销 a 党小组 far down 组织管理, and the question appears next to that
 * button, inside the 375 px screen, the safe choice focused and the verb in
 * red; Escape and 不撤销 keep the group, 撤销 closes it.
 */
import { DEMO_PEOPLE } from '../../server/seed/people'
import { switchTo } from '../helpers/browser'
import { apiClient, watchErrors } from '../helpers/api'
import { serverAndPhone } from '../helpers/e2e'
import { mkdirSync } from 'fs'
import { join, resolve } from 'path'

jest.setTimeout(120_000)

/** Shots of the changed screen for review (gitignored). */
const SCREENS = resolve(__dirname, '../../test-results/screens')
mkdirSync(SCREENS, { recursive: true })

const live = serverAndPhone()
const { api, tokenOf } = apiClient(() => live.server.url)
type Node = { _id: string; children: Node[] }
const ids = (nodes: Node[]): string[] => nodes.flatMap((n) => [n._id, ...ids(n.children)])

it('opens next to the tapped 撤销 low on the page; Escape and 不撤销 keep the group, 撤销 closes it', async () => {
  const admin = await tokenOf(DEMO_PEOPLE.admin)
  // Enough groups that the last one sits well below the first screen.
  for (let i = 1; i <= 8; i++) await api('org', { action: 'createOrg', parentId: 'br_3', type: 'group', name: `临时党小组${i}`, clientId: `cg_${i}` }, admin)
  const inTree = async () => ids((await api<{ roots: Node[] }>('org', { action: 'tree' }, admin)).roots)

  const page = await live.phone.context.newPage()
  const errors = watchErrors(page)
  await switchTo(page, live.server.url, DEMO_PEOPLE.admin)
  await page.goto(`${live.server.url}#/secretary/org/index`)
  const node = page.locator('.og-node--group').last()
  await node.waitFor({ state: 'visible' })
  const orgId = (await node.getAttribute('data-org-id')) as string
  const close = node.locator('.og-close')
  expect((await close.boundingBox())!.y).toBeGreaterThan(812)
  await close.scrollIntoViewIfNeeded()

  const tapAndAsk = async () => {
    const b = (await close.boundingBox())!
    const tap = { x: b.x + b.width / 2, y: b.y + b.height / 2 }
    await page.mouse.click(tap.x, tap.y)
    const box = page.locator('.danger-confirm')
    await box.waitFor({ state: 'visible' })
    return { box, tap, rect: (await box.boundingBox())! }
  }

  const { box, tap, rect } = await tapAndAsk()
  await page.screenshot({ path: join(SCREENS, 'forms-confirm-near-tap.png') })
  // Next to the tap: the box's nearest edge within a few pixels of it, not the middle of a long page.
  const dx = Math.max(rect.x - tap.x, 0, tap.x - (rect.x + rect.width))
  const dy = Math.max(rect.y - tap.y, 0, tap.y - (rect.y + rect.height))
  expect(Math.hypot(dx, dy)).toBeLessThan(30)
  expect(rect.x).toBeGreaterThanOrEqual(0)
  expect(rect.x + rect.width).toBeLessThanOrEqual(375)
  expect(rect.y).toBeGreaterThanOrEqual(0)
  expect(rect.y + rect.height).toBeLessThanOrEqual(812)
  await expect(box.getAttribute('role')).resolves.toBe('alertdialog')
  await expect(box.textContent()).resolves.toContain('撤销这个党小组？')
  await expect(page.evaluate(() => (document.activeElement as HTMLElement).className)).resolves.toBe('danger-confirm-cancel')
  const ok = box.locator('.danger-confirm-ok')
  await expect(ok.textContent()).resolves.toBe('撤销')
  await expect(ok.evaluate((e) => getComputedStyle(e).backgroundColor)).resolves.toBe('rgb(200, 16, 46)')

  // Escape: nothing happens.
  await page.keyboard.press('Escape')
  await box.waitFor({ state: 'detached' })
  // 不撤销: nothing happens.
  await (await tapAndAsk()).box.locator('.danger-confirm-cancel').click()
  await box.waitFor({ state: 'detached' })
  await page.waitForTimeout(300)
  expect(await inTree()).toContain(orgId)

  // 撤销: the group is closed and leaves the tree.
  await (await tapAndAsk()).box.locator('.danger-confirm-ok').click()
  await page.locator(`.og-node[data-org-id="${orgId}"]`).waitFor({ state: 'detached' })
  expect(await inTree()).not.toContain(orgId)
  expect(errors).toEqual([])
})
