/**
 * 会议记录 as a workbook: one row per meeting held in the period, in the
 * columns of a 会议记录本, with the attendance the record shows (the same
 * roster judgement and the same names, core/minutes/attendance.ts) and the
 * officers' text as last saved. A record not yet locked says so: an
 * inspection should know which lines may still change.
 */
import { makeupWordOf, materialsText, peopleText } from '../minutes/words'
import type { MinutesAttendanceView } from '../minutes/attendance'
import { formatShanghai } from '../period'
import { SESSION_TYPE_LABELS, type Session } from '../schemas/session'
import type { Sheet } from './model'

export interface MinutesLedgerEntry {
  session: Pick<Session, 'startAt' | 'endAt' | 'title' | 'type' | 'venue'> & { recorded?: boolean }
  chairName: string
  recorderName: string
  agenda: string
  discussion: string
  decisions: string
  lockedAt: number | null
  attendance: MinutesAttendanceView
  /** Titles of the 学习材料 the record links (still stored). */
  materialTitles?: string[]
  /** A 专题学习研讨's plan: 研讨主题 and 发言人 in speaking order (absent for other sessions). */
  plan?: { topic: string; speakerNames: string[] }
  /** A 专题学习研讨's: how many expected members handed in 交流材料 (absent for other sessions). */
  exchangeHanded?: number
}

/** 研讨主题：…；发言人：…, as the printed record has them; empty where nothing was planned. */
function planText(plan: MinutesLedgerEntry['plan']): string {
  if (!plan) return ''
  const parts = [plan.topic ? `研讨主题：${plan.topic}` : '', plan.speakerNames.length ? `发言人：${list(plan.speakerNames)}` : '']
  return parts.filter(Boolean).join('；')
}

const list = peopleText

export function minutesSheet(entries: MinutesLedgerEntry[], o: { title: string; name: string }): Sheet {
  const rows = [...entries]
    .sort((a, b) => a.session.startAt - b.session.startAt)
    .map((e) => {
      const a = e.attendance
      return [
        formatShanghai(e.session.startAt, 'YYYY-MM-DD'),
        `${formatShanghai(e.session.startAt, 'HH:mm')}–${formatShanghai(e.session.endAt, 'HH:mm')}`,
        e.session.title,
        SESSION_TYPE_LABELS[e.session.type] + (e.session.recorded ? '（补录）' : ''),
        e.session.venue.name,
        e.chairName || '（未填写）',
        e.recorderName || '（未填写）',
        a.expected,
        a.present,
        list(a.leave.map((l) => `${l.name}${l.reason ? `（${l.reason}）` : ''}${l.approved ? '' : '（待批准）'}`)),
        list(a.absent.map((x) => `${x.name}（${makeupWordOf(x.makeup)}）`)),
        e.agenda,
        materialsText(e.materialTitles ?? []),
        e.discussion,
        e.decisions,
        planText(e.plan),
        e.exchangeHanded === undefined ? '' : `已交 ${e.exchangeHanded} 人，未交 ${Math.max(0, a.expected - e.exchangeHanded)} 人`,
        e.lockedAt !== null ? `已锁定 ${formatShanghai(e.lockedAt, 'YYYY-MM-DD')}` : '未锁定'
      ]
    })
  return {
    name: o.name,
    title: o.title,
    columns: [
      { header: '日期', width: 12 },
      { header: '时间', width: 12 },
      { header: '会议名称', width: 24 },
      { header: '类型', width: 10 },
      { header: '地点', width: 14 },
      { header: '主持人', width: 8 },
      { header: '记录人', width: 8 },
      { header: '应到', kind: 'int' },
      { header: '实到', kind: 'int' },
      { header: '请假', width: 20 },
      { header: '缺席', width: 24 },
      { header: '议程与学习内容', width: 40 },
      { header: '学习材料', width: 30 },
      { header: '发言与讨论', width: 40 },
      { header: '决议与决定事项', width: 30 },
      { header: '研讨主题与发言人', width: 30 },
      { header: '交流材料', width: 18 },
      { header: '状态', width: 14 }
    ],
    rows,
    notes: ['出席、请假、缺席由签到记录生成，与“会议记录”页一致；缺席者括号内为补学情况。', '研讨主题与发言人、交流材料只对专题学习研讨填写；交流材料为应参加的党员中已提交和未提交的人数。']
  }
}
