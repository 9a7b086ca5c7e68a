import { z } from '../zod'
import { IdSchema, TimestampSchema } from '../schemas/common'
import { isValidPeriodKey } from '../period'
import { LEDGER_KINDS } from '../vocab/archive'

/**
 * The `archive` function: the year-end ledgers as Excel workbooks (签到台账,
 * 笔记台账, 积分台账, 预警名单) for a branch (its officers) or an organisation
 * (its admins), and each member's 个人档案 (the member, their branch's
 * officers, admins above). A workbook is answered as a short-lived link.
 */
export { LEDGER_KINDS, LEDGER_LABELS, type LedgerKind } from '../vocab/archive'

const PeriodSchema = z.string().refine(isValidPeriodKey, { message: 'a period is 2026, 2026-Q1 or 2026-03' })

export const ArchiveLedgerInput = z
  .object({
    kind: z.enum(LEDGER_KINDS),
    /** One of the two: a branch, or an organisation (党委 / 总支) with all its branches. */
    branchId: IdSchema.optional(),
    orgId: IdSchema.optional(),
    period: PeriodSchema
  })
  .strict()
  .refine((i) => (i.branchId === undefined) !== (i.orgId === undefined), { message: 'give branchId or orgId', path: ['branchId'] })

export const ArchiveFileOutput = z.object({
  url: z.string(),
  fileName: z.string(),
  expiresAt: TimestampSchema,
  bytes: z.number().int().nonnegative(),
  rows: z.number().int().nonnegative()
})
export type ArchiveFile = z.infer<typeof ArchiveFileOutput>

export const ArchiveMemberInput = z
  .object({
    /** Without it: my own. */
    memberId: IdSchema.optional(),
    year: z.number().int().min(2000).max(2999),
    /** Answer the workbook's link instead of the data. */
    file: z.boolean().optional()
  })
  .strict()

export const ArchiveInputs = {
  ledger: ArchiveLedgerInput,
  member: ArchiveMemberInput
} as const
