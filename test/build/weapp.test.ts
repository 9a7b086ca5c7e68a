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
    expect(subs).toEqual([expect.objectContaining({ root: 'secretary' }), expect.objectContaining({ root: 'minutes' }), expect.objectContaining({ root: 'review' })])
    // Secretary code is not in the main package's page list.
    expect(a.pages.some((p: string) => p.startsWith('secretary'))).toBe(false)
    expect(existsSync(join(WEAPP, 'secretary', 'index', 'index.js'))).toBe(true)
  })

  // WeChat's rules for tab icons: PNG (or JPG), at most 81×81 px and 40 KB.
  it('gives every tab an icon and a selected icon that WeChat accepts', () => {
    const tabs: Array<{ text: string; iconPath?: string; selectedIconPath?: string }> = app().tabBar.list
    for (const tab of tabs) {
      for (const icon of [tab.iconPath, tab.selectedIconPath]) {
        expect({ tab: tab.text, icon: typeof icon }).toEqual({ tab: tab.text, icon: 'string' })
        const file = join(WEAPP, icon as string)
        expect({ icon, exists: existsSync(file) }).toEqual({ icon, exists: true })
        const png = readFileSync(file)
        expect(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true)
        // The first chunk is IHDR: width and height are its first two 32-bit fields.
        expect(png.toString('ascii', 12, 16)).toBe('IHDR')
        const [width, height] = [png.readUInt32BE(16), png.readUInt32BE(20)]
        expect({ icon, width: width <= 81, height: height <= 81, size: png.length <= 40 * 1024 }).toEqual({ icon, width: true, height: true, size: true })
      }
    }
  })

  it('is ready for location check-in (privacy settings WeChat requires)', () => {
    const a = app()
    expect(a.requiredPrivateInfos).toContain('getLocation')
    expect(a.permission['scope.userLocation'].desc).toMatch(/签到/)
  })

  it('keeps the main package within 700 KB, the secretary subpackage within 400 KB, 会议纪实 and 民主评议 within 200 KB each', () => {
    const kb = { main: 0, secretary: 0, minutes: 0, review: 0 }
    for (const f of files(WEAPP)) {
      const rel = relative(WEAPP, f).split('\\').join('/')
      if (rel.endsWith('.map') || rel === 'project.config.json') continue
      const sub = (['secretary', 'minutes', 'review'] as const).find((root) => rel.startsWith(`${root}/`))
      kb[sub ?? 'main'] += statSync(f).size / 1024
    }
    // Both figures in one line, so a failure says where the weight went (bench:build prints them too).
    const figures = `main ${kb.main.toFixed(1)} KB, secretary ${kb.secretary.toFixed(1)} KB, minutes ${kb.minutes.toFixed(1)} KB, review ${kb.review.toFixed(1)} KB`
    expect({ figures, mainOk: kb.main <= 700, secretaryOk: kb.secretary <= 400, minutesOk: kb.minutes <= 200, reviewOk: kb.review <= 200 }).toEqual({
      figures,
      mainOk: true,
      secretaryOk: true,
      minutesOk: true,
      reviewOk: true
    })
  })

  // WeChat's upload refuses file types it does not know; terser's licence extraction
  // wrote *.LICENSE.txt files (config/index.ts keeps the notices inside the bundles).
  it('holds only file types a mini-program upload accepts, no *.LICENSE.txt', () => {
    const all = files(WEAPP).map((f) => relative(WEAPP, f).split('\\').join('/'))
    expect(all.filter((f) => f.endsWith('.LICENSE.txt'))).toEqual([])
    const accepted = /\.(js|json|wxml|wxss|wxs|png|jpe?g|gif|svg|webp)$/
    expect(all.filter((f) => !accepted.test(f))).toEqual([])
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

  // Screens take enum values and labels from src/core/vocab, so zod (about 200 KB) stays
  // on the server. A page importing a schema module would bring it back.
  it('ships no zod in either package', () => {
    const withZod = files(WEAPP)
      .filter((x) => x.endsWith('.js') && readFileSync(x, 'utf8').includes('$ZodType'))
      .map((f) => relative(WEAPP, f))
    expect(withZod).toEqual([])
  })

  it('ships zod set to jitless, if zod ships at all', () => {
    const js = files(WEAPP).filter((x) => x.endsWith('.js')).map((f) => readFileSync(f, 'utf8')).join('\n')
    // zod's fast path compiles parsers with new Function, which mini-programs forbid.
    if (js.includes('$ZodType')) expect(js).toMatch(/jitless\s*:\s*(!0|true)/)
  })
})
