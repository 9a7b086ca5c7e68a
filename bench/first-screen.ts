/**
 * H5 first screen in Chromium (not a jest suite):
 *   npm run bench:first-screen [-- runs=5 root=<checkout>]
 *
 * Starts `node --import tsx server/main.ts` on a fresh data folder (demo seed,
 * ZBDK_ADDRESS_LIMITS=off) serving dist/h5 as built (`npm run build:h5`), then
 * opens it in Debian's Chromium (headless, a phone viewport, a new context per
 * run, so an empty cache: a cold first visit) and times navigation start ->
 * the login page usable: its first demo identity (.login-identity, which needs
 * the JS, the CSS and one API answer) is laid out, visible and not busy. The
 * time is the page's own performance.now() at that frame (from its timeOrigin).
 * Two profiles, `runs` times each, median reported:
 *   cold       this machine, no throttling;
 *   throttled  a weak phone on 4G: CDP Network.emulateNetworkConditions
 *              latency 150 ms, 1.6 Mbps (200,000 bytes/s) each way, and
 *              Emulation.setCPUThrottlingRate 4.
 * Bytes are what crossed the wire (CDP encodedDataLength, headers included).
 * `root=<dir>` runs the server of another checkout (with its dist/h5), to compare before/after.
 */
import { mkdtempSync, rmSync } from 'fs'
import { tmpdir } from 'os'
import { join, resolve } from 'path'
import { chromium, type Browser } from 'playwright-core'
import { startBenchServer } from './server'

const ROOT = resolve(process.argv.find((a) => a.startsWith('root='))?.slice(5) ?? join(__dirname, '..'))
const RUNS = Number(process.argv.find((a) => a.startsWith('runs='))?.slice(5) ?? 5)
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium'
const BUDGET = { cold: 600, throttled: 2500 }

function startServer(dataDir: string) {
  return startBenchServer({ root: ROOT, env: { ZBDK_DATA_DIR: dataDir, ZBDK_STATIC_DIR: join(ROOT, 'dist', 'h5') } })
}

interface Run { ms: number; bytes: number; requests: number; encodings: Record<string, number> }

async function once(browser: Browser, url: string, throttled: boolean): Promise<Run> {
  const context = await browser.newContext({ viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' })
  try {
    const page = await context.newPage()
    const cdp = await context.newCDPSession(page)
    await cdp.send('Network.enable')
    if (throttled) {
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 150, downloadThroughput: 200_000, uploadThroughput: 200_000 })
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 })
    }
    let bytes = 0
    let requests = 0
    const encodings: Record<string, number> = {}
    cdp.on('Network.responseReceived', (e) => {
      const enc = (e.response.headers['content-encoding'] ?? e.response.headers['Content-Encoding'] ?? 'identity') as string
      encodings[enc] = (encodings[enc] ?? 0) + 1
    })
    cdp.on('Network.loadingFinished', (e) => {
      bytes += e.encodedDataLength
      requests++
    })
    await page.goto(`${url}/`, { waitUntil: 'commit' })
    const handle = await page.waitForFunction(
      () => {
        const el = document.querySelector('.login-identity:not(.login-identity--busy)') as HTMLElement | null
        if (!el || el.getAttribute('disabled') !== null) return false
        const r = el.getBoundingClientRect()
        if (r.width === 0 || r.height === 0 || getComputedStyle(el).visibility === 'hidden') return false
        return performance.now()
      },
      undefined,
      { polling: 'raf', timeout: 60_000 }
    )
    const ms = (await handle.jsonValue()) as number
    // What the first screen fetched: let in-flight requests finish before counting.
    await page.waitForLoadState('networkidle').catch(() => undefined)
    return { ms, bytes, requests, encodings }
  } finally {
    await context.close()
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'zbdk-first-screen-'))
  const server = await startServer(dataDir)
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
  })
  try {
    console.log(`first screen of ${server.url} (${ROOT}), ${RUNS} runs each, a new context (empty cache) per run`)
    // One unmeasured visit: the server's first answers (tsx, the database) are not the page's cost.
    await once(browser, server.url, false)
    for (const mode of ['cold', 'throttled'] as const) {
      const runs: Run[] = []
      for (let i = 0; i < RUNS; i++) runs.push(await once(browser, server.url, mode === 'throttled'))
      const ms = median(runs.map((r) => r.ms))
      const budget = BUDGET[mode]
      console.log(
        `${mode.padEnd(9)} median ${ms.toFixed(0)} ms (budget ≤ ${budget} ms: ${ms <= budget ? 'within' : 'OVER'}); ` +
          `runs ${runs.map((r) => r.ms.toFixed(0)).join(', ')} ms; ` +
          `${(median(runs.map((r) => r.bytes)) / 1024).toFixed(1)} KB over the wire in ${runs[0].requests} requests ` +
          `(${Object.entries(runs[0].encodings).map(([k, v]) => `${v} ${k}`).join(', ')})`
      )
    }
  } finally {
    await browser.close()
    server.child.kill('SIGTERM')
    await new Promise((r) => server.child.once('exit', r))
    rmSync(dataDir, { recursive: true, force: true })
  }
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
