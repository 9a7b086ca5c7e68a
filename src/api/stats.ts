/**
 * The `stats` cloud function, typed from the zod schemas in src/core:
 * points ledger, rankings, 双色预警 and the 季通报.
 * Only types are imported from the schemas, so no schema code is bundled here.
 */
import type { z } from '../core/zod'
import type { BranchRankingResult, MemberRankingResult, PointsResult, RankBy, ReportResult, WarningsOutput } from '../core/functions/stats'
import type { PointsEntry } from '../core/schemas/points'
import type { Me } from './auth'
import { call } from './index'

export type {
  BranchRankingResult,
  BranchRankingRow,
  MemberFigures,
  MemberRankingResult,
  MemberRankingRow,
  MemberWarning,
  PointsLine,
  PointsResult,
  RankBy,
  ReportResult,
  WarningFact,
  WarningLevel
} from '../core/functions/stats'
export type WarningsResult = z.infer<typeof WarningsOutput>
export type ReportBranchRow = ReportResult['branches'][number]
export type ReportWarned = ReportResult['warned'][number]

/** Members of one branch, ranked; `me` is always there, the rows only when the organisation allows. */
export async function memberRanking(branchId: string, period: string, by: RankBy = 'points'): Promise<MemberRankingResult> {
  const out = await call<MemberRankingResult>('stats', 'memberRanking', { branchId, period, by })
  return { ...out, rows: out.rows ?? [], me: out.me ?? null }
}

/** Branches under an organisation, by rates and per-member figures. */
export async function branchRanking(orgId: string, period: string, by: RankBy = 'points'): Promise<BranchRankingResult> {
  const out = await call<BranchRankingResult>('stats', 'branchRanking', { orgId, period, by })
  return { ...out, rows: out.rows ?? [] }
}

/** Secretary: 双色预警 and the Art. 9 alert for a branch; the current quarter when none is named. */
export async function warnings(branchId: string, quarter?: string): Promise<WarningsResult> {
  const out = await call<WarningsResult>('stats', 'warnings', quarter ? { branchId, quarter } : { branchId })
  return { ...out, warnings: out.warnings ?? [] }
}

/** 季通报 of an organisation for a quarter (admins, or officers the organisation allows). */
export async function report(orgId: string, quarter: string): Promise<ReportResult> {
  return call<ReportResult>('stats', 'report', { orgId, period: quarter })
}

/** My points ledger for a period, or (officers) a member's of my branch. */
export async function points(period: string, memberId?: string): Promise<PointsResult> {
  const out = await call<PointsResult>('stats', 'points', memberId ? { period, memberId } : { period })
  return { ...out, lines: out.lines ?? [], rules: out.rules ?? [] }
}

export interface AdjustInput {
  memberId: string
  delta: number
  reason: string
  /** Made once per form: a retried tap lands on the same entry. */
  clientId: string
  at?: number
}

/** Secretary: a manual entry with its reason (书记调整); audited on the server. */
export async function adjustPoints(input: AdjustInput): Promise<PointsEntry> {
  const payload: Record<string, unknown> = { memberId: input.memberId, delta: input.delta, reason: input.reason.trim(), clientId: input.clientId }
  if (input.at !== undefined) payload.at = input.at
  const out = await call<{ entry: PointsEntry }>('stats', 'adjustPoints', payload)
  return out.entry
}

/** Officers: that a 谈心谈话 took place (today unless given), with an optional note for the officers. */
export async function recordTalk(input: { memberId: string; note?: string; clientId: string; at: number }): Promise<{ at: number; byName: string; note?: string }> {
  const note = input.note?.trim()
  const out = await call<{ talk: { at: number; byName: string; note?: string } }>('stats', 'recordTalk', { memberId: input.memberId, at: input.at, clientId: input.clientId, ...(note ? { note } : {}) })
  return out.talk
}

/**
 * The organisation whose branches a member compares with: the branch's
 * parent (its 党委 or 总支), so sibling branches are ranked together.
 */
export function parentOrgId(me: Me): string {
  const path = me.member.orgPath
  const at = path.lastIndexOf(me.member.branchId)
  if (at > 0) return path[at - 1]
  return path.length > 1 ? path[path.length - 2] : path[0]
}

/** The organisation a report covers: the one the caller administers, else the branch's parent. */
export function reportOrgId(me: Me): string {
  const admin = me.member.roles.find((r) => r.role === 'admin')
  return admin ? admin.orgId : parentOrgId(me)
}
