import { EARTH_RADIUS_M, checkGeofence, destinationPoint, distanceMeters, withinGeofence } from '../../../src/core/checkin/geo'

const VENUE = { lat: 39.9087, lng: 116.3975 } // 天安门, GCJ-02

describe('distanceMeters', () => {
  it('is zero for the same point and symmetric', () => {
    expect(distanceMeters(VENUE, VENUE)).toBe(0)
    const p = { lat: 39.91, lng: 116.4 }
    expect(distanceMeters(VENUE, p)).toBeCloseTo(distanceMeters(p, VENUE), 9)
  })

  it('matches known distances on the R = 6371008.8 m sphere', () => {
    // One degree of latitude = R·π/180.
    expect(distanceMeters({ lat: 0, lng: 0 }, { lat: 1, lng: 0 })).toBeCloseTo((EARTH_RADIUS_M * Math.PI) / 180, 6)
    // A quarter of the equator.
    expect(distanceMeters({ lat: 0, lng: 0 }, { lat: 0, lng: 90 })).toBeCloseTo((EARTH_RADIUS_M * Math.PI) / 2, 4)
    // Antipodes: half the circumference, no NaN.
    expect(distanceMeters({ lat: 0, lng: 0 }, { lat: 0, lng: 180 })).toBeCloseTo(EARTH_RADIUS_M * Math.PI, 4)
    // Beijing to Shanghai is about 1,067 km.
    const d = distanceMeters({ lat: 39.9042, lng: 116.4074 }, { lat: 31.2304, lng: 121.4737 })
    expect(d / 1000).toBeGreaterThan(1060)
    expect(d / 1000).toBeLessThan(1075)
  })

  it('is accurate at metre scale (haversine, not the law of cosines)', () => {
    const p = destinationPoint(VENUE, 1, 45)
    expect(distanceMeters(VENUE, p)).toBeCloseTo(1, 6)
  })

  it('destinationPoint places a point at the exact distance on any bearing', () => {
    for (const bearing of [0, 37, 90, 180, 271]) {
      for (const m of [0.5, 50, 200, 5000]) {
        expect(distanceMeters(VENUE, destinationPoint(VENUE, m, bearing))).toBeCloseTo(m, 6)
      }
    }
  })
})

describe('withinGeofence', () => {
  const fence = { ...VENUE, radiusM: 200 }

  it('is inclusive at exactly the radius', () => {
    for (const bearing of [0, 90, 135, 270]) {
      expect(withinGeofence(destinationPoint(VENUE, 200, bearing), fence)).toBe(true)
    }
  })

  it('refuses just outside and reports the distance', () => {
    const p = destinationPoint(VENUE, 200.5, 60)
    const check = checkGeofence(p, fence)
    expect(check.inside).toBe(false)
    expect(check.distanceM).toBeCloseTo(200.5, 6)
    expect(withinGeofence(destinationPoint(VENUE, 356, 200), fence)).toBe(false)
  })

  it('accepts the centre and anything inside', () => {
    expect(checkGeofence(VENUE, fence)).toEqual({ inside: true, distanceM: 0 })
    expect(withinGeofence(destinationPoint(VENUE, 199, 10), fence)).toBe(true)
  })
})
