/**
 * Where the member is, for sessions with a venue geofence. Venues are GCJ-02
 * (wx.chooseLocation); weapp asks getLocation for gcj02 directly. A browser
 * answers WGS-84, which inside mainland China sits several hundred metres
 * off GCJ-02, so H5 converts it (the standard public transform).
 */
import Taro from '@tarojs/taro'
import type { CheckinLocation } from '../api/checkin'

export type LocationOutcome =
  | { location: CheckinLocation }
  /** denied: the member (or the system) refused; unavailable: no fix in time or no GPS. */
  | { location: null; reason: 'denied' | 'unavailable' }

const H5_TIMEOUT_MS = 8000

function clampAccuracy(a: unknown): number | undefined {
  return typeof a === 'number' && Number.isFinite(a) && a >= 0 ? Math.min(a, 100000) : undefined
}

function located(lat: number, lng: number, accuracy: unknown): LocationOutcome {
  const acc = clampAccuracy(accuracy)
  const location: CheckinLocation = { lat, lng }
  if (acc !== undefined) location.accuracyM = acc
  return { location }
}

// --- WGS-84 → GCJ-02 (the published approximation; identity outside China) ---
const A = 6378245.0
const EE = 0.00669342162296594323

function outOfChina(lat: number, lng: number): boolean {
  return lng < 72.004 || lng > 137.8347 || lat < 0.8293 || lat > 55.8271
}

function transformLat(x: number, y: number): number {
  let r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x))
  r += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0
  r += ((20.0 * Math.sin(y * Math.PI) + 40.0 * Math.sin((y / 3.0) * Math.PI)) * 2.0) / 3.0
  r += ((160.0 * Math.sin((y / 12.0) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30.0)) * 2.0) / 3.0
  return r
}

function transformLng(x: number, y: number): number {
  let r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x))
  r += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0
  r += ((20.0 * Math.sin(x * Math.PI) + 40.0 * Math.sin((x / 3.0) * Math.PI)) * 2.0) / 3.0
  r += ((150.0 * Math.sin((x / 12.0) * Math.PI) + 300.0 * Math.sin((x / 30.0) * Math.PI)) * 2.0) / 3.0
  return r
}

export function wgs84ToGcj02(lat: number, lng: number): { lat: number; lng: number } {
  if (outOfChina(lat, lng)) return { lat, lng }
  let dLat = transformLat(lng - 105.0, lat - 35.0)
  let dLng = transformLng(lng - 105.0, lat - 35.0)
  const radLat = (lat / 180.0) * Math.PI
  let magic = Math.sin(radLat)
  magic = 1 - EE * magic * magic
  const sqrtMagic = Math.sqrt(magic)
  dLat = (dLat * 180.0) / (((A * (1 - EE)) / (magic * sqrtMagic)) * Math.PI)
  dLng = (dLng * 180.0) / ((A / sqrtMagic) * Math.cos(radLat) * Math.PI)
  return { lat: lat + dLat, lng: lng + dLng }
}

async function weappLocation(): Promise<LocationOutcome> {
  try {
    const r = await Taro.getLocation({ type: 'gcj02' })
    return located(r.latitude, r.longitude, r.accuracy)
  } catch (err) {
    const msg = String((err as { errMsg?: unknown })?.errMsg ?? '')
    // auth deny / auth denied / privacy agreement refused (errno 104) all mean "not allowed".
    if (/auth|deny|denied|privacy|permission/i.test(msg)) return { location: null, reason: 'denied' }
    return { location: null, reason: 'unavailable' }
  }
}

async function h5Location(): Promise<LocationOutcome> {
  if (typeof navigator === 'undefined' || !navigator.geolocation) return { location: null, reason: 'unavailable' }
  try {
    const perms = (navigator as Navigator & { permissions?: Permissions }).permissions
    if (perms && typeof perms.query === 'function') {
      const status = await perms.query({ name: 'geolocation' as PermissionName })
      if (status.state === 'denied') return { location: null, reason: 'denied' }
    }
  } catch {
    // Some browsers cannot query this permission; just ask.
  }
  return new Promise<LocationOutcome>((resolve) => {
    let done = false
    const finish = (v: LocationOutcome) => {
      if (done) return
      done = true
      resolve(v)
    }
    // The browser's own timeout does not cover a prompt left unanswered.
    const guard = setTimeout(() => finish({ location: null, reason: 'unavailable' }), H5_TIMEOUT_MS + 1000)
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        clearTimeout(guard)
        const g = wgs84ToGcj02(pos.coords.latitude, pos.coords.longitude)
        finish(located(g.lat, g.lng, pos.coords.accuracy))
      },
      (err) => {
        clearTimeout(guard)
        finish({ location: null, reason: err && err.code === 1 ? 'denied' : 'unavailable' })
      },
      { enableHighAccuracy: true, timeout: H5_TIMEOUT_MS, maximumAge: 60000 }
    )
  })
}

export function getLocation(): Promise<LocationOutcome> {
  return process.env.TARO_ENV === 'h5' ? h5Location() : weappLocation()
}

/**
 * weapp: location refused. Explain why it is asked, offer the settings page,
 * and try once more if the member turned it on. Resolves to the new outcome,
 * or null when the member chose not to.
 */
export async function askForLocationAgain(): Promise<LocationOutcome | null> {
  if (process.env.TARO_ENV === 'h5') return null
  const answer = await Taro.showModal({
    title: '需要确认您在会场附近',
    content: '这场活动签到时要看一下您是否在会场附近，位置只用于这次签到。请在设置里打开“位置信息”，再回来签到。',
    confirmText: '去设置',
    cancelText: '先不用'
  }).catch(() => ({ confirm: false }))
  if (!answer.confirm) return null
  try {
    const s = await Taro.openSetting()
    if (!s.authSetting || !s.authSetting['scope.userLocation']) return null
  } catch {
    return null
  }
  return weappLocation()
}
