/**
 * 待确认 on CloudBase, through the deployable bundles on the emulator (real
 * wx-server-sdk, collections must exist, doc-only transactions, 10 ms a
 * call): a scan synced after its code rotated waits in pending_checkins,
 * counts nowhere, and one confirmation moves each into checkins in its own
 * small transaction.
 */
import { issueCheckinToken } from '../../cloudfunctions/_shared/checkin-token'
import type { Session } from '../../src/core/schemas/session'
import { CLOUDBASE_SECRET, cbFail, cbOk, makeCloudbaseEnv, type CloudbaseEnv } from '../helpers/cloudbase-env'
import { MIN } from './journeys.fixtures'

jest.setTimeout(120_000)

const SECRETARY = 'm_br_2_01'
const WHO = ['m_br_2_05', 'm_br_2_06', 'm_br_2_07']
let env: CloudbaseEnv

beforeAll(async () => {
  env = await makeCloudbaseEnv({ latencyMs: 10 })
})
afterAll(async () => {
  await env?.close()
})

type Roster = { rows: { member: { _id: string }; state: string }[]; counts: { attended: number; late: number } }

describe('phone-dated scans on CloudBase', () => {
  it('wait as 待确认, then one confirmation counts them, each in a small transaction', async () => {
    const now = env.now()
    const s = cbOk(
      await env.call<{ sessions: Session[] }>(
        'session',
        'create',
        {
          branchId: 'br_2',
          title: '离线补传演练',
          type: 'group_study',
          startAt: now + 10 * MIN,
          endAt: now + 60 * MIN,
          venue: { name: '三楼会议室' },
          checkin: { opensAt: now - 10 * MIN, lateAfter: now + 15 * MIN, closesAt: now + 60 * MIN }
        },
        SECRETARY
      )
    ).sessions[0]
    // A code shown three minutes ago, photographed (or scanned offline): only the phone's clock dates it.
    const scannedAt = now - 3 * MIN
    const token = issueCheckinToken(CLOUDBASE_SECRET, s._id, scannedAt).token
    for (const m of WHO) {
      const out = cbOk(await env.call<{ checkin?: unknown; pending?: { at: number } }>('checkin', 'checkIn', { sessionId: s._id, token, clientAt: scannedAt }, m))
      expect(out.checkin).toBeUndefined()
      expect(out.pending!.at).toBe(scannedAt)
    }
    const before = cbOk(await env.call<Roster>('session', 'roster', { sessionId: s._id }, SECRETARY))
    expect(before.counts.attended + before.counts.late).toBe(0)
    const waiting = cbOk(await env.call<{ rows: { memberId: string }[] }>('checkin', 'pendingCheckins', { sessionId: s._id }, SECRETARY)).rows
    expect(waiting.map((r) => r.memberId).sort()).toEqual(WHO)
    cbFail(await env.call('checkin', 'confirmCheckins', { sessionId: s._id, accept: true }, WHO[0]), 'FORBIDDEN')

    env.resetStats()
    const done = cbOk(await env.call<{ confirmed: number }>('checkin', 'confirmCheckins', { sessionId: s._id, accept: true }, SECRETARY))
    expect(done.confirmed).toBe(3)
    const txOps = env.stats().txOps
    expect(txOps.length).toBeGreaterThanOrEqual(3)
    expect(Math.max(...txOps)).toBeLessThanOrEqual(20)

    const after = cbOk(await env.call<Roster>('session', 'roster', { sessionId: s._id }, SECRETARY))
    for (const m of WHO) expect(after.rows.find((r) => r.member._id === m)!.state).toBe('attended')
    expect(cbOk(await env.call<{ rows: unknown[] }>('checkin', 'pendingCheckins', { sessionId: s._id }, SECRETARY)).rows).toHaveLength(0)
  })
})
