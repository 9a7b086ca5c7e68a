/**
 * Per-member rate limits inside the functions (cloudfunctions/_shared/
 * rate-limit.ts), counted in the `rate_limits` collection so every CloudBase
 * instance sees one count: each `env.call` here builds a fresh runtime, as a
 * fresh instance would, and only the database remembers.
 */
import { readdirSync, readFileSync } from 'fs'
import { join } from 'path'
import { MEMBER_RATE_RULES } from '../../src/core/rate-limit'
import { LIMITED_ACTIONS, RATE_LIMIT_COLLECTION, UNLIMITED_ACTIONS } from '../../cloudfunctions/_shared/rate-limit'
import { DEMO_PEOPLE } from '../../server/seed/people'
import type { Identity } from '../../cloudfunctions/_shared/runtime'
import { expectFail, expectOk, makeTestEnv, type TestEnv } from '../helpers/env'
import { HOUR, MIN, addBranch, addOnlineSession, speechText } from './call-budget.fixtures'

// One database for the file, as the functions' instances share one; each test uses its own people.
let env: TestEnv
beforeAll(async () => {
  env = await makeTestEnv()
})
afterAll(() => env.close())
const counters = async () => (await env.db.collection(RATE_LIMIT_COLLECTION).count()).total

const stranger = (n: number): Identity => ({ openid: `wx_stranger_${n}`, source: 'wechat' })
const wrongCode = (i: number) => `ZZ${String(i).padStart(6, '0')}`

describe('invite codes', () => {
  it('300 wrong codes: RATE_LIMITED after the tenth, the right code too, until the window passes', async () => {
    const rule = MEMBER_RATE_RULES.invite
    const who = stranger(1)
    const started = performance.now()
    const answers: string[] = []
    for (let i = 0; i < 300; i++) {
      const r = await env.call('auth', 'joinBranch', { inviteCode: wrongCode(i), name: '试探者' }, who)
      answers.push(r.ok ? 'ok' : r.error.code)
    }
    const elapsed = performance.now() - started
    expect(answers.slice(0, rule.limit)).toEqual(Array(rule.limit).fill('NOT_FOUND'))
    expect(new Set(answers.slice(rule.limit))).toEqual(new Set(['RATE_LIMITED']))
    // Measured for the report: how long 300 attempts take now that 290 are refused before any lookup.
    console.log(`300 wrong invite codes through the functions: ${elapsed.toFixed(0)} ms; ${rule.limit} looked up, ${300 - rule.limit} refused`)

    // The right code is refused too while the window lasts, with when to come back.
    const refused = expectFail(await env.call('auth', 'joinBranch', { inviteCode: 'DEMO0002', name: '新同志' }, who), 'RATE_LIMITED')
    expect(refused.message).toMatch(/邀请码尝试次数太多，请 \d+ (秒|分钟)后再试/)
    const after = refused.details?.retryAfterSeconds as number
    expect(after).toBeGreaterThan(0)
    expect(after).toBeLessThanOrEqual(rule.windowMs / 1000)

    // Another person is not affected.
    expectOk(await env.call('auth', 'joinBranch', { inviteCode: 'DEMO0002', name: '另一位' }, stranger(2)))

    // A second before the window ends: still refused; once it has passed, the right code joins.
    env.clock.advance(after * 1000 - 1000)
    expectFail(await env.call('auth', 'joinBranch', { inviteCode: 'DEMO0002', name: '新同志' }, who), 'RATE_LIMITED')
    env.clock.advance(1000)
    const joined = expectOk(await env.call<{ pendingConfirmation: boolean }>('auth', 'joinBranch', { inviteCode: 'DEMO0002', name: '新同志' }, who))
    expect(joined.pendingConfirmation).toBe(true)
  })

  it('a person who mistypes a few times gets in', async () => {
    const who = stranger(3)
    for (const code of ['DEMO0020', 'DEM00002', 'DEMO0O02']) expectFail(await env.call('auth', 'joinBranch', { inviteCode: code, name: '新同志' }, who), 'NOT_FOUND')
    expectOk(await env.call('auth', 'joinBranch', { inviteCode: 'demo0002', name: '新同志' }, who))
    // The doubled taps of a slow network are answered as before.
    for (let i = 0; i < 3; i++) expectOk(await env.call('auth', 'joinBranch', { inviteCode: 'DEMO0002', name: '新同志' }, who))
  })

  it('an invalid or missing login is refused as before and counts nothing', async () => {
    const before = await counters()
    for (let i = 0; i < 20; i++) expectFail(await env.call('auth', 'joinBranch', { inviteCode: wrongCode(i), name: '甲' }, null), 'FORBIDDEN')
    const bad: Identity = { openid: null, source: 'none', problem: 'invalid' }
    for (let i = 0; i < 20; i++) expectFail(await env.call('auth', 'joinBranch', { inviteCode: wrongCode(i), name: '甲' }, bad), 'FORBIDDEN')
    expect(await counters()).toBe(before)
  })
})

describe('writes', () => {
  it('the 61st write in a minute is refused and writes nothing; the next minute is open again', async () => {
    const rule = MEMBER_RATE_RULES.write
    // At the start of a minute, so the whole burst falls in one window.
    env.clock.set(Math.ceil(env.clock.now() / rule.windowMs) * rule.windowMs)
    const me = DEMO_PEOPLE.member1
    for (let i = 0; i < rule.limit; i++) expectOk(await env.call('auth', 'updateMe', { largeText: i % 2 === 0 }, me))
    const before = (await env.db.collection('notes').where({ memberId: me }).count()).total
    const r = await env.call('note', 'save', { kind: 'note', title: '学习体会', content: speechText(300) }, me)
    const refused = expectFail(r, 'RATE_LIMITED')
    expect(refused.message).toMatch(/操作太频繁了，请 \d+ (秒|分钟)后再试/)
    expect((await env.db.collection('notes').where({ memberId: me }).count()).total).toBe(before)
    // Reads are not counted.
    expectOk(await env.call('note', 'list', { year: 2026 }, me))
    expectOk(await env.call('auth', 'whoami', {}, me))
    // Another member writes as usual.
    expectOk(await env.call('auth', 'updateMe', { largeText: true }, DEMO_PEOPLE.member2))
    env.clock.advance(rule.windowMs)
    expectOk(await env.call('note', 'save', { kind: 'note', title: '学习体会', content: speechText(300) }, me))
  })

  it('check-ins are not counted per member (the check-in budget), so a branch checks in whatever its members wrote', async () => {
    const br = await addBranch(env, 'br_rl', 3)
    env.clock.set(Math.ceil(env.clock.now() / MIN) * MIN)
    const [m1] = br.members
    for (let i = 0; i < MEMBER_RATE_RULES.write.limit; i++) expectOk(await env.call('auth', 'updateMe', { largeText: i % 2 === 0 }, m1))
    expectFail(await env.call('auth', 'updateMe', { largeText: true }, m1), 'RATE_LIMITED')
    const s = await addOnlineSession(env, br, 5 * MIN)
    expectOk(await env.call('checkin', 'checkIn', { sessionId: s._id }, m1))
  })

  it("a busy day is never limited: a member's notes and leave, a secretary's sessions, decisions and reminders", async () => {
    const br = await addBranch(env, 'br_day', 30)
    const sec = br.secretary
    const [m1, m2] = br.members
    const start = env.clock.now()
    const tap = (ms = 3000) => env.clock.advance(ms)
    // Morning: the member writes a long note, editing it twice a minute for 20 minutes, then writes two more.
    let note = expectOk(await env.call<{ note: { _id: string; version: number } }>('note', 'save', { kind: 'note', title: '学习体会', content: speechText(400) }, m1)).note
    for (let i = 1; i <= 40; i++) {
      tap(30_000)
      note = expectOk(await env.call<{ note: { _id: string; version: number } }>('note', 'save', { id: note._id, version: note.version, kind: 'note', title: '学习体会', content: speechText(400 + i * 10) }, m1)).note
    }
    for (const which of [2, 3]) {
      tap(5 * MIN)
      expectOk(await env.call('note', 'save', { kind: 'note', title: '心得', content: speechText(500, which) }, m1))
    }
    // The secretary plans a week of sessions at a sitting, one form every few seconds.
    const sessions: string[] = []
    for (let d = 1; d <= 5; d++) {
      tap(20_000)
      const startAt = start + d * 24 * HOUR
      const created = expectOk(
        await env.call<{ sessions: Array<{ _id: string }> }>(
          'session',
          'create',
          { branchId: br.id, type: 'theme_day', title: `主题党日${d}`, startAt, endAt: startAt + 2 * HOUR, venue: { name: '线上' }, allowOnlineWithoutQr: true },
          sec
        )
      )
      sessions.push(created.sessions[0]._id)
    }
    // Members ask leave for the first; the secretary decides all of them, one tap every two seconds.
    const askers = br.members.slice(0, 25)
    for (const m of askers) expectOk(await env.call('checkin', 'requestLeave', { sessionId: sessions[0], reason: '出差' }, m))
    for (const m of askers) {
      tap(2000)
      expectOk(await env.call('checkin', 'decideLeave', { sessionId: sessions[0], memberId: m, approve: true }, sec))
    }
    // Reminders: the member reads the inbox item by item.
    for (let i = 0; i < 10; i++) {
      tap(1000)
      expectOk(await env.call('remind', 'markRead', { all: true }, m2))
    }
    expect(await counters()).toBeGreaterThan(0)

    // Spent windows are removed by the cron tick.
    env.clock.advance(HOUR)
    expectOk(await env.call('cron', 'tick', {}, null))
    expect(await counters()).toBe(0)
  }, 60_000)
})

describe('demo login', () => {
  it('is limited per member it logs in as', async () => {
    const rule = MEMBER_RATE_RULES.login
    for (let i = 0; i < rule.limit; i++) expectOk(await env.call('auth', 'devLogin', { memberId: DEMO_PEOPLE.member1 }))
    expectFail(await env.call('auth', 'devLogin', { memberId: DEMO_PEOPLE.member1 }), 'RATE_LIMITED')
    expectOk(await env.call('auth', 'devLogin', { memberId: DEMO_PEOPLE.member2 }))
    env.clock.advance(rule.windowMs)
    expectOk(await env.call('auth', 'devLogin', { memberId: DEMO_PEOPLE.member1 }))
  })
})

describe('the table of limited actions', () => {
  // Every action each function defines (`name: action(` in its source).
  const defined = new Map<string, Set<string>>()
  const root = join(__dirname, '../../cloudfunctions')
  for (const fn of readdirSync(root)) {
    if (fn.startsWith('_') || fn === 'README.md') continue
    const src = join(root, fn, 'src')
    const names = new Set<string>()
    for (const f of readdirSync(src)) {
      if (!f.endsWith('.ts')) continue
      for (const m of readFileSync(join(src, f), 'utf8').matchAll(/^\s+([A-Za-z]+): action\(/gm)) names.add(m[1])
    }
    defined.set(fn, names)
  }

  it('names every action of every function once: limited, or deliberately not', () => {
    const listed = new Map<string, string[]>()
    const note = (fn: string, a: string) => listed.set(`${fn}.${a}`, [...(listed.get(`${fn}.${a}`) ?? []), fn])
    for (const [fn, actions] of Object.entries(LIMITED_ACTIONS)) for (const a of Object.keys(actions)) note(fn, a)
    for (const [fn, actions] of Object.entries(UNLIMITED_ACTIONS)) for (const a of actions) note(fn, a)
    const all = [...defined].flatMap(([fn, names]) => [...names].map((a) => `${fn}.${a}`)).sort()
    expect(all.length).toBeGreaterThan(60)
    expect(all.filter((k) => !listed.has(k))).toEqual([])
    expect([...listed.keys()].filter((k) => !all.includes(k))).toEqual([])
    expect([...listed].filter(([, v]) => v.length > 1).map(([k]) => k)).toEqual([])
  })

  it('keeps the check-in itself out of the per-member count', () => {
    expect(UNLIMITED_ACTIONS.checkin).toContain('checkIn')
    expect(LIMITED_ACTIONS.note.save.cls).toBe('write')
    expect(LIMITED_ACTIONS.auth.joinBranch.cls).toBe('invite')
  })
})
