import { z } from '../zod'
import { IdSchema, TimestampSchema, lineText } from './common'
import { EXEMPT_REASONS, RANKS, ROLE_NAMES } from '../vocab/member'

export {
  EXEMPT_REASONS,
  EXEMPT_REASON_LABELS,
  RANKS,
  RANK_LABELS,
  ROLE_LABELS,
  ROLE_NAMES,
  type Rank,
  type RoleName
} from '../vocab/member'
export const RankSchema = z.enum(RANKS)
export const RoleNameSchema = z.enum(ROLE_NAMES)

export const RoleSchema = z.object({ role: RoleNameSchema, orgId: IdSchema })
export type Role = z.infer<typeof RoleSchema>

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
