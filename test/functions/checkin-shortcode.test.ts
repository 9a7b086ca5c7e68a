/**
 * The six digits under the venue QR (core/checkin/short-code.ts): typed on
 * the session's page where a phone cannot scan, accepted for exactly the
 * slots a live scan is, refused like a stale scan otherwise, and guarded
 * against a script trying all of them.
 */
import { createHmac } from 'crypto'
import { QR_SLOT_MS, slotOf, slotStart } from '../../src/core/checkin/qr-slot'
import { SHORT_CODE_GUARD_WINDOW_MS, SHORT_CODE_MAX_WRONG, shortCodeFromDigest } from '../../src/core/checkin/short-code'
import { checkinId, type Checkin } from '../../src/core/schemas/checkin'
import { DEMO_PEOPLE } from '../../server/seed/people'
import { issueCheckinToken, matchShortCode } from '../../cloudfunctions/_shared/checkin-token'
import { TEST_SECRET, expectFail, expectOk, type TestEnv } from '../helpers/env'
import type { CallCounter } from '../helpers/counting-db'
import { countedEnv } from './call-budget.fixtures'
import { BR2, MIN, addSession } from './checkin.fixtures'
import { ledgerOf } from './stats-support'

type CheckInOut = { checkin?: Checkin; pending?: unknown; duplicate: boolean }
type TokenOut = { token: string; code: string; slot: number; validUntil: number }
type RosterOut = { counts: { attended: number; late: number; absent: number; expected: number } }

// 10 s into a slot, and 10 s into a 10-minute guard window.
const T0 = Date.parse('2026-11-20T02:00:10Z')

let env: TestEnv
let counter: CallCounter
beforeAll(async () => {
  ;({ env, counter } = await countedEnv())
})
afterAll(() => env.close())
beforeEach(() => env.clock.set(T0))

const screen = async (sessionId: string) => expectOk(await env.call<TokenOut>('checkin', 'token', { sessionId }, BR2.secretary))
const checkIn = (sessionId: string, as: string, extra: Record<string, unknown>) =>
  env.call<CheckInOut>('checkin', 'checkIn', { sessionId, ...extra }, as)
const checkinDoc = async (sessionId: string, memberId: string) => (await env.db.collection('checkins').doc(checkinId(sessionId, memberId)).get()).data
const pendingDoc = async (sessionId: string, memberId: string) => (await env.db.collection('pending_checkins').doc(checkinId(sessionId, memberId)).get()).data
const roster = async (sessionId: string) => expectOk(await env.call<RosterOut>('session', 'roster', { sessionId }, BR2.secretary))
/** A six-digit code that is none of the session's live or recent ones. */
function wrongCode(sessionId: string): string {
  for (let n = 0; ; n++) {
    const c = String(n).padStart(6, '0')
    const m = matchShortCode(TEST_SECRET, sessionId, c, env.clock.now())
    if (!m.ok && m.reason === 'wrong') return c
  }
}

describe('the code on the screen', () => {
  it('is HMAC(secret, short|sessionId|slot) as six digits, beside the token', async () => {
    const s = await addSession(env)
    const t = await screen(s._id)
    expect(t.code).toMatch(/^[0-9]{6}$/)
    const digest = createHmac('sha256', TEST_SECRET).update(`short|${s._id}|${slotOf(T0)}`).digest()
    expect(t.code).toBe(shortCodeFromDigest(digest))
    expect(t.code).toBe(issueCheckinToken(TEST_SECRET, s._id, T0).code)
    // The next slot shows another code.
    env.clock.advance(QR_SLOT_MS)
    expect((await screen(s._id)).code).not.toBe(t.code)
  })
})

describe('checking in with the typed code', () => {
  it('checks in and counts like a QR scan', async () => {
    const s = await addSession(env, { startIn: -2 * MIN })
    const t = await screen(s._id)
    const byCode = expectOk(await checkIn(s._id, BR2.member, { code: t.code }))
    const byScan = expectOk(await checkIn(s._id, BR2.others[0], { token: t.token }))
    expect(byCode.duplicate).toBe(false)
    expect(byCode.checkin).toMatchObject({ method: 'qr', status: 'attended', qrSlot: t.slot, at: T0, recordedAt: T0 })
    const pick = (c: Checkin | undefined) => ({ method: c?.method, status: c?.status, qrSlot: c?.qrSlot, at: c?.at, periodKeys: c?.periodKeys })
    expect(pick(byCode.checkin)).toEqual(pick(byScan.checkin))
    const r = await roster(s._id)
    expect(r.counts.attended).toBe(2)
    const lines = (await ledgerOf(env, BR2.member)).filter((e) => e.sourceId === checkinId(s._id, BR2.member) && e.delta > 0)
    expect(lines).toHaveLength(1)
    // Typed again (a double tap): the same check-in, nothing new.
    expect(expectOk(await checkIn(s._id, BR2.member, { code: t.code }))).toMatchObject({ duplicate: true })
  })

  it("the previous slot's code still works within the grace, dated in its slot", async () => {
    const s = await addSession(env)
    const t = await screen(s._id)
    env.clock.advance(QR_SLOT_MS + 5000)
    const out = expectOk(await checkIn(s._id, BR2.member, { code: t.code }))
    expect(out.checkin).toMatchObject({ method: 'qr', qrSlot: t.slot })
    expect(out.checkin!.at).toBeLessThan(slotStart(t.slot + 1))
  })

  it('an expired code is refused, and nothing is recorded', async () => {
    const s = await addSession(env)
    const t = await screen(s._id)
    env.clock.advance(2 * QR_SLOT_MS)
    const e = expectFail(await checkIn(s._id, BR2.member, { code: t.code }), 'QR_EXPIRED')
    expect(e.message).toBe('这组数字已经过期了，请输入现场大屏上正在显示的 6 位数字')
    expect(await checkinDoc(s._id, BR2.member)).toBeFalsy()
    expect(await pendingDoc(s._id, BR2.member)).toBeFalsy()
    expect((await roster(s._id)).counts.attended).toBe(0)
  })

  it("another session's code is refused, and nothing is recorded", async () => {
    const s = await addSession(env)
    const other = await addSession(env)
    const t = await screen(other._id)
    expect(t.code).not.toBe((await screen(s._id)).code)
    const e = expectFail(await checkIn(s._id, BR2.member, { code: t.code }), 'QR_EXPIRED')
    expect(e.message).toBe('数字不对，请对照现场大屏上正在显示的 6 位数字再输一次')
    expect(await checkinDoc(s._id, BR2.member)).toBeFalsy()
    expect(await checkinDoc(other._id, BR2.member)).toBeFalsy()
  })

  it('bad input is INVALID_INPUT and never reaches the check', async () => {
    const s = await addSession(env)
    const t = await screen(s._id)
    const bad: Record<string, unknown>[] = [
      { code: t.code.slice(0, 5) },
      { code: 'abcdef' },
      { code: '12345a' },
      { code: `${t.code}0` },
      { code: ` ${t.code}` },
      { code: '３８２９１７' },
      { code: '' },
      { code: Number(t.code) },
      { code: t.code, token: t.token },
      { code: t.code, clientAt: T0 }
    ]
    for (const extra of bad) expectFail(await checkIn(s._id, BR2.member, extra), 'INVALID_INPUT')
    expect(await checkinDoc(s._id, BR2.member)).toBeFalsy()
  })

  it("another branch's session is FORBIDDEN as before", async () => {
    const s = await addSession(env)
    const t = await screen(s._id)
    const a = expectFail(await checkIn(s._id, DEMO_PEOPLE.member1, { code: t.code }), 'FORBIDDEN')
    expect(a.message).toBe('这不是您所在支部的活动，无法签到')
  })
})

describe('the wrong-code guard', () => {
  it(`after ${SHORT_CODE_MAX_WRONG} wrong codes the member may not try a code for that session until the window ends`, async () => {
    const s = await addSession(env)
    const elsewhere = await addSession(env)
    const wrong = wrongCode(s._id)
    for (let i = 0; i < SHORT_CODE_MAX_WRONG; i++) expectFail(await checkIn(s._id, BR2.member, { code: wrong }), 'QR_EXPIRED')
    // Even the right code: a script must not learn it from the one answer that succeeds.
    const right = (await screen(s._id)).code
    const locked = expectFail(await checkIn(s._id, BR2.member, { code: right }), 'RATE_LIMITED')
    expect(locked.message).toMatch(/分钟后再输入/)
    expect(locked.message).toMatch(/扫码/)
    expect(locked.details?.retryAfterSeconds).toBe((SHORT_CODE_GUARD_WINDOW_MS - 10_000) / 1000)
    expect(await checkinDoc(s._id, BR2.member)).toBeFalsy()
    // The QR scan still works for another; another member's code and another session's code are unaffected.
    expectOk(await checkIn(s._id, BR2.others[1], { code: right }))
    expectOk(await checkIn(elsewhere._id, BR2.member, { code: (await screen(elsewhere._id)).code }))
    // An expired code is not counted as a guess (checked on a fresh member).
    const old = (await screen(s._id)).code
    env.clock.advance(3 * QR_SLOT_MS)
    for (let i = 0; i < SHORT_CODE_MAX_WRONG + 2; i++) expectFail(await checkIn(s._id, BR2.others[2], { code: old }), 'QR_EXPIRED')
    expectOk(await checkIn(s._id, BR2.others[2], { code: (await screen(s._id)).code }))
    // The window ends: the member may type again.
    env.clock.set(T0 - 10_000 + SHORT_CODE_GUARD_WINDOW_MS + 1000)
    const out = expectOk(await checkIn(s._id, BR2.member, { code: (await screen(s._id)).code }))
    expect(out.checkin).toMatchObject({ method: 'qr' })
  })

  it('a QR scan is not held by the code guard', async () => {
    const s = await addSession(env)
    const wrong = wrongCode(s._id)
    for (let i = 0; i < SHORT_CODE_MAX_WRONG; i++) expectFail(await checkIn(s._id, BR2.member, { code: wrong }), 'QR_EXPIRED')
    expectOk(await checkIn(s._id, BR2.member, { token: (await screen(s._id)).token }))
  })
})

describe('database calls (CloudBase bills each)', () => {
  it('a typed code costs one read more than a scan; a wrong one writes its count', async () => {
    // The steady state, as in call-budget.test.ts: each member's month has begun (a session earlier today).
    const [b, c, d] = BR2.others.slice(3)
    const warm = await addSession(env)
    const w = await screen(warm._id)
    for (const m of [b, c, d]) expectOk(await checkIn(warm._id, m, { token: w.token }))
    const s = await addSession(env, { startIn: 20 * MIN })
    const t = await screen(s._id)
    const calls = async (label: string, fn: () => Promise<unknown>) => {
      await counter.run(label, fn)
      return counter.get(label).calls
    }
    const scan = await calls('scan', async () => expectOk(await checkIn(s._id, b, { token: t.token })))
    const typed = await calls('typed', async () => expectOk(await checkIn(s._id, c, { code: t.code })))
    const wrong = wrongCode(s._id)
    const firstWrong = await calls('wrong, first in window', async () => expectFail(await checkIn(s._id, d, { code: wrong }), 'QR_EXPIRED'))
    const nextWrong = await calls('wrong, next in window', async () => expectFail(await checkIn(s._id, d, { code: wrong }), 'QR_EXPIRED'))
    if (process.env.BUDGET_DEBUG) for (const l of ['scan', 'typed']) console.log(l, JSON.stringify(counter.get(l).byKind))
    console.log(`database calls per check-in: QR scan ${scan}, typed code ${typed}, wrong code ${firstWrong} (first in a window) / ${nextWrong} (later)`)
    expect(scan).toBeLessThanOrEqual(8)
    expect(typed).toBe(scan + 1)
    expect(firstWrong).toBeLessThanOrEqual(scan)
  })
})
