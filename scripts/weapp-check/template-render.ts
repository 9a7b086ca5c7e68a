/**
 * Renders the wcc-compiled templates in Node, as miniprogram-simulate does
 * (src/compile.js: the wcc output run in a Function, then $gwx(path)(data)),
 * with the data shape Taro's runtime sends: { root: { cn: [nodes] } } for a
 * page, { i: node } for Taro's comp wrapper. Every node must come out as its
 * own element (or text) with its sid, and $gwx must not warn: a missing
 * template renders as nothing, and wcc only says so through console.warn.
 */
import { runInNewContext } from 'vm'
import { fileNamedIn } from './check-error'
import type { BuildNodeTypes, NodeType } from './taro-node-types'

interface DataNode {
  nn: string
  sid: string
  v?: string
  focus?: boolean
  cn: DataNode[]
}

interface OutNode {
  tag: string
  attr?: Record<string, unknown>
  children?: (OutNode | string)[]
}

/** Renders a template file with data; undefined if $gwx has no such file. */
export type Gwx = (path: string, data: object) => OutNode | undefined

export interface RenderProblem {
  file?: string
  message: string
}

/**
 * Evaluates wcc's output in a sandbox whose console.warn feeds `warnings`.
 * Data crosses into the sandbox as JSON: wcc's runtime copies data for WXS
 * only when `o.constructor === Object` of its own realm, and objects from
 * this realm would reach utils.wxs as null.
 */
export function loadGwx(source: string, warnings: string[]): Gwx {
  const sandbox = { window: {}, console: { warn: (m: unknown) => warnings.push(String(m)), log() {}, error() {} } }
  const render = runInNewContext(
    `${source}\n;(function (path, json) { var f = $gwx(path); return f ? f(JSON.parse(json), {}, {}) : undefined })`,
    sandbox
  ) as (path: string, json: string) => OutNode | undefined
  return (path, data) => render(path, JSON.stringify(data))
}

class TreeMaker {
  private next = 0
  constructor(private readonly nodeTypes: BuildNodeTypes) {}

  node(type: NodeType, cn: DataNode[] = [], focus?: boolean): DataNode {
    const sid = `_n${++this.next}`
    return { nn: type.nn, sid, ...(type.tag ? {} : { v: `text${sid}` }), ...(focus === undefined ? {} : { focus }), cn }
  }

  /** One node of every type (focusable ones in both focus states) that may sit under `path`. */
  leaves(path: NodeType[]): DataNode[] {
    return this.nodeTypes.types
      .filter((t) => path.filter((p) => p === t).length < t.selfNestLimit)
      .flatMap((t) => (t.focusable ? [this.node(t, [], true), this.node(t, [], false)] : [this.node(t)]))
  }

  /**
   * `parent` nested in itself as deep as Taro allows (past the comp hand-over
   * when there is no limit), each level also holding one of every type.
   */
  chain(parent: NodeType): DataNode {
    const depth = Math.min(parent.selfNestLimit, this.nodeTypes.containerLevel + 2)
    const build = (level: number, path: NodeType[]): DataNode => {
      const here = [...path, parent]
      const inner = level + 1 < depth ? [build(level + 1, here)] : []
      return this.node(parent, [...inner, ...this.leaves(here)])
    }
    return build(0, [])
  }
}

interface RenderSpec {
  types: Map<string, NodeType>
  containerLevel: number
}

/** Walks data and output side by side; returns what did not render as sent. */
function compare(data: DataNode, out: OutNode | string | undefined, spec: RenderSpec, at: string, depth: number): string[] {
  const type = spec.types.get(data.nn)
  const where = `${at} > ${type?.name ?? data.nn}(nn ${data.nn}, ${data.sid})`
  if (!type?.tag) return out === data.v ? [] : [`${where}: expected text ${JSON.stringify(data.v)}, got ${JSON.stringify(out)}`]
  if (out === undefined || typeof out === 'string') return [`${where}: rendered nothing`]
  // From the hand-over level on, Taro renders the rest inside its comp
  // wrapper (whose own renders check that part).
  if (out.tag === 'wx-comp') return depth >= spec.containerLevel ? [] : [`${where}: handed to comp at depth ${depth}`]
  const problems: string[] = []
  if (out.tag !== `wx-${type.tag}`) problems.push(`${where}: rendered <${out.tag}>, expected <wx-${type.tag}>`)
  if (out.attr?.['data-sid'] !== data.sid) problems.push(`${where}: data-sid ${String(out.attr?.['data-sid'])}`)
  if (!type.container) return problems
  const children = out.children ?? []
  if (children.length !== data.cn.length) problems.push(`${where}: ${children.length} children rendered of ${data.cn.length}`)
  data.cn.forEach((child, i) => problems.push(...compare(child, children[i], spec, where, depth + 1)))
  return problems
}

function renderChecked(
  gwx: Gwx,
  warnings: string[],
  templates: string[],
  path: string,
  data: object,
  nodes: DataNode[],
  spec: RenderSpec
): RenderProblem[] {
  warnings.length = 0
  let out: OutNode | undefined
  try {
    out = gwx(path, data)
  } catch (error) {
    return [{ file: path, message: `render threw: ${String(error)}` }]
  }
  if (!out) return [{ file: path, message: `$gwx has no template ${path}` }]
  const problems: RenderProblem[] = warnings.map((w) => ({ file: fileNamedIn(w, templates) ?? path, message: w }))
  const children = out.children ?? []
  if (children.length !== nodes.length) problems.push({ file: path, message: `${children.length} root nodes rendered of ${nodes.length}` })
  // The node templates all live in Taro's base.wxml.
  nodes.forEach((node, i) => compare(node, children[i], spec, path, 0).forEach((message) => problems.push({ file: 'base.wxml', message })))
  return problems
}

export interface RenderSweep {
  renders: number
  problems: RenderProblem[]
}

/**
 * Every page once with a small tree (its import of base.wxml resolves), then,
 * from the first page and from each Taro comp wrapper, every container type
 * nested as deep as Taro allows with every type under each level.
 */
export function renderAllNodeTypes(
  gwx: Gwx,
  warnings: string[],
  templates: string[],
  pages: string[],
  wrappers: string[],
  nodeTypes: BuildNodeTypes
): RenderSweep {
  const make = new TreeMaker(nodeTypes)
  const spec: RenderSpec = { types: new Map(nodeTypes.types.map((t) => [t.nn, t])), containerLevel: nodeTypes.containerLevel }
  const view = nodeTypes.types.find((t) => t.name === 'view') ?? nodeTypes.types[0]
  const problems: RenderProblem[] = []
  let renders = 0
  const page = (path: string, nodes: DataNode[]): void => {
    renders++
    problems.push(...renderChecked(gwx, warnings, templates, path, { root: { cn: nodes } }, nodes, spec))
  }
  for (const p of pages) page(`${p}.wxml`, [make.node(view, make.leaves([view]))])
  const chains = nodeTypes.types.filter((t) => t.container).map((t) => make.chain(t))
  chains.forEach((tree) => page(`${pages[0]}.wxml`, [tree]))
  for (const wrapper of wrappers) {
    for (const tree of [...chains, ...make.leaves([])]) {
      renders++
      problems.push(...renderChecked(gwx, warnings, templates, wrapper, { i: tree, l: '' }, [tree], spec))
    }
  }
  return { renders, problems }
}
