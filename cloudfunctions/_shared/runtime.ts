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

/**
 * Files the functions hand out or take in: a year-end workbook goes out as a
 * short-lived link (CloudBase: cloud storage + getTempFileURL; locally: a
 * file in the data folder served once by the server), and a roster uploaded
 * from the phone comes in by its cloud file id.
 */
export interface FileStore {
  put(file: { name: string; bytes: Uint8Array; contentType: string }): Promise<{ url: string; expiresAt: number }>
  /**
   * An uploaded file's bytes (weapp uploads to cloud storage first); more
   * than maxBytes is refused with INVALID_INPUT and details.reason FILE_TOO_LARGE.
   */
  read(fileId: string, maxBytes: number): Promise<Uint8Array>
  /**
   * Keeps a file for good (a meeting's photos), unlike put's exports: under
   * `folder` in cloud storage, or the data folder locally. The id is the
   * store's own; clients get only temporary links to it.
   */
  keep(file: { folder: string; name: string; bytes: Uint8Array; contentType: string }): Promise<{ fileId: string }>
  /** Temporary links to kept files, by file id; an id the store cannot link is left out. */
  urls(fileIds: readonly string[], maxAgeMs: number): Promise<Record<string, string>>
  /** Deletes kept (or uploaded) files; a missing one is not an error. */
  remove(fileIds: readonly string[]): Promise<void>
}

/** The reason read() gives for a file over its size bound, so callers can refuse in their own words. */
export const FILE_TOO_LARGE = 'FILE_TOO_LARGE'

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
  files: FileStore
  env: RuntimeEnv
  /** Server-held secret for signing (check-in QR tokens). Never sent to clients. */
  secret: string
  /** Local runtime only: mints a session token for an openid (dev login). */
  issueSessionToken?: (openid: string) => { token: string; expiresAt: number }
  log: (level: 'info' | 'warn' | 'error', msg: string, extra?: Record<string, unknown>) => void
}

/** A deployable function: one entry that dispatches on `event.action`. */
export type FunctionHandler = (runtime: Runtime, event: unknown) => Promise<import('../../src/core/errors').Result<unknown>>
