/** The vocabulary of check-ins and leave, free of zod (see vocab/note.ts for why). */

/** qr: scanned at the venue; online: allowed without QR; proxy: recorded by a secretary. */
export const CHECKIN_METHODS = ['qr', 'online', 'proxy'] as const
export type CheckinMethod = (typeof CHECKIN_METHODS)[number]

export const CHECKIN_METHOD_LABELS: Record<CheckinMethod, string> = {
  qr: '扫码签到',
  online: '线上签到',
  proxy: '书记代签'
}

export const LEAVE_STATUSES = ['pending', 'approved', 'refused'] as const
export type LeaveStatus = (typeof LEAVE_STATUSES)[number]

export const LEAVE_STATUS_LABELS: Record<LeaveStatus, string> = {
  pending: '待审批',
  approved: '已准假',
  refused: '未准假'
}
