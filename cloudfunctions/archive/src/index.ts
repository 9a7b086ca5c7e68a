/**
 * The `archive` function: 台账 and 档案 for the year-end inspection. The
 * tables are pure (src/core/ledgers), the workbook writer is exceljs
 * (_shared/workbook.ts), the file goes out through the runtime's file port.
 */
import { ArchiveInputs } from '../../../src/core/functions/archive'
import { action, defineFunction } from '../../_shared/dispatch'
import { ledgerAction } from './ledger'
import { memberArchiveAction } from './member'

export const archive = defineFunction('archive', {
  ledger: action(ArchiveInputs.ledger, ledgerAction),
  member: action(ArchiveInputs.member, memberArchiveAction)
})
