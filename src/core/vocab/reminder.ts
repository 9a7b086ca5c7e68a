/** The vocabulary of reminders, free of zod (see vocab/note.ts for why). */

export const REMINDER_KINDS = [
  'session_upcoming',
  'checkin_missing',
  'note_pace',
  'leave_decided',
  'makeup',
  'review',
  'warning',
  'custom',
  'feedback',
  'democratic_review'
] as const
export type ReminderKind = (typeof REMINDER_KINDS)[number]

export const REMINDER_KIND_LABELS: Record<ReminderKind, string> = {
  session_upcoming: '活动通知',
  checkin_missing: '签到提醒',
  note_pace: '学习进度提醒',
  leave_decided: '请假结果',
  makeup: '补学通知',
  review: '笔记审阅',
  warning: '预警提示',
  custom: '支部通知',
  feedback: '意见建议回复',
  democratic_review: '民主评议'
}

/**
 * The WeChat subscribe-message templates the app uses; the ids are deployment configuration.
 * `outcome` (办理结果) tells a member what was decided about their leave, note, make-up, join or 民主评议;
 * it is never a secretary's reminder template (SEND_TEMPLATE_KEYS).
 */
export const TEMPLATE_KEYS = ['session_tomorrow', 'session_soon', 'notes_behind', 'makeup_due', 'outcome'] as const
export type TemplateKey = (typeof TEMPLATE_KEYS)[number]
/** The templates a secretary's reminder may go out on. */
export const SEND_TEMPLATE_KEYS = TEMPLATE_KEYS.filter((k) => k !== 'outcome')

/**
 * Targeted audiences, so a reminder reaches only those it concerns:
 * - branch: every confirmed, active member;
 * - members: a hand-picked list (only members of the branch count);
 * - not_checked_in: expected at `sessionId`, not checked in, no approved leave;
 * - makeup_pending: a make-up assigned (or returned) and not yet accepted, for `sessionId` or any;
 * - behind_pace: behind the even note pace this year (exempt members never);
 * - warned: with a yellow or red warning this quarter (`level` to take only red).
 */
export const REMINDER_AUDIENCE_KINDS = ['branch', 'members', 'not_checked_in', 'makeup_pending', 'behind_pace', 'warned'] as const
export type ReminderAudienceKind = (typeof REMINDER_AUDIENCE_KINDS)[number]
export const REMINDER_AUDIENCE_LABELS: Record<ReminderAudienceKind, string> = {
  branch: '全支部',
  members: '指定党员',
  not_checked_in: '本次活动还没签到的',
  makeup_pending: '还没完成补学的',
  behind_pace: '笔记进度偏慢的',
  warned: '有预警的'
}
