import type { Session } from '../../src/core/schemas/session'
import type { TestEnv } from '../helpers/env'

/** Shared by the session function suites (not a test file: jest matches *.test.ts only). */
export const MIN = 60 * 1000
export const H = 60 * MIN
export const DAY = 24 * H

/** Epoch ms of a Shanghai wall-clock time, written independently of the code under test. */
export const sh = (iso: string): number => Date.parse(`${iso}+08:00`)

/** A second, unrelated 党委 with its own branch, secretary and admin: nothing of it may leak either way. */
export async function addOtherOrg(env: TestEnv): Promise<void> {
  const now = env.clock.now()
  await env.db.collection('orgs').add({ data: { _id: 'org_other', type: 'committee', name: '另一个党委', parentId: null, path: ['org_other'], closed: false, createdAt: now } })
  await env.db.collection('orgs').add({ data: { _id: 'br_x', type: 'branch', name: '外单位支部', parentId: 'org_other', path: ['org_other', 'br_x'], inviteCode: 'OTHER001', closed: false, createdAt: now } })
  const base = { groupId: null, rank: 'staff', leadingCadre: false, retired: false, exempt: null, largeText: false, active: true, joinStatus: 'confirmed', joinedAt: now, createdAt: now }
  await env.db.collection('members').add({ data: { ...base, _id: 'm_x_1', name: '外单位书记', openid: 'dev_m_x_1', branchId: 'br_x', orgPath: ['org_other', 'br_x'], roles: [{ role: 'secretary', orgId: 'br_x' }] } })
  await env.db.collection('members').add({ data: { ...base, _id: 'm_x_2', name: '外单位管理员', openid: 'dev_m_x_2', branchId: 'br_x', orgPath: ['org_other', 'br_x'], roles: [{ role: 'admin', orgId: 'org_other' }], leadingCadre: true } })
}

/** A valid create input for br_2 on 25 November 2026, 14:30–16:30 Shanghai (the test clock is 20 November). */
export function themeDay(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    branchId: 'br_2',
    title: '11月主题党日：重温入党誓词',
    type: 'theme_day',
    startAt: sh('2026-11-25T14:30'),
    endAt: sh('2026-11-25T16:30'),
    venue: { name: '第二党支部活动室', geofence: { lat: 39.9087, lng: 116.3975 } },
    ...over
  }
}

export type Created = { sessions: Session[]; notices?: Array<{ code: string; message: string; index?: number }> }
