/**
 * archive.member: a member's 个人档案 for a year — to the member themself
 * (members always see their own record), to the officers of their branch
 * and to admins above it; as data for the printable page, or as a workbook.
 */
import { AppError } from '../../../src/core/errors'
import type { ArchiveMemberInput } from '../../../src/core/functions/archive'
import { archiveWorkbook, memberArchive } from '../../../src/core/ledgers/archive'
import { ReviewSchema, reviewId } from '../../../src/core/functions/review'
import { exemptionOf } from '../../../src/core/org/exemption'
import { periodBounds, periodKeysOf, quarterKey } from '../../../src/core/period'
import { MemberSchema, type Member } from '../../../src/core/schemas/member'
import { OrgSchema } from '../../../src/core/schemas/org'
import { SessionSchema } from '../../../src/core/schemas/session'
import type { z } from '../../../src/core/zod'
import { isBranchOfficer, requireMember } from '../../_shared/caller'
import { branchWarnings } from '../../_shared/member-warnings'
import { fetchAll } from '../../_shared/paging'
import type { Runtime } from '../../_shared/runtime'
import { settingsFor } from '../../_shared/settings'
import { writeWorkbook, XLSX_TYPE } from '../../_shared/workbook'

const BIG = { cap: 200_000 }
export const ARCHIVE_REFUSED = '您只能查看自己或本支部党员的档案'

async function loadSubject(rt: Runtime, caller: Member, memberId: string | undefined) {
  if (!memberId || memberId === caller._id) {
    const { data } = await rt.db.collection('orgs').doc(caller.branchId).get()
    return { member: caller, branch: OrgSchema.parse(data) }
  }
  const { data } = await rt.db.collection('members').doc(memberId).get()
  const parsed = data ? MemberSchema.safeParse(data) : null
  const member = parsed?.success ? parsed.data : null
  const { data: b } = member ? await rt.db.collection('orgs').doc(member.branchId).get() : { data: null }
  const branch = b ? OrgSchema.parse(b) : null
  if (!member || !branch || !isBranchOfficer(caller, branch)) throw new AppError('FORBIDDEN', ARCHIVE_REFUSED)
  return { member, branch }
}

/**
 * The committee's 民主评议 outcome of the year, from the review of whichever
 * of the member's branches held it. Only the outcome: the archive never reads
 * a ballot.
 */
async function reviewOutcome(rt: Runtime, memberId: string, branchIds: string[], year: number) {
  const docs = await Promise.all(branchIds.map((b) => rt.db.collection('reviews').doc(reviewId(b, year)).get()))
  for (const { data } of docs) {
    const o = data ? ReviewSchema.parse(data).outcomes.find((x) => x.memberId === memberId) : undefined
    if (o) return { grade: o.grade, ...(o.reason ? { reason: o.reason } : {}) }
  }
  return null
}

export async function memberArchiveAction(rt: Runtime, input: z.infer<typeof ArchiveMemberInput>) {
  const caller = await requireMember(rt)
  const { member, branch } = await loadSubject(rt, caller, input.memberId)
  const now = rt.clock.now()
  const y = String(input.year)
  const { start, end } = periodBounds(y)
  const _ = rt.db.command
  // Every branch the member was in this year: a transfer keeps its past sessions in the record.
  const branchIds = [...new Set([member.branchId, ...(member.branchHistory ?? []).filter((h) => h.to > start).map((h) => h.branchId)])]
  const mine = { memberId: member._id, 'periodKeys.year': y }
  const [sessions, checkins, leaves, makeups, notes, ledger, settings, review] = await Promise.all([
    fetchAll(rt.db.collection('sessions').where({ branchId: _.in(branchIds), startAt: _.gte(start).and(_.lt(end)) }), BIG),
    fetchAll(rt.db.collection('checkins').where({ memberId: member._id, at: _.gte(start - 86_400_000).and(_.lt(end + 86_400_000)) }).field({ sessionId: true, memberId: true, status: true }), BIG),
    fetchAll(rt.db.collection('leaves').where(mine).field({ sessionId: true, memberId: true, status: true }), BIG),
    fetchAll(rt.db.collection('makeups').where(mine).field({ sessionId: true, memberId: true, status: true }), BIG),
    fetchAll(rt.db.collection('notes').where({ memberId: member._id, year: input.year }).field({ content: false, matches: false, excerpts: false }), BIG),
    fetchAll(rt.db.collection('ledger').where(mine), BIG),
    settingsFor(rt, branch.path),
    reviewOutcome(rt, member._id, branchIds, input.year)
  ])
  // This year's warnings as the secretary sees them: the current quarter's, or Q4 of a past year.
  const keys = periodKeysOf(now)
  const quarter = keys.year === y ? keys.quarter : quarterKey(input.year, 4)
  const warnings = exemptionOf(member, settings, input.year).warnings ? [] : (await branchWarnings(rt, branch._id, [member], quarter, settings, now)).flatMap((w) => [...w.facts.map((f) => f.text), ...(w.alert ? [w.alert.text] : [])])
  const archive = memberArchive({
    member,
    branchName: branch.name,
    year: input.year,
    now,
    settings,
    sessions: sessions.map((s) => SessionSchema.parse(s)),
    checkins: checkins as never,
    leaves: leaves as never,
    makeups: makeups as never,
    notes: notes as never,
    ledger: ledger as never,
    warnings,
    review
  })
  if (!input.file) return { archive }
  const book = archiveWorkbook(archive)
  const bytes = await writeWorkbook(book)
  const { url, expiresAt } = await rt.files.put({ name: book.fileName, bytes, contentType: XLSX_TYPE })
  return { archive, file: { url, fileName: book.fileName, expiresAt, bytes: bytes.length, rows: book.sheets.reduce((n, s) => n + s.rows.length, 0) } }
}
