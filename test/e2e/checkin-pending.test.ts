/**
 * 待确认 in a real browser: a photo of the venue code replayed minutes later
 * with curl (the phone's clock set inside the photo's slot) is recorded, not
 * counted; the member's session page says it waits for the branch; the
 * secretary's 签到情况 lists it with the scan time and, after one tap on
 * 全部确认, the member is 已到.
 */
import { readFileSync } from 'fs'
import { join } from 'path'
import { issueCheckinToken } from '../../cloudfunctions/_shared/checkin-token'
import { formatShanghai } from '../../src/core/period'
import { DEMO_PEOPLE } from '../../server/seed/people'
import { launchPhone, loginAs, requireH5Build } from '../helpers/browser'
import { apiClient, watchErrors } from '../helpers/api'
import { testNow } from '../helpers/clock'
import { removeDir, startServer, type RunningServer } from '../helpers/server-process'

jest.setTimeout(120_000)

let server: RunningServer
let phone: Awaited<ReturnType<typeof launchPhone>>
let secretaryPhone: Awaited<ReturnType<typeof launchPhone>>
let sessionId: string

const { api, tokenOf } = apiClient(() => server.url)
const MEMBER = DEMO_PEOPLE.member2

beforeAll(async () => {
  requireH5Build()
  server = await startServer()
  phone = await launchPhone()
  secretaryPhone = await launchPhone()
  const start = testNow() + 10 * 60_000
  const created = await api(
    'session',
    {
      action: 'create',
      branchId: 'br_2',
      type: 'group_study',
      title: '集中学习：离线补传演练',
      startAt: start,
      endAt: start + 90 * 60_000,
      venue: { name: '三楼会议室' },
      checkin: { opensAt: start - 30 * 60_000, lateAfter: start + 10 * 60_000, closesAt: start + 90 * 60_000 }
    },
    await tokenOf(DEMO_PEOPLE.secretary2)
  )
  sessionId = created.sessions[0]._id
})

afterAll(async () => {
  await phone?.close()
  await secretaryPhone?.close()
  await server?.stop()
  if (server) removeDir(server.dataDir)
})

describe('a scan synced late waits for the secretary (H5)', () => {
  it('recorded as 待确认, shown to the member and the secretary, counted after 全部确认', async () => {
    // The code shown five minutes ago, replayed with the phone's clock in its slot.
    const secret = readFileSync(join(server.dataDir, 'secret.key'), 'utf8').trim()
    const scannedAt = testNow() - 5 * 60_000
    const photo = issueCheckinToken(secret, sessionId, scannedAt).token
    const out = await api('checkin', { action: 'checkIn', sessionId, token: photo, clientAt: scannedAt }, await tokenOf(MEMBER))
    expect(out.checkin).toBeUndefined()
    expect(out.pending.at).toBe(scannedAt)
    const hhmm = formatShanghai(scannedAt, 'HH:mm')

    // The member's own page: waiting, with the scan time, kindly worded.
    const member = await phone.context.newPage()
    const memberErrors = watchErrors(member)
    await loginAs(member, server.url, MEMBER)
    await member.goto(`${server.url}#/pages/session/index?id=${encodeURIComponent(sessionId)}`)
    const note = member.locator('.my-state-pending-note')
    await note.waitFor({ state: 'visible' })
    await expect(note.innerText()).resolves.toContain(`${hhmm} 的扫码，因为是离线补传，需支部确认后计入`)
    await expect(member.locator('.my-state-label').innerText()).resolves.toContain('扫码待确认')
    expect(memberErrors).toEqual([])
    await member.close()

    // The secretary's venue page: 待确认 1 人, not in 已到.
    const secretary = await secretaryPhone.context.newPage()
    const errors = watchErrors(secretary)
    await loginAs(secretary, server.url, DEMO_PEOPLE.secretary2)
    await secretary.goto(`${server.url}#/secretary/qr/index?sessionId=${encodeURIComponent(sessionId)}`)
    const block = secretary.locator('.pending-scans')
    await block.waitFor({ state: 'visible', timeout: 15_000 })
    await expect(secretary.locator('.pending-scans-title').innerText()).resolves.toContain('待确认 1 人')
    const row = secretary.locator(`.pending-scan[data-member-id="${MEMBER}"]`)
    await expect(row.innerText()).resolves.toContain(hhmm)
    expect(await secretary.locator('.roster-count-attended').getAttribute('data-value')).toBe('0')
    expect(await secretary.locator(`.roster-row[data-member-id="${MEMBER}"]`).getAttribute('data-state')).toBe('absent')

    // One tap: the member is 已到, the block goes.
    await secretary.locator('.pending-scans-confirm').first().click()
    await secretary.locator(`.roster-row.roster-state-attended[data-member-id="${MEMBER}"]`).waitFor({ state: 'visible', timeout: 15_000 })
    await block.waitFor({ state: 'detached', timeout: 15_000 })
    expect(await secretary.locator('.roster-count-attended').getAttribute('data-value')).toBe('1')
    expect(errors).toEqual([])
  })
})
