/**
 * The function host runs deployable bundles as CloudBase does. These tests use
 * small fixture bundles that load the real wx-server-sdk, so what they prove
 * about identity is what the SDK itself reads.
 */
import { existsSync, mkdtempSync, rmSync } from 'fs'
import { tmpdir } from 'os'
import { join } from 'path'
import { startCloudbaseEmulator } from '../../server/cloudbase/emulator'
import { startFunctionHost, type FunctionHost } from '../../server/cloudbase/function-host'
import { openDatabase } from '../../server/db'
import { seedDemoData } from '../../server/seed'
import { DEMO_PEOPLE } from '../../server/seed/people'

const FIXTURES = join(__dirname, 'fixtures', 'functions')
// What the emulator would hand over, minus a reachable endpoint.
const BASE_ENV = {
  TCB_ENV: 'test-env',
  TENCENTCLOUD_SECRETID: 'dummy-id',
  TENCENTCLOUD_SECRETKEY: 'dummy-key',
  TCB_CONTEXT_CNFG: JSON.stringify({ URL: 'http://127.0.0.1:9/admin' }),
  WX_APPID: 'wxfixture000000001',
  ZBDK_SECRET: 'fixture-secret'
}

type Snapshot = {
  ctx: Record<string, unknown>
  userInfo?: { appId: string; openId: string }
  env: Record<string, string | undefined>
  context: Record<string, unknown>
  calls: number
  threadId: number
  activeAtStart: number
}

const hosts: FunctionHost[] = []
async function host(opts: { maxInstances?: number; timeoutScale?: number; env?: Record<string, string> } = {}): Promise<FunctionHost> {
  const h = await startFunctionHost({ functionsRoot: FIXTURES, env: BASE_ENV, ...opts })
  hosts.push(h)
  return h
}
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((h) => h.close()))
})

describe('identity', () => {
  it('delivers the caller through the variables getWXContext reads, per invocation', async () => {
    const h = await host({ maxInstances: 1 })
    const a = await h.invoke('probe', { action: 'whoami' }, { openid: 'dev_m001' })
    const r = a.result as Snapshot
    expect(a.error).toBeUndefined()
    expect(r.ctx).toEqual({ OPENID: 'dev_m001', APPID: 'wxfixture000000001', CLIENTIP: '127.0.0.1', ENV: 'test-env', SOURCE: 'wx_client' })
    expect(r.userInfo).toEqual({ appId: 'wxfixture000000001', openId: 'dev_m001' })
    expect(r.env.ZBDK_SECRET).toBe('fixture-secret')
    expect(r.env.SCF_FUNCTIONNAME).toBe('probe')
    expect(r.context).toEqual({ function_name: 'probe', time_limit_in_ms: 3000, memory_limit_in_mb: 256 })

    // Same instance, next caller, then no caller at all: nothing carries over.
    const b = (await h.invoke('probe', { action: 'whoami' }, { openid: 'dev_m002' })).result as Snapshot
    expect(b.ctx.OPENID).toBe('dev_m002')
    const c = await h.invoke('probe', { action: 'whoami' })
    const cr = c.result as Snapshot
    expect(c.instance).toBe(a.instance)
    expect(cr.ctx.OPENID).toBeUndefined()
    expect(cr.env.WX_OPENID).toBeUndefined()
    expect(cr.userInfo).toBeUndefined()
    expect(cr.calls).toBe(3)
  })

  it('overwrites a userInfo forged in the payload and does not leak the host process env', async () => {
    process.env.HOST_ONLY = 'leaked'
    try {
      const h = await host()
      const r = (await h.invoke('probe', { action: 'whoami', userInfo: { openId: 'dev_admin' } }, { openid: 'dev_m003' })).result as Snapshot
      expect(r.userInfo?.openId).toBe('dev_m003')
      expect(r.env.HOST_ONLY).toBeUndefined()
    } finally {
      delete process.env.HOST_ONLY
    }
  })
})

describe('instances', () => {
  it('runs one invocation per instance, scales out to maxInstances, then queues', async () => {
    const h = await host({ maxInstances: 3 })
    const runs = await Promise.all(
      [1, 2, 3, 4, 5].map((i) => h.invoke('probe', { action: 'sleep', ms: 300 }, { openid: `dev_m00${i}` }))
    )
    runs.forEach((run, i) => {
      const r = run.result as Snapshot
      expect(run.error).toBeUndefined()
      expect(r.ctx.OPENID).toBe(`dev_m00${i + 1}`)
      expect(r.activeAtStart).toBe(1)
    })
    expect(new Set(runs.map((r) => r.instance)).size).toBe(3)
    expect(new Set(runs.map((r) => (r.result as Snapshot).threadId)).size).toBe(3)
    expect(runs.filter((r) => r.coldStart)).toHaveLength(3)
    expect(runs.filter((r) => (r.queuedMs ?? 0) >= 250)).toHaveLength(2)
    expect(h.instances('probe')).toBe(3)
    expect(h.instances()).toBe(3)
  })

  it('keeps module state within an instance across invocations', async () => {
    const h = await host({ maxInstances: 1 })
    const first = await h.invoke('probe', { action: 'whoami' }, { openid: 'dev_m001' })
    const second = await h.invoke('probe', { action: 'whoami' }, { openid: 'dev_m001' })
    expect(first.coldStart).toBe(true)
    expect(second.coldStart).toBe(false)
    expect(second.instance).toBe(first.instance)
    expect((second.result as Snapshot).calls).toBe(2)
  })
})

describe('timeouts', () => {
  it('kills the instance at the config.json timeout and starts a fresh one next time', async () => {
    const h = await host()
    const slow = await h.invoke('slow', { ms: 3000 })
    expect(slow.timedOut).toBe(true)
    expect(slow.errCode).toBe(-504003)
    expect(slow.error).toBe('Invoking task timed out after 1 seconds')
    expect(slow.ms).toBeGreaterThanOrEqual(1000)
    expect(slow.ms).toBeLessThan(2500)
    expect(h.instances('slow')).toBe(0)

    const next = await h.invoke('slow', { ms: 10 })
    expect(next.timedOut).toBe(false)
    expect(next.instance).not.toBe(slow.instance)
    expect(next.result).toEqual({ calls: 1 })
  })

  it('uses 3 s without a timeout in config.json (scaled here to keep the test short)', async () => {
    const h = await host({ timeoutScale: 0.1 })
    // The probe would sleep 5 s; killed at the scaled 0.3 s. The margin is for a loaded CI machine
    // (starting a worker thread there took 0.9 s once), not for the timeout itself.
    const run = await h.invoke('probe', { action: 'sleep', ms: 5000 })
    expect(run.timedOut).toBe(true)
    expect(run.error).toBe('Invoking task timed out after 3 seconds')
    expect(run.ms).toBeGreaterThanOrEqual(300)
    expect(run.ms).toBeLessThan(2500)
  })
})

describe('failures', () => {
  it('answers a thrown error and keeps the instance', async () => {
    const h = await host({ maxInstances: 1 })
    const run = await h.invoke('probe', { action: 'throw' })
    expect(run.error).toMatch(/Error: boom/)
    expect(run.errCode).toBe(-504002)
    const next = await h.invoke('probe', { action: 'whoami' })
    expect(next.instance).toBe(run.instance)
    expect((next.result as Snapshot).calls).toBe(2)
  })

  it.each(['uncaught', 'unhandled', 'exit'])('turns a crash (%s) into an error answer and a replaced instance', async (action) => {
    const h = await host({ maxInstances: 1 })
    const run = await h.invoke('probe', { action })
    expect(run.error).toMatch(action === 'exit' ? /exited \(code 3\)/ : new RegExp(`${action} boom`))
    expect(run.timedOut).toBe(false)
    const next = await h.invoke('probe', { action: 'whoami' }, { openid: 'dev_m001' })
    expect(next.error).toBeUndefined()
    expect(next.instance).not.toBe(run.instance)
    expect((next.result as Snapshot).calls).toBe(1)
  })

  it('answers the real SDK failing to reach its endpoint, and keeps the instance', async () => {
    const h = await host({ maxInstances: 1 })
    const run = await h.invoke('probe', { action: 'db' }, { openid: 'dev_m001' })
    expect(run.error).toMatch(/collection\.get:fail -501001 .*ECONNREFUSED/)
    expect(run.result).toBeNull()
    expect((await h.invoke('probe', { action: 'whoami' })).instance).toBe(run.instance)
  })

  it('survives the uncaught TcbError the real SDK throws without credentials', async () => {
    const h = await host({ maxInstances: 1, env: {} })
    const run = await h.invoke('probe', { action: 'db' }, { openid: 'dev_m001' })
    expect(run.error).toMatch(/^Uncaught Error: missing secretId or secretKey/)
    const next = await h.invoke('probe', { action: 'whoami' })
    expect(next.error).toBeUndefined()
    expect(next.instance).not.toBe(run.instance)
  })

  it('kills an instance that outgrows the memorySize in config.json', async () => {
    const h = await host({ maxInstances: 1 })
    const warm = await h.invoke('hog', { chunks: 1 })
    expect(warm.result).toBe(1)
    const run = await h.invoke('hog', { chunks: 200 })
    expect(run.error).toBe('memory limit exceeded (64 MB)')
    const next = await h.invoke('hog', { chunks: 1 })
    expect(next.instance).not.toBe(run.instance)
    expect(next.result).toBe(1)
  })

  it('refuses an unknown function the way CloudBase names it', async () => {
    const h = await host()
    const run = await h.invoke('nope', {})
    expect(run.errCode).toBe(-501000)
    expect(run.error).toMatch(/FunctionName parameter could not be found/)
    expect((await h.invoke('../probe', {})).errCode).toBe(-501000)
  })
})

describe('payloads', () => {
  it('refuses an event over 6 MB before starting any instance', async () => {
    const h = await host()
    const run = await h.invoke('probe', { action: 'echo', blob: 'x'.repeat(6 * 1024 * 1024) })
    expect(run.error).toMatch(/at most 6291456 bytes \(6 MB\)/)
    expect(h.instances('probe')).toBe(0)
  })

  it('refuses a result over 6 MB and keeps the instance', async () => {
    const h = await host({ maxInstances: 1 })
    const run = await h.invoke('probe', { action: 'big' })
    expect(run.error).toMatch(/returns at most 6291456 bytes/)
    expect((await h.invoke('probe', { action: 'whoami' })).instance).toBe(run.instance)
  })

  it('passes events and results as JSON, as CloudBase does', async () => {
    const h = await host()
    const echo = await h.invoke('probe', { action: 'echo', when: new Date(0), gone: undefined })
    expect(echo.result).toEqual({ action: 'echo', when: '1970-01-01T00:00:00.000Z' })
    expect((await h.invoke('probe', { action: 'undefined' })).result).toBeNull()
  })

  it('returns the console output of the invocation', async () => {
    const h = await host()
    const run = await h.invoke('probe', { action: 'log', x: 42 })
    expect(run.logs).toEqual(['hello 42', '[error] careful'])
  })
})

describe('timer triggers', () => {
  it('sends the timer event with no OPENID', async () => {
    const h = await host()
    const run = await h.timer('ticker', 'tick')
    const r = run.result as { event: Record<string, unknown>; ctx: Record<string, unknown>; triggerSrc: string }
    expect(r.event).toEqual({ Type: 'Timer', TriggerName: 'tick', Time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/), Message: '' })
    expect(r.ctx).toEqual({ APPID: 'wxfixture000000001', ENV: 'test-env' })
    expect(r.triggerSrc).toBe('timer')
  })

  it('refuses a trigger config.json does not declare, or more than the one CloudBase allows', async () => {
    const h = await host()
    await expect(h.timer('ticker', 'tock')).rejects.toThrow(/no timer trigger named 'tock'/)
    await expect(h.timer('twotimers', 'a')).rejects.toThrow(/only one trigger per function/)
  })
})

describe('a real bundle against the emulator', () => {
  it('answers auth.whoami for a seeded member, identity taken from the WeChat context', async () => {
    const functionsRoot = join(__dirname, '..', '..', 'cloudfunctions')
    if (!existsSync(join(functionsRoot, 'auth', 'index.js'))) {
      throw new Error('cloudfunctions/auth/index.js is missing: run `npm run build:functions` first')
    }
    const dir = mkdtempSync(join(tmpdir(), 'zbdk-fnhost-'))
    const file = join(dir, 'db.sqlite')
    const db = openDatabase({ file })
    await seedDemoData(db, Date.parse('2026-11-20T02:00:00Z'))
    db.close()
    const emulator = await startCloudbaseEmulator({ file, latencyMs: 0 })
    try {
      const h = await startFunctionHost({ functionsRoot, env: { ...emulator.env, ZBDK_SECRET: 'test-secret' } })
      hosts.push(h)
      const run = await h.invoke('auth', { action: 'whoami' }, { openid: `dev_${DEMO_PEOPLE.member1}` })
      expect(run.error).toBeUndefined()
      const result = run.result as { ok: boolean; data: { me: { member: { _id: string; openid: string } } | null } }
      expect(result.ok).toBe(true)
      expect(result.data.me?.member).toMatchObject({ _id: DEMO_PEOPLE.member1, openid: `dev_${DEMO_PEOPLE.member1}` })
      expect(emulator.stats().total).toBeGreaterThan(0)

      // A caller the database does not know is nobody, not the previous caller.
      const stranger = await h.invoke('auth', { action: 'whoami' }, { openid: 'dev_nobody' })
      expect(stranger.instance).toBe(run.instance)
      expect(stranger.result).toEqual({ ok: true, data: { me: null } })
    } finally {
      await Promise.all(hosts.splice(0).map((x) => x.close()))
      await emulator.close()
      rmSync(dir, { recursive: true, force: true })
    }
  }, 60_000)
})

describe('open API permissions', () => {
  it('holds a function to its config.json permissions.openapi, as CloudBase does; the same call from a permitted setup lands', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zbdk-fnperm-'))
    const file = join(dir, 'db.sqlite')
    openDatabase({ file }).close()
    const strict = await startCloudbaseEmulator({ file, latencyMs: 0, functionsRoot: FIXTURES })
    const lax = await startCloudbaseEmulator({ file: join(dir, 'lax.sqlite'), latencyMs: 0 })
    try {
      const refused = (await (await host({ env: { ...strict.env, ZBDK_SECRET: 'x' } })).invoke('probe', { action: 'push' }, { openid: 'dev_m001' })).result as { errCode: number; errMsg: string }
      expect(refused.errCode).toBe(-604101)
      expect(refused.errMsg).toContain('probe/config.json permissions.openapi')
      // Without the folder to read, the emulator cannot judge and lets it through: the refusal above is the rule, not a broken call.
      const sent = (await (await host({ env: { ...lax.env, ZBDK_SECRET: 'x' } })).invoke('probe', { action: 'push' }, { openid: 'dev_m001' })).result as { errCode: number }
      expect(sent.errCode).toBe(0)
    } finally {
      await Promise.all(hosts.splice(0).map((x) => x.close()))
      await strict.close()
      await lax.close()
      rmSync(dir, { recursive: true, force: true })
    }
  }, 60_000)
})
