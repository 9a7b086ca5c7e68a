/**
 * WeChat's code-quality audit (DevTools' "代码质量" panel) via
 * ci.checkCodeQuality: package size, JS/WXML/WXSS compression, lazy code
 * loading, media sizes, code only a subpackage uses, unused code and
 * components. Every item must pass.
 */
import { clip, WeappCheckError } from './check-error'
import { withCiProject } from './ci-session'

export interface QualityItem {
  name: string
  success: boolean
  text: string
  detail?: unknown
}

export interface QualityReport {
  ms: number
  items: QualityItem[]
}

/** Where to look when an item fails: the setting or file WeChat reads for it. */
const WHERE: Record<string, string> = {
  JS_COMPRESS_OPEN: 'project.config.json (setting.minified)',
  WXML_COMPRESS_OPEN: 'project.config.json (setting.minifyWXML)',
  WXSS_COMPRESS_OPEN: 'project.config.json (setting.minifyWXSS)',
  LAZYCODE_LOADING_OPEN: 'app.json (lazyCodeLoading)'
}

/**
 * Items whose handler answers "pass" whatever it found (miniprogram-ci
 * 2.1.42 hard-codes it, or passes unused files because the upload may skip
 * them): here a non-empty finding fails, since it is a file in the build that
 * nothing loads.
 */
const FINDING_FAILS = new Set(['CONTAINS_UNUSED_CODES', 'CONTAINS_OTHER_PKG_COMPONENTS'])

function findings(detail: unknown): string[] {
  if (Array.isArray(detail)) return detail.map(String)
  if (detail && typeof detail === 'object') {
    const d = detail as { files?: unknown[]; comps?: unknown[] }
    return [...(d.files ?? []), ...(d.comps ?? [])].map(String)
  }
  return []
}

export async function checkQuality(dir: string): Promise<QualityReport> {
  const started = Date.now()
  const { value: items, logs } = await withCiProject(dir, async (project, ci) => (await ci.checkCodeQuality(project)) as QualityItem[])
  // A checker that throws is logged with console.error and then counted as
  // passed by miniprogram-ci: treat that as the failure it is.
  const crashes = logs.filter(([method, ...args]) => method === 'error' && args.some((a) => a instanceof Error))
  if (crashes.length) {
    throw new WeappCheckError('checkQuality', undefined, `a checker crashed: ${clip(String(crashes[0][1]))}`)
  }
  if (items.length === 0) throw new WeappCheckError('checkQuality', undefined, 'miniprogram-ci ran no quality items')
  const failed = items
    .map((item) => ({ item, found: findings(item.detail) }))
    .filter(({ item, found }) => !item.success || (FINDING_FAILS.has(item.name) && found.length > 0))
  if (failed.length) {
    const [{ item, found }] = failed
    const file = found[0] ?? WHERE[item.name]
    const lines = failed.map(
      ({ item: i, found: f }) => `${i.name}: ${i.text}${f.length ? ` [${f.join(', ')}]` : ''}${i.detail && !f.length ? ` ${JSON.stringify(i.detail)}` : ''}`
    )
    throw new WeappCheckError('checkQuality', file ?? item.name, lines.join('; '))
  }
  return { ms: Date.now() - started, items }
}
