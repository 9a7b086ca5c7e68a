/**
 * Pace of the reading-notes year in plain words. The rule itself lives in
 * src/core/notes/pace.ts and runs on the server, which sends the status and
 * the sentence with every progress row; the app only names and orders them.
 */
import { PACE_STATUS_LABELS, type PaceStatus } from '../core/vocab/note'

export type PaceKey = PaceStatus

export function paceLabel(k: PaceKey): string {
  return PACE_STATUS_LABELS[k]
}

/** Worst first: the order a secretary wants to look at. */
export function paceRank(k: PaceKey): number {
  return { far_behind: 0, behind: 1, on_pace: 2, done: 3, exempt: 4 }[k]
}

/** The colour of a pace badge: green on pace, amber behind, red far behind, grey when exempt. */
export function paceTone(k: PaceKey): 'good' | 'warn' | 'primary' | 'quiet' {
  return ({ far_behind: 'primary', behind: 'warn', on_pace: 'good', done: 'good', exempt: 'quiet' } as const)[k]
}
