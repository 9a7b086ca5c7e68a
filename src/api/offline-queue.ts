/**
 * Check-ins taken on a weak signal. When checkIn fails because the phone did
 * not reach the server (code NETWORK), the scan is kept on the phone under
 * 'checkin.queue' and sent again when the app comes back to the front, a page
 * shows, or the network returns. The server judges a late upload by the QR
 * token's slot, not by when it arrives, so waiting never makes it late; one
 * that arrives after the code rotated is dated by the phone alone, so it is
 * recorded as 待确认 (answer `pending`, not `checkin`) and counts once an
 * officer confirms it. That answer is final here too: the item leaves the queue.
 *
 * An item leaves the queue once the server has answered: accepted, or refused
 * for good (window closed, code expired, out of range …). Only answers that
 * may change on a retry keep it: no network, rate limited, login expired.
 * After RATE_LIMITED the queue waits out the server's Retry-After before it
 * sends again, whatever shows or network events come meanwhile.
 */
import Taro from '@tarojs/taro'
import { ApiError, needsLogin } from './index'
import { checkIn, type CheckInResult, type CheckinLocation } from './checkin'

export const QUEUE_KEY = 'checkin.queue'
/** A phone holds a few scans at most; the cap only guards against a runaway loop. */
export const MAX_QUEUE = 50

export interface QueuedCheckin {
  sessionId: string
  token?: string
  location?: CheckinLocation
  /** The phone's clock when the member scanned (evidence; the server trusts the token's slot). */
  clientAt: number
}

export type FlushOutcome =
  | { item: QueuedCheckin; ok: true; result: CheckInResult }
  | { item: QueuedCheckin; ok: false; error: ApiError }

export interface FlushReport {
  /** What the server answered for each item it answered, in queue order. */
  answered: FlushOutcome[]
  /** Items still waiting (the network is still down, or the queue grew meanwhile). */
  remaining: number
}

type Submit = (item: QueuedCheckin) => Promise<CheckInResult>
type Listener = (queue: QueuedCheckin[], report?: FlushReport) => void

function isItem(v: unknown): v is QueuedCheckin {
  if (typeof v !== 'object' || v === null) return false
  const o = v as Record<string, unknown>
  return (
    typeof o.sessionId === 'string' &&
    o.sessionId.length > 0 &&
    typeof o.clientAt === 'number' &&
    Number.isFinite(o.clientAt) &&
    (o.token === undefined || typeof o.token === 'string')
  )
}

function sameItem(a: QueuedCheckin, b: QueuedCheckin): boolean {
  return a.sessionId === b.sessionId && a.clientAt === b.clientAt && a.token === b.token
}

/** The waiting scans, oldest first; anything unreadable in storage is dropped, never thrown. */
export function readQueue(): QueuedCheckin[] {
  try {
    const raw: unknown = Taro.getStorageSync(QUEUE_KEY)
    const list = typeof raw === 'string' && raw ? (JSON.parse(raw) as unknown) : raw
    return Array.isArray(list) ? list.filter(isItem) : []
  } catch {
    return []
  }
}

function writeQueue(items: QueuedCheckin[]): void {
  try {
    if (items.length === 0) Taro.removeStorageSync(QUEUE_KEY)
    else Taro.setStorageSync(QUEUE_KEY, items)
  } catch {
    // A full or blocked storage: nothing better to do than keep going.
  }
}

const listeners = new Set<Listener>()

/** Called with the queue after every change, and with the report after a flush. Returns the unsubscribe. */
export function onQueueChange(fn: Listener): () => void {
  listeners.add(fn)
  return () => {
    listeners.delete(fn)
  }
}

function notify(report?: FlushReport): void {
  const queue = readQueue()
  listeners.forEach((fn) => {
    try {
      fn(queue, report)
    } catch {
      // A page's listener must not break the queue.
    }
  })
}

/**
 * Keeps a scan for later. One per session: a second scan of the same session
 * while offline keeps the first (it is the earlier, truer time), unless the
 * first had no token and this one does.
 */
export function enqueueCheckin(item: QueuedCheckin): QueuedCheckin[] {
  const clean: QueuedCheckin = { sessionId: item.sessionId, clientAt: item.clientAt }
  if (item.token) clean.token = item.token
  if (item.location) clean.location = item.location
  const queue = readQueue()
  const i = queue.findIndex((q) => q.sessionId === clean.sessionId)
  if (i === -1) queue.push(clean)
  else if (!queue[i].token && clean.token) queue[i] = clean
  const kept = queue.slice(-MAX_QUEUE)
  writeQueue(kept)
  notify()
  return kept
}

export function pendingCount(): number {
  return readQueue().length
}

/** True when the same request may succeed later, so the scan must stay on the phone. */
export function isRetryable(err: unknown): boolean {
  if (!(err instanceof ApiError)) return true
  return err.code === 'NETWORK' || err.code === 'RATE_LIMITED' || needsLogin(err)
}

function defaultSubmit(item: QueuedCheckin): Promise<CheckInResult> {
  return checkIn(item)
}

let running: Promise<FlushReport> | null = null

/** When the server last said RATE_LIMITED: no flush is sent before this (epoch ms, the phone's clock). */
let heldUntil = 0
/** A 429 without a Retry-After still waits this long; never longer than the cap. */
export const RATE_LIMIT_HOLD_MS = 30_000
const MAX_HOLD_MS = 15 * 60_000

/**
 * How long to leave the server alone after a refusal: the server's
 * Retry-After (`details.retryAfterSeconds`) when it says one, else
 * RATE_LIMIT_HOLD_MS; 0 for answers that do not ask for a pause. Page shows
 * and app shows would otherwise resend the same scan at every tab switch.
 */
export function holdAfter(err: unknown): number {
  if (!(err instanceof ApiError) || err.code !== 'RATE_LIMITED') return 0
  const s = err.details?.retryAfterSeconds
  const ms = typeof s === 'number' && Number.isFinite(s) && s > 0 ? s * 1000 : RATE_LIMIT_HOLD_MS
  return Math.min(ms, MAX_HOLD_MS)
}

async function runFlush(submit: Submit): Promise<FlushReport> {
  const answered: FlushOutcome[] = []
  for (const item of readQueue()) {
    let outcome: FlushOutcome
    try {
      outcome = { item, ok: true, result: await submit(item) }
    } catch (err) {
      // Still no network (or a login to redo, or too many requests): stop here and keep this and the rest.
      if (isRetryable(err)) {
        const hold = holdAfter(err)
        if (hold > 0) heldUntil = Date.now() + hold
        break
      }
      outcome = { item, ok: false, error: err as ApiError }
    }
    answered.push(outcome)
    // Re-read: a scan may have been queued while this one was in flight.
    writeQueue(readQueue().filter((q) => !sameItem(q, item)))
  }
  return { answered, remaining: readQueue().length }
}

/**
 * Sends the waiting scans one by one, oldest first. Concurrent calls share
 * one run, so an app-show and a network event arriving together never send
 * a scan twice (and the server's deterministic check-in id would absorb it anyway).
 */
export function flushQueue(submit: Submit = defaultSubmit): Promise<FlushReport> {
  if (running) return running
  const waiting = readQueue().length
  if (waiting === 0) return Promise.resolve({ answered: [], remaining: 0 })
  // The server asked for a pause: keep everything until it is over.
  if (Date.now() < heldUntil) return Promise.resolve({ answered: [], remaining: waiting })
  running = runFlush(submit)
    .then((report) => {
      notify(report)
      return report
    })
    .finally(() => {
      running = null
    })
  return running
}

let installed = false

/**
 * Flushes when the app comes to the front and when the network returns
 * (weapp: onNetworkStatusChange; H5: the window's 'online' event). Safe to
 * call from every page; it installs once.
 */
export function installCheckinSync(): void {
  if (installed) return
  installed = true
  const kick = () => {
    if (readQueue().length > 0) flushQueue().catch(() => undefined)
  }
  try {
    Taro.onAppShow(kick)
  } catch {
    // Not available on this platform: page shows still flush.
  }
  if (process.env.TARO_ENV === 'h5') {
    if (typeof window !== 'undefined') window.addEventListener('online', kick)
  } else {
    try {
      Taro.onNetworkStatusChange((res) => {
        if (res.isConnected) kick()
      })
    } catch {
      // Not available: app show and page show still flush.
    }
  }
}

/** Tests only: forget the installed listeners' flag. */
export function resetCheckinSyncForTests(): void {
  installed = false
  running = null
  heldUntil = 0
  listeners.clear()
}
