/**
 * Where a member stands for one session in their record (党员日常教育管理个人档案).
 * Kept apart from the rules so function schemas and the UI can import the
 * labels without pulling in the rules.
 *
 * - attended / late: checked in (by QR, online or by the secretary);
 * - leave: approved leave (请假), not counted in the 应到 denominator;
 * - made_up: absent or on leave, and a make-up study (补学) was accepted (checkin/makeup.ts);
 * - absent: the session is over and none of the above;
 * - upcoming: not over yet and nothing recorded.
 */
import { FINAL_WORDS, NOT_STARTED_WORD } from './words'

export const ATTENDANCE_STATES = ['attended', 'late', 'leave', 'made_up', 'absent', 'upcoming'] as const
export type AttendanceState = (typeof ATTENDANCE_STATES)[number]

/** The plain word per state (words.ts); a screen that knows more (made-up leave, check-in open) asks stateWord. */
export const ATTENDANCE_STATE_LABELS: Record<AttendanceState, string> = {
  ...FINAL_WORDS,
  upcoming: NOT_STARTED_WORD
}

/** A make-up note must carry at least this many words (countNoteWords), so it is more than a token line. */
export const MAKEUP_MIN_WORDS = 50
