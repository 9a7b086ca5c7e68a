/**
 * 双色预警 for a branch's members in a quarter, computed on read from the
 * aggregates (so a warning clears the moment its facts change), with the
 * dates of the unexcused absences behind it. Shared: `stats` shows them,
 * `remind` addresses those who have them.
 */
import { expectedAt } from '../../src/core/audience'
import { memberNoteQuota } from '../../src/core/notes/prorate'
import { notePace } from '../../src/core/notes/pace'
import { exemptionOf } from '../../src/core/org/exemption'
import { formatShanghai, monthsOfPeriod, parsePeriod, periodBounds, periodKeysOf, previousPeriod } from '../../src/core/period'
import { aggregateId, type Aggregate } from '../../src/core/schemas/aggregate'
import { checkinId, leaveId } from '../../src/core/schemas/checkin'
import type { Member } from '../../src/core/schemas/member'
import { SESSION_TYPE_LABELS, SessionSchema } from '../../src/core/schemas/session'
import type { OrgSettingsValues } from '../../src/core/schemas/settings'
import { consecutiveAbsentMonths, memberWarning, monthsSinceJoining } from '../../src/core/stats/warnings'
import type { MemberWarning } from '../../src/core/functions/stats'
import { fetchAll } from './paging'
import type { Runtime } from './runtime'

/** The months the Art. 9 streak looks back over: the last seven, oldest first, ending with the current one. */
function lookbackMonths(now: number): string[] {
  let m = periodKeysOf(now).month
  const out = [m]
  for (let i = 0; i < 6; i++) out.unshift((m = previousPeriod(m)))
  return out
}

/**
 * Unexcused absences per member in the quarter, as `7月5日 支委会`, from tallied sessions:
 * the branch's, and for a member who moved here within the quarter, those of the branch they
 * left that were held while they belonged to it (their aggregate counts both).
 */
async function absencesOf(rt: Runtime, branchId: string, members: Member[], quarter: string) {
  const { start, end } = periodBounds(quarter)
  const out = new Map<string, { at: number; label: string }[]>()
  const earlier = new Map<string, Member[]>()
  for (const m of members) {
    for (const h of m.branchHistory ?? []) {
      if (h.branchId === branchId || h.to <= start || h.from >= end) continue
      const list = earlier.get(h.branchId) ?? []
      if (!list.includes(m)) list.push(m)
      earlier.set(h.branchId, list)
    }
  }
  await absencesIn(rt, branchId, members, quarter, false, out)
  for (const [other, movers] of earlier) await absencesIn(rt, other, movers, quarter, true, out)
  for (const list of out.values()) list.sort((a, b) => a.at - b.at)
  return out
}

/** Adds one branch's unexcused absences of `members` in the quarter to `out`. */
async function absencesIn(rt: Runtime, branchId: string, members: Member[], quarter: string, onlyThese: boolean, out: Map<string, { at: number; label: string }[]>) {
  const _ = rt.db.command
  const { start, end } = periodBounds(quarter)
  const sessions = (await fetchAll(rt.db.collection('sessions').where({ branchId, startAt: _.gte(start).and(_.lt(end)) }), { cap: 5000 }))
    .map((d) => SessionSchema.parse(d))
    .filter((s) => s.status === 'scheduled' && s.talliedAt !== undefined)
  if (sessions.length === 0) return
  const months = monthsOfPeriod(quarter)
  // Another branch's facts are read for the movers only, not for everyone there.
  const whose = onlyThese ? { memberId: _.in(members.map((m) => m._id)) } : {}
  const [checkins, leaves] = await Promise.all([
    fetchAll(rt.db.collection('checkins').where({ branchId, 'periodKeys.month': _.in(months), ...whose }).field({ _id: true }), { cap: 200000 }),
    fetchAll(rt.db.collection('leaves').where({ branchId, status: 'approved', ...whose }).field({ _id: true }), { cap: 200000 })
  ])
  const excused = new Set([...checkins, ...leaves].map((d) => String(d._id)))
  for (const s of sessions) {
    for (const m of members) {
      if (!expectedAt(s, m) || excused.has(checkinId(s._id, m._id)) || excused.has(leaveId(s._id, m._id))) continue
      const list = out.get(m._id) ?? []
      list.push({ at: s.startAt, label: `${formatShanghai(s.startAt, 'M月D日')} ${SESSION_TYPE_LABELS[s.type]}` })
      out.set(m._id, list)
    }
  }
}

export async function branchWarnings(
  rt: Runtime,
  branchId: string,
  members: Member[],
  quarter: string,
  settings: OrgSettingsValues,
  now: number,
  withDates = true
): Promise<MemberWarning[]> {
  const months = lookbackMonths(now)
  const year = parsePeriod(quarter).year
  const aggs = await memberAggregates(rt, members.map((m) => m._id), [quarter, String(year), ...months])
  const absences = withDates ? await absencesOf(rt, branchId, members, quarter) : new Map()
  const quarterEnd = periodBounds(quarter).end
  const out: MemberWarning[] = []
  for (const m of members) {
    const get = (p: string) => aggs.get(aggregateId('member', m._id, p)) ?? null
    const monthRows = monthsSinceJoining(months.map((month) => {
      const a = get(month)
      return { month, attended: a?.attended ?? 0, leave: a?.leave ?? 0, makeups: a?.makeups ?? 0 }
    }), m.joinedAt)
    const yearAgg = get(String(year))
    const pace = notePace({
      creditedWords: yearAgg?.creditedWords ?? 0,
      quota: memberNoteQuota(m, settings, year),
      at: Math.min(now, quarterEnd - 1),
      year,
      thresholds: settings.warnings,
      joinedAt: m.joinedAt,
      // Read by officers (预警, 季度通报): about the member by name, not '您'.
      subject: m.name
    })
    const w = memberWarning(
      {
        member: { _id: m._id, name: m.name, exempt: exemptionOf(m, settings, year).warnings },
        quarter,
        quarterAgg: get(quarter),
        absences: absences.get(m._id) ?? [],
        monthsAbsent: consecutiveAbsentMonths(monthRows, periodKeysOf(now).month),
        pace,
        quarterEnded: now >= quarterEnd,
        now
      },
      settings.warnings
    )
    if (w) out.push(w)
  }
  const weight = (w: MemberWarning) => (w.alert ? 100 + w.alert.months : 0) + (w.level === 'red' ? 10 : w.level === 'yellow' ? 5 : 0)
  return out.sort((a, b) => weight(b) - weight(a) || a.name.localeCompare(b.name, 'zh'))
}


/** Member aggregates by id for a set of members and periods, in one query per 1,000. */
export async function memberAggregates(rt: Runtime, memberIds: readonly string[], periods: readonly string[]): Promise<Map<string, Aggregate>> {
  const ids = memberIds.flatMap((m) => periods.map((p) => aggregateId('member', m, p)))
  const out = new Map<string, Aggregate>()
  for (let i = 0; i < ids.length; i += 1000) {
    const chunk = ids.slice(i, i + 1000)
    const docs = await fetchAll(rt.db.collection('aggregates').where({ _id: rt.db.command.in(chunk) }), { cap: 1000 })
    for (const d of docs) out.set(String(d._id), d as unknown as Aggregate)
  }
  return out
}

