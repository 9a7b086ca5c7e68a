/**
 * The compile `ci.upload` and `ci.preview` run before anything leaves the
 * machine: app.json and page JSON against WeChat's schema, every page and
 * tabBar file present, Babel over all JS (es6/enhance/minified as the
 * project's settings say), WXML and WXSS parsed for minifying, and the
 * package layout. It stops at the first error.
 */
import { packageOf, subpackageRoots } from './app-json'
import { listFiles } from './build-copy'
import { clip, fileNamedIn, WeappCheckError } from './check-error'
import { withCiProject } from './ci-session'

export interface UploadCompile {
  ms: number
  /** Bytes per package (__APP__ or subpackage root) of what would be uploaded. */
  packageBytes: Record<string, number>
  fileCount: number
  /** Build files the upload leaves out (extensions not on WeChat's list, e.g. .txt). */
  dropped: string[]
}

interface CiCompileError {
  message?: string
  code?: number
  path?: string
}

export async function compileLikeUpload(dir: string): Promise<UploadCompile> {
  const started = Date.now()
  const sources = listFiles(dir)
  let files: Record<string, string | Buffer>
  try {
    files = (
      await withCiProject(dir, (project, ci) =>
        ci.getCompiledResult({
          project,
          // Typed as an upload option; getCompiledResult never reads it.
          version: '0.0.0',
          // Compile with project.config.json's own settings, as DevTools
          // does, rather than CI's all-off defaults.
          setting: { useProjectConfig: true }
        })
      )
    ).value
  } catch (error) {
    const e = error as CiCompileError
    const message = String(e.message ?? error)
    const file = e.path?.replace(/^\/+/, '') ?? fileNamedIn(message, sources) ?? message.match(/file: (\S+)/)?.[1]
    throw new WeappCheckError('compileLikeUpload', file, `${clip(message)}${e.code ? ` (miniprogram-ci code ${e.code})` : ''}`)
  }
  const roots = subpackageRoots(dir)
  const packageBytes: Record<string, number> = {}
  for (const [name, content] of Object.entries(files)) {
    const pkg = packageOf(name, roots)
    packageBytes[pkg] = (packageBytes[pkg] ?? 0) + Buffer.byteLength(content)
  }
  return {
    ms: Date.now() - started,
    packageBytes,
    fileCount: Object.keys(files).length,
    dropped: sources.filter((name) => !(name in files) && name !== 'project.config.json')
  }
}
