/**
 * Shared setup of the checkin function tests: sessions written straight into
 * the test database (schema-checked), at times relative to the manual clock,
 * and a way to call the handler with another runtime secret.
 */
import { SessionSchema, type Session } from '../../src/core/schemas/session'
import { getFunction } from '../../server/functions'
import { makeLocalRuntime } from '../../server/local-runtime'
import type { Result } from '../../src/core/errors'
import type { TestEnv } from '../helpers/env'

export const MIN = 60 * 1000
export const HOUR = 60 * MIN
export const VENUE = { lat: 39.9087, lng: 116.3975 }

/** Demo people of br_2 (12 members): 01 secretary, 02 committee, 05 an ordinary member. */
export const BR2 = {
  secretary: 'm_br_2_01',
  committee: 'm_br_2_02',
  member: 'm_br_2_05',
  others: ['m_br_2_06', 'm_br_2_07', 'm_br_2_08', 'm_br_2_09', 'm_br_2_10', 'm_br_2_11', 'm_br_2_12']
} as const

let counter = 0

export interface SessionOpts {
  /** Start relative to the clock (default +10 min: check-in open, on time). */
  startIn?: number
  durationMs?: number
  branchId?: string
  audience?: Session['audience']
  geofence?: { lat: number; lng: number; radiusM: number } | null
  allowOnlineWithoutQr?: boolean
  status?: 'scheduled' | 'cancelled'
  cancelReason?: string
  title?: string
  id?: string
  /** Default: theme_day (committee_meeting for a committee audience). */
  type?: Session['type']
}

/** A session of br_2 by default: window opens 30 min before start, late after +10 min, closes at end. */
export async function addSession(env: TestEnv, opts: SessionOpts = {}): Promise<Session> {
  const now = env.clock.now()
  const startAt = now + (opts.startIn ?? 10 * MIN)
  const endAt = startAt + (opts.durationMs ?? 2 * HOUR)
  const branchId = opts.branchId ?? 'br_2'
  const doc = SessionSchema.parse({
    _id: opts.id ?? `s_test_${++counter}`,
    title: opts.title ?? `测试活动 ${counter}`,
    type: opts.type ?? (opts.audience?.kind === 'committee' ? 'committee_meeting' : 'theme_day'),
    branchId,
    orgPath: ['org_demo', branchId],
    startAt,
    endAt,
    venue: opts.geofence === null ? { name: '线上' } : { name: '三楼会议室', geofence: opts.geofence ?? { ...VENUE, radiusM: 200 } },
    checkin: { opensAt: startAt - 30 * MIN, closesAt: endAt, lateAfter: startAt + 10 * MIN },
    audience: opts.audience ?? { kind: 'branch' },
    allowOnlineWithoutQr: opts.allowOnlineWithoutQr ?? false,
    status: opts.status ?? 'scheduled',
    ...(opts.cancelReason ? { cancelReason: opts.cancelReason } : {}),
    createdBy: 'm_br_2_01',
    createdAt: now - 24 * HOUR,
    updatedAt: now - 24 * HOUR
  })
  await env.db.collection('sessions').add({ data: doc })
  return doc
}

/** Calls a function as a member with a runtime secret of the test's choosing (e.g. '' for a misconfigured cloud). */
export async function callWithSecret(env: TestEnv, secret: string, fn: string, action: string, input: Record<string, unknown>, as: string): Promise<Result<unknown>> {
  const rt = makeLocalRuntime({ db: env.db, secret, production: false, clock: env.clock, log: () => undefined }, { openid: `dev_${as}`, source: 'local-token' })
  return getFunction(fn)!(rt, { action, ...input })
}
