/**
 * A branch of a chosen size for the call-budget suites: written straight into
 * the database, one secretary and `size` ordinary members, under the demo
 * organisation, plus a counting database for the handlers.
 */
import { readFileSync } from 'fs'
import { join } from 'path'
import { MemberSchema } from '../../src/core/schemas/member'
import { OrgSchema } from '../../src/core/schemas/org'
import { SessionSchema, type Session } from '../../src/core/schemas/session'
import { CallCounter, countingDb } from '../helpers/counting-db'
import { makeTestEnv, type TestEnv } from '../helpers/env'

export const MIN = 60 * 1000
export const HOUR = 60 * MIN

export async function countedEnv(): Promise<{ env: TestEnv; counter: CallCounter }> {
  const counter = new CallCounter()
  const env = await makeTestEnv({ wrapDb: (db) => countingDb(db, counter) })
  return { env, counter }
}

export interface Branch {
  id: string
  secretary: string
  members: string[]
}

export async function addBranch(env: TestEnv, id: string, size: number): Promise<Branch> {
  const t0 = env.clock.now() - 30 * 24 * HOUR
  const path = ['org_demo', id]
  await env.db.collection('orgs').add({
    data: OrgSchema.parse({ _id: id, type: 'branch', name: `测试${id}支部`, parentId: 'org_demo', path, closed: false, createdAt: t0 })
  })
  const person = (mid: string, extra: Record<string, unknown> = {}) =>
    MemberSchema.parse({
      _id: mid, name: `党员${mid.slice(-3)}`, openid: `dev_${mid}`, branchId: id, groupId: null, orgPath: path, rank: 'staff', roles: [],
      leadingCadre: false, retired: false, exempt: null, joinedAt: t0, createdAt: t0, ...extra
    })
  const secretary = `${id}_sec`
  await env.db.collection('members').add({ data: person(secretary, { roles: [{ role: 'secretary', orgId: id }] }) })
  const members: string[] = []
  for (let i = 1; i <= size; i++) {
    const mid = `${id}_m${String(i).padStart(3, '0')}`
    members.push(mid)
    await env.db.collection('members').add({ data: person(mid) })
  }
  return { id, secretary, members }
}

let n = 0

/** An online session (no QR, no fence) of the branch starting `startIn` from now; check-in open 30 min before. */
export async function addOnlineSession(env: TestEnv, branch: Branch, startIn = 10 * MIN): Promise<Session> {
  const now = env.clock.now()
  const startAt = now + startIn
  const s = SessionSchema.parse({
    _id: `s_cb_${++n}`, title: `测试活动${n}`, type: 'theme_day', branchId: branch.id, orgPath: ['org_demo', branch.id], startAt, endAt: startAt + 2 * HOUR,
    venue: { name: '线上' }, checkin: { opensAt: startAt - 30 * MIN, closesAt: startAt + 2 * HOUR, lateAfter: startAt + 10 * MIN },
    audience: { kind: 'branch' }, allowOnlineWithoutQr: true, status: 'scheduled', createdBy: branch.secretary, createdAt: now - HOUR, updatedAt: now - HOUR
  })
  await env.db.collection('sessions').add({ data: s })
  return s
}

/** About `chars` characters of a real speech (data/seeds), cut at a sentence end when one is near. */
export function speechText(chars: number, which = 1, from = 0): string {
  const text = readFileSync(join(__dirname, '../../data/seeds', `speech-${which}.txt`), 'utf8').replace(/\s+/g, '')
  const cut = text.slice(from, from + chars)
  const end = cut.lastIndexOf('。')
  return end > chars * 0.9 ? cut.slice(0, end + 1) : cut
}
