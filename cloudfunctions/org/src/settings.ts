/**
 * org.settings / org.updateSettings: quotas, points rules, ranking
 * visibility and warning thresholds of one organisation. Members read the
 * settings along their own org path (they need the rules to understand their
 * points); only an admin of the org or of an org above it changes them.
 */
import { AppError } from '../../../src/core/errors'
import type { OrgSettingsInput, OrgUpdateSettingsInput } from '../../../src/core/functions/settings'
import type { Member } from '../../../src/core/schemas/member'
import { OrgSchema, type Org } from '../../../src/core/schemas/org'
import {
  DEFAULT_SETTINGS,
  OrgSettingsSchema,
  OrgSettingsValuesSchema,
  settingsId,
  type OrgSettings,
  type OrgSettingsValues
} from '../../../src/core/schemas/settings'
import { planRuleChanges } from '../../../src/core/stats/rule-changes'
import type { z } from '../../../src/core/zod'
import { recountNow } from '../../_shared/recount'
import { addAudit } from '../../_shared/audit'
import { isAdminOver, requireMember } from '../../_shared/caller'
import type { Transaction } from '../../_shared/db'
import type { Runtime } from '../../_shared/runtime'
import { forgetCachedSettings, settingsWithSource } from '../../_shared/settings'

const READ_REFUSED = '您只能查看自己所在组织的设置'
const WRITE_REFUSED = '只有本级或上级党委管理员可以修改这些设置'

/** Sections whose change moves figures already counted this year. */
const FIGURE_SECTIONS = new Set<string>(['quotas', 'pointsRules', 'notePointsMonthlyCap', 'exemptAge', 'essayMinWords', 'essayPointsQuarterlyCap'])

/** The sections an update may send, in the order the page shows them. */
const SECTIONS = ['visibility', 'showPointsToMembers', 'quotas', 'pointsRules', 'notePointsMonthlyCap', 'warnings', 'requireLocation', 'exemptAge', 'reminders', 'essayMinWords', 'essayPointsQuarterlyCap', 'reviewExcellentShare'] as const
type Section = (typeof SECTIONS)[number]

/**
 * The org by id when `allowed` says so. A missing id and an org out of
 * scope get the same refusal, so ids of other organisations cannot be probed.
 */
async function loadOrgIf(rt: Runtime, orgId: string, allowed: (org: Org) => boolean, refusal: string): Promise<Org> {
  const { data } = await rt.db.collection('orgs').doc(orgId).get()
  const org = data ? OrgSchema.parse(data) : null
  if (!org || !allowed(org)) throw new AppError('FORBIDDEN', refusal)
  return org
}

/**
 * A member reads the orgs on their own path (their branch and those above
 * it), an officer also the groups of their branch, an admin everything
 * under their org.
 */
function canReadSettings(member: Member, org: Org): boolean {
  if (member.orgPath.includes(org._id) || org._id === member.groupId) return true
  if (isAdminOver(member, org)) return true
  return member.roles.some((r) => (r.role === 'secretary' || r.role === 'committee') && org.path.includes(r.orgId))
}

export async function settingsAction(rt: Runtime, input: z.infer<typeof OrgSettingsInput>) {
  const member = await requireMember(rt)
  const org = await loadOrgIf(rt, input.orgId, (o) => canReadSettings(member, o), READ_REFUSED)
  return settingsWithSource(rt, org.path)
}

/** The values in force for a path, read inside the transaction so the rules check sees what it replaces. */
async function valuesInForce(t: Transaction, path: readonly string[]): Promise<{ values: OrgSettingsValues; own: OrgSettings | null }> {
  let own: OrgSettings | null = null
  for (let i = path.length - 1; i >= 0; i--) {
    const { data } = await t.collection('settings').doc(settingsId(path[i])).get()
    if (!data) continue
    if (i === path.length - 1) {
      const parsed = OrgSettingsSchema.safeParse(data)
      own = parsed.success ? parsed.data : null
    }
    const values = OrgSettingsValuesSchema.safeParse(data)
    if (values.success) return { values: values.data, own }
  }
  return { values: DEFAULT_SETTINGS, own }
}

/** Stable JSON (sorted keys), so key order never counts as a change. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(',')}}`
  }
  return JSON.stringify(v)
}

export async function updateSettingsAction(rt: Runtime, input: z.infer<typeof OrgUpdateSettingsInput>) {
  const admin = await requireMember(rt)
  const sent = SECTIONS.filter((s) => input[s] !== undefined)
  if (sent.length === 0) throw new AppError('INVALID_INPUT', '没有要保存的修改，请至少修改一项设置')
  const org = await loadOrgIf(rt, input.orgId, (o) => isAdminOver(admin, o), WRITE_REFUSED)
  const now = rt.clock.now()

  // This instance's cached settings (check-in) are dropped once the change is saved; other instances' expire.
  let moved = false
  const out = await rt.db.runTransaction(async (t) => {
    const { values: before, own } = await valuesInForce(t, org.path)
    const next: OrgSettingsValues = { ...before }
    const changed: Section[] = []
    for (const section of sent) {
      let value = input[section] as OrgSettingsValues[Section]
      if (section === 'quotas' && input.quotas) value = { ...input.quotas, retired: input.quotas.retired ?? before.quotas.retired }
      if (section === 'pointsRules') {
        const plan = planRuleChanges(before.pointsRules, input.pointsRules ?? [], now)
        if (!plan.ok) throw new AppError('INVALID_INPUT', plan.message, { section })
        value = plan.rules
      }
      if (canonical(value) !== canonical(before[section])) changed.push(section)
      ;(next as Record<Section, unknown>)[section] = value
    }
    // Nothing new for an org that already has its own settings: leave the record and the audit alone.
    if (own && changed.length === 0) return { settings: own }

    // Re-checking the whole document catches rules that hold across sections.
    const checked = OrgSettingsValuesSchema.safeParse(next)
    if (!checked.success) throw new AppError('INVALID_INPUT', '设置的内容不符合要求，请检查后再保存')
    const doc: OrgSettings = OrgSettingsSchema.parse({
      ...checked.data,
      _id: settingsId(org._id),
      orgId: org._id,
      updatedBy: admin._id,
      updatedAt: now
    })
    // CloudBase refuses `_id` inside set() data; the id is the doc's own.
    const { _id, ...body } = doc
    await t.collection('settings').doc(_id).set({ data: body })
    await addAudit(t, {
      actor: admin._id,
      action: 'settings.update',
      target: { type: 'settings', id: doc._id },
      orgId: org._id,
      at: now,
      // An org's first own document starts from what it inherited; the record says so.
      detail: own ? { sections: changed } : { sections: changed, created: true }
    })
    moved = changed.some((c) => FIGURE_SECTIONS.has(c))
    return { settings: doc }
  }).finally(() => forgetCachedSettings(rt.db))
  // Quotas, points and who is exempt hold for the whole year: every branch under the org is rebuilt, now or by the next tick.
  if (moved) await recountNow(rt, org._id)
  return out
}
