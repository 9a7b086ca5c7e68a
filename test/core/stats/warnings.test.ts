import { AppError } from '../../../src/core/errors'
import { MemberWarningSchema } from '../../../src/core/functions/stats'
import { DEFAULT_SETTINGS, type WarningThresholds } from '../../../src/core/schemas/settings'
import {
  WARNING_ACTIONS,
  absenceAlert,
  consecutiveAbsentMonths,
  memberWarning,
  type MemberWarningInput,
  type MonthAttendance
} from '../../../src/core/stats'
import { expectAccepts } from '../support/expect-schema'

const T: WarningThresholds = DEFAULT_SETTINGS.warnings
const sh = (wall: string): number => Date.parse(`${wall.replace(' ', 'T')}:00+08:00`)

/**
 * Months from `first` on, one letter each: a = attended, l = approved leave,
 * m = 补学 accepted, 0 = nothing.
 */
function months(first: string, pattern: string): MonthAttendance[] {
  let [y, m] = first.split('-').map(Number)
  return [...pattern].map((c) => {
    const row = { month: `${y}-${String(m).padStart(2, '0')}`, attended: c === 'a' ? 2 : 0, leave: c === 'l' ? 1 : 0, makeups: c === 'm' ? 1 : 0 }
    if (++m > 12) {
      m = 1
      y++
    }
    return row
  })
}

describe('consecutiveAbsentMonths', () => {
  // 2025-12 … 2026-07, oldest first; the last letter is the current month, 2026-07.
  it.each([
    ['a0000000', 6],
    ['aa000000', 5],
    ['aaa00000', 4],
    ['aaaa0000', 3],
    ['aaaaa000', 2],
    ['aaaaaa00', 1],
    ['aaaaaaa0', 0]
  ])('counts whole months back from the last complete one (%s → %i)', (pattern, expected) => {
    expect(consecutiveAbsentMonths(months('2025-12', pattern), '2026-07')).toBe(expected)
  })

  it('does not count the current month, which is not over yet', () => {
    expect(consecutiveAbsentMonths(months('2026-04', 'a000'), '2026-07')).toBe(2)
    expect(consecutiveAbsentMonths(months('2026-04', 'a00'), '2026-07')).toBe(2)
  })

  it('is over as soon as the member attends in the current month', () => {
    expect(consecutiveAbsentMonths(months('2026-01', 'a00000a'), '2026-07')).toBe(0)
  })

  it('is broken by a month of approved leave', () => {
    expect(consecutiveAbsentMonths(months('2026-01', '000l000'), '2026-07')).toBe(2)
    expect(consecutiveAbsentMonths(months('2026-01', '00000l0'), '2026-07')).toBe(0)
  })

  it('is broken by a month whose missed session was made up (补学)', () => {
    expect(consecutiveAbsentMonths(months('2026-01', 'a0m0000'), '2026-07')).toBe(3)
    expect(consecutiveAbsentMonths(months('2026-01', 'a00000m'), '2026-07')).toBe(0)
  })

  it('leave in the current month does not end the streak', () => {
    expect(consecutiveAbsentMonths(months('2026-01', 'a00000l'), '2026-07')).toBe(5)
  })

  it('counts months missing between the given ones as empty', () => {
    const given = [
      { month: '2026-02', attended: 1, leave: 0 },
      { month: '2026-06', attended: 0, leave: 0 }
    ]
    expect(consecutiveAbsentMonths(given, '2026-07')).toBe(4)
  })

  it('never counts back beyond the oldest month given', () => {
    expect(consecutiveAbsentMonths(months('2026-05', '00'), '2026-07')).toBe(2)
    expect(consecutiveAbsentMonths([], '2026-07')).toBe(0)
    expect(consecutiveAbsentMonths(months('2026-07', '0'), '2026-07')).toBe(0)
  })

  it('accepts months in any order and ignores later months and odd rows', () => {
    const given = [...months('2026-03', '00000'), { month: '2026-08', attended: 3, leave: 0 }, { month: 'bad', attended: 1, leave: 0 }]
    given.reverse()
    expect(consecutiveAbsentMonths(given, '2026-07')).toBe(4)
  })

  it('crosses the turn of the year', () => {
    expect(consecutiveAbsentMonths(months('2025-10', 'a0000'), '2026-02')).toBe(3)
  })

  it('refuses a current month that is not a month', () => {
    expect(() => consecutiveAbsentMonths([], '2026-Q3')).toThrow(AppError)
    expect(() => consecutiveAbsentMonths([], '2026-7')).toThrow(AppError)
  })
})

describe('absenceAlert', () => {
  it.each([
    [1, null],
    [2, null],
    [3, 'notice'],
    [4, 'warning'],
    [5, 'urgent'],
    [6, 'urgent'],
    [9, 'urgent']
  ])('at %i months with the default threshold: %s', (monthsAbsent, severity) => {
    const alert = absenceAlert(monthsAbsent, T)
    expect(alert?.severity ?? null).toBe(severity)
    if (alert) expect(alert.months).toBe(monthsAbsent)
  })

  it('names the months and Art. 9, and says plainly when six months are reached', () => {
    expect(absenceAlert(4, T)?.text).toBe(
      '已连续 4 个月未参加组织生活（未请假）。按党章第九条，连续六个月不参加党的组织生活且无正当理由的，被认为是自行脱党。'
    )
    expect(absenceAlert(5, T)?.text).not.toContain('满六个月')
    expect(absenceAlert(6, T)?.text).toContain('已连续 6 个月')
    expect(absenceAlert(6, T)?.text).toContain('现已满六个月')
  })

  it('follows the organisation threshold, keeping severity by months', () => {
    expect(absenceAlert(4, { alertMonthsAbsent: 5 })).toBeNull()
    expect(absenceAlert(5, { alertMonthsAbsent: 5 })?.severity).toBe('urgent')
    expect(absenceAlert(1, { alertMonthsAbsent: 1 })?.severity).toBe('notice')
  })

  it('ignores odd input and caps the months', () => {
    expect(absenceAlert(Number.NaN, T)).toBeNull()
    expect(absenceAlert(-3, { alertMonthsAbsent: 1 })).toBeNull()
    expect(absenceAlert(500, T)?.months).toBe(120)
  })
})

describe('memberWarning', () => {
  const base: MemberWarningInput = {
    member: { _id: 'm1', name: '张三', exempt: false },
    quarter: '2026-Q3',
    quarterAgg: { absent: 0, points: 6 },
    absences: [],
    monthsAbsent: 0,
    pace: { status: 'on_pace', sentence: '进度正常。' },
    now: sh('2026-08-15 10:00')
  }
  const warn = (set: Partial<MemberWarningInput>, thresholds = T) => memberWarning({ ...base, ...set }, thresholds)
  const absences = [
    { at: sh('2026-08-02 09:00'), label: '8月2日 主题党日' },
    { at: sh('2026-07-05 14:30'), label: '7月5日 支委会' },
    { at: sh('2026-09-10 09:00'), label: '9月10日 党课' }
  ]

  it('is null when nothing applies', () => {
    expect(warn({})).toBeNull()
    expect(warn({ quarterAgg: null })).toBeNull()
  })

  it('raises nothing at 1 absence, yellow at 2, red at 3', () => {
    expect(warn({ quarterAgg: { absent: 1, points: 6 }, absences: absences.slice(0, 1) })).toBeNull()
    const yellow = warn({ quarterAgg: { absent: 2, points: 6 }, absences: absences.slice(0, 2) })
    expect(yellow?.level).toBe('yellow')
    expect(yellow?.facts).toEqual([{ reason: 'absences', level: 'yellow', text: '本季度无故缺席 2 次：7月5日 支委会、8月2日 主题党日' }])
    expect(yellow?.actions).toEqual([WARNING_ACTIONS.talk, WARNING_ACTIONS.makeup])
    const red = warn({ quarterAgg: { absent: 3, points: 6 }, absences })
    expect(red?.level).toBe('red')
    expect(red?.facts[0].text).toBe('本季度无故缺席 3 次：7月5日 支委会、8月2日 主题党日、9月10日 党课')
    expectAccepts(MemberWarningSchema, red)
  })

  it('follows the organisation absence thresholds', () => {
    const strict = { ...T, yellowAbsences: 1, redAbsences: 2 }
    expect(warn({ quarterAgg: { absent: 1, points: 6 } }, strict)?.level).toBe('yellow')
    expect(warn({ quarterAgg: { absent: 2, points: 6 } }, strict)?.level).toBe('red')
  })

  it('counts from the aggregate even when the dates are missing, and shortens a long list', () => {
    expect(warn({ quarterAgg: { absent: 2, points: 6 }, absences: [] })?.facts[0].text).toBe('本季度无故缺席 2 次')
    const many = Array.from({ length: 8 }, (_, i) => ({ at: sh(`2026-07-${String(i + 1).padStart(2, '0')} 09:00`), label: `7月${i + 1}日 学习` }))
    const text = warn({ quarterAgg: { absent: 8, points: 6 }, absences: many })?.facts[0].text ?? ''
    expect(text.startsWith('本季度无故缺席 8 次：7月1日 学习、')).toBe(true)
    expect(text).toContain('7月6日 学习 等')
    expect(text).not.toContain('7月7日')
  })

  it('judges low points only once two months of the quarter have passed or it has ended', () => {
    const low = { absent: 0, points: -2 }
    expect(warn({ quarterAgg: low, now: sh('2026-07-01 08:00') })).toBeNull()
    expect(warn({ quarterAgg: low, now: sh('2026-08-31 23:59') })).toBeNull()
    const seen = warn({ quarterAgg: low, now: sh('2026-09-01 00:00') })
    expect(seen?.level).toBe('yellow')
    expect(seen?.facts).toEqual([{ reason: 'points', level: 'yellow', text: '本季度积分 -2 分，低于 0 分' }])
    expect(seen?.actions).toEqual([WARNING_ACTIONS.talk, WARNING_ACTIONS.points])
    expect(warn({ quarterAgg: low, now: sh('2026-07-02 08:00'), quarterEnded: true })?.level).toBe('yellow')
  })

  it('flags points strictly below the threshold, and not at all when the rule is off', () => {
    const ended = { quarterEnded: true }
    expect(warn({ ...ended, quarterAgg: { absent: 0, points: 0 } })).toBeNull()
    expect(warn({ ...ended, quarterAgg: { absent: 0, points: 5 } }, { ...T, yellowPointsBelow: 5 })).toBeNull()
    expect(warn({ ...ended, quarterAgg: { absent: 0, points: 4 } }, { ...T, yellowPointsBelow: 5 })?.facts[0].text).toBe('本季度积分 4 分，低于 5 分')
    expect(warn({ ...ended, quarterAgg: null }, { ...T, yellowPointsBelow: 5 })?.facts[0].text).toBe('本季度积分 0 分，低于 5 分')
    expect(warn({ ...ended, quarterAgg: { absent: 0, points: -20 } }, { ...T, yellowPointsBelow: null })).toBeNull()
  })

  it('raises red for notes far behind pace only in the fourth quarter', () => {
    const far = { status: 'far_behind' as const, sentence: '按全年均匀进度，到今天应完成约 8,500 字，您已完成 3,000 字，还差约 5,500 字。' }
    expect(warn({ pace: far })).toBeNull()
    const q4 = { quarter: '2026-Q4', now: sh('2026-11-10 10:00') }
    expect(warn({ ...q4, pace: { status: 'behind', sentence: '…' } })).toBeNull()
    expect(warn({ ...q4, pace: { status: 'exempt' } })).toBeNull()
    expect(warn({ ...q4, pace: null })).toBeNull()
    const red = warn({ ...q4, pace: far })
    expect(red?.level).toBe('red')
    // Read by officers: the member's name where the member's own page says 您.
    expect(red?.facts).toEqual([{ reason: 'note_pace', level: 'red', text: far.sentence.replace('您', '张三') }])
    expect(red?.actions).toEqual([WARNING_ACTIONS.talk, WARNING_ACTIONS.plan])
    expect(warn({ ...q4, pace: { status: 'far_behind' } })?.facts[0].text).toContain('笔记进度明显落后')
  })

  it('raises the Art. 9 alert apart from the level', () => {
    expect(warn({ monthsAbsent: 2 })).toBeNull()
    const notice = warn({ monthsAbsent: 3 })
    expect(notice?.level).toBeNull()
    expect(notice?.facts).toEqual([])
    expect(notice?.alert?.severity).toBe('notice')
    expect(notice?.actions).toEqual([WARNING_ACTIONS.contact, WARNING_ACTIONS.talk])
    expect(warn({ monthsAbsent: 4 })?.alert?.severity).toBe('warning')
    const urgent = warn({ monthsAbsent: 5 })
    expect(urgent?.alert?.severity).toBe('urgent')
    expect(urgent?.actions).toEqual([WARNING_ACTIONS.contact, WARNING_ACTIONS.talk, WARNING_ACTIONS.report])
    expectAccepts(MemberWarningSchema, urgent)
  })

  it('takes the highest level of the facts and lists every action once', () => {
    const w = warn({
      quarter: '2026-Q4',
      now: sh('2026-12-20 10:00'),
      quarterAgg: { absent: 2, points: -4 },
      absences: absences.slice(0, 2),
      pace: { status: 'far_behind', sentence: '差得较多。' },
      monthsAbsent: 3
    })
    expect(w?.level).toBe('red')
    expect(w?.facts.map((f) => [f.reason, f.level])).toEqual([
      ['absences', 'yellow'],
      ['points', 'yellow'],
      ['note_pace', 'red']
    ])
    expect(w?.actions).toEqual([WARNING_ACTIONS.contact, WARNING_ACTIONS.talk, WARNING_ACTIONS.makeup, WARNING_ACTIONS.points, WARNING_ACTIONS.plan])
    expect(new Set(w?.actions).size).toBe(w?.actions.length)
    expectAccepts(MemberWarningSchema, w)
  })

  it('gives an exempt member no warning and no alert', () => {
    expect(
      warn({
        member: { _id: 'm1', name: '张三', exempt: true },
        quarter: '2026-Q4',
        quarterAgg: { absent: 5, points: -10 },
        monthsAbsent: 6,
        pace: { status: 'far_behind' },
        quarterEnded: true
      })
    ).toBeNull()
  })

  it('refuses a quarter that is not a quarter', () => {
    expect(() => warn({ quarter: '2026' })).toThrow(AppError)
    expect(() => warn({ quarter: '2026-07' })).toThrow(AppError)
  })
})
