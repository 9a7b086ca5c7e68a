/**
 * 双色预警: early care for members who fall behind, not punishment. Every
 * warning is recomputed from the aggregates each time it is read, so it
 * clears by itself as soon as the facts change (a make-up, a new check-in).
 * Exempt members (长期病休, 行动不便, over the age limit) get none.
 */
import { AppError } from '../errors'
import type { AbsenceAlert, MemberWarning, WarningFact, WarningLevel } from '../functions/stats'
import type { NotePaceStatus } from '../notes/pace'
import { monthsOfPeriod, nextPeriod, parsePeriod, periodBounds, periodKeysOf, previousPeriod } from '../period'
import type { Aggregate } from '../schemas/aggregate'
import type { WarningThresholds } from '../schemas/settings'
import type { RankableMember } from './ranking'

/** The alert schema's ceiling; also stops a runaway count on odd input. */
export const MAX_ABSENT_MONTHS = 120

export const ALERT_SEVERITY_LABELS: Record<AbsenceAlert['severity'], string> = {
  notice: '关注',
  warning: '警示',
  urgent: '紧急'
}

export const WARNING_ACTIONS = {
  talk: '谈心谈话，了解困难',
  contact: '尽快当面联系本人',
  report: '如仍联系不上，及时向上级党组织报告情况',
  makeup: '安排补学',
  points: '和本人一起查看积分明细',
  plan: '提醒制定学习计划'
} as const

/** At most this many absences are listed by date; the count is always exact. */
const LISTED_ABSENCES = 6

export interface MonthAttendance {
  month: string
  attended: number
  leave: number
  /** Accepted make-up study for sessions of this month (补学). */
  makeups?: number
}

function requireKind(key: string, kind: 'month' | 'quarter'): void {
  if (parsePeriod(key).kind !== kind) {
    throw new AppError('INVALID_INPUT', kind === 'month' ? '请给出月份，如 2026-07' : '请选择季度，如 2026-Q3', { period: key })
  }
}

/** Took part that month: attended, or made up the month's session (补学) which the secretary accepted. */
function tookPart(m: MonthAttendance | undefined): boolean {
  return m !== undefined && (m.attended > 0 || (m.makeups ?? 0) > 0)
}

/**
 * Whole months, counted back from the last complete month before
 * `currentMonth`, with no organisational life and no approved leave.
 *
 * Months in which the branch held nothing count as well: the Constitution's
 * Art. 9 speaks of calendar months without organisational life, whoever's
 * fault that is, and the alert goes to the secretary, who knows why. An
 * approved leave or an accepted 补学 in a month breaks the streak.
 *
 * `months` should start at the member's first month in the branch (or the
 * first month on record): the count never goes back further than the oldest
 * month given, and months missing in between count as empty.
 */
export function consecutiveAbsentMonths(months: readonly MonthAttendance[], currentMonth: string): number {
  requireKind(currentMonth, 'month')
  const byMonth = new Map<string, MonthAttendance>()
  let oldest: string | null = null
  for (const m of months) {
    if (typeof m.month !== 'string' || !/^\d{4}-\d{2}$/.test(m.month)) continue
    byMonth.set(m.month, m)
    if (oldest === null || m.month < oldest) oldest = m.month
  }
  // Back at a session this month: the streak is over, whatever came before.
  if (tookPart(byMonth.get(currentMonth))) return 0
  if (oldest === null || oldest >= currentMonth) return 0
  let count = 0
  let month = previousPeriod(currentMonth)
  for (;;) {
    const m = byMonth.get(month)
    if (tookPart(m) || (m !== undefined && m.leave > 0)) break
    count++
    if (month <= oldest || count >= MAX_ABSENT_MONTHS) break
    month = previousPeriod(month)
  }
  return count
}

/**
 * The months Art. 9 may count for a member: whole months of membership only,
 * from the first month that began after they joined (or the month they
 * joined on its first instant). A newcomer is never said to have gone months
 * without organisational life before they belonged to the Party branch.
 */
export function monthsSinceJoining<T extends Pick<MonthAttendance, 'month'>>(months: readonly T[], joinedAt: number): T[] {
  const joinMonth = periodKeysOf(joinedAt).month
  const first = periodBounds(joinMonth).start === joinedAt ? joinMonth : nextPeriod(joinMonth)
  return months.filter((m) => m.month >= first)
}

export interface AbsenceEntry {
  /** When the missed session started; orders the list. */
  at: number
  /** As shown, date included, e.g. 7月5日 支委会. */
  label: string
}

export interface MemberWarningInput {
  member: RankableMember
  quarter: string
  quarterAgg: Pick<Aggregate, 'absent' | 'points'> | null
  /** The unexcused absences of the quarter, for the text; the count comes from quarterAgg. */
  absences: readonly AbsenceEntry[]
  /** From consecutiveAbsentMonths. */
  monthsAbsent: number
  /** The member's note pace for the year of the quarter, judged at `now`. */
  pace: { status: NotePaceStatus; sentence?: string } | null
  now: number
  /** Lets a caller that already knows say so; otherwise judged from `now`. */
  quarterEnded?: boolean
}

function absenceText(count: number, absences: readonly AbsenceEntry[]): string {
  const head = `本季度无故缺席 ${count} 次`
  if (absences.length === 0) return head
  const listed = [...absences]
    .sort((a, b) => a.at - b.at)
    .slice(0, LISTED_ABSENCES)
    .map((a) => a.label.trim())
    .filter((label) => label.length > 0)
  const more = absences.length > LISTED_ABSENCES ? ' 等' : ''
  return listed.length === 0 ? head : `${head}：${listed.join('、')}${more}`
}

/**
 * 3 months → 关注, 4 → 警示, 5 and more → 紧急, by the months themselves, so
 * an org that starts the alert late still sees 5 months as urgent.
 */
function alertSeverity(months: number): AbsenceAlert['severity'] {
  return months >= 5 ? 'urgent' : months >= 4 ? 'warning' : 'notice'
}

export function absenceAlert(monthsAbsent: number, thresholds: Pick<WarningThresholds, 'alertMonthsAbsent'>): AbsenceAlert | null {
  if (!Number.isFinite(monthsAbsent)) return null
  const months = Math.min(MAX_ABSENT_MONTHS, Math.floor(monthsAbsent))
  if (months < 1 || months < thresholds.alertMonthsAbsent) return null
  let text =
    `已连续 ${months} 个月未参加组织生活（未请假）。` +
    '按党章第九条，连续六个月不参加党的组织生活且无正当理由的，被认为是自行脱党。'
  if (months >= 6) text += '现已满六个月，请支部尽快了解情况，按规定慎重处理。'
  return { months, severity: alertSeverity(months), text }
}

/** Points are judged only once two months of the quarter have passed, so nobody is flagged on its first day. */
function pointsJudgeable(quarter: string, now: number, quarterEnded: boolean | undefined): boolean {
  if (quarterEnded) return true
  const thirdMonth = monthsOfPeriod(quarter)[2]
  return now >= periodBounds(thirdMonth).start
}

export function memberWarning(input: MemberWarningInput, thresholds: WarningThresholds): MemberWarning | null {
  const { member, quarter } = input
  requireKind(quarter, 'quarter')
  if (member.exempt) return null

  const facts: WarningFact[] = []
  const absent = input.quarterAgg?.absent ?? 0
  if (absent >= thresholds.yellowAbsences) {
    const level: WarningLevel = absent >= thresholds.redAbsences ? 'red' : 'yellow'
    facts.push({ reason: 'absences', level, text: absenceText(absent, input.absences) })
  }

  const below = thresholds.yellowPointsBelow
  const points = input.quarterAgg?.points ?? 0
  if (below !== null && points < below && pointsJudgeable(quarter, input.now, input.quarterEnded)) {
    facts.push({ reason: 'points', level: 'yellow', text: `本季度积分 ${points} 分，低于 ${below} 分` })
  }

  // Only in the last quarter: earlier, there is still time to catch up without a warning.
  if (parsePeriod(quarter).quarter === 4 && input.pace?.status === 'far_behind') {
    // Officers read this: the member by name, never '您' (a pace computed for the member's own page says 您).
    const sentence = input.pace.sentence?.trim().replace(/您/g, member.name.trim() || '该党员')
    facts.push({ reason: 'note_pace', level: 'red', text: sentence || '全年学习笔记进度明显落后，年终检查前需要抓紧。' })
  }

  const alert = absenceAlert(input.monthsAbsent, thresholds)
  if (facts.length === 0 && alert === null) return null

  const level: WarningLevel | null = facts.some((f) => f.level === 'red') ? 'red' : facts.length > 0 ? 'yellow' : null
  const has = (reason: WarningFact['reason']): boolean => facts.some((f) => f.reason === reason)
  const actions: string[] = []
  if (alert) actions.push(WARNING_ACTIONS.contact)
  actions.push(WARNING_ACTIONS.talk)
  if (has('absences')) actions.push(WARNING_ACTIONS.makeup)
  if (has('points')) actions.push(WARNING_ACTIONS.points)
  if (has('note_pace')) actions.push(WARNING_ACTIONS.plan)
  if (alert && alert.severity === 'urgent') actions.push(WARNING_ACTIONS.report)

  return { memberId: member._id, name: member.name, level, facts, alert, actions }
}
