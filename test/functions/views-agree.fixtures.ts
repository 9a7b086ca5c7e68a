/**
 * A year of two small branches, drawn by fast-check and played through the
 * real functions on a real SQLite file (views-agree.property.test.ts):
 * sessions with every way of taking part (on time, late, 代签, leave asked
 * before or after and approved or refused, leave an officer records, absent),
 * 补学 assigned / handed in / returned / accepted (one copied and refused, one
 * made up and then found to have come after all), notes and 心得 (some copied
 * from a colleague, some returned, some removed), a newcomer joining by invite
 * code and confirmation, a member transferred to the other branch, a 免考核
 * mark, a meeting recorded afterwards, the timer's tally at varying delays and
 * nightly reconciliations.
 *
 * Calls that the rules refuse (leave for a session before one joined, a
 * make-up never assigned) are part of the year: the property holds whatever
 * succeeded. Counts of what succeeded are kept, so a generator that stopped
 * producing real writes fails the suite instead of passing it empty.
 */
import fc from 'fast-check'
import { issueCheckinToken } from '../../cloudfunctions/_shared/checkin-token'
import { fetchAll } from '../../cloudfunctions/_shared/paging'
import { AGGREGATE_COUNTERS, type Aggregate } from '../../src/core/schemas/aggregate'
import { MemberSchema, type Member } from '../../src/core/schemas/member'
import { OrgSchema } from '../../src/core/schemas/org'
import type { PointsEntry } from '../../src/core/schemas/points'
import { SessionSchema, type Session, type SessionType } from '../../src/core/schemas/session'
import type { Result } from '../../src/core/errors'
import { TEST_SECRET, type TestEnv } from '../helpers/env'
import { ownText } from './judges.fixtures'
import { runCron } from './stats-support'

const AGGREGATE_FIGURES = [...AGGREGATE_COUNTERS, 'quotaWords'] as const

export const MIN = 60_000
export const HOUR = 60 * MIN
export const DAY = 24 * HOUR
export const YEAR = 2026

const pad = (n: number) => String(n).padStart(2, '0')
/** Wall time in Shanghai, 2026. */
export const at = (month: number, day: number, hour = 14, minute = 0) => Date.parse(`${YEAR}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}+08:00`)

export const START = at(1, 1, 9)
/** When every view is read: Q4 under way, every session over. */
export const FINAL = at(12, 20, 10)

export const ORG = 'org_v'
export const BRANCH_A = 'va'
export const BRANCH_B = 'vb'
export const INVITE_A = 'VA2026AB'
/** 甲支部: secretary, committee member, a member, one born in 1940 (exempt by the branch's age of 80), one who may be marked 长期病休, one who may be transferred. */
export const A = { sec: 'va_1', committee: 'va_2', member: 'va_3', old: 'va_4', marked: 'va_5', mover: 'va_6' } as const
/** 乙支部: its secretary (also the 党委's admin, who transfers and sets the age) and a member. */
export const B = { sec: 'vb_1', member: 'vb_2' } as const
/** The caller (openid dev_va_new) who joins 甲支部 by invite code. */
export const JOINER = 'va_new'
const JOINER_SLOT = 'joiner'

/** Member slots of each branch's sessions, in the order of a session plan's parts. */
const SLOTS_A = [A.sec, A.committee, A.member, A.old, A.marked, A.mover, JOINER_SLOT] as const
const SLOTS_B = [B.sec, B.member, A.mover] as const
/** Who may write notes. */
const WRITERS = [...SLOTS_A, B.sec, B.member] as const

export const EXEMPT_AGE = 80

export async function setUp(env: TestEnv): Promise<void> {
  const t0 = START - 3 * 365 * DAY
  const orgs = [
    { _id: ORG, type: 'committee', name: '验证党委', parentId: null, path: [ORG], closed: false, createdAt: t0 },
    { _id: BRANCH_A, type: 'branch', name: '甲支部', parentId: ORG, path: [ORG, BRANCH_A], inviteCode: INVITE_A, closed: false, createdAt: t0 },
    { _id: BRANCH_B, type: 'branch', name: '乙支部', parentId: ORG, path: [ORG, BRANCH_B], closed: false, createdAt: t0 }
  ]
  for (const o of orgs) await env.db.collection('orgs').add({ data: OrgSchema.parse(o) })
  const person = (_id: string, name: string, branchId: string, extra: Partial<Member> = {}) =>
    MemberSchema.parse({
      _id, name, openid: `dev_${_id}`, branchId, groupId: null, orgPath: [ORG, branchId], rank: 'staff', roles: [], leadingCadre: false, retired: false,
      exempt: null, birthYear: 1975, largeText: false, active: true, joinStatus: 'confirmed', joinedAt: t0, createdAt: t0, ...extra
    })
  const people = [
    person(A.sec, '甲书记', BRANCH_A, { roles: [{ role: 'secretary', orgId: BRANCH_A }] }),
    person(A.committee, '甲委员', BRANCH_A, { roles: [{ role: 'committee', orgId: BRANCH_A }], rank: 'deputy_section_plus' }),
    person(A.member, '甲党员', BRANCH_A),
    person(A.old, '甲老党员', BRANCH_A, { birthYear: 1940, retired: true }),
    person(A.marked, '甲病休', BRANCH_A),
    person(A.mover, '甲转出', BRANCH_A),
    person(B.sec, '乙书记', BRANCH_B, { roles: [{ role: 'secretary', orgId: BRANCH_B }, { role: 'admin', orgId: ORG }] }),
    person(B.member, '乙党员', BRANCH_B)
  ]
  for (const p of people) await env.db.collection('members').add({ data: p })
  env.clock.set(START)
  // One paid 心得 a quarter in 甲支部, so the years reach the cap.
  await call(env, 'org', 'updateSettings', { orgId: BRANCH_A, exemptAge: EXEMPT_AGE, essayPointsQuarterlyCap: 1 }, B.sec)
}

// ---------------------------------------------------------------- the plan

export type Attend = 'on_time' | 'late' | 'proxy' | 'absent' | 'leave_before' | 'leave_after' | 'leave_recorded'
export type MakeupPath = 'none' | 'assigned' | 'handed' | 'returned' | 'accepted' | 'redo' | 'copied' | 'accepted_then_came'
export type RecordedState = 'attended' | 'late' | 'leave' | 'absent'

export interface Part {
  attend: Attend
  approve: boolean
  decided: boolean
  /** Leave asked before: decided the day before, or only after the session (and perhaps its tally). */
  decideLate: boolean
  /** Days after the session for what happens afterwards. */
  lag: number
  makeup: MakeupPath
}

export interface SessionPlan {
  month: number
  day: number
  type: SessionType
  /** Check-in stays open half an hour past the end (sessionOver is the later of the two). */
  closeLate: boolean
  /** Minutes from the session being over to the timer's tally. */
  tallyLag: number
  parts: Part[]
}

export interface YearPlan {
  a: SessionPlan[]
  b: SessionPlan[]
  join: { month: number; day: number; confirmLag: number } | null
  transfer: { month: number; day: number } | null
  mark: { month: number; day: number } | null
  recorded: { month: number; day: number; lag: number; states: RecordedState[]; makeups: MakeupPath[] } | null
  notes: { who: number; month: number; day: number; essay: boolean; size: number; copy: boolean; review: 'none' | 'passed' | 'returned'; remove: boolean }[]
  /** Months with a nightly reconciliation on the 28th. */
  nights: number[]
}

const weighted = <T>(...pairs: [number, T][]) => fc.oneof(...pairs.map(([weight, v]) => ({ weight, arbitrary: fc.constant(v) })))

const attendArb = weighted<Attend>([3, 'on_time'], [1, 'late'], [1, 'proxy'], [3, 'absent'], [1, 'leave_before'], [1, 'leave_after'], [1, 'leave_recorded'])
const makeupArb = weighted<MakeupPath>([4, 'none'], [1, 'assigned'], [2, 'handed'], [1, 'returned'], [2, 'accepted'], [1, 'redo'], [1, 'copied'], [1, 'accepted_then_came'])
const partArb: fc.Arbitrary<Part> = fc.record({
  attend: attendArb,
  approve: fc.boolean(),
  decided: fc.integer({ min: 0, max: 3 }).map((n) => n > 0),
  decideLate: fc.boolean(),
  lag: fc.integer({ min: 1, max: 6 }),
  makeup: makeupArb
})

function sessionArb(parts: number, days: [number, number]): fc.Arbitrary<SessionPlan> {
  return fc.record({
    month: fc.integer({ min: 1, max: 11 }),
    day: fc.integer({ min: days[0], max: days[1] }),
    type: fc.constantFrom<SessionType>('theme_day', 'theme_day', 'branch_general_meeting', 'committee_meeting', 'seminar'),
    closeLate: fc.boolean(),
    tallyLag: fc.constantFrom(1, 5 * 60, 3 * 24 * 60),
    parts: fc.array(partArb, { minLength: parts, maxLength: parts })
  })
}

const monthDay = fc.record({ month: fc.integer({ min: 1, max: 11 }), day: fc.integer({ min: 1, max: 27 }) })

export const yearArb: fc.Arbitrary<YearPlan> = fc.record({
  a: fc.uniqueArray(sessionArb(SLOTS_A.length, [6, 12]), { selector: (s) => s.month, minLength: 3, maxLength: 5 }),
  b: fc.uniqueArray(sessionArb(SLOTS_B.length, [14, 16]), { selector: (s) => s.month, minLength: 1, maxLength: 2 }),
  join: fc.option(fc.record({ month: fc.integer({ min: 1, max: 10 }), day: fc.integer({ min: 1, max: 27 }), confirmLag: fc.integer({ min: 0, max: 3 }) }), { nil: null, freq: 5 }),
  transfer: fc.option(monthDay, { nil: null, freq: 4 }),
  mark: fc.option(monthDay, { nil: null, freq: 3 }),
  recorded: fc.option(
    fc.record({
      month: fc.integer({ min: 1, max: 10 }),
      day: fc.integer({ min: 18, max: 24 }),
      lag: fc.integer({ min: 1, max: 20 }),
      states: fc.array(weighted<RecordedState>([3, 'attended'], [1, 'late'], [1, 'leave'], [2, 'absent']), { minLength: SLOTS_A.length, maxLength: SLOTS_A.length }),
      makeups: fc.array(makeupArb, { minLength: SLOTS_A.length, maxLength: SLOTS_A.length })
    }),
    { nil: null, freq: 4 }
  ),
  notes: fc.array(
    fc.record({
      who: fc.integer({ min: 0, max: WRITERS.length - 1 }),
      month: fc.integer({ min: 1, max: 12 }),
      day: fc.integer({ min: 1, max: 27 }),
      essay: fc.boolean(),
      size: fc.integer({ min: 0, max: 2 }),
      copy: fc.integer({ min: 0, max: 3 }).map((n) => n === 0),
      review: weighted<'none' | 'passed' | 'returned'>([2, 'none'], [2, 'passed'], [1, 'returned']),
      remove: fc.integer({ min: 0, max: 7 }).map((n) => n === 0)
    }),
    { maxLength: 8 }
  ),
  nights: fc.uniqueArray(fc.integer({ min: 1, max: 11 }), { maxLength: 2 })
})

// ---------------------------------------------------------------- playing it

/** Calls that succeeded and were refused, per function.action, over all runs. */
export const played = { ok: new Map<string, number>(), refused: new Map<string, number>() }

async function attempt<T>(env: TestEnv, fn: string, action: string, input: Record<string, unknown>, as: string): Promise<Result<T>> {
  const r = await env.call<T>(fn, action, input, as)
  const tally = r.ok ? played.ok : played.refused
  tally.set(`${fn}.${action}`, (tally.get(`${fn}.${action}`) ?? 0) + 1)
  return r
}

/** The answer's data, or null when the rules refused the call. */
async function call(env: TestEnv, fn: string, action: string, input: Record<string, unknown>, as: string): Promise<unknown> {
  const r = await attempt(env, fn, action, input, as)
  return r.ok ? r.data : null
}

interface Step {
  at: number
  seq: number
  what: string
  run: () => Promise<void>
}

/** What the year's steps learn as they run: the newcomer's id, the recorded meeting, the notes saved. */
interface Played {
  joinerId: string | null
  markedAt: number | null
  transferredAt: number | null
  recordedId: string | null
  notes: { memberId: string; content: string }[]
  /** Reconciliations that corrected something they were not expected to. */
  drift: string[]
  texts: number
}

export interface SessionRef {
  branchId: string
  id: () => string | null
  startAt: number
  endAt: number
  closesAt: number
}

/** A member slot's id as the year stands (the newcomer has none until they ask to join). */
function memberOf(slot: string, p: Played): string | null {
  return slot === JOINER_SLOT ? p.joinerId : slot
}

/** Who calls as the member: the fixture's id, or the newcomer's login. */
function callerOf(memberId: string, p: Played): string {
  return memberId === p.joinerId ? JOINER : memberId
}

/** The officer who acts for a member: never themselves (nobody decides their own leave). */
function officerFor(branchId: string, memberId: string): string {
  if (branchId === BRANCH_B) return B.sec
  return memberId === A.sec ? A.committee : A.sec
}

const COPIED = ownText(1, 420)

export function sessionDocs(plan: YearPlan): Session[] {
  const doc = (branchId: string, s: SessionPlan, i: number): Session => {
    const startAt = at(s.month, s.day)
    const endAt = startAt + 2 * HOUR
    return SessionSchema.parse({
      _id: `${branchId}_s${i + 1}`, title: `${branchId}第${i + 1}次活动`, type: s.type, branchId, orgPath: [ORG, branchId], startAt, endAt,
      venue: { name: '会议室' }, checkin: { opensAt: startAt - 30 * MIN, closesAt: endAt + (s.closeLate ? 30 * MIN : 0), lateAfter: startAt + 10 * MIN },
      audience: { kind: s.type === 'committee_meeting' ? 'committee' : 'branch' }, allowOnlineWithoutQr: false, status: 'scheduled',
      createdBy: branchId === BRANCH_A ? A.sec : B.sec, createdAt: START, updatedAt: START
    })
  }
  return [...plan.a.map((s, i) => doc(BRANCH_A, s, i)), ...plan.b.map((s, i) => doc(BRANCH_B, s, i))]
}

/** One nightly reconciliation, and what it changed: aggregates rewritten (figure: before → after) and ledger corrections. */
async function nightly(env: TestEnv): Promise<{ corrected: number; aggregates: { scope: string; figures: string[]; text: string }[]; ledger: string[] }> {
  const snapshot = async () => new Map((await fetchAll(env.db.collection('aggregates'), { cap: 100_000 })).map((d) => [String(d._id), d as unknown as Aggregate]))
  const entries = async () => new Set((await fetchAll(env.db.collection('ledger').field({ _id: true }), { cap: 100_000 })).map((d) => String(d._id)))
  const [before, known] = [await snapshot(), await entries()]
  const { corrected } = await runCron(env, 'reconcile', { year: YEAR })
  if (corrected === 0) return { corrected, aggregates: [], ledger: [] }
  const aggregates: { scope: string; figures: string[]; text: string }[] = []
  for (const [id, a] of await snapshot()) {
    const b = before.get(id)
    const figures = AGGREGATE_FIGURES.filter((k) => a[k] !== (b?.[k] ?? 0))
    if (figures.length) aggregates.push({ scope: a.scope, figures, text: `${a.scope} ${a.scopeId} ${a.period}: ${figures.map((k) => `${k} ${b?.[k] ?? 0} → ${a[k]}`).join(', ')}` })
  }
  const fresh = (await fetchAll(env.db.collection('ledger'), { cap: 100_000 })).filter((d) => !known.has(String(d._id))) as unknown as PointsEntry[]
  return { corrected, aggregates, ledger: fresh.map((e) => `ledger ${e.rule} ${e.memberId} ${e.delta > 0 ? '+' : ''}${e.delta} (${e.branchId})`) }
}

/**
 * Plays the year: sessions scheduled at its start, then every step in time
 * order with the clock moved to it; ends at FINAL with the timer's tally run.
 */
export async function playYear(env: TestEnv, plan: YearPlan): Promise<Played> {
  const p: Played = { joinerId: null, markedAt: null, transferredAt: null, recordedId: null, notes: [], drift: [], texts: 100 }
  const docs = sessionDocs(plan)
  for (const d of docs) await env.db.collection('sessions').add({ data: d })
  const steps: Step[] = []
  const step = (when: number, what: string, run: () => Promise<void>) => steps.push({ at: when, seq: steps.length, what, run })
  const text = () => ownText(p.texts++, 90)

  const reconcile = async (what: string) => {
    const night = await nightly(env)
    if (night.corrected === 0) return 0
    if (night.corrected > 0) p.drift.push(`${what}: the nightly reconciliation corrected ${night.corrected}: ${[...night.aggregates.map((c) => c.text), ...night.ledger].join('; ')}`)
    return night.corrected
  }

  /** A step about one member at one session, skipped while either is not there yet (a newcomer, a meeting not yet recorded). */
  const about = (s: SessionRef, memberId: () => string | null) => (run: (sid: string, mid: string) => Promise<unknown>) => async () => {
    const sid = s.id()
    const mid = memberId()
    if (sid && mid) await run(sid, mid)
  }

  const makeupSteps = (s: SessionRef, memberId: () => string | null, path: MakeupPath, base: number) => {
    if (path === 'none') return
    const officer = () => officerFor(s.branchId, memberId() ?? '')
    const withIds = about(s, memberId)
    step(base, 'assign make-up', withIds((sid, mid) => call(env, 'checkin', 'assignMakeUp', { sessionId: sid, memberIds: [mid], deadline: base + 20 * DAY }, officer())))
    const handIn = (content: () => string) => withIds((sid, mid) => call(env, 'checkin', 'makeUp', { sessionId: sid, content: content() }, callerOf(mid, p)))
    const review = (accept: boolean) => withIds((sid, mid) => call(env, 'checkin', 'reviewMakeUp', { sessionId: sid, memberId: mid, accept, ...(accept ? {} : { note: '请结合工作再写写' }) }, officer()))
    if (path === 'assigned') return
    step(base + DAY, 'hand in make-up', handIn(path === 'copied' ? () => COPIED : text))
    if (path === 'returned' || path === 'redo') step(base + 2 * DAY, 'return make-up', review(false))
    if (path === 'accepted' || path === 'accepted_then_came') step(base + 2 * DAY, 'accept make-up', review(true))
    if (path === 'redo') {
      step(base + 3 * DAY, 'hand in make-up again', handIn(text))
      step(base + 4 * DAY, 'accept make-up', review(true))
    }
    // The paper sheet turns up: they were there after all.
    if (path === 'accepted_then_came') step(base + 3 * DAY, 'proxy after make-up', withIds((sid, mid) => call(env, 'checkin', 'proxyCheckIn', { sessionId: sid, memberId: mid, reason: '签到表补录' }, officer())))
  }

  const partSteps = (s: SessionRef, slot: string, part: Part) => {
    const mid = () => memberOf(slot, p)
    const withIds = about(s, mid)
    const checkIn = withIds((sid, m) => call(env, 'checkin', 'checkIn', { sessionId: sid, token: issueCheckinToken(TEST_SECRET, sid, env.clock.now()).token }, callerOf(m, p)))
    const ask = withIds((sid, m) => call(env, 'checkin', 'requestLeave', { sessionId: sid, reason: '出差' }, callerOf(m, p)))
    const decide = withIds((sid, m) => call(env, 'checkin', 'decideLeave', { sessionId: sid, memberId: m, approve: part.approve }, officerFor(s.branchId, m)))
    switch (part.attend) {
      case 'on_time':
        step(s.startAt - 5 * MIN, 'check in', checkIn)
        break
      case 'late':
        step(s.startAt + 30 * MIN, 'check in late', checkIn)
        break
      case 'proxy':
        step(s.closesAt + (part.lag - 1) * DAY + HOUR, '代签', withIds((sid, m) => call(env, 'checkin', 'proxyCheckIn', { sessionId: sid, memberId: m, reason: '签到表补录', ...(part.lag % 2 ? { status: 'late' } : {}) }, officerFor(s.branchId, m))))
        break
      case 'leave_before':
        step(s.startAt - 2 * DAY, 'ask leave', ask)
        if (part.decided) step(part.decideLate ? s.closesAt + part.lag * DAY : s.startAt - DAY, 'decide leave', decide)
        break
      case 'leave_after':
        step(s.endAt + (part.lag - 1) * DAY + 2 * HOUR, 'ask leave afterwards', ask)
        if (part.decided) step(s.endAt + (part.lag - 1) * DAY + 22 * HOUR, 'decide leave afterwards', decide)
        break
      case 'leave_recorded':
        step(s.closesAt + part.lag * 3 * DAY, 'record leave', withIds((sid, m) => call(env, 'checkin', 'recordLeave', { sessionId: sid, memberId: m, reason: '住院' }, officerFor(s.branchId, m))))
        break
      case 'absent':
        break
    }
    makeupSteps(s, mid, part.makeup, s.closesAt + 8 * DAY)
  }

  // Sessions scheduled at the start of the year, and the timer that tallies each once it is over.
  const planned: [SessionPlan, Session, readonly string[]][] = [
    ...plan.a.map((s, i): [SessionPlan, Session, readonly string[]] => [s, docs[i], SLOTS_A]),
    ...plan.b.map((s, i): [SessionPlan, Session, readonly string[]] => [s, docs[plan.a.length + i], SLOTS_B])
  ]
  for (const [sp, doc, slots] of planned) {
    const ref: SessionRef = { branchId: doc.branchId, id: () => doc._id, startAt: doc.startAt, endAt: doc.endAt, closesAt: doc.checkin.closesAt }
    sp.parts.forEach((part, i) => partSteps(ref, slots[i], part))
    step(Math.max(doc.endAt, doc.checkin.closesAt) + sp.tallyLag * MIN, 'tally', async () => void (await runCron(env, 'tally')))
  }

  if (plan.join) {
    const j = plan.join
    step(at(j.month, j.day, 9), 'join by invite code', async () => {
      const out = (await call(env, 'auth', 'joinBranch', { inviteCode: INVITE_A, name: '甲新人' }, JOINER)) as { me: { member: Member } } | null
      if (out) p.joinerId = out.me.member._id
    })
    step(at(j.month, j.day, 10) + j.confirmLag * DAY, 'confirm the newcomer', async () => {
      if (p.joinerId) await call(env, 'org', 'confirmMember', { memberId: p.joinerId, accept: true }, A.sec)
    })
  }
  if (plan.transfer) {
    step(at(plan.transfer.month, plan.transfer.day, 11), 'transfer', async () => {
      if (await call(env, 'org', 'transferMember', { memberId: A.mover, toBranchId: BRANCH_B }, B.sec)) p.transferredAt = env.clock.now()
    })
  }
  if (plan.mark) {
    step(at(plan.mark.month, plan.mark.day, 16), '免考核 mark', async () => {
      // The night before finds nothing; the mark applies to its whole year, rebuilt by its own call.
      await reconcile('the night before the 免考核 mark')
      await call(env, 'org', 'updateMember', { memberId: A.marked, exempt: { reason: 'long_illness' } }, A.sec)
      p.markedAt = env.clock.now()
      // The mark rebuilt its year in its own call (recount.ts): the next night finds nothing.
      await reconcile('the night after the 免考核 mark')
    })
  }
  if (plan.recorded) {
    const r = plan.recorded
    const startAt = at(r.month, r.day, 9)
    const endAt = startAt + 2 * HOUR
    const recordAt = endAt + r.lag * DAY
    const ref: SessionRef = { branchId: BRANCH_A, id: () => p.recordedId, startAt, endAt, closesAt: endAt }
    step(recordAt, 'record a meeting afterwards', async () => {
      let attendance = SLOTS_A.flatMap((slot, i) => {
        const m = memberOf(slot, p)
        // The recorder signed the sheet; nobody records their own leave.
        const state = m === A.sec ? 'attended' : r.states[i]
        return m && state !== 'absent' ? [{ memberId: m, state, ...(state === 'leave' ? { reason: '外出培训' } : {}) }] : []
      })
      // Who was not expected then (joined since, transferred before) is refused by name: leave them off, as the page does.
      for (let tries = 0; tries < 2; tries++) {
        const res = await attempt<{ session: Session }>(env, 'session', 'record', { clientId: 'paper1', branchId: BRANCH_A, title: '补录的集中学习', type: 'group_study', startAt, endAt, venue: { name: '会议室' }, attendance }, A.sec)
        if (res.ok) {
          p.recordedId = res.data.session._id
          return
        }
        const strangers = (res.error.details?.memberIds as string[] | undefined) ?? []
        if (strangers.length === 0) return
        attendance = attendance.filter((a) => !strangers.includes(a.memberId))
      }
    })
    SLOTS_A.forEach((slot, i) => makeupSteps(ref, () => memberOf(slot, p), r.makeups[i], recordAt + DAY))
  }

  plan.notes.forEach((n, i) => {
    const slot = WRITERS[n.who]
    const when = at(n.month, n.month === 12 ? Math.min(n.day, 15) : n.day, 20)
    let saved: { id: string; memberId: string; at: number } | null = null
    step(when, 'save a note', async () => {
      const mid = memberOf(slot, p)
      if (!mid) return
      // A copy takes the latest colleague's text, or the one every branch has seen.
      const colleague = [...p.notes].reverse().find((x) => x.memberId !== mid)
      const content = n.copy ? (colleague?.content ?? COPIED) : ownText(p.texts++, [150, 420, 1300][n.size])
      const out = (await call(env, 'note', 'save', { kind: n.essay ? 'essay' : 'note', title: `笔记${i + 1}`, content }, callerOf(mid, p))) as { note: { _id: string } } | null
      if (!out) return
      saved = { id: out.note._id, memberId: mid, at: env.clock.now() }
      p.notes.push({ memberId: mid, content })
    })
    if (n.review !== 'none') {
      step(when + 3 * DAY, 'review a note', async () => {
        if (!saved) return
        const { data } = await env.db.collection('members').doc(saved.memberId).get()
        const officer = officerFor(String((data as unknown as { branchId: string }).branchId), saved.memberId)
        await call(env, 'note', 'review', { noteId: saved.id, status: n.review, ...(n.review === 'returned' ? { comment: '请联系实际' } : {}) }, officer)
      })
    }
    if (n.remove) {
      step(when + 5 * DAY, 'remove a note', async () => {
        if (!saved) return
        const got = (await call(env, 'note', 'get', { noteId: saved.id }, callerOf(saved.memberId, p))) as { note: { version: number } } | null
        if (got) await call(env, 'note', 'remove', { noteId: saved.id, version: got.note.version }, callerOf(saved.memberId, p))
      })
    }
  })

  for (const month of plan.nights) step(at(month, 28, 2), 'nightly reconciliation', async () => void (await reconcile(`the night of ${month}月28日`)))

  // A text every copy can be traced to, written by a colleague at the start of the year.
  step(at(1, 2, 20), 'the colleague’s note', async () => {
    await call(env, 'note', 'save', { kind: 'note', title: '学习体会', content: COPIED }, A.member)
    p.notes.push({ memberId: A.member, content: COPIED })
  })

  steps.sort((x, y) => x.at - y.at || x.seq - y.seq)
  for (const s of steps) {
    if (s.at >= FINAL) continue
    if (s.at > env.clock.now()) env.clock.set(s.at)
    await s.run()
  }
  env.clock.set(FINAL)
  await runCron(env, 'tally')
  await reconcile('the last night')
  return p
}
