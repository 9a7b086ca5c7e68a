import type { Query, StoredDoc } from './db'

/**
 * CloudBase returns at most 1,000 records per get() in a function, so a read
 * that may exceed a page is paged explicitly. `cap` bounds the total so a
 * request can never turn into an unbounded scan.
 */
export async function fetchAll(query: Query, { pageSize = 1000, cap = 20000 } = {}): Promise<StoredDoc[]> {
  const out: StoredDoc[] = []
  // CloudBase promises no order without orderBy, so pages could overlap or
  // skip records; `_id` last makes every page boundary stable.
  const ordered = query.orderBy('_id', 'asc')
  for (let skip = 0; skip < cap; skip += pageSize) {
    const { data } = await ordered.skip(skip).limit(Math.min(pageSize, cap - skip)).get()
    out.push(...data)
    if (data.length < pageSize) break
  }
  return out
}
