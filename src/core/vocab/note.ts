/**
 * The vocabulary of notes: enum values and the Chinese words a screen shows.
 * Kept free of zod so a page can import its labels without shipping zod
 * (about 200 KB) in the mini-program; the schemas build on these lists.
 */

/** 学习笔记 counts toward the word quota; 心得体会 toward the essay quota (and its words too). */
export const NOTE_KINDS = ['note', 'essay'] as const
export type NoteKind = (typeof NOTE_KINDS)[number]

export const NOTE_KIND_LABELS: Record<NoteKind, string> = {
  note: '学习笔记',
  essay: '心得体会'
}

export const REVIEW_STATUSES = ['pending', 'passed', 'returned'] as const
export type ReviewStatus = (typeof REVIEW_STATUSES)[number]

export const REVIEW_STATUS_LABELS: Record<ReviewStatus, string> = {
  pending: '待审阅',
  passed: '已通过',
  returned: '已退回'
}

/**
 * Pace against an even spread of the quota over the Shanghai calendar year.
 * `exempt`: the member has no quota; `done`: the word quota is met.
 */
export const PACE_STATUSES = ['on_pace', 'behind', 'far_behind', 'done', 'exempt'] as const
export type PaceStatus = (typeof PACE_STATUSES)[number]
export const PACE_STATUS_LABELS: Record<PaceStatus, string> = {
  on_pace: '进度正常',
  behind: '进度偏慢',
  far_behind: '进度严重滞后',
  done: '已完成',
  exempt: '免于考核'
}
