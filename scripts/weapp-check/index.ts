/**
 * WeChat's own toolchain over a weapp build, offline: the upload compile
 * (miniprogram-ci), the code-quality audit, and wcc/wcsc with a render of
 * every Taro node type. Each check takes a folder holding a build and throws
 * a WeappCheckError naming the file at fault.
 */
export { WeappCheckError } from './check-error'
export { copyBuild, withBuildCopy, ensureWeappBuild, DIST_WEAPP } from './build-copy'
export { compileLikeUpload, type UploadCompile } from './compile-like-upload'
export { checkQuality, type QualityReport } from './quality'
export { compileTemplates, type TemplateReport } from './compile-templates'

import { compileLikeUpload, type UploadCompile } from './compile-like-upload'
import { checkQuality, type QualityReport } from './quality'
import { compileTemplates, type TemplateReport } from './compile-templates'

export interface WeappCheckReport {
  upload: UploadCompile
  quality: QualityReport
  templates: TemplateReport
}

/** The three checks in turn on one build folder; the first failure throws. */
export async function runWeappChecks(dir: string): Promise<WeappCheckReport> {
  const templates = compileTemplates(dir)
  const upload = await compileLikeUpload(dir)
  const quality = await checkQuality(dir)
  return { upload, quality, templates }
}

export function formatReport({ upload, quality, templates }: WeappCheckReport): string {
  const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`
  const packages = Object.entries(upload.packageBytes)
    .map(([name, bytes]) => `${name} ${kb(bytes)}`)
    .join(', ')
  return [
    `compileLikeUpload (miniprogram-ci getCompiledResult): ${upload.ms} ms, ${upload.fileCount} files; packages as uploaded: ${packages}` +
      (upload.dropped.length ? `; left out of the upload: ${upload.dropped.join(', ')}` : ''),
    `checkQuality (miniprogram-ci checkCodeQuality): ${quality.ms} ms, ${quality.items.length} items passed`,
    `compileTemplates (wcc/wcsc + render): ${templates.ms} ms, ${templates.templates} .wxml, ${templates.styles} .wxss, ` +
      `${templates.nodeTypes.length} node types in ${templates.renders} renders`
  ].join('\n')
}
