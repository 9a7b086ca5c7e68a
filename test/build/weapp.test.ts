/**
 * Checks the production weapp build that `npm test` makes before jest runs:
 * what WeChat will load (app.json), the package budget, and that nothing in
 * it needs eval. The build itself is real `taro build --type weapp`.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'fs'
import { join, relative, resolve } from 'path'

const ROOT = resolve(__dirname, '..', '..')
const WEAPP = join(ROOT, 'dist', 'weapp')

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name)
    return statSync(p).isDirectory() ? files(p) : [p]
  })
}

beforeAll(() => {
  if (!existsSync(join(WEAPP, 'app.json'))) {
    throw new Error('dist/weapp is missing: run npm run build:weapp (npm test builds it first)')
  }
})

describe('weapp production build', () => {
  const app = () => JSON.parse(readFileSync(join(WEAPP, 'app.json'), 'utf8'))

  it('declares the tab pages, the login page and the secretary subpackage', () => {
    const a = app()
    expect(a.pages[0]).toBe('pages/index/index')
    expect(a.pages).toEqual(expect.arrayContaining(['pages/checkin/index', 'pages/notes/index', 'pages/ranking/index', 'pages/me/index', 'pages/login/index']))
    expect(a.tabBar.list.map((t: { text: string }) => t.text)).toEqual(['首页', '签到', '笔记', '排行', '我的'])
    const subs = a.subPackages ?? a.subpackages
    expect(subs).toEqual([expect.objectContaining({ root: 'secretary' })])
    // Secretary code is not in the main package's page list.
    expect(a.pages.some((p: string) => p.startsWith('secretary'))).toBe(false)
    expect(existsSync(join(WEAPP, 'secretary', 'index', 'index.js'))).toBe(true)
  })

  it('is ready for location check-in (privacy settings WeChat requires)', () => {
    const a = app()
    expect(a.requiredPrivateInfos).toContain('getLocation')
    expect(a.permission['scope.userLocation'].desc).toMatch(/签到/)
  })

  it('keeps the main package within the 1 MB budget', () => {
    const main = files(WEAPP)
      .filter((f) => !relative(WEAPP, f).startsWith('secretary/') && !f.endsWith('.map') && !f.endsWith('project.config.json'))
      .reduce((s, f) => s + statSync(f).size, 0)
    expect(main).toBeLessThan(1024 * 1024)
  })

  it('contains no eval, and no Function constructor but webpack\'s guarded global probe', () => {
    const offenders: string[] = []
    for (const f of files(WEAPP).filter((x) => x.endsWith('.js'))) {
      const text = readFileSync(f, 'utf8')
      if (/(^|[^.\w$])eval\s*\(/.test(text)) offenders.push(`${relative(WEAPP, f)}: eval(`)
      const ctor = text.match(/new Function\s*\([^)]*\)|[^.\w$]Function\s*\(\s*["'][^)]*\)/g) ?? []
      for (const use of ctor) if (!/new Function\s*\(\s*["']return this["']\s*\)/.test(use)) offenders.push(`${relative(WEAPP, f)}: ${use}`)
    }
    expect(offenders).toEqual([])
  })

  it('ships zod set to jitless', () => {
    const js = files(WEAPP).filter((x) => x.endsWith('.js')).map((f) => readFileSync(f, 'utf8')).join('\n')
    expect(js).toMatch(/jitless\s*:\s*(!0|true)/)
  })
})
