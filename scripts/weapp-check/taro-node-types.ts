/**
 * Which node types the Taro runtime can hand to a page's templates, worked out
 * from the build (the level-0 templates in base.wxml, the depth rules in
 * utils.wxs) and from Taro's own component table, the one the runtime uses to
 * turn a node name into the `nn` alias those templates are named after.
 */
import { execFileSync } from 'child_process'
import { REPO_ROOT } from './build-copy'

export interface TaroComponentTable {
  /** Component name → `nn` alias (getComponentsAlias over the weapp components). */
  alias: Record<string, string>
  /** Taro's nestElements: how deep a component may nest in itself (-1: no limit). */
  nestLimits: Record<string, number>
  /** Components Taro swaps for a static-/pure-/click-/catch- variant at runtime. */
  specialNodes: string[]
  /** Components whose template forks into _focus/_blur. */
  focusComponents: string[]
}

// @tarojs/shared and the weapp plugin's runtime-utils are ES modules only, and
// jest (CommonJS) cannot import them: ask a child node process instead. The
// root-portal limit is the one the weapp plugin's Template adds to nestElements.
const TABLE_SCRIPT = `
import { internalComponents, getComponentsAlias, mergeInternalComponents, nestElements, focusComponents, hooks } from '@tarojs/shared'
import { components } from '@tarojs/plugin-platform-weapp/dist/runtime-utils.js'
mergeInternalComponents(components)
const alias = getComponentsAlias(internalComponents)
const nest = new Map(nestElements).set('root-portal', 3)
process.stdout.write(JSON.stringify({
  alias: Object.fromEntries(Object.entries(alias).map(([name, a]) => [name, a._num])),
  nestLimits: Object.fromEntries(nest),
  specialNodes: hooks.call('getSpecialNodes'),
  focusComponents: [...focusComponents, 'editor']
}))
`

export function taroComponentTable(): TaroComponentTable {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', TABLE_SCRIPT], { cwd: REPO_ROOT, encoding: 'utf8' })
  return JSON.parse(out) as TaroComponentTable
}

export interface NodeType {
  name: string
  nn: string
  /** The wx- tag its template renders; undefined for text nodes (#text). */
  tag?: string
  /** Its template renders i.cn, i.e. it can hold children. */
  container: boolean
  /** How many of it may be nested in one another along one path; Infinity if no limit. */
  selfNestLimit: number
  focusable: boolean
}

export interface BuildNodeTypes {
  types: NodeType[]
  /** The level at which templates hand over to the comp wrapper (tmpl_N_container). */
  containerLevel: number
  /** Template names base.wxml defines. */
  templateNames: Set<string>
}

const TEXT = '#text'
// Taro's hydrate() and Element swap these in for special nodes (runtime constants).
const VIEW_VARIANTS = ['pure-view', 'click-view', 'catch-view']
const VARIANT_PREFIX = /^(static|pure|click|catch)-/

function templateBodies(baseWxml: string): Map<string, string> {
  const bodies = new Map<string, string>()
  for (const m of baseWxml.matchAll(/<template name="([^"]+)">([\s\S]*?)<\/template>/g)) bodies.set(m[1], m[2])
  return bodies
}

/**
 * The node types to render: every type with a level-0 template (what Taro
 * decided the app uses), the variants the runtime swaps in for them, and text.
 */
export function buildNodeTypes(baseWxml: string, utilsWxs: string, table: TaroComponentTable): BuildNodeTypes {
  const bodies = templateBodies(baseWxml)
  const byAlias = new Map(Object.entries(table.alias).map(([name, nn]) => [nn, name]))
  const names = new Set<string>([TEXT])
  for (const template of bodies.keys()) {
    const nn = template.match(/^tmpl_0_(\d+)$/)?.[1]
    if (!nn) continue
    const name = byAlias.get(nn)
    if (!name) throw new Error(`template tmpl_0_${nn} is for no Taro node type (alias ${nn} unknown to the runtime)`)
    names.add(name)
  }
  for (const special of table.specialNodes.filter((s) => names.has(s))) {
    names.add(`static-${special}`)
    if (special === 'view') VIEW_VARIANTS.forEach((v) => names.add(v))
  }
  const level = utilsWxs.match(/'tmpl_(\d+)_container'/)?.[1]
  if (!level) throw new Error('utils.wxs: no tmpl_N_container hand-over level')
  const types = [...names]
    .filter((name) => table.alias[name] !== undefined)
    .map((name): NodeType => {
      const nn = table.alias[name]
      const body = bodies.get(`tmpl_0_${nn}`) ?? ''
      const stripped = name.replace(VARIANT_PREFIX, '')
      const limit = table.nestLimits[name]
      return {
        name,
        nn,
        tag: name === TEXT ? undefined : table.specialNodes.includes(stripped) ? stripped : name,
        container: name !== TEXT && /\bi\.cn\b/.test(body + (bodies.get(`tmpl_0_${nn}_focus`) ?? '')),
        // Outside nestElements Taro writes one template per type, and WeChat
        // will not enter a template already being rendered: such a type can
        // never sit inside itself, at any depth.
        selfNestLimit: limit === undefined ? 1 : limit > 0 ? limit : Infinity,
        focusable: table.focusComponents.includes(name)
      }
    })
    .sort((a, b) => Number(a.nn) - Number(b.nn))
  return { types, containerLevel: Number(level), templateNames: new Set(bodies.keys()) }
}
