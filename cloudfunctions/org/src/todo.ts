/**
 * 书记工作台's to-do (org.todo) and the notes waiting for review in a row
 * (org.notesToReview).
 *
 * The workbench only needs numbers, so every figure is a `count()` and the
 * whole to-do is one call. A count has to equal what the row's list shows,
 * so each `where` below is the list's own filter; the function tests
 * (test/functions/workbench-todo.test.ts) compare each count with its list:
 * - 请假待审批: checkin.leaves {status: 'pending'} (leave.ts)
 * - 补学待审阅: checkin.branchMakeUps {status: 'submitted'} (makeup-lists.ts)
 * - 入支部待确认: org.pending (member-admin.ts)
 * - 扫码待确认: pending_checkins of the branch (checkin pending.ts lists them per session)
 * - 本周活动: session.list over this Shanghai week, cancelled ones left out
 * - 笔记待审阅: notesToReview below, which shares `notesToReviewWhere`.
 */
import type { OrgNotesToReviewInput, OrgTodoInput } from '../../../src/core/functions/org'
import { shanghaiDayStart } from '../../../src/core/period'
import { MemberSchema, type Member } from '../../../src/core/schemas/member'
import { NoteSummarySchema } from '../../../src/core/schemas/note'
import type { z } from '../../../src/core/zod'
import { loadOfficerBranch, requireMember } from '../../_shared/caller'
import { fetchAll } from '../../_shared/paging'
import type { Runtime } from '../../_shared/runtime'

const DAY_MS = 24 * 60 * 60 * 1000
const REFUSAL = '只有本支部的书记、支委可以查看待办'
/** The make-ups list reads at most this many; a branch never has more handed in at once. */
const MAKEUP_NOTES_CAP = 1000

/** [Monday 00:00, next Monday 00:00) in Shanghai, whatever the server's TZ. */
export function shanghaiWeek(now: number): { start: number; end: number } {
  const dayStart = shanghaiDayStart(now)
  // The Shanghai weekday of that midnight: shift into Shanghai's wall clock and read it as UTC.
  const weekday = new Date(dayStart + 8 * 60 * 60 * 1000).getUTCDay()
  const start = dayStart - ((weekday + 6) % 7) * DAY_MS
  return { start, end: start + 7 * DAY_MS }
}

/**
 * The notes an officer has to review: the branch's live notes still pending,
 * not the officer's own (review.ts refuses those; another officer does them),
 * and not a handed-in 补学's note, which is accepted or returned with its
 * make-up on 补学审阅 (reviewing it here would leave the make-up waiting).
 * A make-up's note id is derived, not marked, so the ids come from the
 * branch's handed-in make-ups (a handful, one small projected read).
 */
export async function notesToReviewWhere(rt: Runtime, branchId: string, officer: Member): Promise<Record<string, unknown>> {
  const _ = rt.db.command
  const makeups = await fetchAll(rt.db.collection('makeups').where({ branchId, status: 'submitted' }).field({ noteId: true }), { cap: MAKEUP_NOTES_CAP })
  const makeupNoteIds = makeups.flatMap((m) => (typeof m.noteId === 'string' ? [m.noteId] : []))
  return {
    branchId,
    'review.status': 'pending',
    deleted: _.neq(true),
    memberId: _.neq(officer._id),
    ...(makeupNoteIds.length > 0 ? { _id: _.nin(makeupNoteIds) } : {})
  }
}

export async function todoAction(rt: Runtime, input: z.infer<typeof OrgTodoInput>) {
  const officer = await requireMember(rt)
  const branch = await loadOfficerBranch(rt, officer, input.branchId, REFUSAL)
  const _ = rt.db.command
  const week = shanghaiWeek(rt.clock.now())
  const count = async (collection: string, where: Record<string, unknown>) => (await rt.db.collection(collection).where(where).count()).total
  const notesWhere = await notesToReviewWhere(rt, branch._id, officer)
  const [leaves, notes, makeups, joins, scans, sessionsThisWeek, oldestScan] = await Promise.all([
    count('leaves', { branchId: branch._id, status: 'pending' }),
    count('notes', notesWhere),
    count('makeups', { branchId: branch._id, status: 'submitted' }),
    count('members', { branchId: branch._id, joinStatus: 'pending', active: true }),
    count('pending_checkins', { branchId: branch._id }),
    count('sessions', { branchId: branch._id, startAt: _.gte(week.start).and(_.lt(week.end)), status: _.neq('cancelled') }),
    // Where the 扫码待确认 row leads: the session of the oldest waiting scan.
    rt.db.collection('pending_checkins').where({ branchId: branch._id }).orderBy('recordedAt', 'asc').limit(1).field({ sessionId: true }).get()
  ])
  const first = oldestScan.data[0]
  return {
    branchId: branch._id,
    leaves,
    notes,
    makeups,
    joins,
    scans,
    scanSessionId: first && typeof first.sessionId === 'string' ? first.sessionId : null,
    sessionsThisWeek,
    weekStart: week.start,
    weekEnd: week.end
  }
}

/** Oldest first: the one waiting longest is reviewed first. Summaries only; the page opens each note. */
export async function notesToReviewAction(rt: Runtime, input: z.infer<typeof OrgNotesToReviewInput>) {
  const officer = await requireMember(rt)
  const branch = await loadOfficerBranch(rt, officer, input.branchId, REFUSAL)
  const where = await notesToReviewWhere(rt, branch._id, officer)
  const [{ total }, { data }] = await Promise.all([
    rt.db.collection('notes').where(where).count(),
    rt.db
      .collection('notes')
      .where(where)
      .orderBy('createdAt', 'asc')
      .orderBy('_id', 'asc')
      .limit(input.limit ?? 50)
      // The body stays on the server until the note is opened; matches only give their number.
      .field({ content: false, excerpts: false })
      .get()
  ])
  const memberIds = [...new Set(data.map((d) => String(d.memberId)))]
  const members =
    memberIds.length === 0 ? [] : await fetchAll(rt.db.collection('members').where({ _id: rt.db.command.in(memberIds) }), { cap: 1000 })
  const names = new Map(members.map((d) => { const m = MemberSchema.parse(d); return [m._id, m.name] }))
  const notes = data.map((d) => {
    const matches = Array.isArray(d.matches) ? d.matches.length : 0
    const summary = NoteSummarySchema.parse({ ...d, matchCount: matches })
    return { ...summary, memberName: names.get(summary.memberId) ?? '' }
  })
  return { notes, total }
}
