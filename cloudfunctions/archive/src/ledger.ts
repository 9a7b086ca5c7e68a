/**
 * archive.ledger: one of the year-end ledgers as an Excel workbook, for a
 * branch (its officers, admins above) or an organisation (its admins): an
 * organisation's 签到台账 has a sheet per branch (their sessions differ),
 * the others one sheet with a 支部 column. Branches are read one at a time,
 * so an organisation of thousands of members never holds all its raw facts.
 */
import { AppError } from '../../../src/core/errors'
import { LEDGER_LABELS, type ArchiveLedgerInput, type LedgerKind } from '../../../src/core/functions/archive'
import { attendanceSheet } from '../../../src/core/ledgers/attendance'
import { sheetName, type Sheet, type Workbook } from '../../../src/core/ledgers/model'
import { notesSheet } from '../../../src/core/ledgers/notes'
import { pointsSheets } from '../../../src/core/ledgers/points'
import { warningsSheet, type WarningLine } from '../../../src/core/ledgers/warnings'
import { parsePeriod, periodBounds, periodKeysOf, periodName, quarterKey } from '../../../src/core/period'
import type { Member } from '../../../src/core/schemas/member'
import { exemptionOf } from '../../../src/core/org/exemption'
import { OrgSchema, type Org } from '../../../src/core/schemas/org'
import type { z } from '../../../src/core/zod'
import { isAdminOver, isBranchOfficer, requireMember } from '../../_shared/caller'
import { branchWarnings } from '../../_shared/member-warnings'
import { branchesAfter } from '../../_shared/reconcile'
import { branchMemberDocs } from '../../_shared/remind-facts'
import type { Runtime } from '../../_shared/runtime'
import { settingsFor } from '../../_shared/settings'
import { writeWorkbook, XLSX_TYPE } from '../../_shared/workbook'
import { fetchAll } from '../../_shared/paging'
import { branchFacts, type BranchFacts } from './facts'
import { minutesSheets } from './minutes-ledger'

export const LEDGER_REFUSED = '您只能导出本支部（或您管理的组织）的台账'

async function loadScope(rt: Runtime, input: z.infer<typeof ArchiveLedgerInput>): Promise<{ scope: Org; branches: Org[] }> {
  const caller = await requireMember(rt)
  const id = input.branchId ?? input.orgId!
  const { data } = await rt.db.collection('orgs').doc(id).get()
  const org = data ? OrgSchema.safeParse(data) : null
  const scope = org?.success ? org.data : null
  if (!scope) throw new AppError('FORBIDDEN', LEDGER_REFUSED)
  if (input.branchId) {
    if (scope.type !== 'branch' || !isBranchOfficer(caller, scope)) throw new AppError('FORBIDDEN', LEDGER_REFUSED)
    return { scope, branches: [scope] }
  }
  if (!isAdminOver(caller, scope)) throw new AppError('FORBIDDEN', LEDGER_REFUSED)
  const branches: Org[] = []
  for (let cursor: string | undefined; ; ) {
    const page = await branchesAfter(rt, scope._id, cursor, 100)
    branches.push(...page)
    if (page.length < 100) break
    cursor = page[page.length - 1]._id
  }
  return { scope, branches: branches.sort((a, b) => a.createdAt - b.createdAt || a._id.localeCompare(b._id)) }
}

/**
 * The quota is the member's, not the branch's: a member who moved here this
 * year is listed (once, under their branch today) with the notes they wrote
 * in the branch they left, as their progress and 个人档案 count them.
 */
async function notesWrittenElsewhere(rt: Runtime, branch: Org, members: Member[], period: string): Promise<BranchFacts['notes']> {
  const { start, end } = periodBounds(period)
  const moved = members.filter((m) => (m.branchHistory ?? []).some((h) => h.to >= start))
  if (moved.length === 0) return []
  const _ = rt.db.command
  const year = parsePeriod(period).year
  const docs = await fetchAll(
    rt.db.collection('notes').where({ memberId: _.in(moved.map((m) => m._id)), year, branchId: _.neq(branch._id) }).field({ content: false, matches: false, excerpts: false }),
    { cap: 200_000 }
  )
  return (docs as unknown as BranchFacts['notes']).filter((n) => n.createdAt >= start && n.createdAt < end)
}

/** Warnings are per quarter: a month's or a quarter's own, a year's last (or the current one, this year). */
function warningQuarter(period: string, now: number): string {
  const p = parsePeriod(period)
  if (p.kind === 'quarter') return period
  if (p.kind === 'month') return quarterKey(p.year, Math.floor((p.month! - 1) / 3) + 1)
  const current = periodKeysOf(now)
  return current.year === String(p.year) ? current.quarter : quarterKey(p.year, 4)
}

async function buildSheets(rt: Runtime, kind: LedgerKind, scope: Org, branches: Org[], period: string): Promise<Sheet[]> {
  const now = rt.clock.now()
  const label = periodName(period)
  const title = `${scope.name} ${LEDGER_LABELS[kind]}（${label}）`
  const year = parsePeriod(period).year
  if (kind === 'attendance') {
    const taken = new Set<string>()
    const sheets: Sheet[] = []
    for (const b of branches) {
      const f = await branchFacts(rt, b, period, { attendance: true })
      sheets.push(attendanceSheet({ ...f, settings: await settingsFor(rt, b.path), year }, label, now, sheetName(branches.length > 1 ? b.name : '签到台账', taken)))
    }
    return sheets
  }
  if (kind === 'minutes') return minutesSheets(rt, branches, period, label)
  if (kind === 'notes') {
    const parts = []
    for (const b of branches) {
      const f = await branchFacts(rt, b, period, { notes: true })
      const members = f.members.filter((m) => m.branchId === b._id && m.active)
      parts.push({ name: b.name, members, notes: [...f.notes, ...(await notesWrittenElsewhere(rt, b, members, period))] })
    }
    return [notesSheet({ branches: parts, settings: await settingsFor(rt, scope.path), year, title })]
  }
  if (kind === 'points') {
    const parts = []
    for (const b of branches) {
      const f = await branchFacts(rt, b, period, { ledger: true })
      parts.push({ name: b.name, members: f.members, lines: f.ledger })
    }
    return pointsSheets({ branches: parts, title })
  }
  const quarter = warningQuarter(period, now)
  const lines: WarningLine[] = []
  for (const b of branches) {
    const settings = await settingsFor(rt, b.path)
    const qYear = parsePeriod(quarter).year
    const members = (await branchMemberDocs(rt, b._id)).filter((m) => m.active && m.joinStatus !== 'pending' && !exemptionOf(m, settings, qYear).warnings)
    for (const w of await branchWarnings(rt, b._id, members, quarter, settings, now)) {
      lines.push({ branchName: b.name, name: w.name, level: w.level, reasons: w.facts.map((x) => x.text), monthsWithoutLife: w.alert?.months })
    }
  }
  return [warningsSheet(lines, `${scope.name} 预警名单（${periodName(quarter)}）`, branches.length > 1)]
}

export async function ledgerAction(rt: Runtime, input: z.infer<typeof ArchiveLedgerInput>) {
  const { scope, branches } = await loadScope(rt, input)
  const sheets = await buildSheets(rt, input.kind, scope, branches, input.period)
  const book: Workbook = { fileName: `${scope.name}-${LEDGER_LABELS[input.kind]}-${input.period}.xlsx`, sheets }
  const bytes = await writeWorkbook(book)
  const { url, expiresAt } = await rt.files.put({ name: book.fileName, bytes, contentType: XLSX_TYPE })
  return { url, fileName: book.fileName, expiresAt, bytes: bytes.length, rows: sheets.reduce((n, s) => n + s.rows.length, 0) }
}
