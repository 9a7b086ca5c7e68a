import { createHmac } from 'crypto'
import { AppError } from '../../src/core/errors'
import { QR_SLOT_MS, parseCheckinToken, slotOf } from '../../src/core/checkin/qr-slot'
import { SIG_CHARS, issueCheckinToken, verifyCheckinToken } from '../../cloudfunctions/_shared/checkin-token'
import { getFunction } from '../../server/functions'
import { makeLocalRuntime } from '../../server/local-runtime'
import { makeTestEnv } from '../helpers/env'
import { BR2, addSession } from './checkin.fixtures'

const SECRET = 'unit-secret-0123456789abcdef'
const NOW = Date.parse('2026-11-20T06:00:12Z')

describe('check-in QR token signing', () => {
  it('signs HMAC-SHA256(secret, `${sessionId}:${slot}`), base64url cut to 96 bits', () => {
    const { token, slot, expiresAt, validUntil } = issueCheckinToken(SECRET, 's_br_2_x', NOW)
    expect(slot).toBe(slotOf(NOW))
    expect(expiresAt).toBe((slot + 1) * QR_SLOT_MS)
    expect(validUntil).toBe((slot + 2) * QR_SLOT_MS)
    const sig = createHmac('sha256', SECRET).update(`s_br_2_x:${slot}`).digest('base64url').slice(0, SIG_CHARS)
    expect(token).toBe(`ci.s_br_2_x.${slot}.${sig}`)
    expect(SIG_CHARS * 6).toBeGreaterThanOrEqual(96)
  })

  it('verifies its own tokens, including ids with dots and colons', () => {
    for (const id of ['s1', 'a.b', 'rc:h0123456789abcdef', 'x'.repeat(128)]) {
      const { token, slot } = issueCheckinToken(SECRET, id, NOW)
      expect(verifyCheckinToken(SECRET, token)).toEqual({ sessionId: id, slot, sig: parseCheckinToken(token)!.sig })
    }
  })

  it('rejects another secret, a changed slot or session, and garbage', () => {
    const { token, slot } = issueCheckinToken(SECRET, 's1', NOW)
    expect(verifyCheckinToken('other-secret-0123456789abcdef', token)).toBeNull()
    expect(verifyCheckinToken(SECRET, token.replace(`.${slot}.`, `.${slot + 1}.`))).toBeNull()
    expect(verifyCheckinToken(SECRET, token.replace('ci.s1.', 'ci.s2.'))).toBeNull()
    expect(verifyCheckinToken(SECRET, token + 'A')).toBeNull()
    expect(verifyCheckinToken(SECRET, 'garbage')).toBeNull()
  })

  it('refuses to work without a real secret', () => {
    expect(() => issueCheckinToken('', 's1', NOW)).toThrow(AppError)
    expect(() => verifyCheckinToken('', 'ci.s1.1.AAAAAAAAAAAAAAAA')).toThrow(/ZBDK_SECRET/)
  })
})

describe('a missing signing secret', () => {
  it('refuses a blank or short secret, not only an empty one', () => {
    for (const secret of ['', ' '.repeat(20), 'fifteen-chars!!']) {
      expect(() => issueCheckinToken(secret, 's1', NOW)).toThrow(expect.objectContaining({ code: 'NOT_AVAILABLE' }))
    }
    expect(() => issueCheckinToken('sixteen-chars!!!', 's1', NOW)).not.toThrow()
  })

  it('tells the secretary and the member in Chinese, and the log which variable to set', async () => {
    const env = await makeTestEnv()
    try {
      const s = await addSession(env)
      const logs: Array<[string, string, unknown]> = []
      const call = (action: string, input: Record<string, unknown>, as: string) => {
        const rt = makeLocalRuntime(
          { db: env.db, secret: '', production: true, clock: env.clock, log: (level, msg, extra) => void logs.push([level, msg, extra]) },
          { openid: `dev_${as}`, source: 'local-token' }
        )
        return getFunction('checkin')!(rt, { action, ...input })
      }
      for (const [action, input, as] of [
        ['token', { sessionId: s._id }, BR2.secretary],
        ['checkIn', { sessionId: s._id, token: `ci.${s._id}.1.AAAAAAAAAAAAAAAA` }, BR2.member]
      ] as const) {
        logs.length = 0
        const r = await call(action, input, as)
        expect(r).toMatchObject({ ok: false, error: { code: 'NOT_AVAILABLE' } })
        expect(r.ok ? '' : r.error.message).toMatch(/签到码/)
        expect(logs).toEqual([['error', expect.stringContaining('ZBDK_SECRET'), expect.objectContaining({ env: 'ZBDK_SECRET' })]])
      }
    } finally {
      env.close()
    }
  })
})
