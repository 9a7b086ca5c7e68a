/**
 * WeChat's own toolchain over the production weapp build (scripts/weapp-check):
 * the compile upload/preview run, the code-quality audit, and wcc/wcsc with a
 * render of every Taro node type. Each check passes on a copy of dist/weapp
 * and is shown able to fail: a copy with one deliberate fault must make it
 * throw, naming the file at fault.
 */
import { readdirSync, readFileSync, writeFileSync } from 'fs'
import { join } from 'path'
import {
  checkQuality,
  compileLikeUpload,
  compileTemplates,
  copyBuild,
  ensureWeappBuild,
  formatReport,
  WeappCheckError,
  type WeappCheckReport
} from '../../scripts/weapp-check'

type BuildCopy = ReturnType<typeof copyBuild>

// The upload compile alone is ~10 s on 2 cores, more while another build runs.
const COMPILE_MS = 90_000

let good: BuildCopy
const report: Partial<WeappCheckReport> = {}

beforeAll(() => {
  ensureWeappBuild()
  good = copyBuild()
}, COMPILE_MS)

afterAll(() => {
  good?.remove()
  if (report.upload && report.quality && report.templates) console.log(formatReport(report as WeappCheckReport))
})

function edit(dir: string, file: string, change: (text: string) => string): void {
  const path = join(dir, file)
  const before = readFileSync(path, 'utf8')
  const after = change(before)
  if (after === before) throw new Error(`the fault did not change ${file}`)
  writeFileSync(path, after)
}

/** Runs a check on a copy of the good build with one fault; returns what it threw. */
async function failureOf(check: (dir: string) => unknown, fault: (dir: string) => void): Promise<WeappCheckError> {
  const copy = copyBuild(good.dir)
  try {
    fault(copy.dir)
    await check(copy.dir)
  } catch (error) {
    if (error instanceof WeappCheckError) return error
    throw error
  } finally {
    copy.remove()
  }
  throw new Error('the check passed a broken build')
}

const dropTemplate = (name: string) => (dir: string) =>
  edit(dir, 'base.wxml', (text) => text.replace(new RegExp(`<template name="${name}">[\\s\\S]*?</template>`), ''))

const UNCLOSED_TAG = (dir: string) => edit(dir, 'pages/me/index.wxml', (text) => `${text}\n<view><text>unclosed</view>`)
const BROKEN_STYLE = (dir: string) => edit(dir, 'secretary/notes/member/index.wxss', (text) => `${text}\n.broken { color: red;\n.next {`)

describe('compileLikeUpload: the compile ci.upload runs (miniprogram-ci getCompiledResult)', () => {
  it(
    'compiles the build and reports the package sizes',
    async () => {
      const result = await compileLikeUpload(good.dir)
      report.upload = result
      expect(Object.keys(result.packageBytes).sort()).toEqual(['__APP__', 'minutes', 'review', 'secretary'])
      expect(result.fileCount).toBeGreaterThan(100)
      // Nothing in the build is silently left out of the upload.
      expect(result.dropped).toEqual([])
    },
    COMPILE_MS
  )

  it(
    'fails on a JS syntax error, naming the page script',
    async () => {
      const error = await failureOf(compileLikeUpload, (dir) =>
        edit(dir, 'secretary/notes/member/index.js', (text) => `${text}\nfunction (`)
      )
      expect(error.file).toBe('secretary/notes/member/index.js')
      expect(error.message).toMatch(/Unexpected token/)
    },
    COMPILE_MS
  )

  it(
    'fails on a page listed in app.json that has no files',
    async () => {
      const error = await failureOf(compileLikeUpload, (dir) =>
        edit(dir, 'app.json', (text) => text.replace('"pages":["pages/index/index"', '"pages":["pages/index/index","pages/ghost/index"'))
      )
      expect(error.file).toBe('app.json')
      expect(error.message).toMatch(/pages\/ghost\/index/)
    },
    COMPILE_MS
  )

  it(
    'fails on an unclosed WXML tag (project.config.json turns WXML minifying on, so it is parsed)',
    async () => {
      const error = await failureOf(compileLikeUpload, UNCLOSED_TAG)
      expect(error.file).toBe('pages/me/index.wxml')
      expect(error.message).toMatch(/end tag/)
    },
    COMPILE_MS
  )
})

describe('checkQuality: WeChat code-quality audit (miniprogram-ci checkCodeQuality)', () => {
  it(
    'passes every item, WXML and WXSS compression included',
    async () => {
      const result = await checkQuality(good.dir)
      report.quality = result
      expect(result.items.map((i) => i.name)).toEqual(
        expect.arrayContaining(['PACKAGE_SIZE_LIMIT', 'JS_COMPRESS_OPEN', 'WXML_COMPRESS_OPEN', 'WXSS_COMPRESS_OPEN', 'CONTAINS_UNUSED_CODES'])
      )
      expect(result.items.filter((i) => !i.success)).toEqual([])
    },
    COMPILE_MS
  )

  it('fails when WXML compression is off, naming the setting', async () => {
    const error = await failureOf(checkQuality, (dir) => edit(dir, 'project.config.json', (text) => text.replace('"minifyWXML": true', '"minifyWXML": false')))
    expect(error.file).toBe('project.config.json (setting.minifyWXML)')
    expect(error.message).toMatch(/WXML_COMPRESS_OPEN/)
  })

  it('fails on main-package JS that only a subpackage loads, naming the file', async () => {
    const error = await failureOf(checkQuality, (dir) => {
      writeFileSync(join(dir, 'only-secretary.js'), 'module.exports = { forSecretary: true }\n')
      edit(dir, 'secretary/qr/index.js', (text) => `require("../../only-secretary.js");${text}`)
    })
    expect(error.file).toBe('only-secretary.js')
    expect(error.message).toMatch(/CONTAINS_OTHER_PKG_JS/)
  })

  it('fails on a script nothing loads, naming the file', async () => {
    const error = await failureOf(checkQuality, (dir) => writeFileSync(join(dir, 'pages', 'me', 'leftover.js'), 'console.log(1)\n'))
    expect(error.file).toBe('pages/me/leftover.js')
    expect(error.message).toMatch(/CONTAINS_UNUSED_CODES/)
  })
})

describe('compileTemplates: wcc and wcsc, then every Taro node type rendered', () => {
  it('compiles every .wxml and .wxss and renders every node type', () => {
    const result = compileTemplates(good.dir)
    report.templates = result
    expect(result.nodeTypes).toEqual(expect.arrayContaining(['view=8', 'static-view=6', 'pure-view=3', 'text=7', 'static-text=5', '#text=9']))
    expect(result.renders).toBeGreaterThan(result.nodeTypes.length)
  })

  it('fails on an unclosed tag (wcc), naming the template', async () => {
    const error = await failureOf(compileTemplates, UNCLOSED_TAG)
    expect(error.check).toBe('compileTemplates (wcc)')
    expect(error.file).toBe('pages/me/index.wxml')
  })

  it('fails on misnested tags (wcc), naming the template', async () => {
    const error = await failureOf(compileTemplates, (dir) => edit(dir, 'secretary/qr/index.wxml', (text) => `${text}\n<view><text></view></text>`))
    expect(error.file).toBe('secretary/qr/index.wxml')
  })

  it('fails on a broken style sheet (wcsc), naming it', async () => {
    const error = await failureOf(compileTemplates, BROKEN_STYLE)
    expect(error.check).toBe('compileTemplates (wcsc)')
    expect(error.file).toBe('secretary/notes/member/index.wxss')
  })

  it('fails when a nested level of a template is missing (view at depth 3)', async () => {
    const error = await failureOf(compileTemplates, dropTemplate('tmpl_3_8'))
    expect(error.check).toBe('compileTemplates (render)')
    expect(error.file).toBe('base.wxml')
    expect(error.message).toMatch(/tmpl_3_8` not found/)
  })

  it('fails when a runtime variant has no template (static-text, which Taro uses for a Text without handlers)', async () => {
    const error = await failureOf(compileTemplates, dropTemplate('tmpl_0_5'))
    expect(error.file).toBe('base.wxml')
    expect(error.message).toMatch(/tmpl_0_5` not found/)
  })

  it('fails when a page imports base.wxml from the wrong place', async () => {
    const error = await failureOf(compileTemplates, (dir) =>
      edit(dir, 'secretary/notes/member/index.wxml', (text) => text.replace('../../../base.wxml', '../../base.wxml'))
    )
    expect(error.file).toBe('secretary/notes/member/index.wxml')
    expect(error.message).toMatch(/not found/)
  })
})

describe('afterwards', () => {
  it("leaves none of miniprogram-ci's md5-named cache folders in the repo or the build", () => {
    const md5Named = (dir: string) => readdirSync(dir).filter((name) => /^[0-9a-f]{32}$/.test(name))
    expect(md5Named(join(__dirname, '..', '..'))).toEqual([])
    expect(md5Named(good.dir)).toEqual([])
  })
})
