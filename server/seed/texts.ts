import { readdirSync, readFileSync } from 'fs'
import { join, resolve } from 'path'

/** The real speeches in data/seeds, split into paragraphs for demo notes. */
export const SEED_TEXT_DIR = resolve(__dirname, '..', '..', 'data', 'seeds')

/** The speeches' full texts, in file-name order (speech-1, speech-2, …). */
export function loadSeedTexts(): Array<{ id: string; content: string }> {
  return readdirSync(SEED_TEXT_DIR)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => ({ id: f.replace(/\.txt$/, ''), content: readFileSync(join(SEED_TEXT_DIR, f), 'utf8') }))
}

export function loadSeedParagraphs(): string[][] {
  return loadSeedTexts().map(({ content }) =>
      content
        .split(/\n+/)
        .map((p) => p.trim())
        .filter((p) => p.length >= 40)
    )
}
