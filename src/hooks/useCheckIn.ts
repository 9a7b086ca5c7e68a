import { useCallback, useRef, useState } from 'react'
import Taro from '@tarojs/taro'
import { ApiError } from '../api'
import { checkIn, type CheckinLocation, type CheckinStatus, type CheckinMethod } from '../api/checkin'
import { enqueueCheckin } from '../api/offline-queue'
import { getSession, type Session } from '../api/sessions'
import { errorText } from '../components/errorText'
import { parseCheckinToken } from '../core/checkin/qr-slot'
import { normalizeShortCode } from '../core/checkin/short-code'
import { askForLocationAgain, getLocation } from './location'

const IS_H5 = process.env.TARO_ENV === 'h5'

export type CheckinFeedback =
  | { kind: 'busy'; text: string }
  | {
      kind: 'ok'
      sessionId: string
      title?: string
      at: number
      status: CheckinStatus
      method: CheckinMethod
      duplicate: boolean
    }
  | { kind: 'error'; code: string; message: string; sessionId?: string; title?: string; distanceM?: number; advice?: string }
  | { kind: 'queued'; sessionId: string; title?: string }
  /** A scan synced after its code rotated: recorded, counted once the branch confirms it. */
  | { kind: 'pending'; sessionId: string; title?: string; at: number; duplicate: boolean }

/** Error code shown for a scanned code that is not one of ours (client-side, never from the server). */
export const NOT_A_CODE = 'NOT_A_CODE'

/** What to do after a typed code is refused: the QR advice (scan again) does not fit a phone that cannot scan. */
const TYPED_ADVICE: Record<string, string> = {
  QR_EXPIRED: '大屏上的数字每 30 秒换一次，请看着大屏，输入正在显示的那一组。',
  RATE_LIMITED: '如果一直输不对，可以请现场的支委帮您代签。',
  NETWORK: '输入的数字要联网时才能签到，请连上网络后再输一次（数字每 30 秒会换，请输新的）。'
}

function distanceOf(err: ApiError): number | undefined {
  const d = err.details ?? {}
  for (const key of ['distanceM', 'distance', 'meters']) {
    const v = (d as Record<string, unknown>)[key]
    if (typeof v === 'number' && Number.isFinite(v)) return Math.round(v)
  }
  return undefined
}

interface Options {
  /** A session the page already holds (for its title and geofence), by id. */
  findSession: (sessionId: string) => Session | undefined
  /** Called after the server accepted a check-in, so the page can refresh states. */
  onCheckedIn?: (sessionId: string) => void
}

/**
 * The member's check-in: from a scanned or typed code (or online, where the
 * session allows it), with location when the venue has a geofence, to a
 * clear outcome. A failure to reach the server keeps the scan on the phone.
 */
export function useCheckIn({ findSession, onCheckedIn }: Options) {
  const [feedback, setFeedback] = useState<CheckinFeedback | null>(null)
  const busyRef = useRef(false)
  const findRef = useRef(findSession)
  findRef.current = findSession
  const doneRef = useRef(onCheckedIn)
  doneRef.current = onCheckedIn

  const submit = useCallback(async (sessionId: string, token?: string, typed?: string) => {
    if (busyRef.current) return
    busyRef.current = true
    const clientAt = Date.now()
    let session = findRef.current(sessionId)
    let title = session?.title
    try {
      setFeedback({ kind: 'busy', text: '正在签到，请稍候…' })
      if (!session) {
        try {
          session = await getSession(sessionId)
          title = session.title
        } catch {
          // Unknown here (offline, or not ours): the server will judge the code.
        }
      }
      let location: CheckinLocation | undefined
      // Ask for the position only where it is checked; if the session could not
      // be read (offline at the venue), take it anyway as the server may need it.
      if (!session || session.venue.geofence) {
        setFeedback({ kind: 'busy', text: '正在确认您的位置…' })
        let got = await getLocation()
        if (!got.location && got.reason === 'denied' && session) {
          const again = await askForLocationAgain()
          if (again) got = again
        }
        if (got.location) location = got.location
      }
      setFeedback({ kind: 'busy', text: '正在签到，请稍候…' })
      try {
        // clientAt is when the code was scanned: if finding the position took a
        // while, the server still judges the code by the scan, not the upload.
        // A typed code is judged when it arrives (never queued, never dated by the phone).
        const out = await checkIn(typed ? { sessionId, code: typed, location } : token ? { sessionId, token, location, clientAt } : { sessionId, location })
        if (!out.checkin) {
          setFeedback({ kind: 'pending', sessionId, title, at: out.pending?.at ?? clientAt, duplicate: out.duplicate })
          doneRef.current?.(sessionId)
          return
        }
        setFeedback({
          kind: 'ok',
          sessionId,
          title,
          at: out.checkin.at,
          status: out.checkin.status,
          method: out.checkin.method,
          duplicate: out.duplicate
        })
        if (!IS_H5) Taro.vibrateShort({ type: 'medium' }).catch(() => undefined)
        doneRef.current?.(sessionId)
      } catch (err) {
        if (typed) {
          const e = err instanceof ApiError ? err : new ApiError('INTERNAL')
          const message = e.code === 'NETWORK' ? '网络没有连上，这次没有签到成功。' : errorText(e)
          setFeedback({ kind: 'error', code: e.code, message, sessionId, title, distanceM: distanceOf(e), advice: TYPED_ADVICE[e.code] })
          return
        }
        if (err instanceof ApiError && err.code === 'NETWORK') {
          enqueueCheckin({ sessionId, token, location, clientAt })
          setFeedback({ kind: 'queued', sessionId, title })
          return
        }
        const e = err instanceof ApiError ? err : new ApiError('INTERNAL')
        setFeedback({ kind: 'error', code: e.code, message: errorText(e), sessionId, title, distanceM: distanceOf(e) })
      }
    } finally {
      busyRef.current = false
    }
  }, [])

  /** A scanned or typed code: must be one of our check-in codes. */
  const submitCode = useCallback(
    (text: string) => {
      const code = text.trim()
      const parts = parseCheckinToken(code)
      if (!parts) {
        setFeedback({
          kind: 'error',
          code: NOT_A_CODE,
          message: code
            ? '这不是签到码。请扫描（或输入）活动现场大屏上显示的签到二维码。'
            : '请先输入大屏二维码下方的签到码。'
        })
        return Promise.resolve()
      }
      return submit(parts.sessionId, code)
    },
    [submit]
  )

  /**
   * The six digits under the venue QR, typed on the web version for a session
   * the page knows (digits do not name one). A pasted QR text still works.
   */
  const submitShortCode = useCallback(
    (sessionId: string, text: string) => {
      const code = normalizeShortCode(text)
      if (code) return submit(sessionId, undefined, code)
      const parts = parseCheckinToken(text.trim())
      if (parts && parts.sessionId === sessionId) return submit(sessionId, text.trim())
      const digits = text.replace(/[^0-9０-９]/g, '').length
      const title = findRef.current(sessionId)?.title
      setFeedback({
        kind: 'error',
        code: NOT_A_CODE,
        sessionId,
        title,
        message: !text.trim()
          ? '请先输入现场大屏上二维码下方的 6 位数字。'
          : digits > 0 && digits < 6 && /^[0-9０-９\s-]*$/.test(text)
            ? `还差 ${6 - digits} 位：签到数字一共 6 位。`
            : '签到数字是 6 位数字，请对照现场大屏再输一次。',
        advice: '数字在大屏二维码的下方，例如“382 917”，每 30 秒换一次。'
      })
      return Promise.resolve()
    },
    [submit]
  )

  /** weapp: open the camera (never the album: a forwarded photo is exactly what the rotating code defeats). */
  const scan = useCallback(async () => {
    if (busyRef.current) return
    let result = ''
    try {
      const r = await Taro.scanCode({ onlyFromCamera: true, scanType: ['qrCode'] })
      result = r.result
    } catch (err) {
      const msg = String((err as { errMsg?: unknown })?.errMsg ?? '')
      if (/cancel/i.test(msg)) return
      setFeedback({ kind: 'error', code: 'SCAN_FAILED', message: '没能打开扫码，请再点一次“扫码签到”。' })
      return
    }
    await submitCode(result)
  }, [submitCode])

  const checkInOnline = useCallback((sessionId: string) => submit(sessionId), [submit])
  const clear = useCallback(() => setFeedback(null), [])

  return { feedback, submitCode, submitShortCode, scan, checkInOnline, clear, setFeedback }
}
