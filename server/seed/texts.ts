import { readdirSync, readFileSync } from 'fs'
import { join, resolve } from 'path'

/** The real speeches in data/seeds, split into paragraphs for demo notes. */
export const SEED_TEXT_DIR = resolve(__dirname, '..', '..', 'data', 'seeds')

export function loadSeedParagraphs(): string[][] {
  return readdirSync(SEED_TEXT_DIR)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) =>
      readFileSync(join(SEED_TEXT_DIR, f), 'utf8')
        .split(/\n+/)
        .map((p) => p.trim())
        .filter((p) => p.length >= 40)
    )
}
