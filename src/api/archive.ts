/**
 * The `archive` function (year-end ledgers, 个人档案) and the roster import
 * of `org`, typed from the contracts in src/core.
 */
import type { ArchiveFile, LedgerKind } from '../core/functions/archive'
import type { MemberArchive } from '../core/ledgers/archive'
import type { PlannedRow } from '../core/import/roster-plan'
import { call } from './index'
import type { PickedFile } from './files'

export type { ArchiveFile, LedgerKind, MemberArchive, PlannedRow }

export function exportLedger(kind: LedgerKind, scope: { branchId: string } | { orgId: string }, period: string): Promise<ArchiveFile> {
  return call<ArchiveFile>('archive', 'ledger', { kind, ...scope, period })
}

export async function memberArchive(year: number, memberId?: string): Promise<MemberArchive> {
  return (await call<{ archive: MemberArchive }>('archive', 'member', memberId ? { memberId, year } : { year })).archive
}

export async function memberArchiveFile(year: number, memberId?: string): Promise<ArchiveFile> {
  return (await call<{ file: ArchiveFile }>('archive', 'member', { ...(memberId ? { memberId } : {}), year, file: true })).file
}

export interface ImportResult {
  counts: Record<'create' | 'update' | 'transfer' | 'unchanged', number>
  errors: string[]
  errorCount: number
  unknownColumns: string[]
  rows: PlannedRow[]
  total: number
  committed: boolean
}

/** The roster template (.xlsx) to fill in, as a short-lived link. */
export async function rosterTemplateFile(orgId: string): Promise<ArchiveFile> {
  return (await call<{ file: ArchiveFile }>('org', 'rosterTemplate', { orgId })).file
}

export function importRoster(orgId: string, file: PickedFile, commit: boolean): Promise<ImportResult> {
  return call<ImportResult>('org', 'importRoster', {
    orgId,
    fileName: file.name,
    ...(file.fileId ? { fileId: file.fileId } : { content: file.content ?? '' }),
    commit
  })
}
