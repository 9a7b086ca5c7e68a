import type { z } from '../core/zod'
import type {
  DevIdentitiesOutput,
  DevIdentity,
  DevLoginResult,
  JoinBranchOutput,
  Me,
  WhoamiResult
} from '../core/functions/auth'
import { call } from './index'
import { clearSession, setCachedMe, setToken } from './session'

export type { DevIdentity, DevLoginResult, Me, WhoamiResult }
export type JoinBranchResult = z.infer<typeof JoinBranchOutput>

/** Local runtime only: the seeded people one may log in as. */
export async function devIdentities(): Promise<DevIdentity[]> {
  const out = await call<z.infer<typeof DevIdentitiesOutput>>('auth', 'devIdentities')
  return out.identities
}

/** Local runtime only: logs in as a seeded member and keeps the token. */
export async function devLogin(memberId: string): Promise<DevLoginResult> {
  const out = await call<DevLoginResult>('auth', 'devLogin', { memberId })
  clearSession()
  setToken(out.token)
  setCachedMe(out.me)
  return out
}

/** Local runtime only: sign in as a newcomer with no branch yet, to join with an invite code. */
export async function devNewcomer(): Promise<void> {
  const out = await call<{ token: string }>('auth', 'devNewcomer')
  clearSession()
  setToken(out.token)
}

/** Who the caller is; `me: null` on weapp for a WeChat user not yet in a branch. */
export async function whoami(): Promise<WhoamiResult> {
  const out = await call<WhoamiResult>('auth', 'whoami')
  setCachedMe(out.me)
  return out
}

/** weapp: a new member joins their branch with the secretary's invite code. */
export async function joinBranch(inviteCode: string, name: string): Promise<JoinBranchResult> {
  const out = await call<JoinBranchResult>('auth', 'joinBranch', { inviteCode, name })
  setCachedMe(out.me)
  return out
}

/** 长辈模式 on or off for myself; the cached me follows so every page sees it at once. */
export async function setLargeText(largeText: boolean): Promise<Me> {
  const out = await call<{ me: Me }>('auth', 'updateMe', { largeText })
  setCachedMe(out.me)
  return out.me
}

export function logout(): void {
  clearSession()
}
