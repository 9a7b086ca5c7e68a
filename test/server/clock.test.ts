import { clockFrom, loadConfig } from '../../server/config'

describe('the server clock (ZBDK_NOW)', () => {
  it('is the wall clock when ZBDK_NOW is unset', () => {
    const clock = clockFrom({}, false, () => 1_000)
    expect(clock.now()).toBe(1_000)
  })

  it('starts at ZBDK_NOW and runs on from the anchor', () => {
    let real = 5_000
    const clock = clockFrom({ ZBDK_NOW: '2027-01-01T00:30:00+08:00', ZBDK_NOW_AT: '4000' }, false, () => real)
    const start = Date.parse('2026-12-31T16:30:00Z')
    expect(clock.now()).toBe(start + 1_000)
    real += 60_000
    expect(clock.now()).toBe(start + 61_000)
  })

  it('takes epoch milliseconds and anchors at the server start without ZBDK_NOW_AT', () => {
    const clock = clockFrom({ ZBDK_NOW: '1767225600000' }, false, () => 42)
    expect(clock.now()).toBe(1767225600000)
  })

  it('refuses a time it cannot read, and any made-up time in production', () => {
    expect(() => clockFrom({ ZBDK_NOW: 'tomorrow' }, false)).toThrow(/ZBDK_NOW/)
    expect(() => clockFrom({ ZBDK_NOW: '2026-06-15T10:00:00+08:00' }, true)).toThrow(/ZBDK_PRODUCTION/)
    expect(() => loadConfig({ ZBDK_NOW: '2026-06-15T10:00:00+08:00', ZBDK_PRODUCTION: '1' } as unknown as NodeJS.ProcessEnv)).toThrow(/ZBDK_PRODUCTION/)
  })
})
