/**
 * The local scheduler runs cron's `tick`, the same action CloudBase's one
 * timer trigger runs, with no caller identity: a session whose check-in has
 * closed is tallied on the first tick.
 */
import * as functions from '../../server/functions'
import { startScheduler } from '../../server/scheduler'
import { TEST_SECRET, makeTestEnv, type TestEnv } from '../helpers/env'
import { HOUR, addSession } from '../functions/checkin.fixtures'

let env: TestEnv
beforeEach(async () => {
  env = await makeTestEnv()
})
afterEach(() => env.close())

it('tallies a closed session on its first tick, through cron.tick', async () => {
  // 01:00 in Shanghai: before the nightly reconciliation's hour, so the tick is all the first round does.
  env.clock.set(Date.parse('2026-11-19T17:00:00Z'))
  const s = await addSession(env, { startIn: -3 * HOUR, durationMs: 2 * HOUR })
  const real = functions.getFunction('cron')!
  const seen: Array<{ event: unknown; identity: unknown; result?: unknown }> = []
  const spy = jest.spyOn(functions, 'getFunction').mockImplementation((name) =>
    name === 'cron'
      ? async (rt, event) => {
          const call: (typeof seen)[number] = { event, identity: rt.identity }
          seen.push(call)
          call.result = await real(rt, event)
          return call.result as never
        }
      : undefined
  )
  const logs: string[] = []
  const scheduler = startScheduler({ db: env.db, secret: TEST_SECRET, production: false, clock: env.clock, log: (_l, msg) => void logs.push(msg) }, 3_600_000)
  try {
    for (let i = 0; i < 300 && !seen.some((c) => c.result); i++) await new Promise((r) => setTimeout(r, 20))
    expect(seen[0]).toMatchObject({ event: { action: 'tick', jobs: ['tally', 'reminders'] }, identity: { openid: null } })
    expect(seen[0].result).toMatchObject({ ok: true, data: { job: 'tick', jobs: { tally: { done: true }, reminders: { done: true } } } })
    expect((await env.db.collection('sessions').doc(s._id).get()).data?.talliedAt).toBe(env.clock.now())
    expect(logs).toEqual([])
  } finally {
    scheduler.stop()
    spy.mockRestore()
  }
})
