import { z } from '../zod'
import { IdSchema, TimestampSchema, lineText } from './common'

/** Rank decides the note quota: 10,000 words for staff, 15,000 for 副科级以上. */
export const RANKS = ['staff', 'deputy_section_plus'] as const
export const RankSchema = z.enum(RANKS)
export type Rank = z.infer<typeof RankSchema>
export const RANK_LABELS: Record<Rank, string> = {
  staff: '一般工作人员',
  deputy_section_plus: '副科级以上干部'
}

/**
 * A role is always held within an org, so every permission check is a check
 * of the org path: an admin of one 党委 sees nothing of another.
 */
export const ROLE_NAMES = ['admin', 'secretary', 'committee'] as const
export const RoleNameSchema = z.enum(ROLE_NAMES)
export type RoleName = z.infer<typeof RoleNameSchema>
export const ROLE_LABELS: Record<RoleName, string> = {
  admin: '党委管理员',
  secretary: '支部书记',
  committee: '支委委员'
}

export const RoleSchema = z.object({ role: RoleNameSchema, orgId: IdSchema })
export type Role = z.infer<typeof RoleSchema>

export const EXEMPT_REASONS = ['age', 'long_illness', 'mobility', 'other'] as const
export const EXEMPT_REASON_LABELS: Record<(typeof EXEMPT_REASONS)[number], string> = {
  age: '年龄较大',
  long_illness: '长期病休',
  mobility: '行动不便',
  other: '其他原因'
}
export const ExemptionSchema = z.object({
  reason: z.enum(EXEMPT_REASONS),
  note: z.string().max(200).optional(),
  since: TimestampSchema
})
export type Exemption = z.infer<typeof ExemptionSchema>

export const MemberSchema = z.object({
  _id: IdSchema,
  name: lineText(30),
  /** WeChat OPENID once bound; the only identity the server trusts on weapp. */
  openid: z.string().max(64).nullable(),
  branchId: IdSchema,
  groupId: IdSchema.nullable(),
  /** Path of the member's branch (root first), copied for scope queries. */
  orgPath: z.array(IdSchema).min(1).max(8),
  rank: RankSchema,
  roles: z.array(RoleSchema).max(10),
  /** 领导干部: must attend own-branch life monthly (双重组织生活). */
  leadingCadre: z.boolean(),
  /** 离退休党员. */
  retired: z.boolean(),
  /** Excluded from quotas, warnings and rankings when set. */
  exempt: ExemptionSchema.nullable(),
  phone: z.string().regex(/^1\d{10}$/).nullable().optional(),
  employeeNo: z.string().max(32).nullable().optional(),
  birthYear: z.number().int().min(1900).max(2100).nullable().optional(),
  /** Large-text mode (长辈模式) preference. */
  largeText: z.boolean().default(false),
  active: z.boolean().default(true),
  /** A member who joined by invite code waits for the secretary to confirm them. */
  joinStatus: z.enum(['pending', 'confirmed']).default('confirmed'),
  joinedAt: TimestampSchema,
  createdAt: TimestampSchema,
  /**
   * Branches the member belonged to before a transfer (组织关系转接), oldest
   * first; [from, to) each. Past facts stay with the branch they happened in.
   */
  branchHistory: z
    .array(z.object({ branchId: IdSchema, from: TimestampSchema, to: TimestampSchema, groupId: IdSchema.nullable().optional(), roles: z.array(RoleSchema).max(10).optional() }))
    .max(50)
    .optional(),
  /** A join request by someone the roster already lists (same branch and name, not yet on WeChat): confirming links them. */
  claimsMemberId: IdSchema.optional(),
  /** The roster import's member key (phone:… / emp:…), so a re-import finds the same person. */
  rosterKey: z.string().max(64).optional()
})
export type Member = z.infer<typeof MemberSchema>

/** What a member may see of another member (no phone, no openid). */
export const MemberSummarySchema = MemberSchema.pick({
  _id: true,
  name: true,
  branchId: true,
  groupId: true,
  rank: true,
  roles: true,
  leadingCadre: true,
  retired: true
}).extend({ exempt: z.boolean() })
export type MemberSummary = z.infer<typeof MemberSummarySchema>

export function summarizeMember(m: Member): MemberSummary {
  return {
    _id: m._id,
    name: m.name,
    branchId: m.branchId,
    groupId: m.groupId,
    rank: m.rank,
    roles: m.roles,
    leadingCadre: m.leadingCadre,
    retired: m.retired,
    exempt: m.exempt !== null
  }
}
