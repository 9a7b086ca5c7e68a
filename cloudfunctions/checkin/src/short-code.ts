/**
 * The typed six-digit code (src/core/checkin/short-code.ts) and its guard
 * against guessing. Six digits with three live codes fall to a script in
 * about 333,000 tries, so after SHORT_CODE_MAX_WRONG wrong codes for one
 * session within a window the member may not try another code for that
 * session until the window ends; a QR scan and the secretary's 代签 still work.
 *
 * The count is one document per (member, session, window) in `rate_limits`
 * (the per-member limits' collection: its spent windows are swept by the cron
 * tick by `expiresAt`, so nothing here needs its own cleanup). A typed code
 * costs one read more than a scan (the lock is checked before the code, or a
 * script would learn the right code from the one answer that succeeds while
 * locked); only a wrong code writes (one call, two within a window).
 */
import { createHash } from 'crypto'
import { SHORT_CODE_GUARD_WINDOW_MS, SHORT_CODE_MAX_WRONG } from '../../../src/core/checkin/short-code'
import { AppError } from '../../../src/core/errors'
import { RATE_LIMIT_COLLECTION } from '../../_shared/rate-limit'
import { isDuplicateId } from '../../_shared/db'
import type { Runtime } from '../../_shared/runtime'

function guardWindow(now: number): { index: number; end: number } {
  const index = Math.floor(now / SHORT_CODE_GUARD_WINDOW_MS)
  return { index, end: (index + 1) * SHORT_CODE_GUARD_WINDOW_MS }
}

function guardId(memberId: string, sessionId: string, window: number): string {
  return `sc_${createHash('sha256').update(`${memberId}|${sessionId}`).digest('hex').slice(0, 24)}_${window}`
}

function lockedError(now: number, end: number): AppError {
  const retryAfterSeconds = Math.max(1, Math.ceil((end - now) / 1000))
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60))
  return new AppError(
    'RATE_LIMITED',
    `数字已经输错好几次了，为防止有人乱试，请 ${minutes} 分钟后再输入；也可以用微信扫码签到，或请现场的支委帮您签到`,
    { retryAfterSeconds, shortCode: true }
  )
}

/** Refuses a typed code while the member has used up the wrong tries for this session (one read). */
export async function assertShortCodeAllowed(rt: Runtime, memberId: string, sessionId: string, now: number): Promise<void> {
  const w = guardWindow(now)
  const { data } = await rt.db.collection(RATE_LIMIT_COLLECTION).doc(guardId(memberId, sessionId, w.index)).get()
  const n = (data as { n?: unknown } | null)?.n
  if (typeof n === 'number' && n >= SHORT_CODE_MAX_WRONG) throw lockedError(now, w.end)
}

/** Counts a wrong code: the window's first adds its document, later ones increment it. */
export async function countWrongShortCode(rt: Runtime, memberId: string, sessionId: string, now: number): Promise<void> {
  const w = guardWindow(now)
  const _id = guardId(memberId, sessionId, w.index)
  const col = rt.db.collection(RATE_LIMIT_COLLECTION)
  try {
    await col.add({ data: { _id, cls: 'shortcode', n: 1, expiresAt: w.end } })
    return
  } catch (err) {
    if (!isDuplicateId(err)) throw err
  }
  await col.doc(_id).update({ data: { n: rt.db.command.inc(1) } })
}
