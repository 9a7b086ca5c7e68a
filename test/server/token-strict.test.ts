/**
 * Session tokens take one spelling only (strict base64url, as signToken
 * writes it); the server refuses a signing secret under 32 bytes, wherever
 * it comes from; the dev default is long enough; and what the server writes
 * in its data folder is the owner's alone.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs'
import { tmpdir } from 'os'
import { join } from 'path'
import { buildApp } from '../../server/app'
import { MIN_SESSION_SECRET_BYTES, loadOrCreateSecret, requireSessionSecret } from '../../server/config'
import { signToken, verifyToken } from '../../server/token'
import { TEST_SECRET } from '../helpers/env'
import { removeDir, startServer } from '../helpers/server-process'
import { openDatabase } from '../../server/db'

const NOW = Date.parse('2026-11-20T02:00:00Z')
const OPENID = 'dev_m_br_1_03'

describe('strict base64url tokens', () => {
  const { token } = signToken(TEST_SECRET, OPENID, NOW)
  const [body, sig] = token.split('.')

  it('accepts the token as signed', () => {
    expect(verifyToken(TEST_SECRET, token, NOW)).toEqual({ ok: true, openid: OPENID })
    expect(sig).toMatch(/^[A-Za-z0-9_-]{43}$/)
  })

  it('refuses every other spelling of the same signature', () => {
    const bytes = Buffer.from(sig, 'base64url')
    const last = sig[42]
    // 32 bytes in 43 characters leave 2 bits unused: the other 3 characters of the last one's block decode to the same bytes.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
    const block = alphabet.indexOf(last) & ~0b11
    const sameBytes = [0, 1, 2, 3].map((i) => alphabet[block + i]).filter((c) => c !== last).map((c) => sig.slice(0, 42) + c)
    for (const s of sameBytes) expect(Buffer.from(s, 'base64url').equals(bytes)).toBe(true)
    const spellings = [
      ...sameBytes,
      sig + '=', // padded
      bytes.toString('base64'), // standard alphabet, padded
      bytes.toString('base64').replace(/=+$/, ''), // standard alphabet
      sig.slice(0, 20) + '\n' + sig.slice(20), // stray whitespace Node's decoder skips
      sig.slice(0, 20) + '.' + sig.slice(20),
      sig + 'A', // trailing junk
      sig.slice(0, 42) // cut
    ]
    for (const s of spellings.filter((x) => x !== sig)) expect([s, verifyToken(TEST_SECRET, `${body}.${s}`, NOW)]).toEqual([s, { ok: false, problem: 'invalid' }])
  })

  it('refuses a payload spelt otherwise than it was signed, or padded', () => {
    for (const b of [body + '=', body + '==', ` ${body}`, body.replace(/-/g, '+').replace(/_/g, '/')]) {
      if (b === body) continue
      expect(verifyToken(TEST_SECRET, `${b}.${sig}`, NOW)).toEqual({ ok: false, problem: 'invalid' })
    }
  })
})

describe('the signing secret', () => {
  it('is refused under 32 bytes, counting bytes, not characters', () => {
    expect(MIN_SESSION_SECRET_BYTES).toBe(32)
    expect(() => requireSessionSecret('x'.repeat(31))).toThrow(/ZBDK_SECRET is too short \(31 bytes\).*at least 32 bytes/)
    expect(() => requireSessionSecret(' '.repeat(40))).toThrow(/too short/)
    expect(requireSessionSecret('x'.repeat(32))).toBe('x'.repeat(32))
    // 11 CJK characters are 33 bytes of UTF-8.
    expect(() => requireSessionSecret('密'.repeat(11))).not.toThrow()
    expect(Buffer.byteLength(TEST_SECRET)).toBeGreaterThanOrEqual(32)
  })

  it('is refused by buildApp, from ZBDK_SECRET and from secret.key; the generated default is 64 hex characters', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zbdk-secret-'))
    try {
      const db = openDatabase({ file: ':memory:' })
      await expect(buildApp({ db, secret: 'test-secret-0123456789abcdef', production: false, quiet: true })).rejects.toThrow(/too short/)
      db.close()
      expect(() => loadOrCreateSecret(dir, { ZBDK_SECRET: 'short-secret' })).toThrow(/ZBDK_SECRET is too short/)
      const made = loadOrCreateSecret(join(dir, 'data'), {})
      expect(made).toMatch(/^[0-9a-f]{64}$/)
      expect(loadOrCreateSecret(join(dir, 'data'), {})).toBe(made)
      expect(statSync(join(dir, 'data', 'secret.key')).mode & 0o777).toBe(0o600)
      writeFileSync(join(dir, 'data', 'secret.key'), 'abc\n')
      expect(() => loadOrCreateSecret(join(dir, 'data'), {})).toThrow(/secret\.key is too short/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('the server process', () => {
  it('will not start on a short ZBDK_SECRET, and says why', async () => {
    await expect(startServer({ ZBDK_SECRET: 'bench-secret-0123456789abcdef', ZBDK_SEED: '0' })).rejects.toThrow(/ZBDK_SECRET is too short/)
  }, 30_000)

  it('starts on its own secret and keeps its data folder to the owner: 0700 folders, 0600 files', async () => {
    const server = await startServer({ ZBDK_SEED: '0' })
    try {
      // An export makes files; the health answer proves the server is up.
      expect((await fetch(`${server.url}api/health`)).status).toBe(200)
      const dir = server.dataDir
      expect(readFileSync(join(dir, 'secret.key'), 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/)
      for (const f of ['secret.key', 'zbdk.sqlite', 'zbdk.sqlite-wal']) expect([f, statSync(join(dir, f)).mode & 0o777]).toEqual([f, 0o600])
    } finally {
      await server.stop()
      removeDir(server.dataDir)
    }
  }, 60_000)
})
