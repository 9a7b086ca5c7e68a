/**
 * 讲授党课: 书记讲党课 is a real requirement, so a secretary may name
 * themselves lecturer, and the lecturer earns the `lecture` points once the
 * 党课 is counted. Two rules keep those points for real lectures:
 *
 * - A 党课 shorter than LECTURE_MIN_MINUTES earns no lecture points (it is
 *   still held and counted for attendance). Judged from the session alone,
 *   in the points rules (contributions.ts), so the tally, every later change
 *   and the nightly rebuild give the same answer without reading any other
 *   session.
 * - One person is lecturer of at most one 党课 per calendar month
 *   (Asia/Shanghai) in a branch. The 党课 cadence is quarterly, so this is
 *   generous; it is a rule on the record (who is named), checked when a
 *   session is created, changed or recorded (lectureClash), rather than a
 *   points rule across sessions: points that depend on another session would
 *   have to move between sessions when one is cancelled, and the write path
 *   and the rebuild could then disagree.
 */
import { periodKeysOf } from '../period'
import type { Session } from '../schemas/session'

/** A 党课 of at least this length earns its lecturer the lecture points. */
export const LECTURE_MIN_MINUTES = 30
const MIN_MS = LECTURE_MIN_MINUTES * 60 * 1000

/** Long enough to earn the lecture points; a session without an end (not known) earns none. */
export function lectureLongEnough(s: { startAt: number; endAt?: number }): boolean {
  return s.endAt !== undefined && s.endAt - s.startAt >= MIN_MS
}

type Lecture = Pick<Session, '_id' | 'startAt' | 'status' | 'title'> & { lecturerId?: string }

/**
 * Another live 党课 the same person lectures in the same Shanghai month as
 * `startAt`, if any (`others` are the branch's 党课 with that lecturer; the
 * session being edited is left out by `exceptId`).
 */
export function lectureClash(lecturerId: string, startAt: number, others: readonly Lecture[], exceptId?: string): Lecture | null {
  const month = periodKeysOf(startAt).month
  return others.find((o) => o._id !== exceptId && o.status !== 'cancelled' && o.lecturerId === lecturerId && periodKeysOf(o.startAt).month === month) ?? null
}
