import type { MineRow } from '../api/checkin'
import type { Session } from '../api/sessions'
import { judgeWindow } from '../core/checkin/judge'
import { MAKEUP_STANDING_LABELS } from '../core/checkin/makeup'
import { LEAVE_PENDING_WORD, NOT_CHECKED_IN_WORD, NOT_STARTED_WORD, SCAN_PENDING_WORD, stateWord } from '../core/checkin/words'

export interface StateView {
  /** For class names: attended, late, leave, leave_pending, checkin_pending, makeup_pending, made_up, absent, upcoming, open, cancelled. */
  key: string
  label: string
}

type WindowSession = Pick<Session, 'status' | 'checkin' | 'startAt' | 'endAt'>

/** Check-in is being taken now, by the same window rule the server judges with. */
export function isCheckinOpen(session: WindowSession, now: number): boolean {
  return session.status !== 'cancelled' && judgeWindow(session, now).ok
}

/** Where the member stands at a session, in the app's one word for it (core/checkin/words.ts). */
export function myState(session: WindowSession, row: MineRow | undefined, now: number): StateView | null {
  if (session.status === 'cancelled') return { key: 'cancelled', label: '已取消' }
  const open = isCheckinOpen(session, now)
  if (row) {
    // A scan synced late waits for the branch to confirm it: not counted yet, not forgotten either.
    if (row.pendingAt !== undefined && (row.state === 'upcoming' || row.state === 'absent')) return { key: 'checkin_pending', label: SCAN_PENDING_WORD }
    if (row.state === 'upcoming' || (row.state === 'absent' && row.leaveStatus === 'pending')) {
      if (row.leaveStatus === 'pending') return { key: 'leave_pending', label: LEAVE_PENDING_WORD }
      if (open) return { key: 'open', label: NOT_CHECKED_IN_WORD }
      return { key: 'upcoming', label: now < session.startAt ? NOT_STARTED_WORD : NOT_CHECKED_IN_WORD }
    }
    // A make-up handed in is pending (补学待审), not yet 已补学: only the secretary's acceptance makes it so.
    if ((row.state === 'absent' || row.state === 'leave') && row.makeupStatus === 'submitted') return { key: 'makeup_pending', label: MAKEUP_STANDING_LABELS.pending }
    const excused = row.at === undefined && row.leaveStatus === 'approved'
    return { key: row.state, label: stateWord(row.state, { excused, checkinOpened: now >= session.checkin.opensAt }) }
  }
  if (open) return { key: 'open', label: NOT_CHECKED_IN_WORD }
  if (now < session.startAt) return { key: 'upcoming', label: NOT_STARTED_WORD }
  return null
}

/** 签到时间 13:30 起，14:10 后算迟到 — the window in one line. */
export function windowText(session: WindowSession, fmt: (ms: number) => string): string {
  const w = session.checkin
  const late = w.lateAfter < w.closesAt ? `，${fmt(w.lateAfter)} 后签到记为迟到` : ''
  return `签到时间 ${fmt(w.opensAt)}–${fmt(w.closesAt)}${late}`
}
