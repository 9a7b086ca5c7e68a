/**
 * The one clock of a browser test run: the test process, the server it
 * spawns and the page all see the same instant, shifted from the wall clock
 * to a fixed day, so the suite gives the same answer on any date it runs.
 * `ZBDK_TEST_NOW` (ISO time) tries the suite on another day, e.g. New Year's
 * Eve late at night in Shanghai.
 */
export const TEST_START = Date.parse(process.env.ZBDK_TEST_NOW || '2026-11-20T02:00:00Z')
if (!Number.isFinite(TEST_START)) throw new Error(`ZBDK_TEST_NOW is not a time: ${process.env.ZBDK_TEST_NOW}`)

const anchor = Date.now()
const offset = TEST_START - anchor

/** Now, on the test clock. */
export function testNow(): number {
  return Date.now() + offset
}

/** What a spawned server needs to run on the same clock (see server/config.ts clockFrom). */
export function testClockEnv(): Record<string, string> {
  return { ZBDK_NOW: String(TEST_START), ZBDK_NOW_AT: String(anchor) }
}
