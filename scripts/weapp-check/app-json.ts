import { readFileSync } from 'fs'
import { join } from 'path'

interface AppJson {
  pages?: string[]
  subPackages?: { root: string; pages?: string[] }[]
  subpackages?: { root: string; pages?: string[] }[]
}

function readAppJson(dir: string): AppJson {
  return JSON.parse(readFileSync(join(dir, 'app.json'), 'utf8')) as AppJson
}

/** Subpackage roots without a trailing slash, as app.json names them. */
export function subpackageRoots(dir: string): string[] {
  const app = readAppJson(dir)
  return (app.subPackages ?? app.subpackages ?? []).map((s) => s.root.replace(/\/+$/, ''))
}

/** Every page path (no extension) of the main package and the subpackages. */
export function pagePaths(dir: string): string[] {
  const app = readAppJson(dir)
  const subs = (app.subPackages ?? app.subpackages ?? []).flatMap((s) =>
    (s.pages ?? []).map((p) => `${s.root.replace(/\/+$/, '')}/${p}`)
  )
  return [...(app.pages ?? []), ...subs]
}

/** WeChat's name for the package a file ships in: __APP__ or the subpackage root. */
export function packageOf(file: string, roots: readonly string[]): string {
  return roots.find((root) => file.startsWith(`${root}/`)) ?? '__APP__'
}
