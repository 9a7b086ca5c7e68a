/**
 * The one error every weapp check throws: it carries the build file at fault
 * (relative to the build folder) so a red CI run points straight at it.
 */
export class WeappCheckError extends Error {
  constructor(
    readonly check: string,
    readonly file: string | undefined,
    readonly detail: string
  ) {
    super(`${check} failed${file ? ` in ${file}` : ''}: ${detail}`)
    this.name = 'WeappCheckError'
  }
}

/**
 * Which of the build's files a compiler message is about. Longest paths win,
 * so secretary/notes/member/index.wxml is not reported as notes/index.wxml.
 */
export function fileNamedIn(message: string, files: readonly string[]): string | undefined {
  const byLength = [...files].sort((a, b) => b.length - a.length)
  return byLength.find((file) => new RegExp(`(^|[\\s"'\`(./:])${escapeRegExp(file)}($|[\\s"'\`):(,])`).test(message))
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** Compiler messages can hold a whole minified bundle line; keep them readable. */
export function clip(text: string, lines = 12, width = 300): string {
  return text
    .split('\n')
    .slice(0, lines)
    .map((line) => (line.length > width ? `${line.slice(0, width)}…` : line))
    .join('\n')
    .trim()
}
