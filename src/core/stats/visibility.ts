/**
 * Who may see a ranking is the organisation's choice (against 指尖上的形式主义,
 * a ranking is never forced on members). Members always see their own record,
 * whatever the level, so the reason always says so.
 */
import type { VisibilityLevel } from '../schemas/settings'

/** The caller's standing within the ranking's scope (the branch or the org). */
export interface Viewer {
  /** 党委管理员 of the org or an ancestor. */
  admin: boolean
  /** 支部书记 or 支委委员. */
  officer: boolean
  /** A member within the scope. */
  member: boolean
}

export function canSeeRanking(level: VisibilityLevel, viewer: Viewer): boolean {
  if (level === 'admins') return viewer.admin
  if (level === 'secretaries') return viewer.admin || viewer.officer
  return viewer.admin || viewer.officer || viewer.member
}

const REASONS: Record<VisibilityLevel, string> = {
  admins: '本组织设置为仅党委管理员可查看排行，您可以随时查看自己的记录。',
  secretaries: '本组织设置为仅支部书记及以上可查看排行，您可以随时查看自己的记录。',
  members: '这个排行仅对本组织的党员开放，您可以随时查看自己的记录。'
}

/** Shown in place of a ranking the caller may not see. */
export function hiddenRankingReason(level: VisibilityLevel): string {
  return REASONS[level]
}
