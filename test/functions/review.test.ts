/**
 * 民主评议党员 through the review function on a real SQLite file (fixed
 * clock): the secretary opens the year's review, members write a 自我评价
 * and grade the others once, the secretary closes the grading, reads the
 * tally and records the outcomes, which reach the 个人档案. Bad input and
 * callers out of place are refused. And secrecy: no answer of any action,
 * to anyone, links a grader to a sheet, and nothing stored does either.
 */
import { DEMO_PEOPLE } from '../../server/seed/people'
import { expectFail, expectOk, makeTestEnv, type TestEnv } from '../helpers/env'
import { addSession } from './checkin.fixtures'

const T0 = Date.parse('2027-01-15T02:00:00Z')
const B1 = ['m_br_1_01', 'm_br_1_02', 'm_br_1_03', 'm_br_1_04', 'm_br_1_05']
const [ADMIN, SEC, M3, M4, M5] = B1
const RID = 'rv:br_1:2026'
const GRADE_WORDS = ['excellent', 'qualified', 'basic', 'unqualified']

let env: TestEnv
beforeEach(async () => {
  env = await makeTestEnv()
  env.clock.set(T0)
})
afterEach(() => env.close())

type View = {
  reviewId: string
  status: string
  voted: number
  members: Array<{ id: string; name: string }>
  sheetExcellentLimit: number
  me: { memberId: string; voted: boolean; selfText: string | null; outcome: { grade: string; reason?: string } | null } | null
  officer: { notYet: Array<{ id: string }>; selves: Array<{ memberId: string; text: string }>; outcomes: Array<{ memberId: string; grade: string }> } | null
}
type Tally = { ballots: number; shown: boolean; rows: Array<{ memberId: string; counts: Record<string, number> }> }

const open = (as = SEC, input: Record<string, unknown> = { branchId: 'br_1', year: 2026 }) => env.call<{ reviewId: string; members: number }>('review', 'open', input, as)
const get = async (as: string) => expectOk(await env.call<{ review: View }>('review', 'get', { reviewId: RID }, as)).review
const grade = (as: string, sheet: Record<string, string>) => env.call<{ voted: true }>('review', 'grade', { reviewId: RID, sheet }, as)
const sheetOf = (grader: string, pick: (id: string, i: number) => string) =>
  Object.fromEntries(B1.filter((m) => m !== grader).map((m, i) => [m, pick(m, i)]))

// Distinctive sheets: each grader's is different from every other's.
const SHEETS: Record<string, Record<string, string>> = {
  [ADMIN]: sheetOf(ADMIN, (_, i) => ['excellent', 'qualified', 'basic', 'qualified'][i]),
  [M3]: sheetOf(M3, (_, i) => ['qualified', 'excellent', 'qualified', 'unqualified'][i]),
  [M4]: sheetOf(M4, (_, i) => ['basic', 'qualified', 'excellent', 'qualified'][i]),
  [M5]: sheetOf(M5, (_, i) => ['qualified', 'basic', 'qualified', 'excellent'][i])
}

async function gradeAll(): Promise<void> {
  for (const [who, sheet] of Object.entries(SHEETS)) expectOk(await grade(who, sheet))
}

describe('民主评议: the journey', () => {
  it('opens, collects 自我评价 and sheets, closes, tallies, decides; the outcome reaches the 个人档案', async () => {
    expect(expectOk(await open())).toEqual({ reviewId: RID, members: 5 })
    expectFail(await open(), 'CONFLICT')

    const member = await get(M3)
    expect(member.members.map((m) => m.id).sort()).toEqual(B1)
    expect(member.sheetExcellentLimit).toBe(1)
    expect(member.me).toEqual({ memberId: M3, voted: false, selfText: null, selfCopiedWords: 0, outcome: null })
    expect(member.officer).toBeNull()

    expectOk(await env.call('review', 'saveSelf', { reviewId: RID, text: '按时参加组织生活，学习笔记完成定额。' }, M3))
    expectOk(await env.call('review', 'saveSelf', { reviewId: RID, text: '按时参加组织生活，学习笔记完成定额。\n不足：联系群众不够。' }, M3))
    expectOk(await env.call('review', 'saveSelf', { reviewId: RID, text: '工作中还有差距。' }, M4))
    await gradeAll()
    expect((await get(M3)).me).toMatchObject({ voted: true, selfText: '按时参加组织生活，学习笔记完成定额。\n不足：联系群众不够。' })

    const progress = await get(SEC)
    expect(progress.voted).toBe(4)
    expect(progress.officer!.notYet.map((m) => m.id)).toEqual([SEC])
    expect(progress.officer!.selves.map((s) => s.memberId).sort()).toEqual([M3, M4])
    expect(progress.me).toMatchObject({ voted: false })

    // The tally only once grading is closed.
    expectFail(await env.call('review', 'tally', { reviewId: RID }, SEC), 'CONFLICT')
    expectFail(await env.call('review', 'decide', { reviewId: RID, outcomes: { [M3]: { grade: 'qualified' } } }, SEC), 'CONFLICT')
    expect(expectOk(await env.call<{ voted: number }>('review', 'closeGrading', { reviewId: RID }, SEC)).voted).toBe(4)
    expectFail(await env.call('review', 'closeGrading', { reviewId: RID }, SEC), 'CONFLICT')
    expectFail(await grade(SEC, sheetOf(SEC, () => 'qualified')), 'CONFLICT')

    const tally = expectOk(await env.call<Tally>('review', 'tally', { reviewId: RID }, SEC))
    expect(tally.ballots).toBe(4)
    expect(tally.shown).toBe(true)
    const total = (id: string) => Object.values(tally.rows.find((r) => r.memberId === id)!.counts).reduce((a, b) => a + b, 0)
    expect(total(SEC)).toBe(4)
    expect(total(M3)).toBe(3)
    expect(tally.rows.find((r) => r.memberId === SEC)!.counts).toEqual({ excellent: 2, qualified: 1, basic: 1, unqualified: 0 })

    // The committee: a reason for 基本合格, 优秀 within the limit (one of five).
    const decide = (outcomes: Record<string, unknown>) => env.call<{ decided: number; of: number }>('review', 'decide', { reviewId: RID, outcomes }, SEC)
    expectFail(await decide({ [M4]: { grade: 'basic' } }), 'INVALID_INPUT')
    expectFail(await decide({ [M3]: { grade: 'excellent' }, [M5]: { grade: 'excellent' } }), 'INVALID_INPUT')
    expectFail(await decide({ m_br_2_05: { grade: 'qualified' } }), 'INVALID_INPUT')
    expect(expectOk(await decide({ [M3]: { grade: 'excellent' }, [M4]: { grade: 'basic', reason: '全年三次无故缺席组织生活' } }))).toEqual({ decided: 2, of: 5 })
    // A later save adds and corrects; the 优秀 limit counts what is already recorded.
    expectFail(await decide({ [M5]: { grade: 'excellent' } }), 'INVALID_INPUT')
    expect(expectOk(await decide({ [M5]: { grade: 'qualified' }, [SEC]: { grade: 'qualified' }, [ADMIN]: { grade: 'qualified' } }))).toEqual({ decided: 5, of: 5 })
    expectFail(await env.call('review', 'saveSelf', { reviewId: RID, text: '改一改' }, M4), 'CONFLICT')

    const mine = expectOk(await env.call<{ years: Array<{ year: number; outcome: unknown; selfText: string | null }> }>('review', 'mine', {}, M4))
    expect(mine.years).toEqual([expect.objectContaining({ year: 2026, outcome: { grade: 'basic', reason: '全年三次无故缺席组织生活' }, selfText: '工作中还有差距。' })])
    expect((await get(M5)).me!.outcome).toEqual({ grade: 'qualified' })

    type A = { archive: { review: { grade: string; reason: string | null } | null } }
    expect(expectOk(await env.call<A>('archive', 'member', { year: 2026 }, M4)).archive.review).toEqual({ grade: '基本合格', reason: '全年三次无故缺席组织生活' })
    expect(expectOk(await env.call<A>('archive', 'member', { year: 2026, memberId: M3 }, SEC)).archive.review).toEqual({ grade: '优秀', reason: null })
    expect(expectOk(await env.call<A>('archive', 'member', { year: 2025 }, M4)).archive.review).toBeNull()

    const { data: audit } = await env.db.collection('audit').where({ orgId: 'br_1' }).get()
    expect(audit.map((a) => a.action).filter((a) => String(a).startsWith('review.')).sort()).toEqual(['review.close', 'review.decide', 'review.decide', 'review.open', 'review.tally'])
  })

  it('uses the 优秀 share the organisation set, as it was when the review opened', async () => {
    expectOk(await env.call('org', 'updateSettings', { orgId: 'org_demo', reviewExcellentShare: 0.5 }, ADMIN))
    expectFail(await env.call('org', 'updateSettings', { orgId: 'org_demo', reviewExcellentShare: 0.9 }, ADMIN), 'INVALID_INPUT')
    expectOk(await open())
    expect((await get(M3)).sheetExcellentLimit).toBe(2)
    expectOk(await env.call('org', 'updateSettings', { orgId: 'org_demo', reviewExcellentShare: 0.1 }, ADMIN))
    expectOk(await grade(M3, sheetOf(M3, (_, i) => (i < 2 ? 'excellent' : 'qualified'))))
  })
})

describe('民主评议: the year\'s 组织生活会', () => {
  it('lists the branch\'s 组织生活会 of the year (and its first quarter after), to members and officers; not cancelled ones, other types or other branches', async () => {
    const DAY = 24 * 3_600_000
    // T0 is 15 January 2027: last December's meeting and next month's both belong to the 2026 review.
    await addSession(env, { id: 's_life_dec', branchId: 'br_1', type: 'life_meeting', title: '2026年度组织生活会（上）', startIn: -30 * DAY })
    await addSession(env, { id: 's_life_feb', branchId: 'br_1', type: 'life_meeting', title: '2026年度组织生活会（下）', startIn: 20 * DAY })
    await addSession(env, { id: 's_life_off', branchId: 'br_1', type: 'life_meeting', startIn: 5 * DAY, status: 'cancelled', cancelReason: '改期' })
    await addSession(env, { id: 's_life_old', branchId: 'br_1', type: 'life_meeting', startIn: -400 * DAY })
    await addSession(env, { id: 's_general', branchId: 'br_1', type: 'branch_general_meeting', startIn: 2 * DAY })
    await addSession(env, { id: 's_life_br2', branchId: 'br_2', type: 'life_meeting', startIn: 2 * DAY })
    expectOk(await open())
    type WithMeetings = View & { meetings: Array<{ sessionId: string; title: string }> }
    for (const as of [SEC, M4]) {
      const v = expectOk(await env.call<{ review: WithMeetings }>('review', 'get', { reviewId: RID }, as)).review
      expect(v.meetings.map((m) => m.sessionId)).toEqual(['s_life_dec', 's_life_feb'])
      expect(v.meetings[0].title).toBe('2026年度组织生活会（上）')
    }
  })
})

describe('民主评议: a 自我评价 copied from a colleague\'s', () => {
  it('is counted for the one who copied, not the one copied from (also after an edit), and the committee sees the count, never whose', async () => {
    const first = '一年来我坚持参加支部的组织生活，按时交纳党费，完成了全年学习笔记的定额。不足是联系群众不够主动，常常等群众上门。今后每月抽出两个半天到服务窗口听取意见，把群众的难处记下来、办下去。'
    const copy = `今年我在业务学习上下了功夫。${first.slice(38)}`
    expectOk(await open())
    const saveSelf = (as: string, text: string) => env.call<{ savedAt: number; copiedWords: number }>('review', 'saveSelf', { reviewId: RID, text }, as)
    expect(expectOk(await saveSelf(M3, first)).copiedWords).toBe(0)
    env.clock.advance(60_000)
    const copied = expectOk(await saveSelf(M4, copy)).copiedWords
    expect(copied).toBeGreaterThan(40)
    // The first writer edits later: still the first writer.
    env.clock.advance(60_000)
    expect(expectOk(await saveSelf(M3, `${first}明年继续努力。`)).copiedWords).toBe(0)
    type Selves = { review: { me: { selfCopiedWords: number }; officer: { selves: Array<{ memberId: string; copiedWords: number }> } } }
    expect(expectOk(await env.call<Selves>('review', 'get', { reviewId: RID }, M4)).review.me.selfCopiedWords).toBe(copied)
    const committee = expectOk(await env.call<Selves>('review', 'get', { reviewId: RID }, SEC)).review.officer.selves
    expect(Object.fromEntries(committee.map((x) => [x.memberId, x.copiedWords]))).toEqual({ [M3]: 0, [M4]: copied })
    // Nothing in the member's own part points from the copy to the text it matched.
    expect(JSON.stringify(expectOk(await env.call<Selves>('review', 'get', { reviewId: RID }, M4)).review.me)).not.toContain(M3)
  })
})

describe('民主评议: who is reviewed', () => {
  it('everyone confirmed and active when it opens, the exempt included; not a deactivated member or a pending join', async () => {
    await env.db.collection('members').doc(M5).update({ data: { active: false } })
    await env.db.collection('members').doc(M4).update({ data: { joinStatus: 'pending' } })
    await env.db.collection('members').doc(M3).update({ data: { exempt: env.db.command.set({ reason: 'long_illness', since: T0 - 86_400_000 * 400 }) } })
    expect(expectOk(await open()).members).toBe(3)
    expect((await get(SEC)).members.map((m) => m.id).sort()).toEqual([ADMIN, SEC, M3])
    // Someone out of the snapshot is out of the review.
    expectFail(await env.call('review', 'get', { reviewId: RID }, M5), 'FORBIDDEN')
  })
})

describe('民主评议: refusals', () => {
  beforeEach(async () => {
    expectOk(await open())
  })

  it('refuses bad sheets and bad input', async () => {
    expectFail(await grade(M3, {}), 'INVALID_INPUT')
    expectFail(await grade(M3, { ...SHEETS[M3], [M3]: 'qualified' }), 'INVALID_INPUT')
    expectFail(await grade(M3, { ...SHEETS[M3], m_br_2_05: 'qualified' }), 'INVALID_INPUT')
    expectFail(await grade(M3, sheetOf(M3, () => 'excellent')), 'INVALID_INPUT')
    expectFail(await grade(M3, sheetOf(M3, () => '良好')), 'INVALID_INPUT')
    expectFail(await env.call('review', 'grade', { reviewId: RID, sheet: 'qualified' }, M3), 'INVALID_INPUT')
    expectFail(await env.call('review', 'grade', { reviewId: RID, sheet: Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`m${i}`, 'qualified'])) }, M3), 'INVALID_INPUT')
    expectFail(await env.call('review', 'saveSelf', { reviewId: RID, text: '   ' }, M3), 'INVALID_INPUT')
    expectFail(await env.call('review', 'saveSelf', { reviewId: RID, text: '字'.repeat(3001) }, M3), 'INVALID_INPUT')
    expectFail(await env.call('review', 'saveSelf', { reviewId: RID, text: 42 }, M3), 'INVALID_INPUT')
    expectFail(await env.call('review', 'get', { reviewId: 'rv bad' }, M3), 'INVALID_INPUT')
    expectFail(await open(SEC, { branchId: 'br_1', year: 2020 }), 'INVALID_INPUT')
    expectFail(await open(SEC, { branchId: 'br_1', year: '2026' }), 'INVALID_INPUT')
    // Nothing counted from the refusals.
    expect((await get(SEC)).voted).toBe(0)
  })

  it('a member grades once; nobody outside the review takes part or reads it', async () => {
    expectOk(await grade(M3, SHEETS[M3]))
    expectFail(await grade(M3, SHEETS[M3]), 'CONFLICT')
    expectFail(await grade(M3, sheetOf(M3, () => 'qualified')), 'CONFLICT')
    expect((await env.db.collection('review_ballots').where({ reviewId: RID }).count()).total).toBe(1)

    // Another branch's secretary and member, and an unknown id: the same refusal.
    for (const who of [DEMO_PEOPLE.secretary2, DEMO_PEOPLE.member2]) {
      expectFail(await env.call('review', 'get', { reviewId: RID }, who), 'FORBIDDEN')
      expectFail(await grade(who, sheetOf(who, () => 'qualified')), 'FORBIDDEN')
      expectFail(await env.call('review', 'saveSelf', { reviewId: RID, text: '我' }, who), 'FORBIDDEN')
      expectFail(await env.call('review', 'tally', { reviewId: RID }, who), 'FORBIDDEN')
      expect(expectOk(await env.call<{ review: unknown }>('review', 'current', {}, who)).review).toBeNull()
    }
    expectFail(await env.call('review', 'get', { reviewId: 'rv:br_2:2026' }, DEMO_PEOPLE.secretary2), 'FORBIDDEN')
    expectFail(await open(DEMO_PEOPLE.secretary2), 'FORBIDDEN')

    // Officers' steps are refused to members.
    expectFail(await open(M3, { branchId: 'br_1', year: 2025 }), 'FORBIDDEN')
    expectFail(await env.call('review', 'closeGrading', { reviewId: RID }, M3), 'FORBIDDEN')
    expectFail(await env.call('review', 'tally', { reviewId: RID }, M3), 'FORBIDDEN')
    expectFail(await env.call('review', 'decide', { reviewId: RID, outcomes: { [M4]: { grade: 'qualified' } } }, M3), 'FORBIDDEN')
    expect((await get(M3)).officer).toBeNull()
  })

  it('withholds the tally when fewer than three ballots came in', async () => {
    expectOk(await grade(M3, SHEETS[M3]))
    expectOk(await grade(M4, SHEETS[M4]))
    expectOk(await env.call('review', 'closeGrading', { reviewId: RID }, SEC))
    const t = expectOk(await env.call<Tally>('review', 'tally', { reviewId: RID }, SEC))
    expect(t).toMatchObject({ ballots: 2, shown: false, rows: [] })
  })
})

/** Sheet-like objects (member id → grade word) anywhere in an answer, and fields naming a grader. */
function linksIn(value: unknown, path = '$'): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => linksIn(v, `${path}[${i}]`))
  if (!value || typeof value !== 'object') return []
  const entries = Object.entries(value as Record<string, unknown>)
  const out: string[] = []
  if (entries.some(([k, v]) => B1.includes(k) && typeof v === 'string' && GRADE_WORDS.includes(v))) out.push(`${path}: a sheet`)
  for (const [k] of entries) if (/^(grader|graderId|voter|voterId|by|gradedBy|ballotId|sheet)$/i.test(k)) out.push(`${path}.${k}`)
  return [...out, ...entries.flatMap(([k, v]) => linksIn(v, `${path}.${k}`))]
}

describe('民主评议: secrecy', () => {
  it('no answer of any read, to any role, links a grader to a sheet; stored ballots carry no grader and no time', async () => {
    expectOk(await open())
    for (const [who, text] of [[M3, '自评三'], [M4, '自评四']]) expectOk(await env.call('review', 'saveSelf', { reviewId: RID, text }, who))
    const answers: Array<[string, unknown]> = []
    const readAll = async (stage: string) => {
      // member (not yet graded), graders, the graded, the secretary, the 党委's admin, an outsider
      for (const as of [SEC, M3, M4, M5, ADMIN, DEMO_PEOPLE.member2, DEMO_PEOPLE.secretary2]) {
        for (const [action, input] of [['get', { reviewId: RID }], ['current', {}], ['mine', {}], ['tally', { reviewId: RID }]] as const) {
          answers.push([`${stage} ${action} as ${as}`, await env.call('review', action, input, as)])
        }
        for (const m of B1) answers.push([`${stage} archive of ${m} as ${as}`, await env.call('archive', 'member', { year: 2026, memberId: m }, as)])
      }
    }
    for (const [who, sheet] of Object.entries(SHEETS)) answers.push([`grade as ${who}`, await grade(who, sheet)])
    await readAll('open')
    answers.push(['close', await env.call('review', 'closeGrading', { reviewId: RID }, SEC)])
    await readAll('closed')
    answers.push(['decide', await env.call('review', 'decide', { reviewId: RID, outcomes: { [M4]: { grade: 'basic', reason: '缺席较多' } } }, SEC)])
    await readAll('decided')

    const found = answers.flatMap(([label, a]) => linksIn(a).map((l) => `${label} ${l}`))
    expect(found).toEqual([])
    // The tally reads back as counts per graded member only.
    const tallies = answers.filter(([label, a]) => label.includes('tally') && (a as { ok: boolean }).ok)
    expect(tallies.length).toBeGreaterThan(0)
    // A grade's answer is only that it was taken.
    expect(answers.filter(([l]) => l.startsWith('grade as')).map(([, a]) => a)).toEqual(Object.keys(SHEETS).map(() => ({ ok: true, data: { voted: true } })))

    const ballots = (await env.db.collection('review_ballots').where({ reviewId: RID }).get()).data
    expect(ballots).toHaveLength(4)
    // Not even a ballot's id reaches an answer.
    const text = JSON.stringify(answers)
    for (const b of ballots) expect(text).not.toContain(String(b._id))
    for (const b of ballots) {
      expect(Object.keys(b).sort()).toEqual(['_id', 'reviewId', 'sheet'])
      expect(String(b._id)).toMatch(/^rb_[0-9a-f]{24}$/)
      for (const m of B1) expect(String(b._id)).not.toContain(m)
    }
    expect(ballots.map((b) => b.sheet).sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)))).toEqual(
      Object.values(SHEETS).sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)))
    )
    const voters = (await env.db.collection('review_voters').where({ reviewId: RID }).get()).data
    expect(voters.map((v) => Object.keys(v).sort())).toEqual(voters.map(() => ['_id', 'memberId', 'reviewId']))
    // Nothing about grading in the audit: only the officers' steps.
    const { data: audit } = await env.db.collection('audit').where({ orgId: 'br_1' }).get()
    expect(audit.every((a) => !JSON.stringify(a).includes('grade') || a.action === 'review.decide')).toBe(true)
    expect(audit.every((a) => !('detail' in a) || !JSON.stringify(a.detail).match(/excellent|qualified|basic/))).toBe(true)
    expect(audit.some((a) => M3 === a.actor)).toBe(false)
  })
})
