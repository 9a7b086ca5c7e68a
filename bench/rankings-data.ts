/**
 * Synthetic data for `npm run bench:rankings`: one 党委 with 200 branches of
 * 5–60 members (5,000 in all), a year (2026) of organisational life, notes and
 * the points ledger that the write paths would have left behind. Deterministic
 * (fixed seed), generated branch by branch so memory stays flat.
 *
 * The ledger is not invented: every state a member's attendance or notes went
 * through (checked in, tallied as absent, leave approved late, essay sent
 * back, note deleted…) is fed to the same pure functions the write paths use
 * (attendanceContribution, noteContribution, monthWordsClaim) and settled the
 * way cloudfunctions/_shared/tally.ts settleClaim does (append the difference,
 * seq per key, 更正/撤销 reasons), with the matching `points_nets`.
 * Aggregates are NOT generated: building them is what reconciliation is timed on.
 */
import type { DocData } from '../cloudfunctions/_shared/db'
import { periodKeysOf } from '../src/core/period'
import { checkinId, leaveId, makeupId, type Checkin, type LeaveRequest, type Makeup } from '../src/core/schemas/checkin'
import type { Member } from '../src/core/schemas/member'
import type { Note } from '../src/core/schemas/note'
import { pointsEntryId } from '../src/core/schemas/points'
import type { Session, SessionType } from '../src/core/schemas/session'
import { DEFAULT_SETTINGS } from '../src/core/schemas/settings'
import { attendanceContribution, monthWordsClaim, noteContribution, type AttendanceFacts, type PointsClaim } from '../src/core/stats/contributions'
import { countNoteWords } from '../src/core/words'
import { seededRandom } from '../server/seed/random'
import { loadSeedTexts } from '../server/seed/texts'

export const YEAR = 2026
export const ORG_ID = 'org_bench'
/** The first branch is made the largest (60 members); its member ranking is timed. */
export const LARGEST_BRANCH = 'br_001'
export const ADMIN_ID = 'm_br_001_01'
export const ADMIN_OPENID = `ob_${ADMIN_ID}`
/** The instant the bench runs "at": every 2026 session is over and tallied. */
export const NOW = Date.UTC(2027, 0, 5, 2)
const MIN = 60_000
const HOUR = 60 * MIN
const DAY = 24 * HOUR
const RULES = DEFAULT_SETTINGS.pointsRules
const CAP = DEFAULT_SETTINGS.notePointsMonthlyCap

export interface Shape { seed: number; branches: number; members: number; notes: number }
export const DEFAULT_SHAPE: Shape = { seed: 20260601, branches: 200, members: 5000, notes: 100_000 }

const shanghai = (m: number, d: number, h: number, min = 0) => Date.UTC(YEAR, m - 1, d, h, min) - 8 * HOUR
const pad = (n: number, w = 2) => String(n).padStart(w, '0')
const branchId = (i: number) => `br_${pad(i + 1, 3)}`

/** Branch sizes in [5, 60], skewed small, summing exactly to the member total. */
export function branchSizes(s: Shape): number[] {
  const rand = seededRandom(s.seed)
  const sizes = Array.from({ length: s.branches }, () => 5 + Math.floor(55 * rand() ** 1.6))
  sizes[0] = 60 // LARGEST_BRANCH, which also holds the admin
  let sum = sizes.reduce((a, b) => a + b, 0)
  while (sum !== s.members) {
    const i = 1 + Math.floor(rand() * (s.branches - 1))
    const step = sum < s.members ? 1 : -1
    if (sizes[i] + step < 5 || sizes[i] + step > 60) continue
    sizes[i] += step
    sum += step
  }
  return sizes
}

export function committeeOrg(): DocData {
  return { _id: ORG_ID, type: 'committee', name: '压测机关党委', parentId: null, path: [ORG_ID], closed: false, createdAt: NOW - 800 * DAY }
}

/** Settles points claims as settleClaim does: append claim − net, one seq per key. */
class LedgerSim {
  readonly entries: DocData[] = []
  readonly nets = new Map<string, { memberId: string; net: number; entries: number; updatedAt: number }>()
  constructor(private readonly branch: string) {}
  settle(claim: PointsClaim, now: number): void {
    const cur = this.nets.get(claim.key)
    const net = cur?.net ?? 0
    const seq = cur?.entries ?? 0
    const delta = claim.points - net
    if (delta === 0) return
    const k = periodKeysOf(claim.at)
    const reason = seq === 0 ? claim.reason : `${claim.points === 0 ? '撤销' : '更正'}：${claim.reason}`
    this.entries.push({
      _id: pointsEntryId(claim.key, seq), memberId: claim.memberId, branchId: this.branch, delta, rule: claim.rule, key: claim.key, seq,
      sourceType: claim.sourceType, sourceId: claim.sourceId, reason: reason.slice(0, 200),
      periodKeys: { year: k.year, quarter: k.quarter, month: k.month }, at: claim.at, createdAt: now
    })
    this.nets.set(claim.key, { memberId: claim.memberId, net: claim.points, entries: seq + 1, updatedAt: now })
  }
  netDocs(): DocData[] {
    return [...this.nets].map(([key, n]) => ({ _id: key, memberId: n.memberId, branchId: this.branch, net: n.net, entries: n.entries, updatedAt: n.updatedAt }))
  }
}

interface Plan { type: SessionType; title: string; m: number; d: number; h: number; hours: number; audience: Session['audience']; tag?: string }

/** The year's cadence: weekly 集中学习, twice-monthly 研讨, monthly 主题党日/支委会/党小组会, quarterly 大会/党课. */
function yearPlans(size: number, groups: string[]): Plan[] {
  const plans: Plan[] = []
  const branch = { kind: 'branch' as const }
  for (let t = shanghai(1, 6, 15); t < shanghai(12, 31, 0); t += 7 * DAY) {
    const d = new Date(t + 8 * HOUR)
    plans.push({ type: 'group_study', title: `${d.getUTCMonth() + 1}月${d.getUTCDate()}日集中学习`, m: d.getUTCMonth() + 1, d: d.getUTCDate(), h: 15, hours: 2, audience: branch })
  }
  for (let m = 1; m <= 12; m++) {
    plans.push({ type: 'seminar', title: `${m}月上旬专题学习研讨`, m, d: 8, h: 9, hours: 2, audience: branch })
    plans.push({ type: 'seminar', title: `${m}月下旬专题学习研讨`, m, d: 22, h: 9, hours: 2, audience: branch })
    plans.push({ type: 'theme_day', title: `${m}月主题党日`, m, d: 15, h: 14, hours: 2, audience: branch })
    if (size >= 7) plans.push({ type: 'committee_meeting', title: `${m}月支委会`, m, d: 5, h: 9, hours: 1, audience: { kind: 'committee' } })
    groups.forEach((g, i) => plans.push({ type: 'group_meeting', title: `第${'一二三'[i]}党小组${m}月学习会`, m, d: 10 + i, h: 16, hours: 1, audience: { kind: 'group', groupId: g }, tag: `g${i + 1}` }))
    if (m % 3 === 1) plans.push({ type: 'branch_general_meeting', title: `第${Math.ceil(m / 3)}季度支部党员大会`, m, d: 12, h: 15, hours: 2, audience: branch })
    if (m % 3 === 2) plans.push({ type: 'party_lecture', title: `${m}月党课`, m, d: 20, h: 15, hours: 2, audience: branch })
    if (m % 2 === 0) plans.push({ type: 'other', title: `${m}月线上专题学习`, m, d: 27, h: 19, hours: 1, audience: branch })
  }
  return plans
}

const isExpectedAt = (p: Plan, m: Member) =>
  p.audience.kind === 'branch' || (p.audience.kind === 'committee' ? m.roles.some((r) => r.role !== 'admin') : m.groupId === p.audience.groupId)

let textPool: string | null = null
function pool(): string {
  textPool ??= loadSeedTexts().map((t) => t.content.replace(/\s+/g, '')).join('')
  return textPool
}

/** Every document of one branch, by collection, in insertion order. */
export function generateBranch(s: Shape, index: number, size: number): Record<string, DocData[]> {
  const rand = seededRandom(s.seed * 31 + index * 7919)
  const bid = branchId(index)
  const path = [ORG_ID, bid]
  const created = NOW - 700 * DAY
  const groups = size >= 15 ? Array.from({ length: size >= 30 ? 3 : 2 }, (_, g) => `${bid}_g${g + 1}`) : []
  const orgs: DocData[] = [{ _id: bid, type: 'branch', name: `第${index + 1}党支部`, parentId: ORG_ID, path, inviteCode: `BENCH${pad(index + 1, 3)}`, closed: false, createdAt: created }]
  groups.forEach((g, i) => orgs.push({ _id: g, type: 'group', name: `第${'一二三'[i]}党小组`, parentId: bid, path: [...path, g], closed: false, createdAt: created }))

  const members: Member[] = []
  const committee = size >= 7 ? 2 + Math.floor(size / 15) : 0
  for (let i = 0; i < size; i++) {
    const id = `m_${bid}_${pad(i + 1)}`
    const roles: Member['roles'] = []
    if (id === ADMIN_ID) roles.push({ role: 'admin', orgId: ORG_ID })
    if (i === 0) roles.push({ role: 'secretary', orgId: bid })
    else if (i <= committee) roles.push({ role: 'committee', orgId: bid })
    const retired = rand() < 0.08
    const exempt = retired && rand() < 0.25 ? { reason: 'age' as const, since: created } : rand() < 0.01 ? { reason: 'long_illness' as const, since: created } : null
    members.push({
      _id: id, name: `党员${index + 1}-${i + 1}`, openid: `ob_${id}`, branchId: bid, groupId: groups.length ? groups[i % groups.length] : null, orgPath: path,
      rank: i < 2 || rand() < 0.2 ? 'deputy_section_plus' : 'staff', roles, leadingCadre: i === 0, retired, exempt, phone: null,
      birthYear: retired ? 1945 + Math.floor(rand() * 15) : 1965 + Math.floor(rand() * 35), largeText: retired, active: true,
      joinStatus: 'confirmed', joinedAt: created, createdAt: created
    })
  }
  const secretary = members[0]._id

  // Notes first, so a make-up can name one of the member's notes.
  const notes: Note[] = []
  const ledger = new LedgerSim(bid)
  const text = pool()
  for (const m of members) {
    const weight = m.exempt ? 0.15 : m.rank === 'deputy_section_plus' ? 1.25 : m.retired ? 0.75 : 1
    // 1.0145 is the mean weight over the mix of ranks below, so the total lands near s.notes.
    const count = Math.floor((weight / 1.0145) * (s.notes / s.members) * (0.7 + 0.6 * rand()) + rand())
    const yearWords = (m.exempt ? 1500 : m.rank === 'deputy_section_plus' ? 15000 : 10000) * (0.7 + 0.7 * rand())
    const essays = new Set(Array.from({ length: m.exempt ? 1 : 4 + Math.floor(rand() * 3) }, () => Math.floor(rand() * count)))
    const mine: Note[] = []
    for (let k = 0; k < count; k++) {
      const createdAt = shanghai(1, 1, 8) + Math.floor(rand() * 364 * DAY) + Math.floor(rand() * 14 * HOUR)
      const len = Math.max(60, Math.min(6000, Math.round((yearWords / Math.max(1, count)) * (0.6 + 0.8 * rand()))))
      const at = Math.floor(rand() * (text.length - len))
      const content = text.slice(at, at + len)
      const words = countNoteWords(content)
      const r = rand()
      const creditedWords = r < 0.02 ? 0 : r < 0.1 ? Math.floor(words * (0.3 + 0.6 * rand())) : words
      const essay = essays.has(k)
      const rv = rand()
      const review = rv < (essay ? 0.05 : 0.01) ? 'returned' : rv < 0.7 ? 'passed' : 'pending'
      const deleted = rand() < 0.01
      const reviewAt = createdAt + (1 + Math.floor(rand() * 5)) * DAY
      const updatedAt = deleted ? reviewAt + DAY : review === 'pending' ? createdAt : reviewAt
      mine.push({
        _id: `n_${m._id}_${pad(k, 3)}`, kind: essay ? 'essay' : 'note', title: essay ? '学习心得体会' : '学习笔记', content, words, creditedWords,
        version: 1, year: YEAR, memberId: m._id, branchId: bid,
        review: review === 'pending' ? { status: 'pending' } : { status: review, by: secretary, at: reviewAt, ...(review === 'returned' ? { comment: '请结合工作实际修改' } : {}) },
        matches: [], createdAt, updatedAt, ...(deleted ? { deleted: true } : {})
      })
    }
    // Replay the member's note history in time order through the contribution rules.
    const live = new Map<string, Note>()
    const events: Array<{ t: number; note: Note; state: Note }> = []
    for (const n of mine) {
      events.push({ t: n.createdAt, note: n, state: { ...n, review: { status: 'pending' }, deleted: undefined } })
      if (n.review.status !== 'pending') events.push({ t: n.review.at!, note: n, state: { ...n, deleted: undefined } })
      if (n.deleted) events.push({ t: n.updatedAt, note: n, state: n })
    }
    events.sort((a, b) => a.t - b.t)
    for (const e of events) {
      live.set(e.note._id, e.state)
      for (const c of noteContribution(e.state, RULES, DEFAULT_SETTINGS.essayMinWords).claims) ledger.settle(c, e.t)
      const month = periodKeysOf(e.note.createdAt).month
      let words = 0
      for (const n of live.values()) if (!n.deleted && periodKeysOf(n.createdAt).month === month) words += n.creditedWords
      ledger.settle(monthWordsClaim(m._id, month, words, RULES, CAP, e.note._id), e.t)
    }
    notes.push(...mine)
  }

  const firstNote = new Map<string, Note>()
  for (const n of notes) if (!firstNote.has(n.memberId)) firstNote.set(n.memberId, n)
  const sessions: Session[] = []
  const checkins: Checkin[] = []
  const leaves: LeaveRequest[] = []
  const makeups: Makeup[] = []
  for (const p of yearPlans(size, groups)) {
    const startAt = shanghai(p.m, p.d, p.h)
    const endAt = startAt + p.hours * HOUR
    const cancelled = rand() < 0.01
    const talliedAt = endAt + 10 * MIN
    const session: Session = {
      _id: `s_${bid}_${YEAR}${pad(p.m)}${pad(p.d)}_${p.type}${p.tag ? '_' + p.tag : ''}`, title: p.title, type: p.type, branchId: bid, orgPath: path, startAt, endAt,
      venue: { name: '党员活动室', geofence: { lat: 31.2304, lng: 121.4737, radiusM: 200 } },
      checkin: { opensAt: startAt - 30 * MIN, closesAt: endAt, lateAfter: startAt + 10 * MIN }, audience: p.audience,
      allowOnlineWithoutQr: p.type === 'other', status: cancelled ? 'cancelled' : 'scheduled',
      ...(cancelled ? { cancelReason: '因故取消' } : { talliedAt }), createdBy: secretary, createdAt: startAt - 7 * DAY, updatedAt: cancelled ? startAt - DAY : talliedAt
    }
    sessions.push(session)
    if (cancelled) continue
    const keys = periodKeysOf(startAt)
    const pre = { ...session, talliedAt: undefined }
    for (const m of members) {
      if (!isExpectedAt(p, m)) continue
      const exempt = m.exempt !== null
      const steps: Array<{ t: number; session: AttendanceFacts['session']; checkin: Checkin | null; leave: LeaveRequest | null; makeup: Makeup | null }> = []
      const r = rand()
      if (r < (exempt ? 0.3 : m.retired ? 0.85 : 0.915)) {
        const late = rand() < 0.07
        const afterTally = !exempt && rand() < 0.02 // forgot to scan: the secretary types it in next day
        const proxy = exempt || afterTally
        const at = late ? startAt + (11 + Math.floor(rand() * 30)) * MIN : startAt - Math.floor(rand() * 25) * MIN
        const c: Checkin = {
          _id: checkinId(session._id, m._id), sessionId: session._id, memberId: m._id, branchId: bid, at: afterTally ? startAt : at,
          recordedAt: afterTally ? talliedAt + DAY : at, status: late && !afterTally ? 'late' : 'attended', method: proxy ? 'proxy' : p.type === 'other' ? 'online' : 'qr',
          ...(proxy ? { proxyBy: secretary, proxyReason: afterTally ? '现场已参加，补录签到' : '年事已高，由书记代为签到' } : p.type === 'other' ? {} : { qrSlot: Math.floor(at / 30000), distanceM: Math.floor(rand() * 80) }),
          periodKeys: keys
        }
        checkins.push(c)
        if (afterTally) steps.push({ t: talliedAt, session, checkin: null, leave: null, makeup: null })
        steps.push({ t: c.recordedAt, session: afterTally ? session : pre, checkin: c, leave: null, makeup: null })
      } else {
        let leave: LeaveRequest | null = null
        if (rand() < 0.55) {
          const approved = rand() < 0.88
          const lateApproval = approved && rand() < 0.15
          const decidedAt = lateApproval ? talliedAt + DAY : startAt - DAY
          leave = {
            _id: leaveId(session._id, m._id), sessionId: session._id, memberId: m._id, branchId: bid, reason: approved ? '出差在外' : '临时有事',
            status: approved ? 'approved' : 'refused', decidedBy: secretary, decidedAt, periodKeys: keys, createdAt: startAt - 2 * DAY, updatedAt: decidedAt
          }
          leaves.push(leave)
          if (lateApproval) steps.push({ t: talliedAt, session, checkin: null, leave: { ...leave, status: 'pending' }, makeup: null })
        }
        let makeup: Makeup | null = null
        if (leave?.status !== 'approved' && rand() < 0.3) {
          const accepted = rand() < 0.6
          const note = firstNote.get(m._id)
          const reviewedAt = talliedAt + 10 * DAY
          makeup = {
            _id: makeupId(session._id, m._id), sessionId: session._id, memberId: m._id, branchId: bid, assignedBy: secretary, deadline: startAt + 30 * DAY,
            status: accepted && note ? 'accepted' : 'assigned', ...(accepted && note ? { noteId: note._id, submittedAt: reviewedAt - DAY, reviewedBy: secretary, reviewedAt } : {}),
            periodKeys: keys, createdAt: talliedAt + DAY, updatedAt: accepted && note ? reviewedAt : talliedAt + DAY
          }
          makeups.push(makeup)
          if (makeup.status === 'accepted') steps.push({ t: talliedAt, session, checkin: null, leave, makeup: null })
        }
        steps.push({ t: Math.max(talliedAt, makeup?.reviewedAt ?? 0, leave?.decidedAt ?? 0), session, checkin: null, leave, makeup })
      }
      for (const st of steps) {
        const c = attendanceContribution({ session: st.session, memberId: m._id, expected: true, exempt, checkin: st.checkin, leave: st.leave, makeup: st.makeup }, RULES)
        for (const claim of c.claims) ledger.settle(claim, st.t)
      }
    }
  }
  return { orgs, members, sessions, checkins, leaves, makeups, notes, ledger: ledger.entries, points_nets: ledger.netDocs() } as unknown as Record<string, DocData[]>
}

/** Branch sizes and an iterator over every branch's documents (the committee org comes first, separately). */
export function* generateAll(s: Shape): Generator<{ index: number; docs: Record<string, DocData[]> }> {
  const sizes = branchSizes(s)
  for (let i = 0; i < sizes.length; i++) yield { index: i, docs: generateBranch(s, i, sizes[i]) }
}

/**
 * Writes the whole data set into `db` through the ordinary API, one
 * transaction per branch (~6,000 adds each). `check` sees the first branch's
 * documents (the benchmarks parse them with the functions' schemas).
 */
export async function generateInto(
  db: { collection(name: string): { add(o: { data: DocData }): Promise<unknown> }; runTransaction<T>(fn: (t: { collection(name: string): { add(o: { data: DocData }): Promise<unknown> } }) => Promise<T>): Promise<T> },
  shape: Shape,
  opts: { check?: (coll: string, doc: DocData) => void; progress?: (done: number, total: number, docs: number) => void } = {}
): Promise<number> {
  let docs = 1
  await db.collection('orgs').add({ data: committeeOrg() })
  const total = branchSizes(shape).length
  for (const { index, docs: byColl } of generateAll(shape)) {
    if (index === 0 && opts.check) for (const [coll, list] of Object.entries(byColl)) for (const d of list) opts.check(coll, d)
    await db.runTransaction(async (t) => {
      for (const [coll, list] of Object.entries(byColl)) for (const data of list) await t.collection(coll).add({ data })
    })
    docs += Object.values(byColl).reduce((a, l) => a + l.length, 0)
    opts.progress?.(index + 1, total, docs)
  }
  return docs
}
