/**
 * 党员个人档案: one member's year in one document — attendance, study (notes
 * with counts and review comments), points, warnings. The same object is
 * the printable page in the app and the exported workbook.
 */
import { expectedAt } from '../audience'
import { attendanceCell, attendanceCounts, attendanceFigures, sessionOver, type AttendanceCell } from '../checkin/attendance'
import { makeupDone } from '../checkin/makeup'
import { essayCounts } from '../notes/essay'
import { memberNoteQuota } from '../notes/prorate'
import { exemptionOf, type ExemptionSettings } from '../org/exemption'
import { formatShanghai } from '../period'
import { EXEMPT_REASON_LABELS, RANK_LABELS, type Member } from '../schemas/member'
import { NOTE_KIND_LABELS, REVIEW_STATUS_LABELS, type Note } from '../schemas/note'
import { SESSION_TYPE_LABELS, type Session } from '../schemas/session'
import type { OrgSettingsValues } from '../schemas/settings'
import { yearDetailText } from '../checkin/words'
import { GRADE_LABELS, type Grade } from '../vocab/review'
import { markOf, type AttendanceMark, type BranchPeriodFacts } from './attendance'
import { ratio, type Workbook } from './model'
import type { LedgerLine } from './points'

export interface MemberArchive {
  year: number
  member: { name: string; branchName: string; rank: string; retired: boolean; leadingCadre: boolean; exempt: string | null }
  attendance: { date: string; type: string; title: string; mark: AttendanceMark }[]
  attendanceTotals: { expected: number; present: number; late: number; leave: number; madeUp: number; absent: number; rate: number | null }
  notes: { date: string; kind: string; title: string; words: number; credited: number; review: string; comment: string }[]
  notesTotals: { count: number; words: number; credited: number; essays: number; quotaWords: number | null; quotaEssays: number | null }
  points: { date: string; reason: string; delta: number; correction: boolean }[]
  pointsTotal: number
  warnings: string[]
  /** The year's 民主评议党员 outcome as the branch committee recorded it; null when none was recorded. */
  review: { grade: string; reason: string | null } | null
}

export interface ArchiveInput {
  member: Member
  branchName: string
  year: number
  now: number
  settings: Pick<OrgSettingsValues, 'quotas' | 'exemptAge' | 'essayMinWords'>
  sessions: Session[]
  checkins: BranchPeriodFacts['checkins']
  leaves: BranchPeriodFacts['leaves']
  makeups: BranchPeriodFacts['makeups']
  notes: Pick<Note, 'kind' | 'title' | 'words' | 'creditedWords' | 'review' | 'createdAt' | 'deleted'>[]
  ledger: LedgerLine[]
  warnings: string[]
  review?: { grade: Grade; reason?: string } | null
}

/** Why the member is exempt that year (org/exemption.ts), as the record shows it; null when not. */
function exemptText(m: Member, settings: ExemptionSettings, year: number): string | null {
  const e = exemptionOf(m, settings, year)
  if (e.cause === null) return null
  if (e.cause === 'over_age' || !m.exempt) return `年满 ${settings.exemptAge} 周岁`
  return `${EXEMPT_REASON_LABELS[m.exempt.reason]}${m.exempt.note ? `（${m.exempt.note}）` : ''}`
}

export function memberArchive(f: ArchiveInput): MemberArchive {
  const m = f.member
  const checkins = new Map(f.checkins.filter((c) => c.memberId === m._id).map((c) => [c.sessionId, c]))
  const leaves = new Set(f.leaves.filter((l) => l.memberId === m._id && l.status === 'approved').map((l) => l.sessionId))
  const madeUp = new Set(f.makeups.filter((x) => x.memberId === m._id && makeupDone(x)).map((x) => x.sessionId))
  const cells: AttendanceCell[] = []
  const attendance: MemberArchive['attendance'] = []
  for (const s of [...f.sessions].filter((x) => x.status !== 'cancelled' && x.startAt <= f.now).sort((a, b) => a.startAt - b.startAt)) {
    const checkin = checkins.get(s._id)
    const expected = expectedAt(s, m)
    if (!expected && !checkin) continue
    const leaveApproved = leaves.has(s._id)
    const done = madeUp.has(s._id)
    // Counted by the judge checkin.mine uses, worded by the one the 签到台账 uses.
    cells.push(attendanceCell(s, { checkin, leave: leaveApproved ? { status: 'approved' } : undefined, makeup: done ? { status: 'accepted' } : undefined }, f.now))
    const mark = markOf({ expected, closed: sessionOver(s, f.now), checkin, leaveApproved, madeUp: done, checkinOpened: f.now >= s.checkin.opensAt })
    attendance.push({ date: formatShanghai(s.startAt, 'YYYY-MM-DD'), type: SESSION_TYPE_LABELS[s.type], title: s.title, mark })
  }
  const t = attendanceFigures(attendanceCounts(cells))
  const notes = f.notes
    .filter((n) => !n.deleted)
    .sort((a, b) => a.createdAt - b.createdAt)
    .map((n) => ({
      date: formatShanghai(n.createdAt, 'YYYY-MM-DD'),
      kind: NOTE_KIND_LABELS[n.kind],
      title: n.title,
      words: n.words,
      credited: n.creditedWords,
      review: REVIEW_STATUS_LABELS[n.review.status],
      comment: n.review.comment ?? ''
    }))
  const quota = memberNoteQuota(m, f.settings, f.year)
  const points = [...f.ledger].sort((a, b) => a.at - b.at || a.seq - b.seq).map((l) => ({ date: formatShanghai(l.at, 'YYYY-MM-DD'), reason: l.reason, delta: l.delta, correction: l.seq > 0 }))
  return {
    year: f.year,
    member: {
      name: m.name,
      branchName: f.branchName,
      rank: RANK_LABELS[m.rank],
      retired: m.retired,
      leadingCadre: m.leadingCadre,
      exempt: exemptText(m, f.settings, f.year)
    },
    attendance,
    attendanceTotals: { ...t, rate: ratio(t.present, t.expected - t.leave) },
    notes,
    notesTotals: {
      count: notes.length,
      words: notes.reduce((s, n) => s + n.words, 0),
      credited: notes.reduce((s, n) => s + n.credited, 0),
      essays: f.notes.filter((n) => essayCounts(n, f.settings.essayMinWords)).length,
      quotaWords: quota?.words ?? null,
      quotaEssays: quota?.essays ?? null
    },
    points,
    pointsTotal: points.reduce((s, p) => s + p.delta, 0),
    warnings: f.warnings,
    review: f.review ? { grade: GRADE_LABELS[f.review.grade], reason: f.review.reason ?? null } : null
  }
}

export function archiveWorkbook(a: MemberArchive): Workbook {
  const head = `${a.member.name} ${a.year}年党员日常教育管理个人档案`
  const t = a.attendanceTotals
  const n = a.notesTotals
  return {
    fileName: `${a.member.name}-${a.year}年个人档案.xlsx`,
    sheets: [
      {
        name: '基本情况',
        title: head,
        columns: [{ header: '项目', width: 16 }, { header: '内容', width: 48 }],
        rows: [
          ['姓名', a.member.name],
          ['所在支部', a.member.branchName],
          ['职级', a.member.rank],
          ['离退休', a.member.retired ? '是' : '否'],
          ['领导干部', a.member.leadingCadre ? '是' : '否'],
          ['免于考核', a.member.exempt ?? '否'],
          ['组织生活', yearDetailText(t)],
          ['学习笔记', `${n.count} 篇，${n.words} 字，计入 ${n.credited} 字${n.quotaWords !== null ? `（定额 ${n.quotaWords} 字）` : ''}；心得体会 ${n.essays} 篇${n.quotaEssays !== null ? `（定额 ${n.quotaEssays} 篇）` : ''}`],
          ['积分', `${a.pointsTotal} 分`],
          ['预警', a.warnings.length ? a.warnings.join('；') : '无'],
          ['民主评议', a.review ? `${a.review.grade}${a.review.reason ? `（${a.review.reason}）` : ''}` : '未记录']
        ]
      },
      {
        name: '组织生活',
        columns: [{ header: '日期', width: 12 }, { header: '类型', width: 14 }, { header: '活动', width: 36 }, { header: '情况', width: 12 }],
        rows: a.attendance.map((r) => [r.date, r.type, r.title, r.mark])
      },
      {
        name: '学习笔记',
        columns: [{ header: '日期', width: 12 }, { header: '类别', width: 10 }, { header: '题目', width: 36 }, { header: '字数', kind: 'int' }, { header: '计入字数', kind: 'int' }, { header: '审阅', width: 10 }, { header: '书记意见', width: 40 }],
        rows: a.notes.map((r) => [r.date, r.kind, r.title, r.words, r.credited, r.review, r.comment])
      },
      {
        name: '积分',
        columns: [{ header: '日期', width: 12 }, { header: '事项', width: 40 }, { header: '分值', kind: 'int' }, { header: '更正', width: 6 }],
        rows: [...a.points.map((p) => [p.date, p.reason, p.delta, p.correction ? '更正' : '']), ['合计', null, a.pointsTotal, null]]
      }
    ]
  }
}
