/**
 * wcc over every template, wcsc over every style, then a render of every
 * node type the Taro runtime can emit through the compiled templates.
 */
import { existsSync, readFileSync } from 'fs'
import { dirname, join, normalize } from 'path'
import { pagePaths } from './app-json'
import { WeappCheckError } from './check-error'
import { buildNodeTypes, taroComponentTable, type TaroComponentTable } from './taro-node-types'
import { renderAllNodeTypes, loadGwx } from './template-render'
import { compileWxml, compileWxss } from './wechat-compilers'

export interface TemplateReport {
  ms: number
  templates: number
  styles: number
  nodeTypes: string[]
  renders: number
}

/** Component templates the pages use (Taro's comp wrapper), build-relative. */
function usedComponents(dir: string, pages: string[]): string[] {
  const found = new Set<string>()
  for (const page of pages) {
    const json = join(dir, `${page}.json`)
    if (!existsSync(json)) continue
    const using = (JSON.parse(readFileSync(json, 'utf8')) as { usingComponents?: Record<string, string> }).usingComponents ?? {}
    for (const target of Object.values(using)) {
      const rel = normalize(join(dirname(page), target)).split('\\').join('/')
      if (existsSync(join(dir, `${rel}.wxml`))) found.add(`${rel}.wxml`)
    }
  }
  return [...found]
}

let table: TaroComponentTable | undefined

export function compileTemplates(dir: string): TemplateReport {
  const started = Date.now()
  const { source, templates } = compileWxml(dir)
  const { styles } = compileWxss(dir)
  table ??= taroComponentTable()
  const read = (name: string): string => {
    if (!existsSync(join(dir, name))) throw new WeappCheckError('compileTemplates (render)', name, 'missing')
    return readFileSync(join(dir, name), 'utf8')
  }
  let nodeTypes
  try {
    nodeTypes = buildNodeTypes(read('base.wxml'), read('utils.wxs'), table)
  } catch (error) {
    if (error instanceof WeappCheckError) throw error
    throw new WeappCheckError('compileTemplates (render)', 'base.wxml', String((error as Error).message))
  }
  const pages = pagePaths(dir)
  // Taro's comp wrapper takes { i: node }; any other component would want
  // data these trees do not have.
  const wrappers = usedComponents(dir, pages).filter((c) => /\bi\.nn\b/.test(read(c)))
  const warnings: string[] = []
  const sweep = renderAllNodeTypes(loadGwx(source, warnings), warnings, templates, pages, wrappers, nodeTypes)
  if (sweep.problems.length) {
    const [first] = sweep.problems
    const more = sweep.problems.length > 1 ? ` (and ${sweep.problems.length - 1} more, e.g. ${sweep.problems[1].message})` : ''
    throw new WeappCheckError('compileTemplates (render)', first.file, `${first.message}${more}`)
  }
  return {
    ms: Date.now() - started,
    templates: templates.length,
    styles: styles.length,
    nodeTypes: nodeTypes.types.map((t) => `${t.name}=${t.nn}`),
    renders: sweep.renders
  }
}
