import { sessionOver } from './checkin/attendance'
import type { CadenceItem } from './functions/session'
import { monthsOfPeriod, parsePeriod, periodBounds, periodKeyOf, quarterKey, type PeriodBounds } from './period'
import { SESSION_TYPE_LABELS, type Session, type SessionType } from './schemas/session'

/**
 * The standing cadence of organisational life (三会一课 + 主题党日 + 专题学习研讨)
 * and the two checks built on it: which required meetings a branch has not
 * held, and which leading cadres attended nothing of their own branch in a
 * month (双重组织生活). Pure: the session function loads, this decides.
 */

export type CadenceEvery = 'month' | 'quarter'

export interface CadenceRule {
  type: SessionType
  every: CadenceEvery
  /** Meetings required per period. */
  count: number
  /** 党小组会: required of every group of the branch separately. */
  perGroup?: boolean
  /** 支委会: only a branch with a committee holds one. */
  needsCommittee?: boolean
}

/**
 * 支委会 and 党小组会 monthly, 党员大会 and 党课 at least quarterly, 主题党日
 * monthly, 专题学习研讨 at least once a quarter (PRODUCT.md). Org settings have
 * no cadence section yet, so this constant is the configuration; the pure
 * functions take a `cadence` argument so a setting can replace it later.
 */
export const DEFAULT_CADENCE: readonly CadenceRule[] = [
  { type: 'committee_meeting', every: 'month', count: 1, needsCommittee: true },
  { type: 'group_meeting', every: 'month', count: 1, perGroup: true },
  { type: 'theme_day', every: 'month', count: 1 },
  { type: 'branch_general_meeting', every: 'quarter', count: 1 },
  { type: 'party_lecture', every: 'quarter', count: 1 },
  { type: 'seminar', every: 'quarter', count: 1 }
]

/** 《中国共产党支部工作条例》: a branch of 7 or more members sets up a 支委会. */
export const COMMITTEE_MIN_MEMBERS = 7

/** A committee exists when the branch is big enough or has a committee member appointed. */
export function branchHasCommittee(
  branchId: string,
  members: ReadonlyArray<{ branchId: string; active: boolean; roles: ReadonlyArray<{ role: string; orgId: string }> }>
): boolean {
  const own = members.filter((m) => m.branchId === branchId && m.active)
  return own.length >= COMMITTEE_MIN_MEMBERS || own.some((m) => m.roles.some((r) => r.role === 'committee' && r.orgId === branchId))
}

/** The span of sessions a cadence check of `period` reads: a month is judged with its whole quarter. */
export function cadenceSpan(period: string): PeriodBounds {
  const p = parsePeriod(period)
  if (p.kind === 'month') return periodBounds(quarterKey(p.year, p.quarter as number))
  return periodBounds(period)
}

/** Sub-periods a rule is judged in: each month for monthly rules, each quarter for quarterly ones. */
function subPeriods(period: string, every: CadenceEvery): string[] {
  const months = monthsOfPeriod(period)
  if (every === 'month') return months
  const quarters: string[] = []
  for (const m of months) {
    const q = periodKeyOf(periodBounds(m).start, 'quarter')
    if (!quarters.includes(q)) quarters.push(q)
  }
  return quarters
}

type CadenceSession = Pick<Session, 'branchId' | 'type' | 'status' | 'startAt' | 'endAt' | 'checkin' | 'audience'>

export interface CadenceArgs {
  sessions: readonly CadenceSession[]
  period: string
  branch: { _id: string }
  groups: ReadonlyArray<{ _id: string; name: string }>
  hasCommittee: boolean
  now: number
  cadence?: readonly CadenceRule[]
}

/**
 * Every requirement of the period with what was done about it. A session
 * counts in the sub-period its startAt falls in (Shanghai); "held" means not
 * cancelled and over by `now` (sessionOver: ended and check-in closed),
 * "scheduled" not cancelled and not yet over, so a meeting on the calendar
 * is never mistaken for one that took place.
 */
export function cadenceReport(args: CadenceArgs): CadenceItem[] {
  const rules = args.cadence ?? DEFAULT_CADENCE
  const live = args.sessions.filter((s) => s.branchId === args.branch._id && s.status !== 'cancelled')
  const items: CadenceItem[] = []
  const add = (rule: CadenceRule, key: string, group?: { _id: string; name: string }) => {
    const { start, end } = periodBounds(key)
    let held = 0
    let scheduled = 0
    for (const s of live) {
      if (s.type !== rule.type || s.startAt < start || s.startAt >= end) continue
      if (group && !(s.audience.kind === 'group' && s.audience.groupId === group._id)) continue
      if (sessionOver(s, args.now)) held++
      else scheduled++
    }
    const status = held >= rule.count ? 'met' : held + scheduled >= rule.count ? 'scheduled' : 'missing'
    items.push({
      type: rule.type,
      label: group ? `${group.name}${SESSION_TYPE_LABELS[rule.type]}` : SESSION_TYPE_LABELS[rule.type],
      ...(group ? { groupId: group._id, groupName: group.name } : {}),
      period: key,
      required: rule.count,
      held,
      scheduled,
      status,
      periodEnded: end <= args.now
    })
  }
  const p = parsePeriod(args.period)
  // A month is checked with the quarter around it for the quarterly meetings.
  const judged = p.kind === 'month' ? quarterKey(p.year, p.quarter as number) : args.period
  for (const rule of rules) {
    if (rule.needsCommittee && !args.hasCommittee) continue
    const keys = rule.every === 'month' ? subPeriods(args.period, 'month') : subPeriods(judged, 'quarter')
    for (const key of keys) {
      if (rule.perGroup) for (const g of args.groups) add(rule, key, g)
      else add(rule, key)
    }
  }
  // By sub-period (months before the quarter that holds them), then in rule order.
  const order = (key: string) => (key.includes('Q') ? periodBounds(key).end - 1 : periodBounds(key).start)
  return items
    .map((item, i) => ({ item, i }))
    .sort((a, b) => order(a.item.period) - order(b.item.period) || a.i - b.i)
    .map((x) => x.item)
}

/** The requirements of the period not met yet: nothing held, or fewer than required. */
export function missingMeetings(args: CadenceArgs): CadenceItem[] {
  return cadenceReport(args).filter((i) => i.status !== 'met')
}

type LifeSession = Pick<Session, '_id' | 'branchId' | 'status' | 'startAt' | 'endAt' | 'checkin'>
interface LifeCheckin {
  sessionId: string
  memberId: string
  status: string
}

export interface LeaderGap<L> {
  leader: L
  /** Sessions of the leader's branch (not cancelled) that started in the month and are over. */
  sessionsInMonth: number
  /** Those not over yet: the leader may still take part in them. */
  upcomingInMonth: number
  /**
   * The month is missed: nothing of it is still to come, and either its
   * sessions are over or the month itself is. A month with sessions ahead,
   * or a month under way with none held or scheduled yet, is not missed yet.
   */
  missed: boolean
}

/**
 * 双重组织生活: each leading cadre must take part in at least one activity of
 * their own branch every month. A leader is listed when none of their
 * check-ins (attended or late, by any method: a secretary's proxy record of
 * a present leader still counts) belongs to a session of their own branch
 * starting in that Shanghai month. Cancelled sessions did not take place and
 * do not count. Only sessions over by `now` (sessionOver) are held; while
 * some are still to come the leader is listed as not missed yet. Once the
 * month is over, leaders with no session to attend are missed too: the gap
 * is the branch's, and the report must show it.
 */
export function leadersWithoutLife<L extends { _id: string; branchId: string }>(args: {
  leaders: readonly L[]
  sessions: readonly LifeSession[]
  checkins: readonly LifeCheckin[]
  month: string
  now: number
}): Array<LeaderGap<L>> {
  const { start, end } = periodBounds(args.month)
  const inMonth = args.sessions.filter((s) => s.status !== 'cancelled' && s.startAt >= start && s.startAt < end)
  const branchOf = new Map(inMonth.map((s) => [s._id, s.branchId]))
  const attended = new Set<string>()
  for (const c of args.checkins) {
    if (c.status !== 'attended' && c.status !== 'late') continue
    const branchId = branchOf.get(c.sessionId)
    if (branchId !== undefined) attended.add(`${c.memberId}\u0000${branchId}`)
  }
  const monthOver = args.now >= end
  return args.leaders
    .filter((l) => !attended.has(`${l._id}\u0000${l.branchId}`))
    .map((leader) => {
      const own = inMonth.filter((s) => s.branchId === leader.branchId)
      const held = own.filter((s) => sessionOver(s, args.now)).length
      const upcoming = own.length - held
      return { leader, sessionsInMonth: held, upcomingInMonth: upcoming, missed: upcoming === 0 && (held > 0 || monthOver) }
    })
}
