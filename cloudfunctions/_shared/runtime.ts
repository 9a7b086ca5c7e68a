import type { Database } from './db'

/**
 * Who is calling. On CloudBase the OPENID comes from the platform
 * (cloud.getWXContext()); locally it comes from the signed session token.
 * Never from the event payload.
 */
export interface Identity {
  openid: string | null
  source: 'wechat' | 'local-token' | 'none'
  /** Set when a token was sent but could not be trusted; the action decides if that matters. */
  problem?: 'expired' | 'invalid'
}

export interface Clock {
  /** Milliseconds since the epoch. Tests and benchmarks substitute their own. */
  now(): number
}

export interface SubscribeMessage {
  openid: string
  templateId: string
  /** Page the message opens, e.g. `pages/checkin/index?sessionId=...`. */
  page?: string
  data: Record<string, { value: string }>
}

export type NotifyOutcome =
  | { status: 'sent' }
  | { status: 'failed'; errCode: number; errMsg: string }
  | { status: 'logged' }

export interface Notifier {
  /** Sends one WeChat subscribe message; never throws, the outcome says what happened. */
  sendSubscribeMessage(msg: SubscribeMessage): Promise<NotifyOutcome>
}

export interface RuntimeEnv {
  kind: 'local' | 'cloudbase'
  /** Production refuses dev-only actions such as auth.devLogin. */
  production: boolean
}

export interface Runtime {
  db: Database
  identity: Identity
  clock: Clock
  notifier: Notifier
  env: RuntimeEnv
  /** Server-held secret for signing (check-in QR tokens). Never sent to clients. */
  secret: string
  /** Local runtime only: mints a session token for an openid (dev login). */
  issueSessionToken?: (openid: string) => { token: string; expiresAt: number }
  log: (level: 'info' | 'warn' | 'error', msg: string, extra?: Record<string, unknown>) => void
}

/** A deployable function: one entry that dispatches on `event.action`. */
export type FunctionHandler = (runtime: Runtime, event: unknown) => Promise<import('../../src/core/errors').Result<unknown>>
