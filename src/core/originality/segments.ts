/**
 * How a note's own text is shown with its copied passages and excerpts
 * marked: plain-text segments of THIS note's content only (the other note's
 * text is never at hand here), each labelled with what it matched.
 */
import { countNoteWords } from '../words'
import { copyDates, copySubject, shanghaiDate } from './engine'

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

/** One stretch of this note found in earlier notes, however many of them hold it. */
export interface CopiedPassage {
  start: number
  end: number
  /** Words in it, by the published rule (the same 字 as every other count). */
  words: number
  /** How many earlier notes hold it (or part of it). */
  notes: number
  /** The first words of the stretch, for finding it in the text. */
  preview: string
  /** 与 3 篇已有笔记（2026-03-05、2026-03-06）重复: the copy notice's wording. */
  text: string
}

const PREVIEW = 12

/**
 * The copied passages of a note, each listed once: the ranges of every match
 * merged where they overlap or touch (or only spacing and punctuation lie
 * between), so one paragraph found in twenty earlier notes is one line
 * saying twenty, not twenty lines. In text order.
 */
export function copiedPassages(
  content: string,
  matches: ReadonlyArray<{ at: number; own: boolean; passages?: readonly SegmentSpan[] }>
): CopiedPassage[] {
  const n = content.length
  const spans: Array<{ start: number; end: number; m: number }> = []
  matches.forEach((match, m) => {
    for (const p of match.passages ?? []) {
      const start = Math.max(0, Math.min(n, Math.floor(p.start)))
      const end = Math.max(start, Math.min(n, Math.floor(p.end)))
      if (end > start) spans.push({ start, end, m })
    }
  })
  spans.sort((a, b) => a.start - b.start || a.end - b.end)
  const merged: Array<{ start: number; end: number; ms: Set<number> }> = []
  for (const sp of spans) {
    const cur = merged[merged.length - 1]
    if (cur && (sp.start <= cur.end || countNoteWords(content.slice(cur.end, sp.start)) === 0)) {
      cur.end = Math.max(cur.end, sp.end)
      cur.ms.add(sp.m)
    } else merged.push({ start: sp.start, end: sp.end, ms: new Set([sp.m]) })
  }
  return merged.map(({ start, end, ms }) => {
    const who = [...ms].map((i) => matches[i])
    const body = content.slice(start, end).trim()
    // By code point, so a preview never ends in half a character.
    const chars = Array.from(body)
    return {
      start,
      end,
      words: countNoteWords(content.slice(start, end)),
      notes: who.length,
      preview: chars.length > PREVIEW ? `${chars.slice(0, PREVIEW).join('')}…` : body,
      text: `与${copySubject(who)}（${copyDates(who.map((w) => w.at))}）重复`
    }
  })
}
