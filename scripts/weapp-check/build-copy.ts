/**
 * The checks never read dist/weapp in place: another build may be rewriting it
 * (Taro empties the output folder first), and miniprogram-ci writes next to
 * the project it compiles. Each check gets a private copy taken while the
 * source was not changing.
 */
import { execFileSync } from 'child_process'
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'fs'
import { tmpdir } from 'os'
import { join, relative, resolve } from 'path'

export const REPO_ROOT = resolve(__dirname, '..', '..')
export const DIST_WEAPP = join(REPO_ROOT, 'dist', 'weapp')

export function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => statSync(join(dir, name)).isFile())
    .map((name) => name.split('\\').join('/'))
    .sort()
}

/** Builds dist/weapp when there is none, as `npm test` would have. */
export function ensureWeappBuild(dist = DIST_WEAPP): void {
  if (existsSync(join(dist, 'app.json'))) return
  execFileSync('npx', ['taro', 'build', '--type', 'weapp'], { cwd: REPO_ROOT, stdio: 'inherit' })
}

export function makeTempDir(purpose: string): string {
  return mkdtempSync(join(tmpdir(), `weapp-check-${purpose}-`))
}

export interface BuildCopy {
  /** The copied build: what the checks read and may break on purpose. */
  dir: string
  remove(): void
}

function fingerprint(dir: string): string {
  return listFiles(dir)
    .map((name) => {
      const s = statSync(join(dir, name))
      return `${name}:${s.size}:${s.mtimeMs}`
    })
    .join('\n')
}

/**
 * Copies a build into a fresh temp folder. A copy taken while a rebuild was
 * writing would fail the checks for nothing, so it is taken again until the
 * source looks the same before and after.
 */
export function copyBuild(src = DIST_WEAPP, { attempts = 30, waitMs = 2000 } = {}): BuildCopy {
  for (let attempt = 1; ; attempt++) {
    const root = makeTempDir('build')
    const dir = join(root, 'weapp')
    const remove = (): void => rmSync(root, { recursive: true, force: true })
    try {
      if (!existsSync(join(src, 'app.json'))) throw new Error(`${relative(REPO_ROOT, src)} holds no app.json`)
      const before = fingerprint(src)
      cpSync(src, dir, { recursive: true })
      if (before === fingerprint(src)) return { dir, remove }
      remove()
    } catch (error) {
      remove()
      if (attempt >= attempts) throw error
    }
    if (attempt >= attempts) throw new Error(`${src} kept changing while it was copied`)
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, waitMs)
  }
}

/** Runs fn on a private copy of the build and always removes the copy. */
export async function withBuildCopy<T>(fn: (dir: string) => Promise<T> | T, src = DIST_WEAPP): Promise<T> {
  const copy = copyBuild(src)
  try {
    return await fn(copy.dir)
  } finally {
    copy.remove()
  }
}
