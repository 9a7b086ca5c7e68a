import { z } from '../zod'
import { IdSchema, TimestampSchema, lineText } from '../schemas/common'
import { EXEMPT_REASONS, MemberSchema, RankSchema } from '../schemas/member'
import { OrgSchema, OrgTypeSchema } from '../schemas/org'

/**
 * The org function's administration actions: the tree (admins), invite
 * codes and join confirmation (branch officers), and member records
 * (officers of the member's branch; transfers need an admin over both
 * branches). Every action checks scope by the org path on the server.
 */
export const OrgCreateInput = z
  .object({
    parentId: IdSchema,
    type: OrgTypeSchema.exclude(['committee']),
    name: lineText(60),
    /** A retried tap creates nothing twice. */
    clientId: IdSchema
  })
  .strict()
export const OrgRenameInput = z.object({ orgId: IdSchema, name: lineText(60) }).strict()
export const OrgMoveInput = z.object({ orgId: IdSchema, parentId: IdSchema }).strict()
export const OrgCloseInput = z.object({ orgId: IdSchema, reason: lineText(100).optional() }).strict()
export const OrgOutput = z.object({ org: OrgSchema })
export const OrgMoveOutput = z.object({ org: OrgSchema, orgsMoved: z.number().int(), membersMoved: z.number().int(), sessionsMoved: z.number().int() })

/** Officer: the branch's invite code; `renew` replaces it (the old one stops working at once). */
export const OrgInviteInput = z.object({ branchId: IdSchema, renew: z.boolean().optional() }).strict()
export const OrgInviteOutput = z.object({ branchId: IdSchema, branchName: z.string(), inviteCode: z.string() })

/** Officer: those who joined with the code and wait to be confirmed. */
export const OrgPendingInput = z.object({ branchId: IdSchema }).strict()
export const PendingMemberSchema = z.object({ _id: IdSchema, name: z.string(), joinedAt: TimestampSchema, /** The imported roster already lists them: confirming links the two. */ inRoster: z.boolean() })
export const OrgPendingOutput = z.object({ members: z.array(PendingMemberSchema) })
export const OrgConfirmInput = z.object({ memberId: IdSchema, accept: z.boolean() }).strict()

/** Officer: one member's record as the branch keeps it (phone and employee number included). */
export const OrgMemberInput = z.object({ memberId: IdSchema }).strict()
export const MemberRecordSchema = MemberSchema.omit({ openid: true, rosterKey: true }).extend({ branchName: z.string() })
export const OrgMemberOutput = z.object({ member: MemberRecordSchema })

/** Officer: any subset of the fields; exempt null lifts an exemption. */
export const OrgUpdateMemberInput = z
  .object({
    memberId: IdSchema,
    rank: RankSchema.optional(),
    retired: z.boolean().optional(),
    leadingCadre: z.boolean().optional(),
    exempt: z.object({ reason: z.enum(EXEMPT_REASONS), note: z.string().trim().max(200).optional() }).strict().nullable().optional(),
    largeText: z.boolean().optional(),
    groupId: IdSchema.nullable().optional(),
    birthYear: z.number().int().min(1900).max(2100).nullable().optional(),
    /** A member who left or died: kept in history, off every list. */
    active: z.boolean().optional()
  })
  .strict()

/** Admin over both branches: 组织关系转接, history kept. */
export const OrgTransferInput = z.object({ memberId: IdSchema, toBranchId: IdSchema }).strict()

/**
 * Admin: give or take a role. 支部书记 / 支委 are held in the member's own
 * branch; 党委管理员 in an org the caller administers. Nobody takes away
 * their own admin role (an organisation must not lock itself out).
 */
export const OrgSetRoleInput = z
  .object({ memberId: IdSchema, role: z.enum(['admin', 'secretary', 'committee']), orgId: IdSchema, on: z.boolean() })
  .strict()

export const OrgAdminInputs = {
  createOrg: OrgCreateInput,
  renameOrg: OrgRenameInput,
  moveOrg: OrgMoveInput,
  closeOrg: OrgCloseInput,
  invite: OrgInviteInput,
  pending: OrgPendingInput,
  confirmMember: OrgConfirmInput,
  member: OrgMemberInput,
  updateMember: OrgUpdateMemberInput,
  transferMember: OrgTransferInput,
  setRole: OrgSetRoleInput
} as const
