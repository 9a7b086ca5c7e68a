/**
 * Organisation settings (the `org` function's settings actions), typed from
 * the zod contracts in src/core. Only types come from the schemas, so no
 * schema code is bundled into the pages that use this.
 */
import type { z } from '../core/zod'
import type { OrgSettingsOutput, OrgUpdateSettingsInput, OrgUpdateSettingsOutput } from '../core/functions/settings'
import type { OrgSettings, OrgSettingsValues, PointsRule, Quotas, Visibility, VisibilityLevel, WarningThresholds } from '../core/schemas/settings'
import { call } from './index'

export type { OrgSettings, OrgSettingsValues, PointsRule, Quotas, Visibility, VisibilityLevel, WarningThresholds }
export type SettingsRead = z.infer<typeof OrgSettingsOutput>
export type SettingsChange = Omit<z.infer<typeof OrgUpdateSettingsInput>, 'orgId'>

/** The settings in force for an org, and which org (or null: the defaults) supplied them. */
export function getSettings(orgId: string): Promise<SettingsRead> {
  return call<SettingsRead>('org', 'settings', { orgId })
}

/** Saves the sections given; each replaces that section whole. Admins only. */
export async function updateSettings(orgId: string, change: SettingsChange): Promise<OrgSettings> {
  const input: Record<string, unknown> = { orgId }
  for (const [k, v] of Object.entries(change)) if (v !== undefined) input[k] = v
  const out = await call<z.infer<typeof OrgUpdateSettingsOutput>>('org', 'updateSettings', input)
  return out.settings
}
