import { leadersWithoutLife } from '../../../src/core/cadence'
import { AppError } from '../../../src/core/errors'
import type { DualLifeRow, SessionCadenceInput, SessionDualLifeInput } from '../../../src/core/functions/session'
import { periodBounds } from '../../../src/core/period'
import { MemberSchema, summarizeMember, type Member } from '../../../src/core/schemas/member'
import { OrgSchema, type Org } from '../../../src/core/schemas/org'
import { SessionSchema } from '../../../src/core/schemas/session'
import type { z } from '../../../src/core/zod'
import { isAdminOver, isBranchOfficer, requireMember } from '../../_shared/caller'
import { loadBranchCadence } from '../../_shared/cadence'
import { loadOrg } from '../../_shared/me'
import { fetchAll } from '../../_shared/paging'
import type { Runtime } from '../../_shared/runtime'
import { branchInScope } from './scope'

const DAY = 24 * 60 * 60 * 1000

/** Which required meetings a branch has held, has on the calendar, or lacks in the period. */
export async function branchCadence(rt: Runtime, input: z.infer<typeof SessionCadenceInput>) {
  const member = await requireMember(rt)
  const branch = await branchInScope(rt, member, input.branchId, 'manage')
  const { hasCommittee, items } = await loadBranchCadence(rt, branch, input.period, rt.clock.now())
  return { branchId: branch._id, period: input.period, hasCommittee, items, missing: items.filter((i) => i.status !== 'met') }
}

/** The org whose leading cadres the caller may review: a branch (its officers) or an org (admins above). */
async function dualLifeScope(rt: Runtime, member: Member, input: z.infer<typeof SessionDualLifeInput>): Promise<Org> {
  const refuse = () => new AppError('FORBIDDEN', '只有支部书记、支委或党委管理员可以查看双重组织生活情况')
  let org: Org
  try {
    org = await loadOrg(rt, (input.branchId ?? input.orgId) as string)
  } catch {
    throw refuse()
  }
  if (input.branchId !== undefined && org.type !== 'branch') throw refuse()
  const allowed = org.type === 'branch' ? isBranchOfficer(member, org) : isAdminOver(member, org)
  if (!allowed || org.type === 'group') throw refuse()
  return org
}

/**
 * 双重组织生活 for one month: leading cadres in scope who attended nothing of
 * their own branch, each with their last attendance there before the month
 * ended (so the secretary sees how long the gap is).
 */
export async function dualLife(rt: Runtime, input: z.infer<typeof SessionDualLifeInput>) {
  const member = await requireMember(rt)
  const org = await dualLifeScope(rt, member, input)
  const _ = rt.db.command
  const scope = org.type === 'branch' ? { branchId: org._id } : { orgPath: org._id }
  const leaders = (await fetchAll(rt.db.collection('members').where({ ...scope, leadingCadre: true, active: true }), { cap: 2000 }))
    .map((d) => MemberSchema.parse(d))
    .filter((m) => m.joinStatus === 'confirmed')
  const { start, end } = periodBounds(input.month)
  const branchIds = [...new Set(leaders.map((l) => l.branchId))]
  const leaderIds = leaders.map((l) => l._id)
  const sessions = []
  const checkins = []
  // `in` lists are kept short: CloudBase caps query size, and SQLite pushes each down.
  for (const ids of chunks(branchIds, 100)) {
    const docs = await fetchAll(rt.db.collection('sessions').where({ branchId: _.in(ids), startAt: _.gte(start).and(_.lt(end)) }), { cap: 20000 })
    sessions.push(...docs.map((d) => SessionSchema.parse(d)))
  }
  // A check-in to a session of the month lies within its window: from a day
  // before its start to a week after (the longest session) the month's end.
  for (const ids of chunks(leaderIds, 100)) {
    const docs = await fetchAll(
      rt.db.collection('checkins').where({ memberId: _.in(ids), at: _.gte(start - DAY).and(_.lt(end + 8 * DAY)) }).field({ sessionId: true, memberId: true, status: true }),
      { cap: 20000 }
    )
    checkins.push(...docs.map((d) => ({ sessionId: String(d.sessionId), memberId: String(d.memberId), status: String(d.status) })))
  }
  const now = rt.clock.now()
  const gaps = leadersWithoutLife({ leaders, sessions, checkins, month: input.month, now })
  const branches = await branchesOf(rt, [...new Set(gaps.map((g) => g.leader.branchId))])
  const missing: DualLifeRow[] = []
  const pending: DualLifeRow[] = []
  for (const { leader, sessionsInMonth, upcomingInMonth, missed } of gaps) {
    const { data } = await rt.db
      .collection('checkins')
      .where({ memberId: leader._id, branchId: leader.branchId, at: _.lt(end) })
      .orderBy('at', 'desc')
      .limit(1)
      .field({ at: true })
      .get()
    const row = {
      member: summarizeMember(leader),
      branchName: branches.get(leader.branchId)?.name ?? '',
      sessionsInMonth,
      upcomingInMonth,
      lastAttendedAt: data[0] ? Number(data[0].at) : null
    }
    // Sessions still ahead: not missed yet, shown apart so nobody is flagged before they had the chance.
    if (missed) missing.push(row)
    else pending.push(row)
  }
  // Branches in the tree's own order (as org.tree shows them), then by name.
  const rank = (id: string) => branches.get(id)?.order ?? Number.MAX_SAFE_INTEGER
  const order = (a: DualLifeRow, b: DualLifeRow) => rank(a.member.branchId) - rank(b.member.branchId) || a.member.name.localeCompare(b.member.name, 'zh')
  return { month: input.month, leaders: leaders.length, missing: missing.sort(order), pending: pending.sort(order) }
}

async function branchesOf(rt: Runtime, ids: string[]): Promise<Map<string, { name: string; order: number }>> {
  const found: Org[] = []
  for (const part of chunks(ids, 100)) {
    const { data } = await rt.db.collection('orgs').where({ _id: rt.db.command.in(part) }).limit(part.length).get()
    found.push(...data.map((d) => OrgSchema.parse(d)))
  }
  found.sort((a, b) => a.createdAt - b.createdAt || a._id.localeCompare(b._id))
  return new Map(found.map((o, order) => [o._id, { name: o.name, order }]))
}

function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size))
  return out
}
