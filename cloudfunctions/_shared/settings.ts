/**
 * Reading an organisation's settings. One document per org at a known id
 * (settingsId); an org without its own reads its nearest ancestor's, and an
 * org path with none anywhere reads the defaults. Shared by every function
 * that credits points, checks quotas or decides who sees a ranking, so they
 * all agree on which settings are in force.
 */
import {
  DEFAULT_SETTINGS,
  OrgSettingsValuesSchema,
  settingsId,
  type OrgSettingsValues
} from '../../src/core/schemas/settings'
import type { Runtime } from './runtime'

export interface SettingsWithSource {
  settings: OrgSettingsValues
  /** The org whose document supplied them, or null for the defaults. */
  inheritedFrom: string | null
  updatedAt: number | null
}

/** Only the value fields, so a stored doc's bookkeeping never leaks into a value comparison. */
function valuesOf(doc: unknown): OrgSettingsValues | null {
  const parsed = OrgSettingsValuesSchema.safeParse(doc)
  return parsed.success ? parsed.data : null
}

/**
 * Settings in force for an org path (root first) and which org supplied
 * them. A document that no longer parses (an older shape) is skipped rather
 * than failing a member's page; the next one up the path answers instead.
 */
export async function settingsWithSource(rt: Runtime, orgPath: readonly string[]): Promise<SettingsWithSource> {
  const ids = orgPath.map((o) => settingsId(o))
  if (ids.length === 0) return { settings: DEFAULT_SETTINGS, inheritedFrom: null, updatedAt: null }
  // A path is at most 8 orgs deep (OrgSchema), so one bounded query covers it.
  const { data } = await rt.db
    .collection('settings')
    .where({ _id: rt.db.command.in(ids) })
    .limit(ids.length)
    .get()
  const byId = new Map(data.map((d) => [String(d._id), d]))
  for (let i = ids.length - 1; i >= 0; i--) {
    const doc = byId.get(ids[i])
    if (!doc) continue
    const settings = valuesOf(doc)
    if (!settings) continue
    const updatedAt = typeof doc.updatedAt === 'number' ? doc.updatedAt : null
    return { settings, inheritedFrom: orgPath[i], updatedAt }
  }
  return { settings: DEFAULT_SETTINGS, inheritedFrom: null, updatedAt: null }
}

/** Settings in force for an org path (root first): the nearest org's own document, else the defaults. */
export async function settingsFor(rt: Runtime, orgPath: readonly string[]): Promise<OrgSettingsValues> {
  return (await settingsWithSource(rt, orgPath)).settings
}


/**
 * How long an instance trusts settings it has read. A check-in reads them on
 * every call otherwise; settings change a few times a year, and a change
 * reaches every instance within this time (the instance that saved it at once).
 */
export const SETTINGS_TTL_MS = 30_000

/**
 * Per database handle: on CloudBase the handle lives as long as the
 * instance (one per instance), locally as long as the process, and in tests
 * one per test database, so entries never leak between databases.
 */
const settingsCache = new WeakMap<object, Map<string, { at: number; value: Promise<OrgSettingsValues> }>>()

/** settingsFor through a short per-instance cache, for the hot paths (check-in). */
export function cachedSettingsFor(rt: Runtime, orgPath: readonly string[]): Promise<OrgSettingsValues> {
  let byPath = settingsCache.get(rt.db)
  if (!byPath) settingsCache.set(rt.db, (byPath = new Map()))
  const key = orgPath.join('/')
  const now = Date.now()
  const hit = byPath.get(key)
  if (hit && now - hit.at < SETTINGS_TTL_MS) return hit.value
  const value = settingsFor(rt, orgPath)
  // A failed read is not remembered.
  value.catch(() => byPath!.delete(key))
  if (byPath.size >= 1000) byPath.clear()
  byPath.set(key, { at: now, value })
  return value
}

/** After a settings change: this instance reads them afresh. */
export function forgetCachedSettings(db: object): void {
  settingsCache.delete(db)
}
