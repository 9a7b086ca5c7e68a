/**
 * Gathers what the pure audience rules (src/core/remind/audience.ts) need,
 * reading only the facts the audience kind asks for, so a branch-wide
 * reminder never pays for a warnings computation.
 */
import { AppError } from '../../src/core/errors'
import { notePace, type NotePaceStatus } from '../../src/core/notes/pace'
import { memberNoteQuota } from '../../src/core/notes/prorate'
import { periodKeysOf } from '../../src/core/period'
import type { AudienceFacts } from '../../src/core/remind/audience'
import { aggregateId } from '../../src/core/schemas/aggregate'
import { MemberSchema, type Member } from '../../src/core/schemas/member'
import type { ReminderAudience } from '../../src/core/schemas/reminder'
import { SessionSchema, type Session } from '../../src/core/schemas/session'
import type { OrgSettingsValues } from '../../src/core/schemas/settings'
import { fetchAll } from './paging'
import type { Runtime } from './runtime'
import { branchWarnings, memberAggregates } from './member-warnings'

/** One answer for a missing session and another branch's, so ids cannot be probed. */
export const NO_SUCH_SESSION = '没有找到这次活动，请确认是本支部的活动'

/** A session of this branch, or the refusal. */
export async function loadBranchSession(rt: Runtime, branchId: string, sessionId: string): Promise<Session> {
  const { data } = await rt.db.collection('sessions').doc(sessionId).get()
  const parsed = data ? SessionSchema.safeParse(data) : null
  if (!parsed?.success || parsed.data.branchId !== branchId) throw new AppError('NOT_FOUND', NO_SUCH_SESSION)
  return parsed.data
}

/** Every member doc of the branch (any state): the rules decide who is reachable. */
export async function branchMemberDocs(rt: Runtime, branchId: string): Promise<Member[]> {
  const docs = await fetchAll(rt.db.collection('members').where({ branchId }), { cap: 20000 })
  return docs.map((d) => MemberSchema.parse(d))
}

function reachable(m: Member): boolean {
  return m.active && m.joinStatus !== 'pending'
}

async function sessionPresence(rt: Runtime, sessionId: string) {
  const [checkins, leaves] = await Promise.all([
    fetchAll(rt.db.collection('checkins').where({ sessionId }).field({ memberId: true }), { cap: 50000 }),
    fetchAll(rt.db.collection('leaves').where({ sessionId, status: 'approved' }).field({ memberId: true }), { cap: 50000 })
  ])
  return {
    checkedIn: new Set(checkins.map((d) => String(d.memberId))),
    approvedLeave: new Set(leaves.map((d) => String(d.memberId)))
  }
}

/** Make-ups assigned or returned (still the member's to do), by member. */
async function pendingMakeups(rt: Runtime, branchId: string, sessionId: string | undefined): Promise<Map<string, string[]>> {
  const _ = rt.db.command
  const where = sessionId ? { sessionId, status: _.in(['assigned', 'returned']) } : { branchId, status: _.in(['assigned', 'returned']) }
  const docs = await fetchAll(rt.db.collection('makeups').where(where).field({ memberId: true, sessionId: true, branchId: true }), { cap: 50000 })
  const out = new Map<string, string[]>()
  for (const d of docs) {
    if (d.branchId !== branchId) continue
    const list = out.get(String(d.memberId)) ?? []
    list.push(String(d.sessionId))
    out.set(String(d.memberId), list)
  }
  return out
}

/** Pace of this year's notes per member, from the member-year aggregate's credited words. */
async function paceOf(rt: Runtime, members: Member[], settings: OrgSettingsValues, now: number): Promise<Map<string, NotePaceStatus>> {
  const year = Number(periodKeysOf(now).year)
  const aggs = await memberAggregates(rt, members.map((m) => m._id), [String(year)])
  const out = new Map<string, NotePaceStatus>()
  for (const m of members) {
    const agg = aggs.get(aggregateId('member', m._id, String(year)))
    const pace = notePace({
      creditedWords: agg?.creditedWords ?? 0,
      quota: memberNoteQuota(m, settings, year),
      at: now,
      year,
      thresholds: settings.warnings,
      joinedAt: m.joinedAt
    })
    out.set(m._id, pace.status)
  }
  return out
}

async function warningLevels(rt: Runtime, branchId: string, members: Member[], settings: OrgSettingsValues, now: number) {
  const quarter = periodKeysOf(now).quarter
  // withDates false: the levels are all a reminder needs, not the absence list.
  const warnings = await branchWarnings(rt, branchId, members, quarter, settings, now, false)
  const out = new Map<string, 'yellow' | 'red'>()
  for (const w of warnings) if (w.level) out.set(w.memberId, w.level)
  return out
}

/** The facts for one audience; `session` is the one the audience names (already checked to be the branch's). */
export async function gatherFacts(
  rt: Runtime,
  input: { branchId: string; audience: ReminderAudience; session?: Session; settings: OrgSettingsValues; now: number }
): Promise<{ facts: AudienceFacts; members: Member[] }> {
  const { branchId, audience, session, settings, now } = input
  const members = await branchMemberDocs(rt, branchId)
  const live = members.filter(reachable)
  const facts: AudienceFacts = {
    branchId,
    members,
    session,
    checkedIn: new Set(),
    approvedLeave: new Set(),
    makeupPending: new Map(),
    paceStatus: new Map(),
    warningLevel: new Map()
  }
  switch (audience.kind) {
    case 'not_checked_in':
      if (session) Object.assign(facts, await sessionPresence(rt, session._id))
      break
    case 'makeup_pending':
      facts.makeupPending = await pendingMakeups(rt, branchId, audience.sessionId)
      break
    case 'behind_pace':
      facts.paceStatus = await paceOf(rt, live, settings, now)
      break
    case 'warned':
      facts.warningLevel = await warningLevels(rt, branchId, live, settings, now)
      break
    default:
      break
  }
  return { facts, members }
}
