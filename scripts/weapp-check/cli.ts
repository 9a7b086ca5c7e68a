/**
 * `npm run check:weapp`: WeChat's own compile, quality audit and template
 * compilers over a copy of dist/weapp (built first if missing).
 */
import { DIST_WEAPP, ensureWeappBuild, formatReport, runWeappChecks, withBuildCopy } from './index'

async function main(): Promise<void> {
  ensureWeappBuild()
  const started = Date.now()
  const report = await withBuildCopy(runWeappChecks, DIST_WEAPP)
  console.log(formatReport(report))
  console.log(`weapp checks passed in ${Date.now() - started} ms`)
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  process.exitCode = 1
})
