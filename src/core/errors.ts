import type { ZodError } from 'zod'

/**
 * Stable machine codes of the error contract (ARCHITECTURE.md). A missing,
 * bad or expired session is FORBIDDEN with `details.login = true`, so the
 * client knows to send the member back to login.
 */
export const ERROR_CODES = [
  'INVALID_INPUT',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'CHECKIN_CLOSED',
  'QR_EXPIRED',
  'OUT_OF_RANGE',
  'RATE_LIMITED',
  'PAYLOAD_TOO_LARGE',
  'NOT_AVAILABLE',
  'INTERNAL'
] as const

export type ErrorCode = (typeof ERROR_CODES)[number]

export interface AppErrorBody {
  code: ErrorCode
  message: string
  /** Optional machine-readable facts (e.g. distance in metres, field paths). */
  details?: Record<string, unknown>
}

export type Ok<T> = { ok: true; data: T }
export type Fail = { ok: false; error: AppErrorBody }
export type Result<T> = Ok<T> | Fail

/** Default Chinese messages, written to be shown to a member as they are. */
export const DEFAULT_MESSAGES: Record<ErrorCode, string> = {
  INVALID_INPUT: '填写的内容不符合要求，请检查后再试',
  FORBIDDEN: '没有权限进行这个操作',
  NOT_FOUND: '没有找到相关内容',
  CONFLICT: '内容已在别处修改，请确认后再保存',
  CHECKIN_CLOSED: '现在不在签到时间内',
  QR_EXPIRED: '签到码已过期，请扫描现场大屏上的最新二维码',
  OUT_OF_RANGE: '您不在活动地点附近，无法签到',
  RATE_LIMITED: '操作太频繁了，请稍后再试',
  PAYLOAD_TOO_LARGE: '提交的内容太长了，请删减后再试',
  NOT_AVAILABLE: '当前环境不支持这个功能',
  INTERNAL: '系统开小差了，请稍后再试'
}

/** HTTP status the local transport answers for each code. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  INVALID_INPUT: 400,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  CHECKIN_CLOSED: 422,
  QR_EXPIRED: 422,
  OUT_OF_RANGE: 422,
  RATE_LIMITED: 429,
  PAYLOAD_TOO_LARGE: 413,
  NOT_AVAILABLE: 501,
  INTERNAL: 500
}

export class AppError extends Error {
  readonly code: ErrorCode
  readonly details?: Record<string, unknown>
  constructor(code: ErrorCode, message?: string, details?: Record<string, unknown>) {
    super(message ?? DEFAULT_MESSAGES[code])
    this.name = 'AppError'
    this.code = code
    this.details = details
  }
  toBody(): AppErrorBody {
    return this.details
      ? { code: this.code, message: this.message, details: this.details }
      : { code: this.code, message: this.message }
  }
}

export function ok<T>(data: T): Ok<T> {
  return { ok: true, data }
}

export function fail(code: ErrorCode, message?: string, details?: Record<string, unknown>): Fail {
  return { ok: false, error: new AppError(code, message, details).toBody() }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value)
}

/**
 * Turns a zod failure into one kind sentence naming the first bad field, so a
 * member sees what to fix; the full list of paths goes in details for tools.
 */
export function invalidInputFromZod(error: ZodError): Fail {
  const issues = error.issues.slice(0, 10).map((i) => ({
    path: i.path.map(String).join('.'),
    code: i.code
  }))
  const first = issues[0]
  const message = first && first.path
    ? `“${first.path}”填写不正确，请检查后再试`
    : DEFAULT_MESSAGES.INVALID_INPUT
  return fail('INVALID_INPUT', message, { issues })
}
