/** The vocabulary of rankings and warnings, free of zod (see vocab/note.ts for why). */

/** What a ranking is ordered by. Never raw totals: rates and per-member figures. */
export const RANK_BY = ['points', 'attendance', 'quota'] as const
export type RankBy = (typeof RANK_BY)[number]
export const RANK_BY_LABELS: Record<RankBy, string> = { points: '积分', attendance: '参会率', quota: '笔记完成率' }

export const WARNING_LEVELS = ['yellow', 'red'] as const
export type WarningLevel = (typeof WARNING_LEVELS)[number]
export const WARNING_LEVEL_LABELS: Record<WarningLevel, string> = { yellow: '黄色预警', red: '红色预警' }
