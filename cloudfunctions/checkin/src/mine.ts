/** mine: a member's attendance record for a Shanghai year (党员日常教育管理个人档案). */
import { attendanceCounts, attendanceRate, attendanceRows } from '../../../src/core/checkin/attendance'
import { expectedAt } from '../../../src/core/audience'
import { AppError } from '../../../src/core/errors'
import type { CheckinMineInput } from '../../../src/core/functions/checkin'
import { periodBounds, yearKey } from '../../../src/core/period'
import { CheckinSchema, LeaveRequestSchema, MakeupSchema, PendingCheckinSchema } from '../../../src/core/schemas/checkin'
import { MemberSchema, type Member } from '../../../src/core/schemas/member'
import { SessionSchema } from '../../../src/core/schemas/session'
import type { z } from '../../../src/core/zod'
import { isBranchOfficer, requireMember } from '../../_shared/caller'
import { fetchAll } from '../../_shared/paging'
import type { Runtime } from '../../_shared/runtime'

/** Whose record: the caller's own, or (officers) a member of a branch they manage. */
async function subjectOf(rt: Runtime, caller: Member, memberId: string | undefined): Promise<Member> {
  if (!memberId || memberId === caller._id) return caller
  const { data } = await rt.db.collection('members').doc(memberId).get()
  const member = data ? MemberSchema.parse(data) : null
  // A missing member and one of another branch answer alike: ids are not probed.
  if (!member || !isBranchOfficer(caller, { _id: member.branchId, path: member.orgPath })) {
    throw new AppError('FORBIDDEN', '您只能查看本支部党员的签到记录')
  }
  return member
}

/**
 * Sessions of the year the member was expected at (expectedAt: held while
 * they belonged to its branch, so a newcomer's record starts when they
 * joined and a transferred member's year keeps each branch's part), plus any
 * they checked in to. A branch has a few dozen sessions a year, so the year
 * is read in pages and the facts are fetched by member (indexed).
 */
export async function mineAction(rt: Runtime, input: z.infer<typeof CheckinMineInput>) {
  const caller = await requireMember(rt)
  const member = await subjectOf(rt, caller, input.memberId)
  const { start, end } = periodBounds(yearKey(input.year))
  const _ = rt.db.command
  const branchIds = [...new Set([member.branchId, ...(member.branchHistory ?? []).filter((h) => h.to > start && h.from < end).map((h) => h.branchId)])]
  const sessionDocs = await fetchAll(rt.db.collection('sessions').where({ branchId: _.in(branchIds), startAt: _.gte(start).and(_.lt(end)) }), { cap: 5000 })
  const held = sessionDocs.map((d) => SessionSchema.parse(d))
  const ids = held.map((s) => s._id)
  const byMember = (coll: string) =>
    ids.length === 0 ? Promise.resolve([]) : fetchAll(rt.db.collection(coll).where({ memberId: member._id, sessionId: _.in(ids) }), { cap: 5000 })
  const [checkins, leaves, makeups, scans] = await Promise.all([byMember('checkins'), byMember('leaves'), byMember('makeups'), byMember('pending_checkins')])
  // Whoever came counts, as in the aggregates, even one confirmed after the session began.
  const came = new Set(checkins.map((c) => String(c.sessionId)))
  const sessions = held.filter((s) => expectedAt(s, member) || came.has(s._id))
  const rows = attendanceRows(
    member._id,
    sessions,
    {
      checkins: checkins.map((d) => CheckinSchema.parse(d)),
      leaves: leaves.map((d) => LeaveRequestSchema.parse(d)),
      makeups: makeups.map((d) => MakeupSchema.parse(d))
    },
    rt.clock.now()
  )
  const titles = new Map(sessions.map((s) => [s._id, s]))
  // Phone-dated scans waiting for an officer: shown as 待确认, counted nowhere (pending.ts).
  const waiting = new Map(scans.map((d) => { const p = PendingCheckinSchema.parse(d); return [p.sessionId, p.at] }))
  const leaveRecorded = new Set(leaves.filter((l) => l.recordedBy !== undefined).map((l) => String(l.sessionId)))
  return {
    memberId: member._id,
    year: input.year,
    rows: rows.map((r) => {
      const s = titles.get(r.session._id)!
      return {
        sessionId: s._id,
        title: s.title,
        type: s.type,
        startAt: s.startAt,
        endAt: s.endAt,
        state: r.state,
        ...(r.checkin ? { at: r.checkin.at, method: r.checkin.method } : {}),
        ...(!r.checkin && waiting.has(s._id) ? { pendingAt: waiting.get(s._id)! } : {}),
        ...(r.leave ? { leaveStatus: r.leave.status } : {}),
        ...(leaveRecorded.has(s._id) ? { leaveRecorded: true as const } : {}),
        ...(s.recorded ? { recorded: true as const } : {}),
        ...(r.makeup ? { makeupStatus: r.makeup.status, makeupDeadline: r.makeup.deadline } : {})
      }
    }),
    counts: attendanceCounts(rows),
    rate: attendanceRate(rows)
  }
}
