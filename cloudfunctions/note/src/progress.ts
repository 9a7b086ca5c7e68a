/**
 * progress (one member), branchProgress and yearEnd (an officer's branch):
 * credited words and 心得体会 of a Shanghai calendar year against the quota
 * by rank, and the pace an even spread over the year asks for by now.
 */
import type {
  NoteBranchProgressInput,
  NoteBranchRow,
  NoteProgressInput,
  NoteYearEndInput,
  NoteYearEndRow
} from '../../../src/core/functions/note'
import { memberNoteQuota } from '../../../src/core/notes/prorate'
import { essayCounts } from '../../../src/core/notes/essay'
import { notePace } from '../../../src/core/notes/pace'
import { monthsOfPeriod, periodKeysOf, yearKey } from '../../../src/core/period'
import { MemberSchema, type Member } from '../../../src/core/schemas/member'
import { NoteSchema, type Note } from '../../../src/core/schemas/note'
import type { OrgSettingsValues } from '../../../src/core/schemas/settings'
import type { z } from '../../../src/core/zod'
import { loadOfficerBranch, requireMember } from '../../_shared/caller'
import { fetchAll } from '../../_shared/paging'
import type { Runtime } from '../../_shared/runtime'
import { NOT_MY_BRANCH, settingsFor, subjectOf } from './context'

interface Tally {
  creditedWords: number
  essays: number
  notes: number
  lastNoteAt: number | null
}

function tally(notes: readonly Note[], essayMinWords: number): Tally {
  const t: Tally = { creditedWords: 0, essays: 0, notes: 0, lastNoteAt: null }
  for (const n of notes) {
    if (n.deleted) continue
    t.creditedWords += n.creditedWords
    t.notes++
    // Returned, mostly copied or too short, a 心得 does not count toward the four (notes/essay.ts).
    if (essayCounts(n, essayMinWords)) t.essays++
    if (t.lastNoteAt === null || n.createdAt > t.lastNoteAt) t.lastNoteAt = n.createdAt
  }
  return t
}

/** One member's standing; shared by the member's own view and the branch views. */
function rowFor(member: Member, notes: readonly Note[], settings: OrgSettingsValues, year: number, now: number): NoteBranchRow & { paceSentence: string } {
  const t = tally(notes, settings.essayMinWords)
  const quota = memberNoteQuota(member, settings, year)
  const pace = notePace({ creditedWords: t.creditedWords, quota, at: now, year, thresholds: settings.warnings, joinedAt: member.joinedAt })
  const meets = quota === null || (t.creditedWords >= quota.words && t.essays >= quota.essays)
  return {
    memberId: member._id,
    name: member.name,
    rank: member.rank,
    exempt: quota === null,
    creditedWords: t.creditedWords,
    wordQuota: quota?.words ?? 0,
    essays: t.essays,
    essayQuota: quota?.essays ?? 0,
    paceWords: pace.expectedWords,
    paceStatus: pace.status,
    notes: t.notes,
    lastNoteAt: t.lastNoteAt,
    meets,
    paceSentence: pace.sentence
  }
}

export async function progressAction(rt: Runtime, input: z.infer<typeof NoteProgressInput>) {
  const caller = await requireMember(rt)
  const member = await subjectOf(rt, caller, input.memberId)
  const [docs, settings] = await Promise.all([
    fetchAll(rt.db.collection('notes').where({ memberId: member._id, year: input.year }), { cap: 5000 }),
    settingsFor(rt, member.orgPath)
  ])
  const notes = docs.map((d) => NoteSchema.parse(d)).filter((n) => !n.deleted)
  const row = rowFor(member, notes, settings, input.year, rt.clock.now())
  const byMonth = new Map(monthsOfPeriod(yearKey(input.year)).map((m) => [m, 0]))
  for (const n of notes) {
    const month = periodKeysOf(n.createdAt).month
    const sum = byMonth.get(month)
    if (sum !== undefined) byMonth.set(month, sum + n.creditedWords)
  }
  return {
    year: input.year,
    memberId: member._id,
    rank: member.rank,
    creditedWords: row.creditedWords,
    wordQuota: row.wordQuota,
    essays: row.essays,
    essayQuota: row.essayQuota,
    paceWords: row.paceWords,
    exempt: row.exempt,
    paceStatus: row.paceStatus,
    paceSentence: row.paceSentence,
    notes: row.notes,
    lastNoteAt: row.lastNoteAt,
    essayMinWords: settings.essayMinWords,
    byMonth: [...byMonth].map(([month, creditedWords]) => ({ month, creditedWords }))
  }
}

/** Rows of every confirmed, active member of the branch, by name. */
async function branchRows(rt: Runtime, branchId: string, year: number): Promise<{ rows: NoteBranchRow[] }> {
  const caller = await requireMember(rt)
  const branch = await loadOfficerBranch(rt, caller, branchId, NOT_MY_BRANCH)
  const [memberDocs, noteDocs, settings] = await Promise.all([
    fetchAll(rt.db.collection('members').where({ branchId: branch._id }), { cap: 5000 }),
    fetchAll(rt.db.collection('notes').where({ branchId: branch._id, year, deleted: rt.db.command.neq(true) }), { cap: 50000 }),
    settingsFor(rt, branch.path)
  ])
  const members = memberDocs.map((d) => MemberSchema.parse(d)).filter((m) => m.active && m.joinStatus === 'confirmed')
  const byMember = new Map<string, Note[]>()
  for (const d of noteDocs) {
    const n = NoteSchema.parse(d)
    const list = byMember.get(n.memberId)
    if (list) list.push(n)
    else byMember.set(n.memberId, [n])
  }
  const now = rt.clock.now()
  const rows = members
    .map((m) => {
      const { paceSentence: _s, ...row } = rowFor(m, byMember.get(m._id) ?? [], settings, year, now)
      return row
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.memberId < b.memberId ? -1 : 1))
  return { rows }
}

export async function branchProgressAction(rt: Runtime, input: z.infer<typeof NoteBranchProgressInput>) {
  const { rows } = await branchRows(rt, input.branchId, input.year)
  const count = (s: NoteBranchRow['paceStatus']) => rows.filter((r) => r.paceStatus === s).length
  return {
    branchId: input.branchId,
    year: input.year,
    rows,
    totals: {
      members: rows.length,
      exempt: count('exempt'),
      creditedWords: rows.reduce((s, r) => s + r.creditedWords, 0),
      essays: rows.reduce((s, r) => s + r.essays, 0),
      onPace: count('on_pace'),
      behind: count('behind'),
      farBehind: count('far_behind'),
      done: count('done')
    }
  }
}

/** 年终检查: meets words and essays; exempt members are listed but not assessed. */
export async function yearEndAction(rt: Runtime, input: z.infer<typeof NoteYearEndInput>) {
  const base = await branchRows(rt, input.branchId, input.year)
  const rows: NoteYearEndRow[] = base.rows.map((r) => {
    const meetsWords = r.exempt || r.creditedWords >= r.wordQuota
    const meetsEssays = r.exempt || r.essays >= r.essayQuota
    return {
      ...r,
      meetsWords,
      meetsEssays,
      wordsShort: meetsWords ? 0 : r.wordQuota - r.creditedWords,
      essaysShort: meetsEssays ? 0 : r.essayQuota - r.essays
    }
  })
  const assessed = rows.filter((r) => !r.exempt)
  return {
    branchId: input.branchId,
    year: input.year,
    rows,
    totals: {
      members: rows.length,
      assessed: assessed.length,
      exempt: rows.length - assessed.length,
      meets: assessed.filter((r) => r.meets).length,
      fails: assessed.filter((r) => !r.meets).length,
      meetsWords: assessed.filter((r) => r.meetsWords).length,
      meetsEssays: assessed.filter((r) => r.meetsEssays).length,
      creditedWords: rows.reduce((s, r) => s + r.creditedWords, 0),
      essays: rows.reduce((s, r) => s + r.essays, 0)
    }
  }
}
