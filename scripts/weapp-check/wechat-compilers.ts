/**
 * WeChat's own template and style compilers, wcc and wcsc, from the
 * miniprogram-compiler package, called directly: the package's JS wrapper
 * returns an Error instead of throwing, and its wxssToJs requires a file the
 * package does not ship (src/wcsc.js).
 */
import { spawnSync } from 'child_process'
import { accessSync, chmodSync, constants, copyFileSync, existsSync, readFileSync, rmSync } from 'fs'
import { dirname, join } from 'path'
import { pagePaths } from './app-json'
import { listFiles, makeTempDir } from './build-copy'
import { clip, fileNamedIn, WeappCheckError } from './check-error'

function binary(name: 'wcc' | 'wcsc'): { path: string; release(): void } {
  const platform = process.platform === 'darwin' ? 'mac' : process.platform === 'linux' ? 'linux' : undefined
  if (!platform) throw new Error(`no ${name} binary for ${process.platform} in miniprogram-compiler`)
  const path = join(dirname(require.resolve('miniprogram-compiler/package.json')), 'bin', platform, name)
  try {
    accessSync(path, constants.X_OK)
    return { path, release: () => undefined }
  } catch {
    // The package ships wcsc without the execute bit; run a private copy
    // rather than chmod inside node_modules.
    const dir = makeTempDir(name)
    const copy = join(dir, name)
    copyFileSync(path, copy)
    chmodSync(copy, 0o755)
    return { path: copy, release: () => rmSync(dir, { recursive: true, force: true }) }
  }
}

function run(name: 'wcc' | 'wcsc', dir: string, args: string[], sources: string[]): string {
  const bin = binary(name)
  try {
    const result = spawnSync(bin.path, args, { cwd: dir, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' })
    if (result.error) throw result.error
    const stderr = result.stderr.trim()
    // Both compilers print only errors on stderr; an exit code of 0 with a
    // message there has been seen to mean a file was skipped.
    if (result.status !== 0 || stderr) {
      const check = name === 'wcc' ? 'compileTemplates (wcc)' : 'compileTemplates (wcsc)'
      throw new WeappCheckError(check, fileNamedIn(stderr, sources), `${clip(stderr) || 'no message'} (exit ${result.status})`)
    }
    return result.stdout
  } finally {
    bin.release()
  }
}

/** wcc's custom-component argument: count, then per template "path n names…". */
function componentArgs(dir: string, templates: string[]): string {
  const parts: string[] = []
  let count = 0
  for (const wxml of templates) {
    const json = join(dir, wxml.replace(/\.wxml$/, '.json'))
    if (!existsSync(json)) continue
    const using = Object.keys((JSON.parse(readFileSync(json, 'utf8')) as { usingComponents?: object }).usingComponents ?? {})
    if (!using.length) continue
    count++
    parts.push(wxml, String(using.length), ...using)
  }
  return [count, ...parts].join(' ')
}

/**
 * Compiles every .wxml (with every .wxs) in one wcc run, the way DevTools
 * does: imports resolve across files. Returns the JS that defines $gwx.
 */
export function compileWxml(dir: string): { source: string; templates: string[] } {
  const files = listFiles(dir)
  const templates = files.filter((f) => f.endsWith('.wxml'))
  const scripts = files.filter((f) => f.endsWith('.wxs'))
  const args = ['-d', '-cc', componentArgs(dir, templates), ...templates, ...scripts, '-gn', '$gwx']
  return { source: run('wcc', dir, args, [...templates, ...scripts]), templates }
}

/**
 * Compiles every .wxss in one wcsc run with lint on; app.wxss and the page
 * styles first, as `-pc` counts them as the page files.
 */
export function compileWxss(dir: string): { styles: string[] } {
  const styles = listFiles(dir).filter((f) => f.endsWith('.wxss'))
  const pageStyles = ['app', ...pagePaths(dir)].map((p) => `${p}.wxss`).filter((f) => styles.includes(f))
  const ordered = [...pageStyles, ...styles.filter((f) => !pageStyles.includes(f))]
  run('wcsc', dir, ['-lc', '-db', '-pc', String(pageStyles.length), ...ordered], styles)
  return { styles }
}
