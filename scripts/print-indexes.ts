/**
 * Prints the README's table of collections and the indexes to create for
 * them in the CloudBase console, from the one list the code uses
 * (cloudfunctions/_shared/collections.ts). Run: npx tsx scripts/print-indexes.ts
 */
import { COLLECTIONS, COLLECTION_NAMES, type CollectionSpec } from '../cloudfunctions/_shared/collections'

export function indexTable(): string {
  const rows = COLLECTION_NAMES.map((name) => {
    const spec: CollectionSpec = COLLECTIONS[name]
    const indexes = spec.indexes.length ? spec.indexes.map((fields) => fields.map((f) => `\`${f}\``).join(' + ')).join('; ') : '—'
    const note = spec.localOnly ? `${spec.note ?? ''} (not created on CloudBase)` : spec.note ?? ''
    return `| \`${name}\` | ${indexes} | ${note.replace(/\|/g, '\\|')} |`
  })
  return ['| collection | indexes (ascending; `a + b` is one composite index) | why |', '|---|---|---|', ...rows].join('\n')
}

if (require.main === module) console.log(indexTable())
