/**
 * Shared setup of the judge scenarios (exemption, 补学, 心得): a small branch
 * of our own under the demo 党委, so every figure of it is known exactly,
 * texts nobody else wrote, and a check-in with a valid code.
 */
import { issueCheckinToken } from '../../cloudfunctions/_shared/checkin-token'
import type { Runtime } from '../../cloudfunctions/_shared/runtime'
import type { Member } from '../../src/core/schemas/member'
import { OrgSchema, type Org } from '../../src/core/schemas/org'
import { makeLocalRuntime } from '../../server/local-runtime'
import { TEST_SECRET, expectOk, type TestEnv } from '../helpers/env'
import { VENUE } from './checkin.fixtures'

const YEAR_MS = 365 * 24 * 3600e3

/** A branch `id` under org_demo with members `${id}_1` (its secretary) … `${id}_n`, of long standing. */
export async function addBranch(env: TestEnv, id: string, members: Array<Partial<Member>>): Promise<{ branch: Org; ids: string[] }> {
  const now = env.clock.now()
  const branch = OrgSchema.parse({ _id: id, type: 'branch', name: `${id}支部`, parentId: 'org_demo', path: ['org_demo', id], inviteCode: `${id.toUpperCase()}0000`.slice(0, 8), closed: false, createdAt: now - 3 * YEAR_MS })
  await env.db.collection('orgs').add({ data: branch })
  const ids: string[] = []
  for (let i = 0; i < members.length; i++) {
    const _id = `${id}_${i + 1}`
    ids.push(_id)
    await env.db.collection('members').add({
      data: {
        _id, name: `${id}党员${i + 1}`, openid: `dev_${_id}`, branchId: id, groupId: null, orgPath: ['org_demo', id], rank: 'staff', leadingCadre: false, retired: false,
        exempt: null, birthYear: 1980, largeText: false, active: true, joinStatus: 'confirmed', joinedAt: now - 3 * YEAR_MS, createdAt: now - 3 * YEAR_MS,
        roles: i === 0 ? [{ role: 'secretary', orgId: id }] : [],
        ...members[i]
      }
    })
  }
  return { branch, ids }
}

/** Checks in with the code of the current slot, at the venue. */
export async function checkInNow(env: TestEnv, sessionId: string, as: string) {
  const token = issueCheckinToken(TEST_SECRET, sessionId, env.clock.now()).token
  return expectOk(await env.call('checkin', 'checkIn', { sessionId, token, location: { ...VENUE, accuracyM: 10 } }, as))
}

/** A runtime on the test database and clock, for the shared steps a cron job runs (reconciliation). */
export function runtimeOf(env: TestEnv): Runtime {
  return makeLocalRuntime({ db: env.db, secret: TEST_SECRET, production: false, clock: env.clock, log: () => undefined }, { openid: null, source: 'none' })
}

/**
 * A text nobody else wrote: Han characters from the whole basic block by a
 * seeded generator, so two texts share no 10-character passage; `chars`
 * characters, so as many words (countNoteWords counts each Han character).
 */
export function ownText(seed: number, chars: number): string {
  let x = (seed * 2654435761) >>> 0
  let s = ''
  for (let i = 0; i < chars; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0
    s += String.fromCharCode(0x4e00 + ((x >>> 8) % 20000))
    if (i % 40 === 39) s += '。'
  }
  return s
}
