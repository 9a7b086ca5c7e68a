/**
 * 扫码签到 on the web version, in real Chromium with a fake camera: the
 * camera plays a video of the QR that the secretary's 签到大屏 shows right
 * now (the live token from the API, drawn with the same encoder, written as
 * raw Y4M frames). The member taps 扫码签到, the phone reads the code and is
 * checked in through the same path as the mini-program's scan; the camera
 * is released on success, on 关闭 and when the page is left. A browser that
 * refuses the camera gets a kind message and keeps the six-digit input.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs'
import { tmpdir } from 'os'
import { join } from 'path'
import type { Page } from 'playwright-core'
import { DEMO_PEOPLE } from '../../server/seed/people'
import { apiClient, watchErrors } from '../helpers/api'
import { launchPhone, loginAs, requireH5Build } from '../helpers/browser'
import { testNow } from '../helpers/clock'
import { qrY4m } from '../helpers/qr-image'
import { removeDir, startServer, type RunningServer } from '../helpers/server-process'

jest.setTimeout(150_000)

// Each test launches its own phone: the camera switches are per browser.
const live = {} as { server: RunningServer }
const { api, tokenOf } = apiClient(() => live.server.url)
const FAKE_CAMERA = ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream']

let sessionId: string
let videoDir: string

beforeAll(async () => {
  requireH5Build()
  live.server = await startServer()
  videoDir = mkdtempSync(join(tmpdir(), 'zbdk-camera-'))
  const start = testNow() + 10 * 60_000
  const created = await api(
    'session',
    { action: 'create', branchId: 'br_2', type: 'theme_day', title: '主题党日：扫码签到', startAt: start, endAt: start + 90 * 60_000, venue: { name: '三楼会议室' }, audience: { kind: 'branch' } },
    await tokenOf(DEMO_PEOPLE.secretary2)
  )
  sessionId = created.sessions[0]._id
})

afterAll(async () => {
  if (videoDir) rmSync(videoDir, { recursive: true, force: true })
  await live.server?.stop()
  if (live.server) removeDir(live.server.dataDir)
})

/** Every stream the page got from getUserMedia, kept so the test can see whether its tracks still run. */
async function watchCamera(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __streams: MediaStream[] }
    w.__streams = []
    const md = navigator.mediaDevices
    if (!md || !md.getUserMedia) return
    const original = md.getUserMedia.bind(md)
    md.getUserMedia = async (c?: MediaStreamConstraints) => {
      const s = await original(c)
      w.__streams.push(s)
      return s
    }
  })
}

async function cameraState(page: Page): Promise<{ streams: number; live: number }> {
  return page.evaluate(() => {
    const streams = (window as unknown as { __streams: MediaStream[] }).__streams
    return { streams: streams.length, live: streams.flatMap((s) => s.getTracks()).filter((t) => t.readyState === 'live').length }
  })
}

async function openCheckin(page: Page): Promise<void> {
  await page.goto(`${live.server.url}#/pages/checkin/index`)
  await page.locator('.checkin-camera-open').waitFor({ state: 'visible' })
}

async function heightOf(page: Page, selector: string): Promise<number> {
  return page.locator(selector).first().evaluate((el) => el.getBoundingClientRect().height)
}

describe('扫码签到 with the camera (H5)', () => {
  it('the camera reads the live QR on the 签到大屏 and the member is checked in', async () => {
    const { token } = await api<{ token: string }>('checkin', { action: 'token', sessionId }, await tokenOf(DEMO_PEOPLE.secretary2))
    const video = join(videoDir, 'qr.y4m')
    writeFileSync(video, qrY4m(token, 640, 480, 8))
    const phone = await launchPhone({ args: [...FAKE_CAMERA, `--use-file-for-fake-video-capture=${video}`] })
    try {
      const page = await phone.context.newPage()
      const errors = watchErrors(page)
      const jsqrLoads: string[] = []
      page.on('request', (r) => {
        if (/\/jsqr\.[0-9a-f]+\.js$/.test(r.url())) jsqrLoads.push(r.resourceType())
      })
      await watchCamera(page)
      await loginAs(page, live.server.url, DEMO_PEOPLE.member2)
      await openCheckin(page)
      // The typed code stays the other way in.
      await page.locator('.checkin-code-input').waitFor({ state: 'visible' })
      expect(await heightOf(page, '.checkin-camera-open')).toBeGreaterThanOrEqual(48)
      // jsQR (this Chromium has no QR BarcodeDetector) is its own chunk: not run with the page, only prefetched at idle.
      await page.waitForFunction(() => !!document.querySelector('link[rel="prefetch"][href*="jsqr"]'))
      expect(jsqrLoads.filter((t) => t === 'script')).toEqual([])

      await page.locator('.checkin-camera-open').click()
      const ok = page.locator('.checkin-result-ok')
      await ok.waitFor({ state: 'visible', timeout: 30_000 })
      await expect(ok.innerText()).resolves.toContain('签到成功')
      expect(await ok.getAttribute('data-session-id')).toBe(sessionId)
      // Decoding stopped with the token: the view is gone and the camera is off.
      expect(await page.locator('.camera-scan').count()).toBe(0)
      expect(await cameraState(page)).toEqual({ streams: 1, live: 0 })
      expect(jsqrLoads.filter((t) => t === 'script')).toEqual(['script'])

      const mine = await api('checkin', { action: 'mine', year: new Date(testNow()).getFullYear() }, await tokenOf(DEMO_PEOPLE.member2))
      expect(mine.rows.find((r: { sessionId: string }) => r.sessionId === sessionId)).toMatchObject({ state: expect.stringMatching(/attended|late/) })
      expect(errors).toEqual([])
    } finally {
      await phone.close()
    }
  })

  it('shows the camera full screen with a hint and a 关闭 that turns it off; leaving the page turns it off too (长辈模式)', async () => {
    const memberId = 'm_br_2_06'
    await api('auth', { action: 'updateMe', largeText: true }, await tokenOf(memberId))
    // Chromium's own test picture: a camera that sees no QR code.
    const phone = await launchPhone({ args: FAKE_CAMERA })
    try {
      const page = await phone.context.newPage()
      const errors = watchErrors(page)
      await watchCamera(page)
      await loginAs(page, live.server.url, memberId)
      await openCheckin(page)
      await page.locator('.page--large .checkin-camera-open').waitFor({ state: 'visible' })
      await page.locator('.checkin-camera-open').click()

      const view = page.locator('.camera-scan')
      await view.waitFor({ state: 'visible' })
      await expect(page.locator('.camera-scan-hint').innerText()).resolves.toBe('把手机对准大屏上的二维码')
      await page.getByText('二维码放进框里，会自动签到。').waitFor({ state: 'visible' })
      // Full screen, over the tab bar; the rear camera was asked for.
      const box = await view.boundingBox()
      expect(box).toMatchObject({ x: 0, y: 0, width: 375, height: 812 })
      expect(await page.locator('.camera-scan-video').evaluate((v) => (v as HTMLVideoElement).videoWidth > 0)).toBe(true)
      expect(await page.evaluate(() => JSON.stringify((window as unknown as { __streams: MediaStream[] }).__streams[0].getVideoTracks()[0].getConstraints()))).toContain('environment')
      // 长辈模式 reaches the view (it lives on <body>, outside the page); 关闭 is big and nothing covers it.
      expect(await view.getAttribute('class')).toContain('page--large')
      expect(await heightOf(page, '.camera-scan-close')).toBeGreaterThanOrEqual(48)
      const onTop = await page.locator('.camera-scan-close').evaluate((el) => {
        const r = el.getBoundingClientRect()
        const x = r.left + r.width / 2
        return [r.top + 4, r.top + r.height / 2, r.bottom - 4].every((y) => {
          const hit = document.elementFromPoint(x, y)
          return !!hit && el.contains(hit)
        })
      })
      expect(onTop).toBe(true)
      expect(await cameraState(page)).toEqual({ streams: 1, live: 1 })

      await page.locator('.camera-scan-close').click()
      await view.waitFor({ state: 'detached' })
      expect(await cameraState(page)).toEqual({ streams: 1, live: 0 })
      expect(await page.locator('.checkin-result').count()).toBe(0)

      // Open again, then leave the page (a phone's back gesture): the view goes and the camera light goes off.
      await page.locator('.checkin-camera-open').click()
      await page.getByText('二维码放进框里，会自动签到。').waitFor({ state: 'visible' })
      expect(await cameraState(page)).toEqual({ streams: 2, live: 1 })
      await page.goBack()
      await page.locator('.home-name').waitFor({ state: 'visible' })
      await page.waitForFunction(() => {
        const streams = (window as unknown as { __streams: MediaStream[] }).__streams
        return streams.flatMap((s) => s.getTracks()).every((t) => t.readyState === 'ended')
      })
      expect(await page.locator('.camera-scan').count()).toBe(0)
      expect(errors).toEqual([])
    } finally {
      await phone.close()
    }
  })

  it('a browser that refuses the camera: a kind message, and the six digits still work', async () => {
    const phone = await launchPhone({ args: ['--use-fake-device-for-media-stream', '--deny-permission-prompts'] })
    try {
      const page = await phone.context.newPage()
      const errors = watchErrors(page)
      await loginAs(page, live.server.url, 'm_br_2_07')
      await openCheckin(page)
      await page.locator('.checkin-camera-open').click()
      const problem = page.locator('.checkin-camera-problem')
      await problem.waitFor({ state: 'visible' })
      expect(await problem.getAttribute('data-problem')).toBe('denied')
      const text = await problem.innerText()
      expect(text).toContain('没能打开相机')
      expect(text).toContain('输入大屏上的 6 位数字')
      expect(text).not.toMatch(/NotAllowed|Error|getUserMedia/)
      expect(await page.locator('.camera-scan').count()).toBe(0)
      await page.locator('.checkin-code-input').waitFor({ state: 'visible' })
      await page.locator('.checkin-code-submit').waitFor({ state: 'visible' })
      expect(errors).toEqual([])
    } finally {
      await phone.close()
    }
  })
})
