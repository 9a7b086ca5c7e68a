import { launchPhone, requireH5Build } from './browser'
import { removeDir, startServer, type RunningServer } from './server-process'

export type Phone = Awaited<ReturnType<typeof launchPhone>>

/**
 * A browser suite's local server (a fresh data folder, demo data) and its
 * headless phone: started before the suite, closed and cleaned up after.
 * Read `live.server` / `live.phone` inside tests, once the hooks have run.
 */
export function serverAndPhone(): { readonly server: RunningServer; readonly phone: Phone } {
  const live = {} as { server: RunningServer; phone: Phone }
  beforeAll(async () => {
    requireH5Build()
    live.server = await startServer()
    live.phone = await launchPhone()
  })
  afterAll(async () => {
    await live.phone?.close()
    await live.server?.stop()
    if (live.server) removeDir(live.server.dataDir)
  })
  return live
}
