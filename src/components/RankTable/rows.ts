/**
 * Server ranking rows → what RankTable shows. Pure (tested in test/ui):
 * the ordering figure in the big column, the other figures under the name.
 */
import type { BranchRankingRow, MemberRankingRow } from '../../core/functions/stats'
import { RANK_BY_LABELS, type RankBy } from '../../core/vocab/stats'
import { percentText } from '../format'
import { memberValue, perMemberText } from '../statsText'
import type { RankRow } from './index'

/** Branches compare per member, so their points column says so. */
const BRANCH_VALUE_LABELS: Record<RankBy, string> = { ...RANK_BY_LABELS, points: '人均积分' }

export function memberRankRows(rows: readonly MemberRankingRow[], by: RankBy, showPoints: boolean, myId: string | null): RankRow[] {
  return rows.map((r) => {
    const details: string[] = []
    if (by !== 'points' && showPoints) details.push(`积分 ${r.points}`)
    if (by !== 'attendance') details.push(`参会率 ${percentText(r.attendanceRate)}`)
    if (by !== 'quota') details.push(`笔记 ${percentText(r.quotaRate)}`)
    if (r.essays > 0) details.push(`心得 ${r.essays} 篇`)
    return { id: r.memberId, rank: r.rank, previousRank: r.previousRank, name: r.name, value: memberValue(r, by), details, mine: r.memberId === myId }
  })
}

export function branchValue(r: BranchRankingRow, by: RankBy): string {
  if (by === 'attendance') return percentText(r.attendanceRate)
  if (by === 'quota') return percentText(r.quotaRate)
  return perMemberText(r.pointsPerMember)
}

export function branchRankRows(rows: readonly BranchRankingRow[], by: RankBy, myBranchId: string | null): RankRow[] {
  return rows.map((r) => {
    const details = [`${r.members} 人`]
    if (by !== 'points') details.push(`人均积分 ${perMemberText(r.pointsPerMember)}`)
    if (by !== 'attendance') details.push(`参会率 ${percentText(r.attendanceRate)}`)
    if (by !== 'quota') details.push(`笔记 ${percentText(r.quotaRate)}`)
    return { id: r.branchId, rank: r.rank, previousRank: r.previousRank, name: r.name, value: branchValue(r, by), details, mine: r.branchId === myBranchId }
  })
}

export function branchValueLabel(by: RankBy): string {
  return BRANCH_VALUE_LABELS[by]
}
