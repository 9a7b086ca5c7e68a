/**
 * The main journeys of the README through the deployable bundles
 * (`cloudfunctions/<fn>/index.js`, the real wx-server-sdk inside) on the
 * local CloudBase emulator: collections must exist, transactions are
 * doc-only with write locks and a lifetime, every database call costs
 * 10 ms, each function has its config.json timeout. Every step reads its
 * outcome back through the functions (or the emulator's file); an `ok: true`
 * alone proves nothing.
 *
 * Everything runs on the test clock (test/helpers/clock.ts): the seed, this
 * file and the bundles' instances (the function host shifts their clock), so
 * the journeys give the same answer on any real date.
 *
 * The tests of the main describe run in order and share one emulator: one
 * session of 第二党支部 (open now; the secretary ends it early) goes
 * from scheduling through check-in, leave, the timer's tally and make-up.
 */
import ExcelJS from 'exceljs'
import { CLOUD_COLLECTIONS } from '../../cloudfunctions/_shared/collections'
import { countNoteWords } from '../../src/core/words'
import { checkinId } from '../../src/core/schemas/checkin'
import type { Member } from '../../src/core/schemas/member'
import type { Note } from '../../src/core/schemas/note'
import { SESSION_TYPE_LABELS, type Session } from '../../src/core/schemas/session'
import { formatShanghai } from '../../src/core/period'
import { DEMO_PEOPLE } from '../../server/seed/people'
import { cbFail, cbOk, endSessionSoon, makeCloudbaseEnv, reconcileYear, tickUntilDone, type CloudbaseEnv } from '../helpers/cloudbase-env'
import { testNow } from '../helpers/clock'
import { HOUR, MIN, OWN_REFLECTION, SEC, periodsOf, speechText } from './journeys.fixtures'

jest.setTimeout(120_000)

const P = DEMO_PEOPLE
/** 第二党支部: 01 secretary, 02 committee, 03–12 members. */
const BR2 = {
  secretary: 'm_br_2_01',
  attend: ['m_br_2_03', 'm_br_2_04', 'm_br_2_05', 'm_br_2_06', 'm_br_2_07', 'm_br_2_08'],
  leaveApproved: 'm_br_2_09',
  leaveRefused: 'm_br_2_10',
  makeUp: 'm_br_2_11',
  absent: 'm_br_2_12'
} as const

type Roster = { rows: { member: { _id: string }; state: string; method?: string }[]; counts: Record<string, number> }
type PointsOut = { total: number; lines: { rule: string; delta: number; reason: string; sourceId: string }[] }

let env: CloudbaseEnv
/** The subscribe-message template id set in the functions' environment, as the README's deploy steps say. */
const SOON_TEMPLATE = 'tmpl-session-soon-0001'
const OUTCOME_TEMPLATE = 'tmpl-outcome-0001'
/** Joined 第二党支部 by invite code in the first journey. */
let newcomer = ''
let S: Session
let S2: Session
/** A title no seeded session has, to pick this session's ledger lines out by their reason. */
const TITLE = `云端演练${testNow().toString(36).slice(-5)}`

beforeAll(async () => {
  env = await makeCloudbaseEnv({ latencyMs: 10, functionEnv: { ZBDK_TEMPLATE_SESSION_SOON: SOON_TEMPLATE, ZBDK_TEMPLATE_SESSION_TOMORROW: 'tmpl-session-tomorrow', ZBDK_TEMPLATE_OUTCOME: OUTCOME_TEMPLATE } })
})
afterAll(async () => {
  await env?.close()
})

const roster = async (sessionId: string): Promise<Roster> => cbOk(await env.call<Roster>('session', 'roster', { sessionId }, BR2.secretary))
const stateOf = (r: Roster, memberId: string) => r.rows.find((x) => x.member._id === memberId)?.state
const pointsOf = async (memberId: string, period: string): Promise<PointsOut> =>
  cbOk(await env.call<PointsOut>('stats', 'points', { memberId, period }, BR2.secretary))
const linesFor = (p: PointsOut, title: string) => p.lines.filter((l) => l.reason.includes(`「${title}」`))

describe('CloudBase journeys (bundles on the emulator, 10 ms per call)', () => {
  it('join with an invite code by OPENID; the secretary confirms', async () => {
    const openid = { openid: `oWx_${testNow().toString(36)}_newcomer` }
    expect(cbOk(await env.call('auth', 'whoami', {}, openid))).toEqual({ me: null })
    const joined = cbOk(await env.call<{ pendingConfirmation: boolean; me: { member: Member } }>('auth', 'joinBranch', { inviteCode: 'demo0002', name: '云上新同志' }, openid))
    expect(joined.pendingConfirmation).toBe(true)
    const newId = joined.me.member._id
    newcomer = newId
    expect(joined.me.member).toMatchObject({ branchId: 'br_2', name: '云上新同志', joinStatus: 'pending', openid: openid.openid, roles: [] })
    // A retried join is the same person, not a second one.
    expect(cbOk(await env.call<{ me: { member: Member } }>('auth', 'joinBranch', { inviteCode: 'DEMO0002', name: '云上新同志' }, openid)).me.member._id).toBe(newId)

    const pending = cbOk(await env.call<{ members: { _id: string; name: string }[] }>('org', 'pending', { branchId: 'br_2' }, BR2.secretary)).members
    expect(pending.filter((m) => m._id === newId)).toEqual([expect.objectContaining({ name: '云上新同志' })])
    // Another branch's secretary may neither see nor confirm them.
    cbFail(await env.call('org', 'pending', { branchId: 'br_2' }, P.secretary3), 'FORBIDDEN')
    cbFail(await env.call('org', 'confirmMember', { memberId: newId, accept: true }, P.secretary3), 'FORBIDDEN')
    // No OPENID (a call not from the mini-program) joins nothing.
    cbFail(await env.call('auth', 'joinBranch', { inviteCode: 'DEMO0002', name: '无名氏' }, null), 'FORBIDDEN')

    expect(cbOk(await env.call('org', 'confirmMember', { memberId: newId, accept: true }, BR2.secretary))).toMatchObject({ memberId: newId, accepted: true })
    const me = cbOk(await env.call<{ me: { member: Member } }>('auth', 'whoami', {}, openid)).me.member
    expect(me).toMatchObject({ _id: newId, branchId: 'br_2', joinStatus: 'confirmed' })
    const listed = cbOk(await env.call<{ members: { _id: string }[] }>('org', 'members', { branchId: 'br_2' }, BR2.secretary)).members
    expect(listed.map((m) => m._id)).toContain(newId)
    expect(cbOk(await env.call<{ members: { _id: string }[] }>('org', 'pending', { branchId: 'br_2' }, BR2.secretary)).members.map((m) => m._id)).not.toContain(newId)
  })

  it('the secretary schedules a session, shows the rotating code, members check in; a retry adds nothing', async () => {
    const now = testNow()
    const created = cbOk(
      await env.call<{ sessions: Session[] }>(
        'session',
        'create',
        {
          branchId: 'br_2',
          title: TITLE,
          // A type the seeded calendar never uses: the ledger's column header (date + type) is then this session's alone.
          type: 'other',
          // Starts just after the newcomer above was confirmed, so they are expected too.
          startAt: now + 5 * SEC,
          endAt: now + 10 * MIN,
          venue: { name: '三楼会议室' },
          checkin: { opensAt: now - 10 * MIN, lateAfter: now + 5 * MIN, closesAt: now + 10 * MIN }
        },
        BR2.secretary
      )
    ).sessions
    expect(created).toHaveLength(1)
    S = created[0]
    expect(cbOk(await env.call<{ session: Session }>('session', 'get', { sessionId: S._id }, BR2.attend[0])).session).toMatchObject({ _id: S._id, title: TITLE, branchId: 'br_2', status: 'scheduled' })
    const listed = cbOk(await env.call<{ sessions: Session[] }>('session', 'list', { branchId: 'br_2', from: now - HOUR, to: now + HOUR }, BR2.attend[0])).sessions
    expect(listed.map((s) => s._id)).toContain(S._id)

    const { token } = cbOk(await env.call<{ token: string }>('checkin', 'token', { sessionId: S._id }, BR2.secretary))
    expect(token).toMatch(new RegExp(`^ci\\.${S._id}\\.\\d+\\.`))

    env.resetStats()
    const taps = await Promise.all(BR2.attend.map((m) => env.call<{ duplicate: boolean; checkin: { _id: string; status: string; method: string } }>('checkin', 'checkIn', { sessionId: S._id, token }, m)))
    for (const [i, r] of taps.entries()) {
      expect(cbOk(r)).toMatchObject({ duplicate: false, checkin: { _id: checkinId(S._id, BR2.attend[i]), status: 'attended', method: 'qr' } })
    }
    // A lost reply: the phone sends again and nothing is added.
    const retry = cbOk(await env.call<{ duplicate: boolean }>('checkin', 'checkIn', { sessionId: S._id, token }, BR2.attend[0]))
    expect(retry.duplicate).toBe(true)

    const r = await roster(S._id)
    for (const m of BR2.attend) expect([m, stateOf(r, m)]).toEqual([m, 'attended'])
    expect(r.counts.attended).toBe(BR2.attend.length)
    expect(r.rows.filter((x) => x.method === 'qr')).toHaveLength(BR2.attend.length)
    // Points at once, once: +2 for the first member, whatever the retry.
    const p = await pointsOf(BR2.attend[0], periodsOf(S.startAt).month)
    expect(linesFor(p, TITLE).map((l) => [l.rule, l.delta])).toEqual([['attend', 2]])
  })

  it('refuses another branch’s session, a caller without OPENID and a forged code', async () => {
    cbFail(await env.call('checkin', 'token', { sessionId: S._id }, P.secretary3), 'FORBIDDEN')
    cbFail(await env.call('session', 'roster', { sessionId: S._id }, P.secretary3), 'FORBIDDEN')
    cbFail(await env.call('session', 'cancel', { sessionId: S._id, reason: '越权取消' }, P.secretary3), 'FORBIDDEN')
    const { token } = cbOk(await env.call<{ token: string }>('checkin', 'token', { sessionId: S._id }, BR2.secretary))
    // A member of 第三党支部 is not expected at 第二党支部's session.
    cbFail(await env.call('checkin', 'checkIn', { sessionId: S._id, token }, 'm_br_3_05'), 'FORBIDDEN')
    cbFail(await env.call('checkin', 'checkIn', { sessionId: S._id, token }, null), 'FORBIDDEN')
    cbFail(await env.call('checkin', 'token', { sessionId: S._id }, null), 'FORBIDDEN')
    const forged = token.replace(/\.[^.]+$/, '.AAAAAAAAAAAAAAAA')
    const bad = await env.call('checkin', 'checkIn', { sessionId: S._id, token: forged }, BR2.absent)
    expect(bad.ok).toBe(false)
    expect(['QR_EXPIRED', 'INVALID_INPUT', 'FORBIDDEN']).toContain(bad.ok ? '' : bad.error.code)
    expect(stateOf(await roster(S._id), BR2.absent)).not.toBe('attended')
    // Nothing written by any refusal: still the six check-ins.
    expect((await roster(S._id)).counts.attended).toBe(BR2.attend.length)
  })

  it('a leave request and its decision (approved and refused)', async () => {
    const asked = cbOk(await env.call<{ leave: { status: string } }>('checkin', 'requestLeave', { sessionId: S._id, reason: '到区里参加业务培训' }, BR2.leaveApproved))
    expect(asked.leave.status).toBe('pending')
    cbOk(await env.call('checkin', 'requestLeave', { sessionId: S._id, reason: '家中老人住院' }, BR2.leaveRefused))
    expect(stateOf(await roster(S._id), BR2.leaveApproved)).toBe('leave_pending')
    const queue = cbOk(await env.call<{ rows: { leave: { memberId: string; sessionId: string } }[] }>('checkin', 'leaves', { branchId: 'br_2', status: 'pending' }, BR2.secretary)).rows
    expect(queue.filter((r) => r.leave.sessionId === S._id).map((r) => r.leave.memberId).sort()).toEqual([BR2.leaveApproved, BR2.leaveRefused].sort())

    // The member allows one WeChat message about outcomes; the decision then reaches WeChat from the checkin function,
    // which CloudBase allows only if its config.json lists subscribeMessage.send (the emulator holds it to that).
    cbOk(await env.call('remind', 'subscribe', { results: { outcome: 'accept' } }, BR2.leaveApproved))
    cbFail(await env.call('checkin', 'decideLeave', { sessionId: S._id, memberId: BR2.leaveApproved, approve: true }, P.secretary3), 'FORBIDDEN')
    cbFail(await env.call('checkin', 'decideLeave', { sessionId: S._id, memberId: BR2.leaveApproved, approve: true }, BR2.attend[1]), 'FORBIDDEN')
    const ok = cbOk(await env.call<{ leave: { status: string; note?: string } }>('checkin', 'decideLeave', { sessionId: S._id, memberId: BR2.leaveApproved, approve: true, note: '同意，注意会后补看材料' }, BR2.secretary))
    expect(ok.leave).toMatchObject({ status: 'approved' })
    const reader = env.openReader()
    try {
      const pushed = (await reader.collection('wechat_outbox').where({ openid: `dev_${BR2.leaveApproved}`, templateId: OUTCOME_TEMPLATE }).limit(10).get()).data
      expect(pushed).toHaveLength(1)
    } finally {
      reader.close()
    }
    const no = cbOk(await env.call<{ leave: { status: string } }>('checkin', 'decideLeave', { sessionId: S._id, memberId: BR2.leaveRefused, approve: false, note: '本次为重要会议' }, BR2.secretary))
    expect(no.leave.status).toBe('refused')
    // A second decision with the same answer changes nothing (decide writes the leave with set(), without _id).
    cbOk(await env.call('checkin', 'decideLeave', { sessionId: S._id, memberId: BR2.leaveApproved, approve: true, note: '同意，注意会后补看材料' }, BR2.secretary))

    const r = await roster(S._id)
    expect(stateOf(r, BR2.leaveApproved)).toBe('leave_approved')
    expect(stateOf(r, BR2.leaveRefused)).not.toMatch(/^leave/)
    const mine = cbOk(await env.call<{ rows: { sessionId: string; leaveStatus?: string }[] }>('checkin', 'mine', { year: Number(periodsOf(S.startAt).year) }, BR2.leaveApproved))
    expect(mine.rows.find((x) => x.sessionId === S._id)?.leaveStatus).toBe('approved')
  })

  let speechNote: Note
  it('note save (a 1,000-character note from a studied speech), edit and remove', async () => {
    const year = Number(periodsOf(testNow()).year)
    const member = BR2.attend[2]
    const before = cbOk(await env.call<{ creditedWords: number; notes: number }>('note', 'progress', { year }, member))
    const content = speechText(1000, 2, 300)
    expect(content.length).toBeGreaterThanOrEqual(900)
    env.resetStats()
    const saved = cbOk(await env.call<{ note: Note; creditNotice: string }>('note', 'save', { kind: 'note', title: '学习党风廉政建设讲话', source: '党风廉政建设专题会议讲话', content }, member))
    speechNote = saved.note
    expect(saved.note.words).toBe(countNoteWords(content))
    // A passage of a studied speech is an excerpt: credited, shown apart.
    expect(saved.note.creditedWords).toBe(saved.note.words)
    expect(saved.note.excerptWords ?? 0).toBeGreaterThan(0.8 * saved.note.words)
    expect(cbOk(await env.call<{ note: Note }>('note', 'get', { noteId: saved.note._id }, member)).note).toMatchObject({ _id: saved.note._id, content, version: 1 })
    const after = cbOk(await env.call<{ creditedWords: number; notes: number }>('note', 'progress', { year }, member))
    expect(after.creditedWords - before.creditedWords).toBe(saved.note.creditedWords)
    expect(after.notes).toBe(before.notes + 1)

    // Edit: the stored text, its count and the progress follow (edit writes set() data without _id).
    const shorter = content.slice(0, 500)
    const edited = cbOk(await env.call<{ note: Note }>('note', 'save', { id: saved.note._id, version: 1, kind: 'note', title: '学习党风廉政建设讲话（修改）', content: shorter }, member)).note
    expect(edited).toMatchObject({ _id: saved.note._id, version: 2, words: countNoteWords(shorter), title: '学习党风廉政建设讲话（修改）' })
    expect(cbOk(await env.call<{ note: Note }>('note', 'get', { noteId: saved.note._id }, member)).note.content).toBe(shorter)
    // A stale save (version 1 again) is a conflict, not a silent overwrite.
    cbFail(await env.call('note', 'save', { id: saved.note._id, version: 1, kind: 'note', title: '旧稿', content }, member), 'CONFLICT')
    const mid = cbOk(await env.call<{ creditedWords: number }>('note', 'progress', { year }, member))
    expect(mid.creditedWords - before.creditedWords).toBe(edited.creditedWords)

    // Someone else's note is not theirs to remove.
    cbFail(await env.call('note', 'remove', { noteId: saved.note._id, version: 2 }, BR2.attend[3]), 'FORBIDDEN')
    const removed = cbOk(await env.call<{ note: Note }>('note', 'remove', { noteId: saved.note._id, version: 2 }, member)).note
    expect(removed.deleted).toBe(true)
    const end = cbOk(await env.call<{ creditedWords: number; notes: number }>('note', 'progress', { year }, member))
    expect([end.creditedWords, end.notes]).toEqual([before.creditedWords, before.notes])
  })

  it('originality: a copy of another member’s own note is not credited, the original is', async () => {
    const year = Number(periodsOf(testNow()).year)
    const [author, copier] = [BR2.attend[3], BR2.attend[4]]
    const original = cbOk(await env.call<{ note: Note }>('note', 'save', { kind: 'essay', title: '对照检查中的体会', content: OWN_REFLECTION }, author)).note
    expect(original.words).toBe(countNoteWords(OWN_REFLECTION))
    expect(original.words).toBeGreaterThan(600)
    expect(original.creditedWords).toBe(original.words)
    expect(original.matches).toEqual([])

    const before = cbOk(await env.call<{ creditedWords: number }>('note', 'progress', { year }, copier))
    const copy = cbOk(await env.call<{ note: Note; creditNotice: string }>('note', 'save', { kind: 'essay', title: '我的学习体会', content: OWN_REFLECTION }, copier))
    expect(copy.note.words).toBe(original.words)
    expect(copy.note.creditedWords).toBeLessThanOrEqual(0.05 * copy.note.words)
    expect(copy.note.matches.length).toBeGreaterThan(0)
    expect(copy.creditNotice).not.toBe('')
    // The copier is shown where the copied passage is, never the other note's text.
    expect(JSON.stringify(copy.note.matches)).not.toContain(OWN_REFLECTION.slice(0, 30))
    const after = cbOk(await env.call<{ creditedWords: number }>('note', 'progress', { year }, copier))
    expect(after.creditedWords - before.creditedWords).toBe(copy.note.creditedWords)
    // The original stays fully credited.
    expect(cbOk(await env.call<{ note: Note }>('note', 'get', { noteId: original._id }, author)).note.creditedWords).toBe(original.words)
    expect(speechNote).toBeDefined()
  })

  it('settings: read, update (who may see the member ranking) and the change enforced at once', async () => {
    const month = periodsOf(testNow()).month
    const read = async (orgId: string, as: string) =>
      cbOk(await env.call<{ settings: { visibility: { memberRanking: string; branchRanking: string } }; inheritedFrom: string | null }>('org', 'settings', { orgId }, as))
    const before = await read('br_2', BR2.attend[0])
    expect(before.settings.visibility.memberRanking).not.toBe('members')
    const hidden = cbOk(await env.call<{ visible: boolean }>('stats', 'memberRanking', { branchId: 'br_2', period: month }, BR2.attend[0]))
    expect(hidden.visible).toBe(false)

    cbFail(await env.call('org', 'updateSettings', { orgId: 'org_demo', visibility: { memberRanking: 'members', branchRanking: 'admins' } }, BR2.secretary), 'FORBIDDEN')
    cbOk(await env.call('org', 'updateSettings', { orgId: 'org_demo', visibility: { memberRanking: 'members', branchRanking: 'admins' } }, P.admin))
    const after = await read('br_2', BR2.attend[0])
    expect(after).toMatchObject({ inheritedFrom: 'org_demo', settings: { visibility: { memberRanking: 'members', branchRanking: 'admins' } } })
    const shown = cbOk(await env.call<{ visible: boolean; rows: { memberId: string; attended: number }[] }>('stats', 'memberRanking', { branchId: 'br_2', period: month }, BR2.attend[0]))
    expect(shown.visible).toBe(true)
    expect(shown.rows.map((r) => r.memberId)).toContain(BR2.attend[0])
  })

  it('the meeting ends early (session.update); the cron timer (tally, reminders): the closed session is counted, absentees lose points, a session within the hour is announced', async () => {
    // A member allows one WeChat reminder (from a tap in the app); a second session soon is then announced on WeChat too.
    expect(cbOk(await env.call<{ templates: Record<string, number> }>('remind', 'subscribe', { results: { session_soon: 'accept' } }, BR2.absent)).templates.session_soon).toBe(1)
    // A second session an hour away: the reminders job announces it to the branch.
    const now = testNow()
    S2 = cbOk(
      await env.call<{ sessions: Session[] }>(
        'session',
        'create',
        { branchId: 'br_2', title: `${TITLE}-预告`, type: 'group_study', startAt: now + 40 * MIN, endAt: now + 100 * MIN, venue: { name: '党员活动室' } },
        BR2.secretary
      )
    ).sessions[0]
    // The meeting ends early: the secretary moves its end (and the close of check-in) to two seconds from now.
    const moved = await endSessionSoon(env, BR2.secretary, S, 2 * SEC)
    expect(moved).toMatchObject({ _id: S._id, endAt: moved.checkin.closesAt })
    expect(moved.endAt).toBeLessThan(S.endAt)
    S = moved
    // Tick until nothing is left (the seeded history may leave the first tick more to count than one tick's share).
    const ticks = await tickUntilDone(env)
    for (const inv of ticks) {
      expect([inv.error, inv.timedOut]).toEqual([undefined, false])
      const res = inv.result as { ok: boolean; data: { jobs: Record<string, { error?: string }> } }
      expect(res.ok).toBe(true)
      for (const [job, rep] of Object.entries(res.data.jobs)) expect([job, rep.error]).toEqual([job, undefined])
    }
    expect((ticks.at(-1)!.result as { data: { nextCursor?: string } }).data.nextCursor).toBeUndefined()

    const session = cbOk(await env.call<{ session: Session }>('session', 'get', { sessionId: S._id }, BR2.secretary)).session
    expect(session.talliedAt).toBeGreaterThanOrEqual(S.checkin.closesAt)
    const r = await roster(S._id)
    expect(stateOf(r, BR2.absent)).toBe('absent')
    expect(stateOf(r, BR2.leaveRefused)).toBe('absent')
    expect(stateOf(r, BR2.leaveApproved)).toBe('leave_approved')
    expect(r.counts.attended).toBe(BR2.attend.length)
    const month = periodsOf(S.startAt).month
    for (const m of [BR2.absent, BR2.leaveRefused, BR2.makeUp]) {
      expect([m, linesFor(await pointsOf(m, month), TITLE).map((l) => [l.rule, l.delta])]).toEqual([m, [['absent', -2]]])
    }
    expect(linesFor(await pointsOf(BR2.leaveApproved, month), TITLE).filter((l) => l.delta !== 0)).toEqual([])
    expect(linesFor(await pointsOf(BR2.attend[0], month), TITLE).map((l) => [l.rule, l.delta])).toEqual([['attend', 2]])

    // A second tick counts nothing twice.
    const again = await env.timer()
    expect(again.error).toBeUndefined()
    for (const m of [BR2.absent, BR2.attend[0]]) expect(linesFor(await pointsOf(m, month), TITLE)).toHaveLength(1)

    // The reminder of S2: an in-app delivery for every member expected (held until 07:00 in quiet hours).
    const reader = env.openReader()
    try {
      const deliveries = (await reader.collection('deliveries').where({ sessionId: S2._id }).limit(1000).get()).data
      expect(deliveries.length).toBeGreaterThanOrEqual(10)
      expect(deliveries.map((d) => d.memberId)).toContain(BR2.absent)
      const inbox = cbOk(await env.call<{ items: { sessionId?: string }[] }>('remind', 'inbox', {}, BR2.absent)).items
      const mine = deliveries.find((d) => d.memberId === BR2.absent)!
      // In the inbox unless quiet hours hold it until morning.
      const due = Number(mine.deliverAt) <= testNow()
      expect(inbox.some((d) => d.sessionId === S2._id)).toBe(due)
      // On WeChat through openapi.subscribeMessage.send (the emulator's outbox), spending the one subscription; held overnight otherwise.
      const outbox = (await reader.collection('wechat_outbox').where({ openid: `dev_${BR2.absent}` }).limit(100).get()).data
      expect([(mine.wechat as { status: string }).status, outbox.filter((o) => o.templateId === SOON_TEMPLATE).length]).toEqual(due ? ['sent', 1] : ['held', 0])
      const budget = cbOk(await env.call<{ rows: { templates: Record<string, number> }[] }>('remind', 'budget', {}, BR2.absent)).rows[0]
      expect(budget.templates.session_soon).toBe(due ? 0 : 1)
    } finally {
      reader.close()
    }
  })

  it('make-up: assigned to an absentee, handed in, accepted (+1), shown in their record', async () => {
    const deadline = testNow() + 2 * 24 * HOUR
    // Not for someone who attended.
    cbFail(await env.call('checkin', 'assignMakeUp', { sessionId: S._id, memberIds: [BR2.attend[0]], deadline }, BR2.secretary), 'CONFLICT')
    cbFail(await env.call('checkin', 'assignMakeUp', { sessionId: S._id, memberIds: [BR2.makeUp], deadline }, P.secretary3), 'FORBIDDEN')
    const assigned = cbOk(await env.call<{ makeups: { memberId: string; status: string }[] }>('checkin', 'assignMakeUp', { sessionId: S._id, memberIds: [BR2.makeUp, BR2.absent], deadline }, BR2.secretary))
    expect(assigned.makeups.map((m) => `${m.memberId}:${m.status}`).sort()).toEqual([`${BR2.absent}:assigned`, `${BR2.makeUp}:assigned`].sort())
    const todo = cbOk(await env.call<{ rows: { makeup: { sessionId: string; status: string } }[] }>('checkin', 'makeUps', {}, BR2.makeUp)).rows
    expect(todo.filter((r) => r.makeup.sessionId === S._id).map((r) => r.makeup.status)).toEqual(['assigned'])

    const text = speechText(300, 3, 1200)
    const handed = cbOk(await env.call<{ makeup: { status: string; noteId?: string } }>('checkin', 'makeUp', { sessionId: S._id, content: text }, BR2.makeUp))
    expect(handed.makeup.status).toBe('submitted')
    // Handing in again (a resend) keeps one make-up, still submitted.
    expect(cbOk(await env.call<{ makeup: { status: string } }>('checkin', 'makeUp', { sessionId: S._id, content: text + '会后我又重读了一遍。' }, BR2.makeUp)).makeup.status).toBe('submitted')
    const rows = cbOk(await env.call<{ rows: { makeup: { memberId: string; status: string }; note?: { content: string } }[] }>('checkin', 'branchMakeUps', { branchId: 'br_2', sessionId: S._id }, BR2.secretary)).rows
    expect(rows.find((r) => r.makeup.memberId === BR2.makeUp)?.note?.content).toContain('会后我又重读了一遍。')

    const reviewed = cbOk(await env.call<{ makeup: { status: string } }>('checkin', 'reviewMakeUp', { sessionId: S._id, memberId: BR2.makeUp, accept: true, note: '体会真切' }, BR2.secretary))
    expect(reviewed.makeup.status).toBe('accepted')
    const month = periodsOf(S.startAt).month
    const lines = linesFor(await pointsOf(BR2.makeUp, month), TITLE).map((l) => `${l.rule}:${l.delta}`)
    expect(lines.sort()).toEqual(['absent:-2', 'makeup:1'])
    const mine = cbOk(await env.call<{ rows: { sessionId: string; state: string; makeupStatus?: string }[] }>('checkin', 'mine', { year: Number(periodsOf(S.startAt).year) }, BR2.makeUp))
    expect(mine.rows.find((x) => x.sessionId === S._id)).toMatchObject({ state: 'made_up', makeupStatus: 'accepted' })
  })

  it('the nightly reconciliation rebuilds the year from the raw facts: what the bundles wrote agrees with it, a second night finds nothing', async () => {
    const year = Number(periodsOf(S.startAt).year)
    // Everyone of 第二党支部 whose year was written by the seed's jobs and these journeys' bundles.
    const watched = [BR2.secretary, ...BR2.attend, BR2.leaveApproved, BR2.leaveRefused, BR2.makeUp, BR2.absent]
    const before = new Map<string, number>()
    for (const id of watched) before.set(id, (await pointsOf(id, String(year))).total)
    const absencesOf = async (id: string) => (await pointsOf(id, String(year))).lines.filter((l) => l.rule === 'absent' && l.delta !== 0).length
    const newcomerAbsencesBefore = await absencesOf(newcomer)

    const first = await reconcileYear(env, year)
    for (const r of first.chunks) expect(r.invocation.timedOut).toBe(false)
    expect(first.finished).toBe(true)
    expect(first.processed).toBeGreaterThanOrEqual(3)
    // Every figure the write paths kept (check-in, leave, tally, make-up, notes) is what the rebuild finds.
    for (const id of watched) expect({ id, total: (await pointsOf(id, String(year))).total }).toEqual({ id, total: before.get(id) })
    // The rebuild, like the tally, expects a member only at sessions held since they joined
    // (expectedAt): the newcomer confirmed today owes none of the branch's earlier sessions, so
    // nothing drifts and nobody is corrected.
    expect(await absencesOf(newcomer)).toBe(newcomerAbsencesBefore)
    expect({ corrected: first.corrected, drift: first.drift }).toEqual({ corrected: 0, drift: [] })

    // Safe to run twice: the second night corrects nothing.
    const second = await reconcileYear(env, year)
    expect(second.finished).toBe(true)
    expect({ corrected: second.corrected, drift: second.drift }).toEqual({ corrected: 0, drift: [] })
    // A member may not run it.
    cbFail(await env.call('cron', 'reconcile', { year }, BR2.secretary), 'FORBIDDEN')
  })

  it('a ledger export: the branch’s 签到台账 for the month, written to cloud storage and opened from its link', async () => {
    const month = periodsOf(S.startAt).month
    const out = cbOk(await env.call<{ url: string; fileName: string; bytes: number; rows: number }>('archive', 'ledger', { kind: 'attendance', branchId: 'br_2', period: month }, BR2.secretary))
    expect(out.fileName).toContain('签到台账')
    expect(out.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//)
    const res = await fetch(out.url)
    expect(res.status).toBe(200)
    const bytes = Buffer.from(await res.arrayBuffer())
    expect(bytes.length).toBe(out.bytes)
    const book = new ExcelJS.Workbook()
    await book.xlsx.load(bytes as never)
    const ws = book.worksheets[0]
    const header = (ws.getRow(2).values as unknown[]).slice(1).map(String)
    const label = `${formatShanghai(S.startAt, 'M月D日')} ${SESSION_TYPE_LABELS[S.type]}`
    expect(header.filter((h) => h === label)).toHaveLength(1)
    const col = header.indexOf(label) + 1
    const cellOf = (name: string): string => {
      let v = ''
      ws.eachRow((row) => {
        if (row.getCell(1).value === name) v = String(row.getCell(col).value ?? '')
      })
      return v
    }
    const names = new Map(cbOk(await env.call<{ members: { _id: string; name: string }[] }>('org', 'members', { branchId: 'br_2' }, BR2.secretary)).members.map((m) => [m._id, m.name]))
    expect(cellOf(names.get(BR2.attend[0])!)).toBe('出席')
    expect(cellOf(names.get(BR2.leaveApproved)!)).toBe('请假')
    expect(cellOf(names.get(BR2.absent)!)).toBe('缺席')
    expect(cellOf(names.get(BR2.makeUp)!)).toBe('已补学')
    cbFail(await env.call('archive', 'ledger', { kind: 'attendance', branchId: 'br_2', period: month }, P.secretary3), 'FORBIDDEN')
  })

  it('roster import (csv, as the 党委 admin): preview, commit, read back; the same file again changes nothing', async () => {
    const tag = testNow().toString().slice(-6)
    const csv = (lines: string[][]) => Buffer.from('\ufeff' + lines.map((l) => l.join(',')).join('\r\n')).toString('base64')
    const file = csv([
      ['姓名', '手机号', '工号', '支部', '党小组', '职级', '是否离退休', '免除原因'],
      ['周云华', `13900${tag}`, '', '第一党支部', '', '副科级', '否', ''],
      ['吴云梅', `13901${tag}`, '', '第三党支部（离退休）', '第二党小组', '一般工作人员', '是', '年龄较大'],
      ['郑云强', '', `Y${tag}`, '第二党支部', '', '', '否', '']
    ])
    const importRoster = (commit: boolean, as: string = P.admin) =>
      env.call<{ counts: Record<string, number>; errorCount: number; committed: boolean }>('org', 'importRoster', { orgId: 'org_demo', fileName: '名册.csv', content: file, commit }, as)
    const names = async (branchId: string) => cbOk(await env.call<{ members: { name: string }[] }>('org', 'members', { branchId }, P.admin)).members.map((m) => m.name)

    const preview = cbOk(await importRoster(false))
    expect(preview).toMatchObject({ committed: false, errorCount: 0, counts: { create: 3, update: 0, transfer: 0, unchanged: 0 } })
    expect(await names('br_1')).not.toContain('周云华')
    cbFail(await importRoster(true, BR2.secretary), 'FORBIDDEN')

    expect(cbOk(await importRoster(true))).toMatchObject({ committed: true, counts: { create: 3 } })
    expect(await names('br_1')).toContain('周云华')
    expect(await names('br_2')).toContain('郑云强')
    expect(await names('br_3')).toContain('吴云梅')
    const again = cbOk(await importRoster(true))
    expect(again.counts).toEqual({ create: 0, update: 0, transfer: 0, unchanged: 3 })
    expect((await names('br_1')).filter((n) => n === '周云华')).toHaveLength(1)
  })

})

describe('cron.setup on a fresh deploy (no collection exists)', () => {
  let fresh: CloudbaseEnv
  beforeAll(async () => {
    fresh = await makeCloudbaseEnv({ seed: false, setup: false, latencyMs: 2 })
  })
  afterAll(async () => {
    await fresh?.close()
  })

  it('before setup a call fails on the missing collection; setup creates every collection once; then calls work', async () => {
    const first = await fresh.call('auth', 'whoami', {}, { openid: 'oWx_first_user' })
    const failure = cbFail(first, 'INTERNAL')
    expect(failure).toBeDefined()
    expect((first.invocation.logs ?? []).join('\n')).toMatch(/-502005|collection not exist/i)

    cbFail(await fresh.call('cron', 'setup', {}, 'm_anyone'), 'FORBIDDEN')
    const setup = cbOk(await fresh.call<{ created: string[]; existing: string[]; indexes: unknown[] }>('cron', 'setup', {}, null))
    expect([...setup.created].sort()).toEqual([...CLOUD_COLLECTIONS].sort())
    expect(setup.existing).toEqual([])
    expect(setup.indexes.length).toBeGreaterThan(0)
    expect(cbOk(await fresh.call('auth', 'whoami', {}, { openid: 'oWx_first_user' }))).toEqual({ me: null })
    const again = cbOk(await fresh.call<{ created: string[]; existing: string[] }>('cron', 'setup', {}, null))
    expect(again.created).toEqual([])
    expect([...again.existing].sort()).toEqual([...CLOUD_COLLECTIONS].sort())
    // And the timer tick runs on the empty database without failing a job.
    const tick = await fresh.timer()
    expect(tick.error).toBeUndefined()
    const jobs = (tick.result as { data: { jobs: Record<string, { error?: string }> } }).data.jobs
    for (const [job, rep] of Object.entries(jobs)) expect([job, rep.error]).toEqual([job, undefined])
  })
})
