/**
 * Seeding the demo organisation takes over a second, and the function suites
 * make a fresh environment for nearly every test. So within one jest run the
 * seed is written once per starting time into a template file, and each
 * environment starts from a copy of it: the same documents, a fraction of
 * the time. The template folder lives for one run (jest's globalSetup makes
 * it), so a changed seed can never be served from an old run; outside jest
 * (a script, a bench) there is no folder and every environment seeds itself.
 */
import { copyFileSync, existsSync, renameSync } from 'fs'
import { join } from 'path'
import { openDatabase } from '../../server/db'
import { seedDemoData } from '../../server/seed'

export const SEED_CACHE_VAR = 'ZBDK_SEED_CACHE'

/** Fills `file` (not yet created) with the demo data as seeded at `now`; false when no template folder is set. */
export async function copySeeded(file: string, now: number): Promise<boolean> {
  const dir = process.env[SEED_CACHE_VAR]
  if (!dir || !existsSync(dir)) return false
  const template = join(dir, `seed-${now}.sqlite`)
  if (!existsSync(template)) {
    // Two workers may build it at once: each writes its own file and the rename is atomic.
    const own = `${template}.${process.pid}.tmp`
    const db = openDatabase({ file: own })
    try {
      await seedDemoData(db, now)
    } finally {
      // Closing checkpoints the WAL, so the one file holds everything.
      db.close()
    }
    renameSync(own, template)
  }
  copyFileSync(template, file)
  return true
}
