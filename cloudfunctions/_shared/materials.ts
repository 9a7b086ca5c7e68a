/**
 * Study materials (学习材料) in the originality index, in bounded steps.
 *
 * A 30,000-character text has ~6,600 fingerprints; a speech nobody has
 * quoted yet needs a posting created for nearly each, one call apiece
 * (there is no bulk insert), so indexing takes thousands of calls: far more
 * than one invocation may spend (ten seconds, ~10 ms a call on CloudBase).
 * So a material is stored first (status `indexing`, cursor `indexed` = 0)
 * and posted chunk by chunk, the cursor advancing after each; every step is
 * idempotent (postSourceChunk), so the page that added it, a retry, and the
 * cron tick can each go on from the cursor, also at once. Removal is the
 * same backwards: status `removing` (from that moment no note counts it, see
 * sourceApplies), the cursor walks down to 0 taking the key out of the
 * postings, then the document goes.
 */
import { MaterialHeadSchema, MaterialListingSchema, type MaterialHead, type MaterialListing } from '../../src/core/schemas/material'
import { IN_CHUNK, SOURCES, postSourceChunk, scopeOf, unpostSourceChunk } from './originality'
import type { Runtime } from './runtime'

/** Database calls one step may start at most (one chunk always goes, so every call makes progress). */
export const MATERIAL_CALLS_PER_STEP = 300

/** The most one chunk can cost: find, bulk update, and per missing posting an add and a retry; plus the cursor. */
function worstCost(m: MaterialHead): number {
  if (m.status === 'removing') return 3
  return 3 + 2 * Math.min(IN_CHUNK, m.hashCount - m.indexed)
}

/**
 * A material without its text (up to 90 KB, never needed here). Null when
 * missing, or a source stored before materials existed (no lifecycle).
 */
export async function readMaterial(rt: Runtime, id: string): Promise<MaterialHead | null> {
  const { data } = await rt.db.collection(SOURCES).where({ _id: id }).field({ content: false }).limit(1).get()
  const parsed = data[0] ? MaterialHeadSchema.safeParse(data[0]) : null
  return parsed && parsed.success ? parsed.data : null
}

async function readListing(rt: Runtime, id: string): Promise<MaterialListing | null> {
  const { data } = await rt.db.collection(SOURCES).where({ _id: id }).field({ content: false, hashes: false }).limit(1).get()
  const parsed = data[0] ? MaterialListingSchema.safeParse(data[0]) : null
  return parsed && parsed.success ? parsed.data : null
}

/**
 * Moves a material's indexing or removal on by chunks while the next chunk
 * fits in `budget` calls (the first always goes). Answers the material as it
 * now stands, or null once it is removed (or was never there).
 */
export async function advanceMaterial(rt: Runtime, id: string, budget = MATERIAL_CALLS_PER_STEP): Promise<MaterialHead | null> {
  const col = rt.db.collection(SOURCES)
  const _ = rt.db.command
  let calls = 0
  let first = true
  // The fingerprints never change: read once; afterwards only the cursor and status.
  let hashes: string[] | null = null
  for (;;) {
    calls++
    const head: MaterialListing | MaterialHead | null = hashes ? await readListing(rt, id) : await readMaterial(rt, id)
    if (!head) return null
    if (!hashes) hashes = (head as MaterialHead).hashes
    const m: MaterialHead = { ...head, hashes }
    if (m.status === 'ready') return m
    if (!first && calls + worstCost(m) > budget) return m
    first = false
    const now = rt.clock.now()
    if (m.status === 'indexing') {
      const chunk = m.hashes.slice(m.indexed, m.indexed + IN_CHUNK)
      if (chunk.length > 0) calls += await postSourceChunk(rt, id, scopeOf(m.orgPath), chunk)
      const next = m.indexed + chunk.length
      calls++
      // Never backwards, and never over a removal that started meanwhile.
      await col
        .where({ _id: id, status: 'indexing', indexed: _.lte(next) })
        .update({ data: { indexed: next, updatedAt: now, ...(next >= m.hashes.length ? { status: 'ready' } : {}) } })
    } else {
      const from = Math.max(0, m.indexed - IN_CHUNK)
      const chunk = m.hashes.slice(from, m.indexed)
      if (chunk.length > 0) calls += await unpostSourceChunk(rt, id, scopeOf(m.orgPath), chunk)
      calls++
      if (from === 0) await col.where({ _id: id, status: 'removing' }).remove()
      else await col.where({ _id: id, status: 'removing', indexed: _.gte(from) }).update({ data: { indexed: from, updatedAt: now } })
    }
  }
}

/**
 * Starts a removal: from this write on no note counts the material; the
 * postings are cleaned by the steps. The cursor starts at the end, since a
 * step of indexing still under way may have posted past its own cursor.
 */
export async function startRemoval(rt: Runtime, m: MaterialHead): Promise<void> {
  await rt.db
    .collection(SOURCES)
    .where({ _id: m._id, status: rt.db.command.in(['indexing', 'ready']) })
    .update({ data: { status: 'removing', indexed: m.hashCount, updatedAt: rt.clock.now() } })
}

/** Materials left half indexed or half removed (the page closed, a timeout): moved on by the timer. */
export async function finishPendingMaterials(rt: Runtime, outOfTime: () => boolean): Promise<number> {
  const _ = rt.db.command
  let done = 0
  const { data } = await rt.db
    .collection(SOURCES)
    .where({ status: _.in(['indexing', 'removing']) })
    .field({ _id: true })
    .limit(20)
    .get()
  for (const d of data) {
    for (;;) {
      const m = await advanceMaterial(rt, String(d._id))
      if (outOfTime()) return done
      if (!m || m.status === 'ready') break
    }
    done++
  }
  return done
}

/**
 * Titles of linked materials still stored, in the order asked (a 会议纪实
 * keeps its ids even after a material is removed, and then shows it no
 * more); read a hundred at a time, so a period's workbook asks once per
 * hundred distinct materials.
 */
export async function materialTitles(rt: Runtime, ids: readonly string[]): Promise<Array<{ _id: string; title: string }>> {
  const unique = [...new Set(ids)]
  const _ = rt.db.command
  const titles = new Map<string, string>()
  for (let i = 0; i < unique.length; i += 100) {
    const chunk = unique.slice(i, i + 100)
    const { data } = await rt.db.collection(SOURCES).where({ _id: _.in(chunk) }).field({ title: true, status: true }).limit(chunk.length).get()
    for (const d of data) if (d.status !== 'removing') titles.set(String(d._id), String(d.title ?? ''))
  }
  return ids.flatMap((id) => (titles.has(id) ? [{ _id: id, title: titles.get(id)! }] : []))
}
