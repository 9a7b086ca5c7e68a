/**
 * How a note's own text is shown with its copied passages and excerpts
 * marked: plain-text segments of THIS note's content only (the other note's
 * text is never at hand here), each labelled with what it matched.
 */
import { shanghaiDate } from './engine'

export interface SegmentSpan {
  start: number
  end: number
}

export interface NoteSegment {
  text: string
  kind: 'own' | 'copied' | 'excerpt'
  /** '' for own writing; 与 2026-03-05 的笔记重复 / 摘自《…》 otherwise. */
  label: string
}

export function noteSegments(
  content: string,
  matches: ReadonlyArray<{ at: number; passages?: readonly SegmentSpan[] }> = [],
  excerpts: ReadonlyArray<{ title: string; passages: readonly SegmentSpan[] }> = []
): NoteSegment[] {
  const n = content.length
  const marks: Array<{ start: number; end: number; kind: 'copied' | 'excerpt'; label: string; rank: number }> = []
  // Copied passages win over excerpts; among matches, the earliest note names the passage.
  const byDate = [...matches].sort((a, b) => a.at - b.at)
  byDate.forEach((m, i) => {
    for (const p of m.passages ?? []) marks.push({ start: p.start, end: p.end, kind: 'copied', label: `与 ${shanghaiDate(m.at)} 的笔记重复`, rank: i })
  })
  excerpts.forEach((e, i) => {
    for (const p of e.passages) marks.push({ start: p.start, end: p.end, kind: 'excerpt', label: `摘自《${e.title}》`, rank: byDate.length + i })
  })
  const cuts = new Set<number>([0, n])
  for (const m of marks) {
    m.start = Math.max(0, Math.min(n, Math.floor(m.start)))
    m.end = Math.max(m.start, Math.min(n, Math.floor(m.end)))
    cuts.add(m.start)
    cuts.add(m.end)
  }
  const points = [...cuts].sort((a, b) => a - b)
  const out: NoteSegment[] = []
  for (let i = 0; i + 1 < points.length; i++) {
    const s = points[i]
    const e = points[i + 1]
    if (e <= s) continue
    let best: (typeof marks)[number] | undefined
    for (const m of marks) if (m.start <= s && m.end >= e && (!best || m.rank < best.rank)) best = m
    const kind = best?.kind ?? 'own'
    const label = best?.label ?? ''
    const last = out[out.length - 1]
    if (last && last.kind === kind && last.label === label) last.text += content.slice(s, e)
    else out.push({ text: content.slice(s, e), kind, label })
  }
  return out
}
