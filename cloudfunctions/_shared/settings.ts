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

