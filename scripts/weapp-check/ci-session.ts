/**
 * A miniprogram-ci project over a build folder that works offline and leaves
 * nothing behind. What it has to work around, all found in miniprogram-ci
 * 2.1.42's own code:
 * - a Project fetches its settings from WeChat unless `_attr` is set first;
 * - it insists on a private key and an appid although nothing is uploaded;
 * - the compile drops md5-named cache folders into process.cwd();
 * - getCompiledResult keeps its compiler child process and a chokidar watcher
 *   alive, and checkCodeQuality keeps another watcher: either one holds the
 *   process open after the answer is in (jest would never exit).
 */
import { generateKeyPairSync } from 'crypto'
import { rmSync, writeFileSync } from 'fs'
import { join } from 'path'
import { makeTempDir } from './build-copy'

export type Ci = typeof import('miniprogram-ci')
export type CiProject = InstanceType<Ci['Project']>

/** Not a real appid: nothing here talks to WeChat. */
const PLACEHOLDER_APPID = 'wx0000000000000000'

interface Closable {
  destroy(): void
}

/** Records every instance on which `method` runs, so it can be destroyed later. */
function trackInstances(proto: Record<string, unknown>, method: string, into: Set<Closable>): () => void {
  const original = proto[method] as (...args: unknown[]) => unknown
  proto[method] = function (this: Closable, ...args: unknown[]) {
    into.add(this)
    return original.apply(this, args)
  }
  return () => {
    proto[method] = original
  }
}

export interface CiRun<T> {
  value: T
  /** What miniprogram-ci printed meanwhile; kept out of the test output. */
  logs: unknown[][]
}

let running = false

/**
 * Runs fn against a fresh ci.Project over `dir`. Runs one at a time: the cwd,
 * console and instance tracking are process-wide.
 */
export async function withCiProject<T>(dir: string, fn: (project: CiProject, ci: Ci) => Promise<T>): Promise<CiRun<T>> {
  if (running) throw new Error('withCiProject: one miniprogram-ci run at a time')
  running = true
  const work = makeTempDir('ci')
  const cwd = process.cwd()
  const logs: unknown[][] = []
  const consoleMethods = ['log', 'info', 'warn', 'error'] as const
  const saved = consoleMethods.map((m) => console[m])
  for (const m of consoleMethods) console[m] = (...args: unknown[]) => void logs.push([m, ...args])
  const leftovers = new Set<Closable>()
  const untrack: (() => void)[] = []
  try {
    // Loaded here, inside the captured console: it prints as it loads.
    const ci = require('miniprogram-ci') as Ci
    const { Analyzer } = require('miniprogram-ci/dist/common/code-analyse') as typeof import('miniprogram-ci/dist/common/code-analyse')
    untrack.push(
      trackInstances(ci.Builder.prototype as unknown as Record<string, unknown>, 'ready', leftovers),
      trackInstances(Analyzer.prototype as unknown as Record<string, unknown>, 'analyse', leftovers)
    )
    const keyPath = join(work, 'throwaway.pem')
    const { privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' }
    })
    writeFileSync(keyPath, privateKey)
    process.chdir(work)
    const project = new ci.Project({
      appid: PLACEHOLDER_APPID,
      type: 'miniProgram',
      projectPath: dir,
      privateKeyPath: keyPath,
      ignores: ['node_modules/**/*']
    })
    ;(project as unknown as { _attr: unknown })._attr = { ...ci.DefaultProjectAttr }
    return { value: await fn(project, ci), logs }
  } finally {
    for (const instance of leftovers) {
      try {
        instance.destroy()
      } catch (error) {
        logs.push(['destroy', error])
      }
    }
    untrack.forEach((restore) => restore())
    consoleMethods.forEach((m, i) => (console[m] = saved[i]))
    process.chdir(cwd)
    rmSync(work, { recursive: true, force: true })
    running = false
  }
}
