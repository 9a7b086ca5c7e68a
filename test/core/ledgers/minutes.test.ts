import { judgeRoster } from '../../../src/core/checkin/roster'
import { minutesSheet } from '../../../src/core/ledgers/minutes'
import { minutesAttendance } from '../../../src/core/minutes/attendance'

const sh = (iso: string) => Date.parse(`${iso}+08:00`)
const START = sh('2026-11-12T14:30:00')

const session = {
  _id: 's1',
  branchId: 'br_2',
  title: '11月主题党日',
  type: 'theme_day' as const,
  startAt: START,
  endAt: START + 2 * 3600_000,
  venue: { name: '三楼会议室' },
  audience: { kind: 'branch' as const },
  checkin: { opensAt: START - 1800_000, closesAt: START + 2 * 3600_000, lateAfter: START + 600_000 }
}
const person = (id: string, name: string) => ({ _id: id, name, branchId: 'br_2', active: true, joinStatus: 'active', joinedAt: sh('2020-01-01T00:00:00'), roles: [] })
const PEOPLE = [person('a', '林华'), person('b', '王芳'), person('c', '张伟'), person('d', '李强'), person('e', '赵敏')]

function attendance() {
  const judged = judgeRoster(
    session,
    PEOPLE as never,
    [
      { sessionId: 's1', memberId: 'a', status: 'attended' },
      { sessionId: 's1', memberId: 'b', status: 'late' },
      // Another session's check-in is not this one's.
      { sessionId: 's2', memberId: 'c', status: 'attended' }
    ],
    [
      { sessionId: 's1', memberId: 'c', status: 'approved', reason: '出差' },
      { sessionId: 's1', memberId: 'd', status: 'refused', reason: '临时有事' }
    ]
  )
  return { judged, view: minutesAttendance(judged.rows, [{ memberId: 'd', status: 'accepted' }], { officer: true, over: true }) }
}

describe('会议记录 workbook', () => {
  it('the record counts what the roster judge counts; a refused leave is an absence', () => {
    const { judged, view } = attendance()
    expect(judged.counts).toEqual({ expected: 5, attended: 1, late: 1, leave: 1, absent: 2, leavePending: 0 })
    expect({ expected: view.expected, present: view.present, late: view.late, leave: view.leave.length, absent: view.absent.length }).toEqual({
      expected: judged.counts.expected,
      present: judged.counts.attended + judged.counts.late,
      late: judged.counts.late,
      leave: judged.counts.leave,
      absent: judged.counts.absent
    })
    expect(view.absent.map((x) => [x.name, x.makeup])).toEqual([
      ['李强', 'accepted'],
      ['赵敏', 'none']
    ])
  })

  it('a row per meeting with the record’s names, counts, text and lock', () => {
    const { view } = attendance()
    const sheet = minutesSheet(
      [
        {
          session: { ...session, startAt: START + 7 * 86_400_000, endAt: START + 7 * 86_400_000 + 3600_000, title: '支委会', type: 'committee_meeting' },
          chairName: '',
          recorderName: '',
          agenda: '',
          discussion: '',
          decisions: '',
          lockedAt: null,
          attendance: { ...view, attended: [], leave: [], absent: [], expected: 0, present: 0, late: 0 }
        },
        {
          session,
          chairName: '林华',
          recorderName: '王芳',
          agenda: '学习党章',
          materialTitles: ['在党建工作推进会上的讲话'],
          discussion: '',
          decisions: '开展志愿服务',
          lockedAt: sh('2026-11-13T09:00:00'),
          attendance: view,
          plan: { topic: '以学铸魂', speakerNames: ['林华', '张伟'] },
          exchangeHanded: 3
        }
      ],
      { title: '第二党支部 会议记录（2026年11月）', name: '会议记录' }
    )
    expect(sheet.columns.map((c) => c.header)).toEqual(['日期', '时间', '会议名称', '类型', '地点', '主持人', '记录人', '应到', '实到', '请假', '缺席', '议程与学习内容', '学习材料', '发言与讨论', '决议与决定事项', '研讨主题与发言人', '交流材料', '状态'])
    expect(sheet.rows[0]).toEqual([
      '2026-11-12',
      '14:30–16:30',
      '11月主题党日',
      '主题党日',
      '三楼会议室',
      '林华',
      '王芳',
      5,
      2,
      '张伟（出差）',
      '李强（已补学）、赵敏（未补学）',
      '学习党章',
      '《在党建工作推进会上的讲话》',
      '',
      '开展志愿服务',
      '研讨主题：以学铸魂；发言人：林华、张伟',
      '已交 3 人，未交 2 人',
      '已锁定 2026-11-13'
    ])
    // Sorted by time; an empty record says so rather than leaving blanks an inspector could misread.
    expect(sheet.rows[1].slice(5, 11)).toEqual(['（未填写）', '（未填写）', 0, 0, '无', '无'])
    // Not a seminar: no plan and no 交流材料 to count; no material linked.
    expect(sheet.rows[1].slice(11)).toEqual(['', '', '', '', '', '', '未锁定'])
  })
})
