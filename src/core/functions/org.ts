import { z } from '../zod'
import { IdSchema } from '../schemas/common'
import { MemberSummarySchema } from '../schemas/member'
import { NoteSummarySchema } from '../schemas/note'
import { OrgNodeSchema } from '../schemas/org'

/** Without rootId the tree starts at the top of the caller's own scope. */
export const OrgTreeInput = z.object({ rootId: IdSchema.optional() }).strict()
export const OrgTreeOutput = z.object({ roots: z.array(OrgNodeSchema) })

export const OrgMembersInput = z.object({ branchId: IdSchema }).strict()
export const OrgMembersOutput = z.object({ members: z.array(MemberSummarySchema) })

/**
 * 书记工作台's to-do: what waits for the branch's officers, counted (never
 * listed) so the workbench costs one call. Each count uses the same filter as
 * the list its row opens (cloudfunctions/org/src/todo.ts says which).
 */
export const OrgTodoInput = z.object({ branchId: IdSchema }).strict()
const Count = z.number().int().nonnegative()
export const OrgTodoOutput = z.object({
  branchId: IdSchema,
  /** 请假待审批: checkin.leaves {status: 'pending'}. */
  leaves: Count,
  /** 笔记待审阅: org.notesToReview (others' notes, not a 补学's, still pending). */
  notes: Count,
  /** 补学待审阅: checkin.branchMakeUps {status: 'submitted'}. */
  makeups: Count,
  /** 入支部待确认: org.pending. */
  joins: Count,
  /** 扫码待确认: scans synced late, across the branch's sessions (checkin.pendingCheckins per session). */
  scans: Count,
  /** The session of the oldest waiting scan, so the row opens its 签到情况; null when none. */
  scanSessionId: IdSchema.nullable(),
  /** 本周活动: sessions not cancelled starting this Shanghai week (Monday 00:00 to the next). */
  sessionsThisWeek: Count,
  weekStart: z.number().int(),
  weekEnd: z.number().int()
})
export type OrgTodo = z.infer<typeof OrgTodoOutput>

/** The notes waiting for review in a branch, oldest first, for review in a row. */
export const OrgNotesToReviewInput = z
  .object({ branchId: IdSchema, limit: z.number().int().min(1).max(50).optional() })
  .strict()
export const NoteToReviewSchema = NoteSummarySchema.extend({ memberName: z.string() })
export type NoteToReview = z.infer<typeof NoteToReviewSchema>
export const OrgNotesToReviewOutput = z.object({ notes: z.array(NoteToReviewSchema), total: Count })

export const OrgInputs = {
  tree: OrgTreeInput,
  members: OrgMembersInput,
  todo: OrgTodoInput,
  notesToReview: OrgNotesToReviewInput
} as const

export const OrgOutputs = {
  tree: OrgTreeOutput,
  members: OrgMembersOutput,
  todo: OrgTodoOutput,
  notesToReview: OrgNotesToReviewOutput
} as const
