/**
 * points: a member's ledger for a period, every line with its reason, so a
 * number can always be traced to the fact behind it. adjustPoints: a
 * secretary's manual entry, with a reason, audited, idempotent by clientId.
 */
import { AppError } from '../../../src/core/errors'
import type { AdjustPointsInput, PointsInput } from '../../../src/core/functions/stats'
import { deriveId } from '../../../src/core/ids'
import { parsePeriod, periodKeysOf } from '../../../src/core/period'
import { MemberSchema, type Member } from '../../../src/core/schemas/member'
import { PointsEntrySchema, pointsEntryId, pointsKey, POINTS_SOURCE_LABELS } from '../../../src/core/schemas/points'
import { pointsFor, type OrgSettingsValues } from '../../../src/core/schemas/settings'
import type { z } from '../../../src/core/zod'
import { addAudit } from '../../_shared/audit'
import { isBranchOfficer, requireMember } from '../../_shared/caller'
import { fetchAll } from '../../_shared/paging'
import type { Runtime } from '../../_shared/runtime'
import { settingsFor } from '../../_shared/settings'
import { transact } from '../../_shared/aggregates'
import { ownerOf, settleClaim } from '../../_shared/tally'

const NOT_YOURS = '您只能查看本人或本支部党员的积分'

async function loadSubject(rt: Runtime, caller: Member, memberId: string | undefined): Promise<Member> {
  if (!memberId || memberId === caller._id) return caller
  const { data } = await rt.db.collection('members').doc(memberId).get()
  const m = data ? MemberSchema.parse(data) : null
  if (!m || !isBranchOfficer(caller, { _id: m.branchId, path: m.orgPath })) throw new AppError('FORBIDDEN', NOT_YOURS)
  return m
}

/** The rule's current name, as the organisation labels it. */
function labelsOf(settings: OrgSettingsValues): Map<string, string> {
  const out = new Map<string, string>()
  for (const r of [...settings.pointsRules].sort((a, b) => a.from - b.from)) out.set(r.rule, r.label)
  out.set('manual', POINTS_SOURCE_LABELS.manual)
  return out
}

export async function pointsAction(rt: Runtime, input: z.infer<typeof PointsInput>) {
  const caller = await requireMember(rt)
  const member = await loadSubject(rt, caller, input.memberId)
  const settings = await settingsFor(rt, member.orgPath)
  const officer = isBranchOfficer(caller, { _id: member.branchId, path: member.orgPath })
  if (!settings.showPointsToMembers && !officer) throw new AppError('NOT_AVAILABLE', '本组织没有向党员开放积分')
  const p = parsePeriod(input.period)
  // One member's year is a few hundred lines: read the year by its index, keep the period's.
  const docs = await fetchAll(rt.db.collection('ledger').where({ memberId: member._id, 'periodKeys.year': String(p.year) }), { cap: 20000 })
  const entries = docs
    .map((d) => PointsEntrySchema.parse(d))
    .filter((e) => e.periodKeys[p.kind] === input.period)
    .sort((a, b) => b.at - a.at || b.createdAt - a.createdAt)
  const authors = [...new Set(entries.map((e) => e.createdBy).filter((x): x is string => !!x))]
  const names = new Map<string, string>()
  if (authors.length) {
    const ms = await fetchAll(rt.db.collection('members').where({ _id: rt.db.command.in(authors) }), { cap: 1000 })
    for (const m of ms) names.set(String(m._id), String(m.name))
  }
  const labels = labelsOf(settings)
  const now = rt.clock.now()
  return {
    memberId: member._id,
    name: member.name,
    period: input.period,
    total: entries.reduce((s, e) => s + e.delta, 0),
    lines: entries.map((e) => ({
      _id: e._id,
      delta: e.delta,
      rule: e.rule,
      label: labels.get(e.rule) ?? e.rule,
      reason: e.reason,
      sourceType: e.sourceType,
      sourceId: e.sourceId,
      at: e.at,
      createdAt: e.createdAt,
      correction: e.seq > 0,
      createdByName: e.createdBy ? names.get(e.createdBy) ?? null : null
    })),
    rules: [...labels.keys()]
      .filter((rule) => rule !== 'manual')
      .map((rule) => ({ rule, label: labels.get(rule)!, points: pointsFor(settings.pointsRules, rule, now) }))
  }
}

export async function adjustPointsAction(rt: Runtime, input: z.infer<typeof AdjustPointsInput>) {
  const officer = await requireMember(rt)
  const member = await loadSubject(rt, officer, input.memberId).catch(() => {
    throw new AppError('FORBIDDEN', '您只能调整本支部党员的积分')
  })
  if (member._id === officer._id) throw new AppError('FORBIDDEN', '不能调整自己的积分，请由其他支委办理')
  if (!isBranchOfficer(officer, { _id: member.branchId, path: member.orgPath })) throw new AppError('FORBIDDEN', '您只能调整本支部党员的积分')
  const now = rt.clock.now()
  const at = input.at ?? now
  if (at > now) throw new AppError('INVALID_INPUT', '调整日期不能晚于今天')
  // A past year is closed: its rankings and reports have been read and filed, so a change
  // dated into it would rewrite them after the fact. Corrections go into this year.
  const thisYear = periodKeysOf(now).year
  if (periodKeysOf(at).year !== thisYear) {
    throw new AppError('INVALID_INPUT', `往年的积分已经结算，不能再调整；如需更正，请按今年（${thisYear}年）的日期登记并写明原因`, { field: 'at' })
  }
  const key = pointsKey('manual', input.clientId, member._id)
  const settings = await settingsFor(rt, member.orgPath)
  const owner = ownerOf(member, settings)
  const entry = await transact(rt, settings, async (t, inc) => {
    const { data: net } = await t.collection('points_nets').doc(key).get()
    if (net) {
      // A retried tap: the same adjustment, already recorded.
      if (net.net !== input.delta) throw new AppError('CONFLICT', '这次调整已经记录过，且分值不同；如需更正请另行调整')
      const { data } = await t.collection('ledger').doc(pointsEntryId(key, 0)).get()
      return PointsEntrySchema.parse(data)
    }
    const written = await settleClaim(
      t,
      rt,
      owner,
      {
        key,
        rule: 'manual',
        memberId: member._id,
        points: input.delta,
        sourceType: 'manual',
        sourceId: deriveId('adj', member._id, input.clientId),
        at,
        reason: input.reason
      },
      now,
      { createdBy: officer._id, inc }
    )
    await addAudit(t, {
      actor: officer._id,
      action: 'points.adjust',
      target: { type: 'member', id: member._id },
      orgId: member.branchId,
      at: now,
      detail: { delta: input.delta, reason: input.reason, period: periodKeysOf(at).month }
    })
    return written!
  })
  return { entry }
}
