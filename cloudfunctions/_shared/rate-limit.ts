/**
 * Per-member rate limits inside the functions, counted in the database so
 * that every CloudBase instance sees one count (an instance serves one call at
 * a time and there may be hundreds: an in-memory counter would count nothing).
 *
 * The dispatcher (dispatch.ts) asks `limitFor(fn, action)` which class an
 * action belongs to and calls `hitMemberLimit` before the handler runs, so no
 * handler knows about limits and a new write action is classified here.
 *
 * One counter document per (class, who, window) in `rate_limits`, id
 * `rl_<class>_<hash of who>_<window>`, answered in one database call for the
 * usual case:
 * 1. `add` the window's document with n = 1: the first hit of a window (a
 *    person's writes are minutes apart, so nearly every real write) costs
 *    this one call;
 * 2. taken (DUPLICATE_ID): `where({ _id, n < limit }).update(n + 1)`, one
 *    more call; 0 updated means the window is full: RATE_LIMITED.
 * Refused hits do not count, so the window reopens on time. Spent windows
 * carry `expiresAt` and are removed by `sweepRateLimits` (the cron tick).
 *
 * `checkin.checkIn` is not counted here: the check-in path has a budget of
 * eight database calls (ARCHITECTURE.md) and already spends them all, and a
 * repeated check-in writes nothing (its id is derived from session and
 * member). The local server limits it per address, like every API call.
 */
import { createHash } from 'crypto'
import {
  MEMBER_RATE_RULES,
  decide,
  rateLimitedError,
  windowEnd,
  windowIndex,
  type MemberRateClass,
  type RateRule
} from '../../src/core/rate-limit'
import { isDuplicateId, type Database } from './db'
import type { Runtime } from './runtime'

export const RATE_LIMIT_COLLECTION = 'rate_limits'

/** Whom a class counts: the caller's openid, or for a demo login the member it logs in as. */
export interface LimitSpec {
  cls: MemberRateClass
  key: (rt: Runtime, input: Record<string, unknown>) => string | null
}

const byCaller = (cls: MemberRateClass): LimitSpec => ({ cls, key: (rt) => (rt.identity.problem ? null : rt.identity.openid) })
const WRITE = byCaller('write')

/**
 * Which actions are limited, and how. Reads are not (they cost no writes and
 * the address ceiling bounds them); nor are page-driven continuation steps
 * (`note.continueMaterial`, bounded by the page), the QR screen's token, or
 * the check-in itself (see above). A test fails on an action missing here
 * that is not listed in UNLIMITED_ACTIONS.
 */
export const LIMITED_ACTIONS: Readonly<Record<string, Readonly<Record<string, LimitSpec>>>> = {
  auth: {
    devLogin: { cls: 'login', key: (_rt, input) => (typeof input.memberId === 'string' ? `member:${input.memberId}` : null) },
    joinBranch: byCaller('invite'),
    updateMe: WRITE
  },
  checkin: {
    proxyCheckIn: WRITE,
    confirmCheckins: WRITE,
    requestLeave: WRITE,
    decideLeave: WRITE,
    recordLeave: WRITE,
    assignMakeUp: WRITE,
    makeUp: WRITE,
    reviewMakeUp: WRITE
  },
  note: { save: WRITE, remove: WRITE, review: WRITE, addMaterial: WRITE, removeMaterial: WRITE },
  org: {
    updateSettings: WRITE,
    createOrg: WRITE,
    renameOrg: WRITE,
    moveOrg: WRITE,
    closeOrg: WRITE,
    invite: WRITE,
    confirmMember: WRITE,
    updateMember: WRITE,
    transferMember: WRITE,
    // The preview (commit: false) reads the file and writes nothing: not counted.
    importRoster: { cls: 'write', key: (rt, input) => (input.commit === false ? null : WRITE.key(rt, input)) },
    setRole: WRITE
  },
  remind: { send: WRITE, markRead: WRITE, subscribe: WRITE, feedback: WRITE, feedbackReply: WRITE },
  session: { create: WRITE, update: WRITE, cancel: WRITE, record: WRITE, minutesSave: WRITE, minutesLock: WRITE, minutesPhotoAdd: WRITE, minutesPhotoRemove: WRITE },
  stats: { adjustPoints: WRITE, reconcile: WRITE, recordTalk: WRITE },
  review: { open: WRITE, saveSelf: WRITE, grade: WRITE, closeGrading: WRITE, decide: WRITE }
}

/** Actions deliberately not counted per member (reads, steps, the check-in, the timer's jobs). */
export const UNLIMITED_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  archive: ['ledger', 'member'],
  auth: ['devIdentities', 'devNewcomer', 'whoami'],
  checkin: ['token', 'checkIn', 'pendingCheckins', 'leaves', 'makeUps', 'branchMakeUps', 'mine'],
  note: ['list', 'get', 'progress', 'branchProgress', 'yearEnd', 'materials', 'continueMaterial'],
  org: ['tree', 'members', 'todo', 'notesToReview', 'settings', 'pending', 'member', 'rosterTemplate'],
  remind: ['inbox', 'budget', 'sent', 'log', 'feedbackMine', 'feedbackList'],
  session: ['list', 'get', 'roster', 'cadence', 'dualLife', 'minutes'],
  stats: ['memberRanking', 'branchRanking', 'warnings', 'report', 'points'],
  review: ['current', 'get', 'tally', 'mine'],
  cron: ['tally', 'reconcile', 'reminders', 'setup', 'tick']
}

export function limitFor(fn: string, action: string): LimitSpec | undefined {
  const table = Object.prototype.hasOwnProperty.call(LIMITED_ACTIONS, fn) ? LIMITED_ACTIONS[fn] : undefined
  return table && Object.prototype.hasOwnProperty.call(table, action) ? table[action] : undefined
}

function counterId(cls: MemberRateClass, who: string, window: number): string {
  return `rl_${cls}_${createHash('sha256').update(who).digest('hex').slice(0, 24)}_${window}`
}

/**
 * Counts one hit of `who` in its class's current window; throws RATE_LIMITED
 * (with `details.retryAfterSeconds`) once the window is full.
 */
export async function hitMemberLimit(db: Database, cls: MemberRateClass, who: string, now: number, rule: RateRule = MEMBER_RATE_RULES[cls]): Promise<void> {
  const window = windowIndex(now, rule.windowMs)
  const _id = counterId(cls, who, window)
  const col = db.collection(RATE_LIMIT_COLLECTION)
  try {
    await col.add({ data: { _id, cls, n: 1, expiresAt: windowEnd(now, rule.windowMs) } })
    return
  } catch (err) {
    if (!isDuplicateId(err)) throw err
  }
  const _ = db.command
  const { stats } = await col.where({ _id, n: _.lt(rule.limit) }).update({ data: { n: _.inc(1) } })
  if (stats.updated > 0) return
  const decision = decide(rule.limit + 1, rule, now)
  if (!decision.allowed) throw rateLimitedError(cls, decision.retryAfterMs)
}

/** The dispatcher's hook: counts the call when its action is limited and the caller is known. */
export async function enforceMemberLimit(rt: Runtime, fn: string, action: string, input: unknown): Promise<void> {
  const spec = limitFor(fn, action)
  if (!spec) return
  const who = spec.key(rt, (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>)
  // No caller (not logged in): the handler refuses it without writing anything; the address limit bounds the attempts.
  if (!who) return
  await hitMemberLimit(rt.db, spec.cls, who, rt.clock.now())
}

/** Removes spent windows (one database call); returns how many went. */
export async function sweepRateLimits(db: Database, now: number): Promise<number> {
  const _ = db.command
  const { stats } = await db.collection(RATE_LIMIT_COLLECTION).where({ expiresAt: _.lt(now) }).remove()
  return stats.removed
}
