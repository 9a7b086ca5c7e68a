import { z } from '../zod'
import { IdSchema } from '../schemas/common'

/**
 * Admin: import a roster (.xlsx or .csv) into the branches under `orgId`.
 * The file comes inline as base64 (the web app) or by its cloud file id
 * (the mini-program uploads to cloud storage first). `commit: false`
 * previews; `commit: true` writes all of it or nothing.
 */
export const OrgImportRosterInput = z
  .object({
    orgId: IdSchema,
    fileName: z.string().trim().min(1).max(120).regex(/\.(xlsx|csv|txt)$/i, '请上传 .xlsx 或 .csv 格式的名册'),
    /** ≤ 2 MB of file as base64. */
    content: z.string().max(2_800_000).regex(/^[A-Za-z0-9+/=\s]*$/).optional(),
    fileId: z.string().min(1).max(512).optional(),
    commit: z.boolean()
  })
  .strict()
  .refine((i) => (i.content === undefined) !== (i.fileId === undefined), { message: 'send content or fileId', path: ['content'] })

/** Admin: the roster template (.xlsx) for the org they administer, as a short-lived download link. */
export const OrgRosterTemplateInput = z.object({ orgId: IdSchema }).strict()
