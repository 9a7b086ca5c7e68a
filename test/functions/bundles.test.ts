import { execFileSync } from 'child_process'
import { existsSync, readFileSync } from 'fs'
import { builtinModules } from 'module'
import { join, resolve } from 'path'
import { functionNames } from '../../scripts/build-functions'

const ROOT = resolve(__dirname, '..', '..')
const ALLOWED = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`), 'wx-server-sdk'])

beforeAll(() => {
  // Build exactly as `npm run build:functions` does, so the test checks real bundles.
  execFileSync(process.execPath, [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(ROOT, 'scripts', 'build-functions.ts')], {
    cwd: ROOT,
    stdio: 'pipe'
  })
}, 60_000)

describe('deployable function folders', () => {
  const names = functionNames()

  it('include auth and org', () => {
    expect(names).toEqual(expect.arrayContaining(['auth', 'org']))
  })

  it.each(names)('%s: index.js exports main and requires only Node built-ins and wx-server-sdk', (name) => {
    const dir = join(ROOT, 'cloudfunctions', name)
    const file = join(dir, 'index.js')
    expect(existsSync(file)).toBe(true)
    // Load the bundle in a child process with require() instrumented, so the
    // check sees every module it pulls in at load time.
    const probe = `
      const Module = require('module');
      const seen = new Set();
      const orig = Module.prototype.require;
      Module.prototype.require = function (id) {
        if (this.filename === ${JSON.stringify(file)}) seen.add(id);
        return orig.apply(this, arguments);
      };
      const mod = require(${JSON.stringify(file)});
      process.stdout.write(JSON.stringify({ main: typeof mod.main, requires: [...seen] }));
    `
    const out = JSON.parse(execFileSync(process.execPath, ['-e', probe], { cwd: dir, encoding: 'utf8' }))
    expect(out.main).toBe('function')
    const stray = (out.requires as string[]).filter((r) => !ALLOWED.has(r))
    expect(stray).toEqual([])
    // Nothing in the text may require a project path at run time either.
    const text = readFileSync(file, 'utf8')
    const literalRequires = [...text.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1])
    expect(literalRequires.filter((r) => !ALLOWED.has(r))).toEqual([])
  })

  it.each(names)('%s: package.json depends only on wx-server-sdk; config.json sets a timeout', (name) => {
    const dir = join(ROOT, 'cloudfunctions', name)
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
    expect(Object.keys(pkg.dependencies)).toEqual(['wx-server-sdk'])
    expect(pkg.main).toBe('index.js')
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'))
    expect(config.timeout).toBeGreaterThan(3)
    expect(config.timeout).toBeLessThanOrEqual(60)
    expect(config.permissions).toBeDefined()
  })
})
