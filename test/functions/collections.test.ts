/**
 * The one list of collections (cloudfunctions/_shared/collections.ts) is
 * complete and has nothing extra: every `collection('…')` in the source
 * (functions, app, local server; not the embedded database's internals, not
 * tests) names a declared collection, and every declared one is used. A name
 * held in a constant (`collection(PRINTS)`) is read from its declaration.
 */
import { readdirSync, readFileSync, statSync } from 'fs'
import { join, relative } from 'path'
import { COLLECTIONS, COLLECTION_NAMES } from '../../cloudfunctions/_shared/collections'
import { DEFAULT_INDEXES } from '../../server/db'

const ROOT = join(__dirname, '../..')
const SKIP = new Set(['node_modules', 'dist', '.git'])

function sources(dir: string, skip: (rel: string) => boolean = () => false): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    const rel = relative(ROOT, path)
    if (SKIP.has(name) || skip(rel)) continue
    if (statSync(path).isDirectory()) out.push(...sources(path, skip))
    else if (/\.tsx?$/.test(name) && !/\.(test|d)\.tsx?$/.test(name)) out.push(path)
  }
  return out
}

const files = [
  ...sources(join(ROOT, 'cloudfunctions')),
  ...sources(join(ROOT, 'src')),
  ...sources(join(ROOT, 'server'), (rel) => rel === join('server', 'db'))
].map((path) => ({ path: relative(ROOT, path), text: readFileSync(path, 'utf8') }))

const LITERAL = /\bcollection\(\s*(['"])([A-Za-z0-9_]+)\1\s*\)/g
const CONSTANT = /\bcollection\(\s*([A-Z][A-Z0-9_]*)\s*\)/g
const DECLARATION = /\bconst\s+([A-Z][A-Z0-9_]*)\s*=\s*(['"])([A-Za-z0-9_]+)\2/g

function usedNames(): Map<string, string[]> {
  const constants = new Map<string, string>()
  for (const f of files) for (const m of f.text.matchAll(DECLARATION)) constants.set(m[1], m[3])
  const used = new Map<string, string[]>()
  const note = (name: string, path: string) => used.set(name, [...(used.get(name) ?? []), path])
  for (const f of files) {
    for (const m of f.text.matchAll(LITERAL)) note(m[2], f.path)
    for (const m of f.text.matchAll(CONSTANT)) {
      const name = constants.get(m[1])
      if (!name) throw new Error(`${f.path}: collection(${m[1]}) names a constant this test cannot find`)
      note(name, f.path)
    }
  }
  return used
}

describe('the list of collections', () => {
  const used = usedNames()

  it('scans a real tree', () => {
    expect(files.length).toBeGreaterThan(50)
    expect(used.get('members')?.length).toBeGreaterThan(5)
  })

  it('declares every collection the code uses', () => {
    const missing = [...used.keys()].filter((n) => !(n in COLLECTIONS)).map((n) => `${n} (${used.get(n)!.join(', ')})`)
    expect(missing).toEqual([])
  })

  it('declares nothing the code does not use', () => {
    expect(COLLECTION_NAMES.filter((n) => !used.has(n))).toEqual([])
  })

  it('is where the embedded database takes its indexes from', () => {
    expect(Object.keys(DEFAULT_INDEXES).sort()).toEqual([...COLLECTION_NAMES].sort())
    for (const n of COLLECTION_NAMES) expect(DEFAULT_INDEXES[n]).toEqual(COLLECTIONS[n].indexes)
  })
})
