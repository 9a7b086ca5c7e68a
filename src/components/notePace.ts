/**
 * Pace of the reading-notes year in plain words. The server's status and
 * sentence win (src/core/functions/note.ts, PACE_STATUSES); when it sends
 * none (an older server) they are worked out from creditedWords vs paceWords.
 * Labels are copied here, not imported, so no schema code enters the bundle.
 */
import type { NoteProgress, PaceStatus } from '../api/notes'

export type PaceKey = PaceStatus | 'unknown'

export const PACE_KEYS: PaceStatus[] = ['on_pace', 'behind', 'far_behind', 'done', 'exempt']

const LABELS: Record<PaceKey, string> = {
  on_pace: '进度正常',
  behind: '进度偏慢',
  far_behind: '进度严重滞后',
  done: '已完成',
  exempt: '免于考核',
  unknown: '—'
}

/** Below this share of the pace figure a member is "far behind" (fallback only). */
const FAR_BEHIND = 0.5

export function normalisePace(status: unknown): PaceKey {
  return typeof status === 'string' && (PACE_KEYS as string[]).includes(status) ? (status as PaceStatus) : 'unknown'
}

export function paceFromNumbers(credited: number, paceWords: number, quota: number, essays: number, essayQuota: number, exempt: boolean): PaceKey {
  if (exempt) return 'exempt'
  if (credited >= quota && essays >= essayQuota) return 'done'
  if (credited >= paceWords) return 'on_pace'
  if (credited >= paceWords * FAR_BEHIND) return 'behind'
  return 'far_behind'
}

export function paceStatusOf(p: Pick<NoteProgress, 'paceStatus' | 'creditedWords' | 'paceWords' | 'wordQuota' | 'essays' | 'essayQuota' | 'exempt'>): PaceKey {
  const s = normalisePace(p.paceStatus)
  if (s !== 'unknown') return s
  if (typeof p.creditedWords !== 'number' || typeof p.paceWords !== 'number') return 'unknown'
  return paceFromNumbers(p.creditedWords, p.paceWords, p.wordQuota, p.essays, p.essayQuota, !!p.exempt)
}

export function paceLabel(k: PaceKey): string {
  return LABELS[k] ?? '—'
}

/** Worst first: the order a secretary wants to look at. */
export function paceRank(k: PaceKey): number {
  return { far_behind: 0, behind: 1, on_pace: 2, done: 3, exempt: 4, unknown: 5 }[k] ?? 5
}

export function paceSentence(p: NoteProgress, currentYear: boolean): string {
  if (currentYear && p.paceSentence) return p.paceSentence
  const left = Math.max(0, p.wordQuota - p.creditedWords)
  const essaysLeft = Math.max(0, p.essayQuota - p.essays)
  const essayPart = essaysLeft > 0 ? `，心得体会还差 ${essaysLeft} 篇` : '，心得体会已够数'
  if (!currentYear) {
    return left === 0 && essaysLeft === 0 ? '这一年的笔记要求已经完成。' : `这一年字数还差 ${left.toLocaleString()} 字${essayPart}。`
  }
  if (left === 0) return `今年的字数要求已经完成${essayPart}。`
  const behind = Math.max(0, p.paceWords - p.creditedWords)
  if (behind === 0) return `按全年平均进度，到今天应写 ${p.paceWords.toLocaleString()} 字，您已经写到了${essayPart}。`
  return `按全年平均进度，到今天应写 ${p.paceWords.toLocaleString()} 字，还差 ${behind.toLocaleString()} 字。不用着急，平时每次学习记几段就好${essayPart}。`
}
