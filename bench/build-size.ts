/**
 * bench:build — times the production builds and measures the weapp package
 * against our budgets (main package 700 KB, each subpackage 400 KB), well
 * inside WeChat's hard limits (2 MB each), so a member on a weak signal opens
 * the app quickly. Subpackages are everything under a subPackages root.
 */
import { execSync } from 'child_process'
import { readdirSync, readFileSync, statSync } from 'fs'
import { join, relative, resolve } from 'path'

const ROOT = resolve(__dirname, '..')
const MAIN_BUDGET_KB = 700
const SUB_BUDGET_KB = 400

function timed(cmd: string): number {
  const t = Date.now()
  execSync(cmd, { cwd: ROOT, stdio: 'pipe', env: { ...process.env, NODE_ENV: 'production' } })
  return Date.now() - t
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name)
    return statSync(p).isDirectory() ? files(p) : [p]
  })
}

function main(): void {
  const skipBuild = process.argv.includes('--no-build')
  const times: Record<string, number> = {}
  if (!skipBuild) {
    times.functions = timed('npx tsx scripts/build-functions.ts')
    times.h5 = timed('npx taro build --type h5')
    times.weapp = timed('npx taro build --type weapp')
  }
  const weapp = join(ROOT, 'dist', 'weapp')
  const app = JSON.parse(readFileSync(join(weapp, 'app.json'), 'utf8')) as { subPackages?: Array<{ root: string }>; subpackages?: Array<{ root: string }> }
  const subRoots = (app.subPackages ?? app.subpackages ?? []).map((s) => s.root.replace(/\/$/, '') + '/')
  let main = 0
  const sub: Record<string, number> = {}
  for (const f of files(weapp)) {
    const rel = relative(weapp, f).split('\\').join('/')
    if (rel === 'project.config.json' || rel.endsWith('.map')) continue
    const size = statSync(f).size
    const root = subRoots.find((r) => rel.startsWith(r))
    if (root) sub[root] = (sub[root] ?? 0) + size
    else main += size
  }
  const h5 = files(join(ROOT, 'dist', 'h5')).reduce((s, f) => s + statSync(f).size, 0)
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`
  console.log('| figure | measured | budget |')
  console.log('|---|---|---|')
  console.log(`| weapp main package | ${kb(main)} | ≤ ${MAIN_BUDGET_KB} KB (WeChat limit 2048 KB) |`)
  for (const [root, size] of Object.entries(sub)) console.log(`| weapp subpackage \`${root}\` | ${kb(size)} | ≤ ${SUB_BUDGET_KB} KB (WeChat limit 2048 KB) |`)
  console.log(`| H5 build, all files | ${kb(h5)} | — |`)
  for (const [k, ms] of Object.entries(times)) console.log(`| build:${k} time | ${(ms / 1000).toFixed(1)} s | — |`)
  const over = [
    ...(main > MAIN_BUDGET_KB * 1024 ? [`weapp main package ${kb(main)} is over its ${MAIN_BUDGET_KB} KB budget`] : []),
    ...Object.entries(sub)
      .filter(([, size]) => size > SUB_BUDGET_KB * 1024)
      .map(([root, size]) => `weapp subpackage ${root} ${kb(size)} is over its ${SUB_BUDGET_KB} KB budget`)
  ]
  for (const line of over) console.error(line)
  if (over.length > 0) process.exit(1)
}

main()
