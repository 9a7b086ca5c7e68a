/**
 * A newcomer in a real browser, on the demo seed's year of sessions: they
 * join 第二党支部 with the invite code, the secretary confirms them in 党员名册;
 * their 我的 page then shows a clean record (no absence from the year before
 * they joined), the secretary's 双色预警 shows no warning or Art. 9 alert for
 * them, and 双重组织生活 on 考勤 lists them, marked 领导干部, as not missed yet
 * while this month's session is still ahead.
 */
import type { Session } from '../../src/core/schemas/session'
import { DEMO_PEOPLE } from '../../server/seed/people'
import { joinAsNewcomer, launchPhone, loginAs, requireH5Build } from '../helpers/browser'
import { apiClient, watchErrors } from '../helpers/api'
import { testNow } from '../helpers/clock'
import { removeDir, startServer, type RunningServer } from '../helpers/server-process'

jest.setTimeout(150_000)

const MIN = 60_000
const NAME = '新同志周敏'

let server: RunningServer
let secretaryPhone: Awaited<ReturnType<typeof launchPhone>>
let newcomerPhone: Awaited<ReturnType<typeof launchPhone>>
const { api, tokenOf } = apiClient(() => server.url)

beforeAll(async () => {
  requireH5Build()
  server = await startServer()
  secretaryPhone = await launchPhone()
  newcomerPhone = await launchPhone()
})

afterAll(async () => {
  await secretaryPhone?.close()
  await newcomerPhone?.close()
  await server?.stop()
  if (server) removeDir(server.dataDir)
})

describe('a newcomer (H5)', () => {
  it('joins with the invite code, is confirmed, and owes nothing of the year before', async () => {
    const secretaryToken = await tokenOf(DEMO_PEOPLE.secretary2)
    const { inviteCode } = await api<{ inviteCode: string }>('org', { action: 'invite', branchId: 'br_2' }, secretaryToken)

    const newcomer = await newcomerPhone.context.newPage()
    const newcomerErrors = watchErrors(newcomer)
    await joinAsNewcomer(newcomer, server.url, NAME, inviteCode)

    // The secretary confirms them in 党员名册.
    const secretary = await secretaryPhone.context.newPage()
    const errors = watchErrors(secretary)
    await loginAs(secretary, server.url, DEMO_PEOPLE.secretary2)
    await secretary.goto(`${server.url}#/secretary/index/index`)
    await secretary.locator('.workbench-tool-members').click()
    const row = secretary.locator('.mb-pending-row').filter({ hasText: NAME })
    await row.waitFor({ state: 'visible' })
    const memberId = (await row.getAttribute('data-member-id'))!
    await row.locator('.mb-accept').click()
    await secretary.locator(`.mb-member[data-member-id="${memberId}"]`).waitFor({ state: 'visible' })

    // A leading cadre, with a branch session later today: this month is not over for them yet.
    await api('org', { action: 'updateMember', memberId, leadingCadre: true }, secretaryToken)
    const start = testNow() + 20 * MIN
    const { sessions } = await api<{ sessions: Session[] }>(
      'session',
      { action: 'create', branchId: 'br_2', title: '新同志见面学习会', type: 'group_study', startAt: start, endAt: start + 60 * MIN, venue: { name: '三楼会议室' } },
      secretaryToken
    )

    // 我的: the year's record starts with them; nothing is 缺席.
    await newcomer.reload()
    await newcomer.locator('.home-name').waitFor({ state: 'visible' })
    await newcomer.goto(`${server.url}#/pages/me/index`)
    await newcomer.locator('.record-summary').waitFor({ state: 'visible' })
    await expect(newcomer.locator('.record-count-absent .record-count-value').textContent()).resolves.toBe('0')
    await expect(newcomer.locator('.record-count-expected .record-count-value').textContent()).resolves.toBe('0')
    await newcomer.locator(`.record-row[data-session-id="${sessions[0]._id}"]`).waitFor({ state: 'visible' })
    expect(await newcomer.locator('.record-state-absent').count()).toBe(0)
    // Every row is a session still to come: nothing of the seed's year before they joined.
    const rows = await newcomer.locator('.record-row').count()
    expect(await newcomer.locator('.record-state-upcoming').count()).toBe(rows)
    expect(newcomerErrors).toEqual([])

    // 双色预警: the page has loaded its answer and names no warning or alert for them.
    await secretary.goto(`${server.url}#/secretary/warnings/index`)
    await secretary.locator('.warnings-alerts, .warnings-list, .warnings-empty').first().waitFor({ state: 'visible' })
    expect(await secretary.locator(`.warning-card[data-member-id="${memberId}"]`).count()).toBe(0)
    const { warnings } = await api<{ warnings: { memberId: string }[] }>('stats', { action: 'warnings', branchId: 'br_2' }, secretaryToken)
    expect(warnings.some((w) => w.memberId === memberId)).toBe(false)

    // 双重组织生活: not missed while this month's session is ahead.
    await secretary.goto(`${server.url}#/secretary/attendance/index`)
    const pending = secretary.locator(`.dual-row--pending[data-member-id="${memberId}"]`)
    await pending.waitFor({ state: 'visible' })
    await expect(pending.locator('.dual-detail').textContent()).resolves.toMatch(/本月还有 \d+ 场活动/)
    expect(await secretary.locator(`.dual-row:not(.dual-row--pending)[data-member-id="${memberId}"]`).count()).toBe(0)
    expect(errors).toEqual([])
  })
})
