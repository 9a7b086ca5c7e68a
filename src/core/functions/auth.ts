import { z } from '../zod'
import { IdSchema, lineText } from '../schemas/common'
import { MemberSchema } from '../schemas/member'
import { OrgSchema } from '../schemas/org'

export const DevLoginInput = z.object({ memberId: IdSchema }).strict()
export const WhoamiInput = z.object({}).strict()
export const JoinBranchInput = z
  .object({
    inviteCode: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z0-9]{6,12}$/),
    /** The platform gives no real name; the member types it and the secretary confirms it. */
    name: lineText(30)
  })
  .strict()
export const DevIdentitiesInput = z.object({}).strict()
/** Local runtime only: a fresh identity with no member behind it, to try joining with an invite code. */
export const DevNewcomerInput = z.object({}).strict()
export const DevNewcomerOutput = z.object({ token: z.string(), expiresAt: z.number() })
/** The member's own preferences: 长辈模式 (large text) for now. */
export const UpdateMeInput = z.object({ largeText: z.boolean() }).strict()

/** The caller as the app shows them: who, where, and which doors are open. */
export const MeSchema = z.object({
  member: MemberSchema,
  branch: OrgSchema.pick({ _id: true, name: true, type: true }),
  /** Names from the root down to the branch, e.g. ['机关党委', '第一党支部']. */
  orgPathNames: z.array(z.string()),
  isSecretary: z.boolean(),
  isAdmin: z.boolean()
})
export type Me = z.infer<typeof MeSchema>

export const DevLoginOutput = z.object({
  token: z.string(),
  expiresAt: z.number(),
  me: MeSchema
})
export type DevLoginResult = z.infer<typeof DevLoginOutput>

/** whoami answers `me: null` for a WeChat user not yet bound to a member. */
export const WhoamiOutput = z.object({ me: MeSchema.nullable() })
export type WhoamiResult = z.infer<typeof WhoamiOutput>

export const JoinBranchOutput = z.object({ me: MeSchema, pendingConfirmation: z.boolean() })

export const DevIdentitySchema = z.object({
  memberId: IdSchema,
  name: z.string(),
  branchName: z.string(),
  roleLabel: z.string(),
  retired: z.boolean()
})
export type DevIdentity = z.infer<typeof DevIdentitySchema>
export const DevIdentitiesOutput = z.object({ identities: z.array(DevIdentitySchema) })

export const AuthInputs = {
  devLogin: DevLoginInput,
  devIdentities: DevIdentitiesInput,
  whoami: WhoamiInput,
  joinBranch: JoinBranchInput,
  updateMe: UpdateMeInput,
  devNewcomer: DevNewcomerInput
} as const
