import { periodKeysOf } from '../../src/core/period'
import { checkinId, leaveId, type Checkin, type LeaveRequest } from '../../src/core/schemas/checkin'
import type { Member } from '../../src/core/schemas/member'
import type { Note } from '../../src/core/schemas/note'
import type { Session, SessionType } from '../../src/core/schemas/session'
import { countNoteWords } from '../../src/core/words'
import { DEMO_BRANCHES } from './people'
import { pick, seededRandom } from './random'
import { loadSeedParagraphs } from './texts'

const HOUR = 3600 * 1000
const DAY = 24 * HOUR
const SHANGHAI = 8 * HOUR

/** Epoch ms of a Shanghai wall-clock time. */
function shanghai(year: number, month: number, day: number, hour: number, minute = 0): number {
  return Date.UTC(year, month - 1, day, hour, minute) - SHANGHAI
}

interface Plan {
  type: SessionType
  title: string
  day: number
  hour: number
  hours: number
  audience: Session['audience']
}

export const SPEECH_TITLES = ['在党建工作推进会上的讲话', '在“红旗党支部”评选会上的讲话', '在机关党建工作会议上的讲话']

/** What a branch holds in one month: the standing cadence of organisational life. */
function monthPlans(branch: (typeof DEMO_BRANCHES)[number], month: number): Plan[] {
  const plans: Plan[] = [
    { type: 'theme_day', title: `${month}月主题党日：学习贯彻党的创新理论`, day: 15, hour: 14, hours: 2, audience: { kind: 'branch' } }
  ]
  // A branch of fewer than 7 members has a secretary but no committee (《支部工作条例》).
  if (branch.size >= 7) plans.push({ type: 'committee_meeting', title: `${month}月支委会`, day: 5, hour: 9, hours: 1, audience: { kind: 'committee' } })
  for (let g = 1; g <= branch.groups; g++) {
    plans.push({ type: 'group_meeting', title: `第${'一二三'[g - 1]}党小组${month}月学习会`, day: 8 + g, hour: 9, hours: 1, audience: { kind: 'group', groupId: `${branch._id}_g${g}` } })
  }
  if (month % 3 === 1) plans.push({ type: 'branch_general_meeting', title: `第${Math.ceil(month / 3)}季度支部党员大会`, day: 10, hour: 15, hours: 2, audience: { kind: 'branch' } })
  if (month % 3 === 2) plans.push({ type: 'party_lecture', title: `${month}月党课：永葆共产党人政治本色`, day: 20, hour: 15, hours: 2, audience: { kind: 'branch' } })
  if (month % 3 === 0) plans.push({ type: 'seminar', title: `第${Math.ceil(month / 3)}季度专题学习研讨`, day: 25, hour: 14, hours: 3, audience: { kind: 'branch' } })
  return plans
}

function expectedMembers(plan: Plan, members: Member[]): Member[] {
  switch (plan.audience.kind) {
    case 'committee':
      return members.filter((m) => m.roles.some((r) => r.role === 'secretary' || r.role === 'committee'))
    case 'group':
      return members.filter((m) => m.groupId === plan.audience.groupId)
    default:
      return members
  }
}

export interface DemoActivity {
  sessions: Session[]
  checkins: Checkin[]
  leaves: LeaveRequest[]
  notes: Note[]
}

/**
 * A realistic past year for every branch, ending at `now`: the monthly and
 * quarterly cadence of 三会一课, check-ins (mostly on time, some late, some on
 * leave, a few absent), and reading notes written from the seed speeches.
 * Sessions of the next month are scheduled but not yet held.
 */
export function demoActivity(members: Member[], now: number): DemoActivity {
  const rand = seededRandom(20261122)
  const paragraphs = loadSeedParagraphs()
  const out: DemoActivity = { sessions: [], checkins: [], leaves: [], notes: [] }
  const nowKeys = periodKeysOf(now)
  const [nowYear, nowMonth] = nowKeys.month.split('-').map(Number)

  for (const branch of DEMO_BRANCHES) {
    const branchMembers = members.filter((m) => m.branchId === branch._id)
    const secretary = branchMembers.find((m) => m.roles.some((r) => r.role === 'secretary' && r.orgId === branch._id))!
    // Twelve months back and one ahead.
    for (let offset = -12; offset <= 1; offset++) {
      const idx = nowYear * 12 + (nowMonth - 1) + offset
      const year = Math.floor(idx / 12)
      const month = (idx % 12) + 1
      for (const plan of monthPlans(branch, month)) {
        const startAt = shanghai(year, month, plan.day, plan.hour)
        const endAt = startAt + plan.hours * HOUR
        const sessionId = `s_${branch._id}_${year}${String(month).padStart(2, '0')}_${plan.type}${plan.audience.groupId ? '_' + plan.audience.groupId.slice(-2) : ''}`
        out.sessions.push({
          _id: sessionId,
          title: plan.title,
          type: plan.type,
          branchId: branch._id,
          orgPath: ['org_demo', branch._id],
          startAt,
          endAt,
          venue: { name: `${branch.name}活动室`, geofence: { lat: 39.9087, lng: 116.3975, radiusM: 200 } },
          checkin: { opensAt: startAt - 30 * 60 * 1000, closesAt: endAt, lateAfter: startAt + 10 * 60 * 1000 },
          audience: plan.audience,
          allowOnlineWithoutQr: branch._id === 'br_3',
          status: 'scheduled',
          createdBy: secretary._id,
          createdAt: startAt - 10 * DAY,
          updatedAt: startAt - 10 * DAY
        })
        if (endAt > now) continue
        for (const m of expectedMembers(plan, branchMembers)) {
          const r = rand()
          const attendRate = m.exempt ? 0.3 : m.retired ? 0.82 : 0.9
          const keys = periodKeysOf(startAt)
          if (r < attendRate) {
            const late = rand() < 0.08
            const at = late ? startAt + (11 + Math.floor(rand() * 20)) * 60000 : startAt - Math.floor(rand() * 25) * 60000
            const proxy = m.exempt !== null || (m.retired && rand() < 0.15)
            out.checkins.push({
              _id: checkinId(sessionId, m._id),
              sessionId,
              memberId: m._id,
              branchId: branch._id,
              at,
              recordedAt: at,
              status: late ? 'late' : 'attended',
              method: proxy ? 'proxy' : 'qr',
              ...(proxy ? { proxyBy: secretary._id, proxyReason: '年事已高，由书记代为签到' } : { qrSlot: Math.floor(at / 30000), distanceM: Math.floor(rand() * 80) }),
              periodKeys: keys
            })
          } else if (r < attendRate + 0.06) {
            out.leaves.push({
              _id: leaveId(sessionId, m._id),
              sessionId,
              memberId: m._id,
              branchId: branch._id,
              reason: pick(rand, ['出差在外', '身体不适，在医院复查', '家中有事', '参加上级培训']),
              status: 'approved',
              decidedBy: secretary._id,
              decidedAt: startAt - DAY,
              periodKeys: keys,
              createdAt: startAt - 2 * DAY,
              updatedAt: startAt - DAY
            })
          }
        }
      }
    }
    // Reading notes: most members write steadily, some cram, exempt members write little.
    for (const m of branchMembers) {
      const perMonth = m.exempt ? 0.2 : m.rank === 'deputy_section_plus' ? 2.2 : 1.6
      for (let offset = -11; offset <= 0; offset++) {
        const idx = nowYear * 12 + (nowMonth - 1) + offset
        const year = Math.floor(idx / 12)
        const month = (idx % 12) + 1
        let count = Math.floor(perMonth + rand() - 0.5)
        if (m._id.endsWith('_04') && month === 12) count += 4 // someone who crams before the year-end check
        for (let n = 0; n < count; n++) {
          const createdAt = shanghai(year, month, 1 + Math.floor(rand() * 27), 8 + Math.floor(rand() * 12), Math.floor(rand() * 60))
          if (createdAt > now) continue
          const speech = Math.floor(rand() * paragraphs.length)
          const list = paragraphs[speech]
          const start = Math.floor(rand() * list.length)
          const take = 1 + Math.floor(rand() * 3)
          const essay = n === 0 && month % 3 === 0 && rand() < 0.7
          const excerpt = list.slice(start, start + take).join('\n')
          const reflection = essay
            ? `学习体会：通过学习，我深刻认识到要把学习成果转化为推动工作的实际成效，在本职岗位上当好表率。${month}月，我结合工作实际，对照检查了自身在理论学习、担当作为方面的差距，今后要做到学以致用、知行合一。`
            : `心得：要坚持学思用贯通、知信行统一。`
          const content = `${excerpt}\n${reflection}`
          const words = countNoteWords(content)
          out.notes.push({
            _id: `n_${m._id}_${year}${String(month).padStart(2, '0')}_${n}`,
            kind: essay ? 'essay' : 'note',
            title: essay ? `${month}月学习心得体会` : `学习《${SPEECH_TITLES[speech % SPEECH_TITLES.length]}》笔记`,
            source: SPEECH_TITLES[speech % SPEECH_TITLES.length],
            content,
            words,
            creditedWords: words,
            version: 1,
            year,
            memberId: m._id,
            branchId: branch._id,
            review: rand() < 0.6 ? { status: 'passed', by: secretary._id, at: createdAt + 3 * DAY } : { status: 'pending' },
            matches: [],
            createdAt,
            updatedAt: createdAt
          })
        }
      }
    }
  }
  return out
}
