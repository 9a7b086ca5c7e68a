/**
 * The year-end ledgers a branch or an organisation can download, free of zod
 * (see vocab/note.ts for why).
 */
export const LEDGER_KINDS = ['attendance', 'minutes', 'notes', 'points', 'warnings'] as const
export type LedgerKind = (typeof LEDGER_KINDS)[number]
export const LEDGER_LABELS: Record<LedgerKind, string> = {
  attendance: '签到台账',
  minutes: '会议记录',
  notes: '笔记台账',
  points: '积分台账',
  warnings: '预警名单'
}
