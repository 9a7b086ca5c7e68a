/**
 * A meeting held without the app, recorded afterwards, through the deployable
 * bundles on the CloudBase emulator (real wx-server-sdk, doc-only
 * transactions, 10 ms a call, the functions' own timeouts): the whole branch
 * is written and counted within the session function's timeout, no
 * transaction comes near 50 operations, a resend is the same meeting, and
 * leave entered afterwards on its roster takes the absence back.
 */
import { pointsKey } from '../../src/core/schemas/points'
import { DEMO_PEOPLE } from '../../server/seed/people'
import { cbFail, cbOk, makeCloudbaseEnv, type CloudbaseEnv } from '../helpers/cloudbase-env'
import { HOUR } from './journeys.fixtures'

jest.setTimeout(120_000)

const SECRETARY = DEMO_PEOPLE.secretary2
let env: CloudbaseEnv

beforeAll(async () => {
  env = await makeCloudbaseEnv({ latencyMs: 10 })
})
afterAll(async () => {
  await env?.close()
})

type Recorded = { session: { _id: string; recorded?: boolean; talliedAt?: number; pendingFrom?: unknown }; duplicate: boolean; counted: boolean; counts: Record<string, number> }

describe('补录一场活动 on CloudBase', () => {
  it('writes and counts a branch of 12 in one call, in small transactions; a resend and a late leave stay exact', async () => {
    const start = env.now() - 2 * 24 * HOUR
    const present = ['m_br_2_01', 'm_br_2_02', 'm_br_2_03', 'm_br_2_04', 'm_br_2_06', 'm_br_2_07', 'm_br_2_08', 'm_br_2_09']
    const input = {
      clientId: 'cloud-rec-1',
      branchId: 'br_2',
      type: 'group_study',
      title: '集中学习（纸质签到）',
      startAt: start,
      endAt: start + 2 * HOUR,
      venue: { name: '一楼会议室' },
      attendance: [
        ...present.map((memberId) => ({ memberId, state: 'attended' })),
        { memberId: 'm_br_2_10', state: 'late' },
        { memberId: DEMO_PEOPLE.member2, state: 'leave', reason: '住院' }
      ]
    }
    env.resetStats()
    const r = await env.call<Recorded>('session', 'record', input, SECRETARY)
    const out = cbOk(r)
    expect(out).toMatchObject({ duplicate: false, counted: true, counts: { expected: 12, attended: 8, late: 1, leave: 1, absent: 2 } })
    expect(out.session).toMatchObject({ recorded: true })
    expect(out.session.talliedAt).toBeDefined()
    expect(out.session.pendingFrom).toBeUndefined()
    expect(r.ms).toBeLessThan(10_000)
    expect(Math.max(...env.stats().txOps)).toBeLessThanOrEqual(20)

    const again = cbOk(await env.call<Recorded>('session', 'record', input, SECRETARY))
    expect(again).toMatchObject({ duplicate: true, session: { _id: out.session._id } })

    const db = env.openReader()
    try {
      const absentKey = pointsKey('absent', out.session._id, 'm_br_2_11')
      const net = async () => ((await db.collection('ledger').where({ key: absentKey }).get()).data as unknown as Array<{ delta: number }>).reduce((s, e) => s + e.delta, 0)
      expect(await net()).toBe(-2)
      expect((await db.collection('checkins').where({ sessionId: out.session._id }).get()).data).toHaveLength(9)
      cbOk(await env.call('checkin', 'recordLeave', { sessionId: out.session._id, memberId: 'm_br_2_11', reason: '电话告知：出差' }, SECRETARY))
      expect(await net()).toBe(0)
      cbFail(await env.call('checkin', 'recordLeave', { sessionId: out.session._id, memberId: SECRETARY, reason: '自己有事' }, SECRETARY), 'FORBIDDEN')
    } finally {
      db.close()
    }
  })
})
