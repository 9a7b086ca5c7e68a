/**
 * 季通报: the quarterly report of an org's branches, with 红旗党支部
 * candidates and the members who need care. The composite score and the
 * candidate rule are printed on the report (RED_FLAG_RULE), so nobody has to
 * guess how a branch came first.
 */
import type { BranchRankingRow, MemberWarning, ReportResult, WarningLevel } from '../functions/stats'
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

export const RED_FLAG_WEIGHTS = { attendance: 50, quota: 30, points: 20 } as const
/** A branch of one or two people is too small for a rate to mean much. */
export const RED_FLAG_MIN_MEMBERS = 3
/** An example branch must first of all meet; a high score from notes alone is not enough. */
export const RED_FLAG_MIN_ATTENDANCE = 0.8
export const RED_FLAG_COUNT = 3

export const RED_FLAG_RULE =
  `综合得分满分 100 分：参会率占 ${RED_FLAG_WEIGHTS.attendance} 分，笔记完成率占 ${RED_FLAG_WEIGHTS.quota} 分，` +
  `人均积分占 ${RED_FLAG_WEIGHTS.points} 分（按本支部人均积分与全组织人均积分最高的支部之比计算，负分按 0 计）；` +
  '没有数据的项按 0 分计。' +
  `红旗党支部候选：在党员不少于 ${RED_FLAG_MIN_MEMBERS} 人、参会率不低于 ${Math.round(RED_FLAG_MIN_ATTENDANCE * 100)}% 的支部中，` +
  `取综合得分前 ${RED_FLAG_COUNT} 名（同分并列）。`

function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x
}

/**
 * 0–100, rounded to one decimal: 50% attendance rate, 30% quota rate, 20%
 * points per member against the org's best branch. A missing rate counts 0;
 * when no branch has positive points, the points part is 0 for all.
 */
export function redFlagScore(
  row: Pick<BranchRankingRow, 'attendanceRate' | 'quotaRate' | 'pointsPerMember'>,
  maxPointsPerMember: number
): number {
  const attendance = clamp01(row.attendanceRate ?? 0)
  const quota = clamp01(row.quotaRate ?? 0)
  const points = maxPointsPerMember > 0 && Number.isFinite(row.pointsPerMember) ? clamp01(row.pointsPerMember / maxPointsPerMember) : 0
  const raw =
    RED_FLAG_WEIGHTS.attendance * attendance + RED_FLAG_WEIGHTS.quota * quota + RED_FLAG_WEIGHTS.points * points
  return Math.round(raw * 10) / 10
}

/** One branch and its aggregate for the quarter (null when it has none yet). */
export interface ReportBranchInput {
  branch: RankableBranch
  agg: Aggregate | null
}

export interface BuildReportArgs {
  orgName: string
  quarter: string
  generatedAt: number
  branches: readonly ReportBranchInput[]
  /** The previous quarter's, for the rank arrows; omit for none. */
  previous?: readonly ReportBranchInput[]
  /** Member warnings by branch id, as memberWarning returned them (nulls left out). */
  warnings: Readonly<Record<string, readonly MemberWarning[]>>
  /** Whether the caller may see the warned members of this branch by name. */
  namesVisibleFor: (branchId: string) => boolean
}

type ScoredRow = BranchFigures & { score: number }

function scoredRows(inputs: readonly ReportBranchInput[], quarter: string): ScoredRow[] {
  const rows = inputs.map((b) => branchRow(b.branch, b.agg, quarter))
  // The best branch sets the scale; an empty branch's 0 must not.
  const best = Math.max(0, ...rows.filter((r) => r.members > 0).map((r) => r.pointsPerMember))
  return rows.map((r) => ({ ...r, score: redFlagScore(r, best) }))
}

function warningsOf(args: BuildReportArgs, branchId: string): readonly MemberWarning[] {
  return Object.prototype.hasOwnProperty.call(args.warnings, branchId) ? args.warnings[branchId] : []
}

const LEVEL_ORDER: Record<WarningLevel | 'none', number> = { red: 0, yellow: 1, none: 2 }

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0)
}

export function buildReport(args: BuildReportArgs): ReportResult {
  const { quarter } = args
  const score = (r: ScoredRow): number => r.score
  const before = new Map(
    rankBranchFigures(scoredRows(args.previous ?? [], quarter), score)
      .filter((r) => r.members > 0)
      .map((r) => [r.branchId, r.rank])
  )
  const ranked = rankBranchFigures(scoredRows(args.branches, quarter), score)

  const branches = ranked.map((r) => {
    const list = warningsOf(args, r.branchId)
    return {
      ...r,
      previousRank: before.get(r.branchId) ?? null,
      yellow: list.filter((w) => w.level === 'yellow').length,
      red: list.filter((w) => w.level === 'red').length,
      alerts: list.filter((w) => w.alert !== null).length
    }
  })

  const eligible = ranked.filter(
    (r) => r.members >= RED_FLAG_MIN_MEMBERS && r.attendanceRate !== null && r.attendanceRate >= RED_FLAG_MIN_ATTENDANCE
  )
  const redFlag = competitionRanks(eligible, score, (r) => r.branchId)
    .filter((r) => r.rank <= RED_FLAG_COUNT)
    .map((r) => ({ branchId: r.branchId, name: r.name, score: r.score }))

  const aggs = args.branches.map((b) => b.agg).filter((a): a is Aggregate => a !== null)
  const total = (k: 'members' | 'attended' | 'expected' | 'leave' | 'creditedWords' | 'quotaWords'): number =>
    sum(aggs.map((a) => a[k]))

  const warned: ReportResult['warned'] = []
  for (const r of ranked) {
    const visible = args.namesVisibleFor(r.branchId)
    const list = [...warningsOf(args, r.branchId)].sort((a, b) => LEVEL_ORDER[a.level ?? 'none'] - LEVEL_ORDER[b.level ?? 'none'])
    for (const w of list) {
      warned.push({
        branchId: r.branchId,
        branchName: r.name,
        name: visible ? w.name : null,
        level: w.level,
        facts: [...w.facts.map((f) => f.text), ...(w.alert ? [w.alert.text] : [])]
      })
    }
  }

  return {
    period: quarter,
    orgName: args.orgName,
    generatedAt: args.generatedAt,
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
    redFlag,
    scoreRule: RED_FLAG_RULE,
    warned
  }
}
