/**
 * 季通报: the quarterly report of an org's branches, with 红旗党支部
 * candidates and the members who need care.
 *
 * The criteria follow what the speeches ask of a branch (data/seeds): hold
 * organisational life — "严格组织生活，落实‘三会一课’制度" —, have members take part,
 * write their notes ("每个工作人员全年笔记不少于1万字"), and run "积分争先、双色预警"
 * so nobody drifts away; and "对…任务落实不到位的党组织…取消评优资格". So a
 * branch that missed a required meeting, or lost touch with a member (the
 * Art. 9 alert), is never named, whatever its other figures. The criteria
 * are printed on the report (RED_FLAG_CRITERIA), so nobody has to guess how
 * a branch came first.
 */
import type { CadenceItem } from '../functions/session'
import type { MemberWarning, ReportResult, WarningLevel } from '../functions/stats'
import { parsePeriod, periodBounds } from '../period'
import type { Aggregate } from '../schemas/aggregate'
import {
  attendanceRateOf,
  branchRow,
  competitionRanks,
  quotaRateOf,
  rankBranchFigures,
  type BranchFigures,
  type RankableBranch
} from './ranking'

/** Points of 100 per criterion. Points weigh least: they mostly restate attendance, and a score chase is what the 2023–2024 rules against formalism warn of. */
export const RED_FLAG_WEIGHTS = { meetings: 30, attendance: 25, quota: 20, care: 15, points: 10 } as const
/** A branch of one or two people is too small for a rate to mean much. */
export const RED_FLAG_MIN_MEMBERS = 3
/** An example branch must first of all meet; a high score from notes alone is not enough. */
export const RED_FLAG_MIN_ATTENDANCE = 0.8
/** Candidates are the few best: at most this share of the branches compared (at least one). */
export const RED_FLAG_SHARE = 1 / 3

export const RED_FLAG_CRITERIA: readonly string[] = [
  '依据：讲话要求“严格组织生活，落实‘三会一课’制度”，“每个工作人员全年笔记不少于1万字”，推行“积分争先、双色预警”，' +
    '对“任务落实不到位的党组织”“取消评优资格”。',
  `综合得分满分 100 分：组织生活按期召开占 ${RED_FLAG_WEIGHTS.meetings} 分（本季度已到期的三会一课、主题党日、专题学习研讨中按期召开的比例），` +
    `参会率占 ${RED_FLAG_WEIGHTS.attendance} 分，笔记完成率占 ${RED_FLAG_WEIGHTS.quota} 分，` +
    `无预警党员占比占 ${RED_FLAG_WEIGHTS.care} 分（既没有黄色、红色预警，也没有连续未参加组织生活提醒的党员所占比例），` +
    `人均积分占 ${RED_FLAG_WEIGHTS.points} 分（与人均积分最高的支部相比，负分按 0 计）；没有数据的项按 0 分计。按得分的实际数值排序，显示保留一位小数。`,
  `红旗党支部候选须同时符合：参加考核的党员不少于 ${RED_FLAG_MIN_MEMBERS} 人；本季度已到期的三会一课等组织生活没有缺项；` +
    `参会率不低于 ${Math.round(RED_FLAG_MIN_ATTENDANCE * 100)}%；没有党员收到连续未参加组织生活的提醒（党章第九条）。`,
  '符合条件的支部按综合得分从高到低列入，最多为参加比较的支部数的三分之一（至少 1 个，同分并列的一并列入）；没有支部符合条件时不列候选。'
]

/** The criteria as one paragraph (older clients print this). */
export const RED_FLAG_RULE = RED_FLAG_CRITERIA.join('')

function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x
}

/** How many candidates a report may name when `compared` branches (with members) are compared. */
export function candidateLimit(compared: number): number {
  return compared > 0 ? Math.max(1, Math.floor(compared * RED_FLAG_SHARE + 1e-9)) : 0
}

/** The parts of the composite, each 0–1 (null when there is nothing to judge by). */
export interface RedFlagParts {
  meetings: number | null
  attendance: number | null
  quota: number | null
  care: number | null
  points: number | null
}

/** 0–100, NOT rounded (rounding first would make false ties): each part times its weight, a missing part 0. */
export function redFlagScore(parts: RedFlagParts): number {
  let total = 0
  for (const k of Object.keys(RED_FLAG_WEIGHTS) as Array<keyof RedFlagParts>) {
    const v = parts[k]
    if (v !== null && Number.isFinite(v)) total += RED_FLAG_WEIGHTS[k] * clamp01(v)
  }
  return Math.min(100, Math.max(0, total))
}

/** The cadence check of a quarter, as the report reads it. */
export interface MeetingsSummary {
  /** Requirements whose time has come: met, or their month / quarter is over. */
  due: number
  met: number
  /** Not met and their time is over, e.g. 8月 支委会. */
  missed: string[]
  /** Not met yet, time still left (on the calendar or still to arrange). */
  pending: string[]
}

function whenOf(item: CadenceItem): string {
  const p = parsePeriod(item.period)
  return p.kind === 'month' ? `${p.month}月` : '本季度'
}

/** Reads the cadence result (src/core/cadence.ts decides met / scheduled / missing; this only counts). */
export function summarizeMeetings(items: readonly CadenceItem[]): MeetingsSummary {
  const out: MeetingsSummary = { due: 0, met: 0, missed: [], pending: [] }
  for (const i of items) {
    const name = `${whenOf(i)}${i.label}`
    if (i.status === 'met') {
      out.met++
      out.due++
    } else if (i.periodEnded) {
      out.due++
      out.missed.push(name)
    } else {
      out.pending.push(name)
    }
  }
  return out
}

/** One branch and what the report judges it by. */
export interface ReportBranchInput {
  branch: RankableBranch
  /** Its aggregate for the quarter (null when it has none yet). */
  agg: Aggregate | null
  /** The cadence check of the quarter (cadenceReport's items). */
  meetings: readonly CadenceItem[]
}

export interface BuildReportArgs {
  orgName: string
  quarter: string
  generatedAt: number
  branches: readonly ReportBranchInput[]
  /** The previous quarter's, judged the same way, for the rank arrows; omit for none. */
  previous?: readonly ReportBranchInput[]
  /** Member warnings by branch id, as memberWarning returned them (nulls left out). */
  warnings: Readonly<Record<string, readonly MemberWarning[]>>
  /** The previous quarter's warnings, for its scores. */
  previousWarnings?: Readonly<Record<string, readonly MemberWarning[]>>
  /** Whether the caller may see the warned members of this branch by name. */
  namesVisibleFor: (branchId: string) => boolean
}

type ScoredRow = BranchFigures & {
  score: number
  meetings: MeetingsSummary
  warnedMembers: number
  alerts: number
  reasons: string[]
}

function pctText(x: number): string {
  // Floored, so 79.96% never reads as the 80% it fell short of.
  return `${Math.floor(x * 1000 + 1e-9) / 10}%`
}

function listOf(warnings: Readonly<Record<string, readonly MemberWarning[]>> | undefined, branchId: string): readonly MemberWarning[] {
  return warnings && Object.prototype.hasOwnProperty.call(warnings, branchId) ? warnings[branchId] : []
}

/** Why a branch cannot be a candidate, in words for the report; [] when it qualifies. */
function reasonsAgainst(row: BranchFigures, meetings: MeetingsSummary, alerts: number): string[] {
  const out: string[] = []
  if (row.members < RED_FLAG_MIN_MEMBERS) out.push(`参加考核的党员不足 ${RED_FLAG_MIN_MEMBERS} 人`)
  if (meetings.missed.length > 0) out.push(`${meetings.missed.join('、')}未按期召开`)
  if (row.attendanceRate === null) out.push('本季度还没有应参加的组织生活')
  else if (row.attendanceRate < RED_FLAG_MIN_ATTENDANCE) {
    out.push(`参会率 ${pctText(row.attendanceRate)}，低于 ${Math.round(RED_FLAG_MIN_ATTENDANCE * 100)}%`)
  }
  if (alerts > 0) out.push(`有 ${alerts} 名党员连续未参加组织生活`)
  return out
}

function scoredRows(
  inputs: readonly ReportBranchInput[],
  quarter: string,
  warnings: Readonly<Record<string, readonly MemberWarning[]>> | undefined
): ScoredRow[] {
  const rows = inputs.map((b) => ({ input: b, row: branchRow(b.branch, b.agg, quarter) }))
  // Unrounded per-member points (the row's figure is rounded for display); an empty branch's 0 must not set the scale.
  const ppm = (b: ReportBranchInput) => (b.agg && b.agg.members > 0 ? b.agg.points / b.agg.members : 0)
  const best = Math.max(0, ...rows.filter((r) => r.row.members > 0).map((r) => ppm(r.input)))
  return rows.map(({ input, row }) => {
    const meetings = summarizeMeetings(input.meetings)
    const list = listOf(warnings, row.branchId)
    const warnedMembers = new Set(list.map((w) => w.memberId)).size
    const alerts = list.filter((w) => w.alert !== null).length
    const score = redFlagScore({
      meetings: meetings.due > 0 ? meetings.met / meetings.due : null,
      attendance: input.agg ? attendanceRateOf(input.agg.attended, input.agg.expected, input.agg.leave) : null,
      quota: input.agg ? quotaRateOf(input.agg.creditedWords, input.agg.quotaWords, quarter) : null,
      care: row.members > 0 ? (row.members - Math.min(row.members, warnedMembers)) / row.members : null,
      points: best > 0 && row.members > 0 ? ppm(input) / best : null
    })
    return { ...row, score, meetings, warnedMembers, alerts, reasons: reasonsAgainst(row, meetings, alerts) }
  })
}

const LEVEL_ORDER: Record<WarningLevel | 'none', number> = { red: 0, yellow: 1, none: 2 }

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0)
}

export function buildReport(args: BuildReportArgs): ReportResult {
  const { quarter } = args
  const score = (r: ScoredRow): number => r.score
  const before = new Map(
    rankBranchFigures(scoredRows(args.previous ?? [], quarter, args.previousWarnings), score)
      .filter((r) => r.members > 0)
      .map((r) => [r.branchId, r.rank])
  )
  const ranked = rankBranchFigures(scoredRows(args.branches, quarter, args.warnings), score)

  // Candidates: the qualifying branches, best first, up to the limit (a tie at the limit is kept whole).
  const compared = ranked.filter((r) => r.members > 0).length
  const limit = candidateLimit(compared)
  const qualified = ranked.filter((r) => r.members > 0 && r.reasons.length === 0)
  const chosen = competitionRanks(qualified, score, (r) => r.branchId).filter((r) => r.rank <= limit)
  const chosenIds = new Set(chosen.map((r) => r.branchId))

  const branches = ranked.map((r) => {
    const list = listOf(args.warnings, r.branchId)
    const { meetings, reasons, warnedMembers, alerts, ...figures } = r
    return {
      ...figures,
      previousRank: before.get(r.branchId) ?? null,
      yellow: list.filter((w) => w.level === 'yellow').length,
      red: list.filter((w) => w.level === 'red').length,
      alerts,
      warnedMembers,
      meetings,
      redFlag: chosenIds.has(r.branchId) ? ('candidate' as const) : reasons.length === 0 && r.members > 0 ? ('qualified' as const) : ('not_qualified' as const),
      reasons: r.members > 0 ? reasons : ['本季度没有参加考核的党员']
    }
  })

  const aggs = args.branches.map((b) => b.agg).filter((a): a is Aggregate => a !== null)
  const total = (k: 'members' | 'attended' | 'expected' | 'leave' | 'creditedWords' | 'quotaWords'): number =>
    sum(aggs.map((a) => a[k]))

  const warned: ReportResult['warned'] = []
  const withoutName = (text: string, name: string): string => (name.trim() ? text.split(name.trim()).join('该党员') : text)
  for (const r of ranked) {
    const visible = args.namesVisibleFor(r.branchId)
    const list = [...listOf(args.warnings, r.branchId)].sort((a, b) => LEVEL_ORDER[a.level ?? 'none'] - LEVEL_ORDER[b.level ?? 'none'])
    for (const w of list) {
      warned.push({
        branchId: r.branchId,
        branchName: r.name,
        name: visible ? w.name : null,
        level: w.level,
        // A hidden name stays hidden inside the sentences too: 该党员 instead.
        facts: [...w.facts.map((f) => f.text), ...(w.alert ? [w.alert.text] : [])].map((t) => (visible ? t : withoutName(t, w.name)))
      })
    }
  }

  return {
    period: quarter,
    orgName: args.orgName,
    generatedAt: args.generatedAt,
    provisional: args.generatedAt < periodBounds(quarter).end,
    branches,
    totals: {
      branches: branches.length,
      members: total('members'),
      attendanceRate: attendanceRateOf(total('attended'), total('expected'), total('leave')),
      quotaRate: quotaRateOf(total('creditedWords'), total('quotaWords'), quarter),
      yellow: sum(branches.map((b) => b.yellow)),
      red: sum(branches.map((b) => b.red)),
      alerts: sum(branches.map((b) => b.alerts))
    },
    redFlag: chosen.map((r) => ({ branchId: r.branchId, name: r.name, score: r.score })),
    candidateLimit: limit,
    criteria: [...RED_FLAG_CRITERIA],
    scoreRule: RED_FLAG_RULE,
    warned
  }
}
