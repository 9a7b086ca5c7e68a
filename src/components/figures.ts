/**
 * Where a running sentence holds a figure that must stay on one line: a
 * number with its separators (6,391 · 85.7 · 13:30 · 12/15), its unit when
 * one follows (字, 场, %, …), a date written in Chinese (2026年12月6日) or a
 * date with its time (12/15 13:30). A line may break between Han characters
 * anywhere, and also between a digit and the unit after it, so these are
 * wrapped in `.num` (nowrap) by <Figures>. The e2e width check reads the same
 * pattern, so what it calls a figure is what the screens keep whole.
 */
export const FIGURE_PATTERN =
  '(?:\\d+(?:[,.]\\d+)*\\s?[年月日]){2,}' +
  '|\\d{1,2}/\\d{1,2}\\s\\d{1,2}:\\d{2}' +
  '|\\d+(?:[,.:/\\-]\\d+)*(?:\\s?(?:%|％|字|分钟|分|场|人|次|篇|天|名|小时|岁|年|月|日|时|万|周|条|项|个|点|KB))?'

export interface TextRun {
  text: string
  figure: boolean
}

/** The sentence cut into plain runs and figure runs, in order; joined they give the sentence back. */
export function splitFigures(sentence: string): TextRun[] {
  const runs: TextRun[] = []
  let at = 0
  for (const m of sentence.matchAll(new RegExp(FIGURE_PATTERN, 'g'))) {
    const start = m.index ?? 0
    if (start > at) runs.push({ text: sentence.slice(at, start), figure: false })
    runs.push({ text: m[0], figure: true })
    at = start + m[0].length
  }
  if (at < sentence.length) runs.push({ text: sentence.slice(at), figure: false })
  return runs
}
