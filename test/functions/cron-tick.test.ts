/**
 * cron's one timer trigger: `tick` runs tally and reminders every time and
 * reconciliation only at night, each within its share of the function's
 * timeout, a failing job not stopping the others; the old trigger names
 * still run their job. And every function's config.json declares at most
 * one timer trigger, with a 7-field cron expression.
 */
import { readFileSync, readdirSync, existsSync } from 'fs'
import { join } from 'path'
import { DEFAULT_TICK_PLAN, inReconcileWindow, tickJob, type TickPlan } from '../../cloudfunctions/cron/src/tick'
import type { Runtime } from '../../cloudfunctions/_shared/runtime'
import { getFunction } from '../../server/functions'
import { makeLocalRuntime } from '../../server/local-runtime'
import { TEST_SECRET, expectFail, expectOk, makeTestEnv, type TestEnv } from '../helpers/env'
import { HOUR, addSession } from './checkin.fixtures'

type Report = { processed: number; calls: number; done: boolean; corrected?: number } & { skipped?: string; error?: string }
type TickOut = { job: 'tick'; processed: number; jobs: Record<string, Report>; nextCursor?: string }

let env: TestEnv
const withEnv = () => {
  beforeEach(async () => {
    env = await makeTestEnv()
  })
  afterEach(() => env.close())
}

const logs: Array<[string, string]> = []
function runtime(openid: string | null = null): Runtime {
  return makeLocalRuntime(
    { db: env.db, secret: TEST_SECRET, production: true, clock: env.clock, log: (level, msg) => void logs.push([level, msg]) },
    openid ? { openid, source: 'local-token' } : { openid: null, source: 'none' }
  )
}
/** Exactly what CloudBase sends when a timer trigger fires: no action, the trigger's name. */
const timer = (name: string) => getFunction('cron')!(runtime(), { Type: 'Timer', TriggerName: name, Time: new Date(env.clock.now()).toISOString() })
// 10:00 on the test clock's first day, 02:30 the night after next (the seed's reconciliation is over 20 h old).
const DAY_TIME = Date.parse('2026-11-20T02:00:00Z')
const NIGHT_TIME = Date.parse('2026-11-21T18:30:00Z')

describe('the tick timer', () => {
  withEnv()
  it('by day: tallies a closed session and runs reminders, leaves reconciliation for the night', async () => {
    const s = await addSession(env, { startIn: -3 * HOUR, durationMs: 2 * HOUR })
    const out = expectOk((await timer('tick')) as { ok: true; data: TickOut }) as TickOut
    expect(out.jobs.tally).toMatchObject({ done: true })
    expect(out.jobs.tally.processed).toBeGreaterThanOrEqual(1)
    expect(out.jobs.reminders).toMatchObject({ done: true, calls: 1 })
    expect(out.jobs.reconcile.skipped).toMatch(/2:00/)
    expect(out.nextCursor).toBeUndefined()
    expect((await env.db.collection('sessions').doc(s._id).get()).data?.talliedAt).toBe(DAY_TIME)
  })

  it('at night: reconciles once, then rests until the next night', async () => {
    env.clock.set(NIGHT_TIME)
    const first = expectOk((await timer('tick')) as { ok: true; data: TickOut }) as TickOut
    expect(first.jobs.reconcile).toMatchObject({ done: true, corrected: 0 })
    expect(first.jobs.reconcile.processed).toBeGreaterThan(0)
    expect((await env.db.collection('cron_state').doc('reconcile').get()).data).toMatchObject({ finishedAt: NIGHT_TIME })
    env.clock.advance(5 * 60 * 1000)
    const second = expectOk((await timer('tick')) as { ok: true; data: TickOut }) as TickOut
    expect(second.jobs.reconcile).toMatchObject({ processed: 0, done: true })
    env.clock.set(NIGHT_TIME + 2 * HOUR)
    expect((expectOk((await timer('tick')) as { ok: true; data: TickOut }) as TickOut).jobs.reconcile.skipped).toBeDefined()
  })

  it('still runs a single job when an older deploy\'s trigger names it', async () => {
    const out = expectOk(await timer('tally')) as { job: string }
    expect(out.job).toBe('tally')
    expectFail(await timer('setup'), 'INVALID_INPUT')
  })

  it('is refused to members, and takes only known jobs', async () => {
    expectFail(await getFunction('cron')!(runtime('dev_m_br_2_01'), { action: 'tick' }), 'FORBIDDEN')
    expectFail(await env.call('cron', 'tick', { jobs: ['dropTables'] }, null), 'INVALID_INPUT')
    const only = expectOk(await env.call<TickOut>('cron', 'tick', { jobs: ['tally'] }, null))
    expect(Object.keys(only.jobs)).toEqual(['tally'])
  })
})

describe('the schedule', () => {
  it('knows the night window in Shanghai time, whatever the server\'s zone', () => {
    expect(inReconcileWindow(Date.parse('2026-11-20T17:59:59Z'))).toBe(false) // 01:59:59
    expect(inReconcileWindow(Date.parse('2026-11-20T18:00:00Z'))).toBe(true) // 02:00
    expect(inReconcileWindow(Date.parse('2026-11-20T19:59:59Z'))).toBe(true) // 03:59:59
    expect(inReconcileWindow(Date.parse('2026-11-20T20:00:00Z'))).toBe(false) // 04:00
  })

  it('gives the jobs shares that fit cron\'s timeout with a chunk to spare each', () => {
    const config = JSON.parse(readFileSync(join(__dirname, '../../cloudfunctions/cron/config.json'), 'utf8')) as { timeout: number }
    const shares = Object.values(DEFAULT_TICK_PLAN.shares).reduce((a, b) => a + b, 0)
    expect(shares + 3 * DEFAULT_TICK_PLAN.chunkMs).toBeLessThanOrEqual(config.timeout * 1000)
  })
})

describe('one tick within the timeout', () => {
  withEnv()
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
  const plan = (jobs: Partial<TickPlan['jobs']>, shares: Partial<TickPlan['shares']> = {}): TickPlan => ({
    jobs: { tally: async () => ({ processed: 0 }), reminders: async () => ({ processed: 0 }), reconcile: async () => ({ processed: 0 }), ...jobs },
    shares: { tally: 60, reminders: 60, reconcile: 60, ...shares },
    chunkMs: 20
  })

  it('runs a job chunk after chunk while a whole chunk fits its share, then leaves the rest for the next tick', async () => {
    let chunks = 0
    // A duration, not a date: the shares are wall time, as the function's timeout is.
    const started = performance.now()
    const out = await tickJob(runtime(), {}, plan({ tally: async () => (chunks++, await sleep(8), { processed: 1, nextCursor: 'more' }) }, { tally: 60 }))
    const took = performance.now() - started
    expect(out.jobs.tally).toMatchObject({ done: false, calls: chunks })
    expect(chunks).toBeGreaterThanOrEqual(2)
    expect(took).toBeLessThan(60 + 20 + 30)
    expect(out.nextCursor).toBe('more')
  })

  it('a failing job is logged and the others still run', async () => {
    env.clock.set(NIGHT_TIME)
    logs.length = 0
    const ran: string[] = []
    const out = await tickJob(
      runtime(),
      {},
      plan({
        tally: async () => Promise.reject(new Error('tally broke')),
        reminders: async () => (ran.push('reminders'), { processed: 2 }),
        reconcile: async () => (ran.push('reconcile'), { processed: 3, corrected: 1 })
      })
    )
    expect(out.jobs.tally).toEqual({ error: 'tally broke' })
    expect(ran).toEqual(['reminders', 'reconcile'])
    expect(out.processed).toBe(5)
    expect(out.jobs.reconcile).toMatchObject({ corrected: 1, done: true })
    expect(logs).toContainEqual(['error', 'cron.tick: tally failed'])
  })
})

/** CloudBase timer syntax: second minute hour day month weekday year, UTC+8. */
function cronFieldsProblem(expr: string): string | null {
  const fields = expr.trim().split(/\s+/)
  if (fields.length !== 7) return `has ${fields.length} fields, not 7`
  const ranges: Array<[string, number, number]> = [
    ['second', 0, 59], ['minute', 0, 59], ['hour', 0, 23], ['day', 1, 31], ['month', 1, 12], ['weekday', 0, 6], ['year', 1970, 2099]
  ]
  for (let i = 0; i < 7; i++) {
    const [name, lo, hi] = ranges[i]
    for (const part of fields[i].split(',')) {
      const m = /^(\*|\d+(?:-\d+)?)(?:\/(\d+))?$/.exec(part)
      if (!m) return `${name} "${part}" is not *, n, a-b, a,b or with /step`
      const nums = m[1] === '*' ? [] : m[1].split('-').map(Number)
      if (nums.some((n) => n < lo || n > hi)) return `${name} "${part}" is outside ${lo}-${hi}`
      if (nums.length === 2 && nums[0] > nums[1]) return `${name} "${part}" runs backwards`
      if (m[2] !== undefined && Number(m[2]) < 1) return `${name} "${part}" has a zero step`
    }
  }
  return null
}

describe('timer triggers in config.json', () => {
  const root = join(__dirname, '../../cloudfunctions')
  const configs = readdirSync(root)
    .filter((d) => existsSync(join(root, d, 'config.json')))
    .map((d) => [d, JSON.parse(readFileSync(join(root, d, 'config.json'), 'utf8'))] as const)

  it('reads every function', () => {
    expect(configs.map(([d]) => d)).toEqual(expect.arrayContaining(['cron', 'checkin', 'note']))
  })

  it.each(configs)('%s: at most one timer trigger, with a valid 7-field cron', (_name, config) => {
    const timers = ((config.triggers ?? []) as Array<{ type: string; config: string; name: string }>).filter((t) => t.type === 'timer')
    expect(timers.length).toBeLessThanOrEqual(1)
    for (const t of timers) expect(cronFieldsProblem(t.config)).toBeNull()
  })

  it('the cron check itself catches what CloudBase refuses', () => {
    expect(cronFieldsProblem('0 */5 * * * * *')).toBeNull()
    expect(cronFieldsProblem('0 */5 2-3 * * * *')).toBeNull()
    expect(cronFieldsProblem('*/5 * * * *')).toMatch(/5 fields/)
    expect(cronFieldsProblem('0 61 * * * * *')).toMatch(/minute/)
    expect(cronFieldsProblem('0 0 5-2 * * * *')).toMatch(/backwards/)
    expect(cronFieldsProblem('0 0 * * * * x')).toMatch(/year/)
  })

  it('cron runs one tick every five minutes', () => {
    const cron = configs.find(([d]) => d === 'cron')![1]
    expect(cron.triggers).toEqual([{ name: 'tick', type: 'timer', config: '0 */5 * * * * *' }])
  })
})
