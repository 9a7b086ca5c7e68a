/**
 * Venue geofence. Both the venue (wx.chooseLocation) and the member's
 * position (wx.getLocation type 'gcj02') are GCJ-02. GCJ-02 is WGS-84 shifted
 * by a smooth offset that is nearly constant over a few kilometres, so
 * distances between two GCJ-02 points are as good as between two true ones
 * at geofence scale (metres of error over hundreds): no conversion needed.
 */
import type { LatLng } from '../schemas/common'

/** Mean Earth radius (IUGG), metres. */
export const EARTH_RADIUS_M = 6371008.8

const RAD = Math.PI / 180

/** Great-circle distance in metres (haversine; stable at small distances, unlike the law of cosines). */
export function distanceMeters(a: LatLng, b: LatLng): number {
  const dLat = (b.lat - a.lat) * RAD
  const dLng = (b.lng - a.lng) * RAD
  const s = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * RAD) * Math.cos(b.lat * RAD) * Math.sin(dLng / 2) ** 2
  // min() guards asin against rounding just above 1 for antipodal points.
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(s)))
}

export interface Fence extends LatLng {
  radiusM: number
}

export interface FenceCheck {
  inside: boolean
  /** Exact distance in metres (not rounded), for the record and the message. */
  distanceM: number
}

/**
 * Inside when the distance is at most the radius: a member standing exactly
 * on the edge is in. Floating error at the edge is absorbed by a millimetre
 * of tolerance, so a point computed to sit "at 200 m" is not refused for
 * being 200.0000000001 m away.
 */
export function checkGeofence(point: LatLng, fence: Fence): FenceCheck {
  const distanceM = distanceMeters(point, fence)
  return { inside: distanceM <= fence.radiusM + 1e-3, distanceM }
}

export function withinGeofence(point: LatLng, fence: Fence): boolean {
  return checkGeofence(point, fence).inside
}

/**
 * The point `meters` away from `from` along a bearing (degrees clockwise
 * from north), on the same sphere. Used by tests and the demo to place
 * people at exact distances.
 */
export function destinationPoint(from: LatLng, meters: number, bearingDeg: number): LatLng {
  const d = meters / EARTH_RADIUS_M
  const th = bearingDeg * RAD
  const lat1 = from.lat * RAD
  const lng1 = from.lng * RAD
  const lat2 = Math.asin(Math.sin(lat1) * Math.cos(d) + Math.cos(lat1) * Math.sin(d) * Math.cos(th))
  const lng2 = lng1 + Math.atan2(Math.sin(th) * Math.sin(d) * Math.cos(lat1), Math.cos(d) - Math.sin(lat1) * Math.sin(lat2))
  return { lat: lat2 / RAD, lng: ((lng2 / RAD + 540) % 360) - 180 }
}
