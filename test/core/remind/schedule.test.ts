import { dayWord, dueMakeupReminder, duePaceReminder, dueSessionReminder, sessionOffsetsFor, sessionReminderText } from '../../../src/core/remind/schedule'
import { DEFAULT_REMINDER_SCHEDULE, OrgSettingsValuesSchema, DEFAULT_SETTINGS, type ReminderSchedule } from '../../../src/core/schemas/settings'

const MIN = 60_000
const HOUR = 60 * MIN
const DAY = 24 * HOUR
/** 2026-11-20 10:00 Shanghai. */
const T = Date.parse('2026-11-20T02:00:00Z')
const session = (startAt: number, over: Partial<{ type: 'theme_day' | 'committee_meeting'; status: string }> = {}) => ({
  _id: 's1',
  type: over.type ?? ('theme_day' as const),
  startAt,
  status: over.status ?? 'scheduled'
})

describe('dueSessionReminder', () => {
  it('is silent before the first offset and after the start', () => {
    expect(dueSessionReminder(session(T + DAY + MIN), DEFAULT_REMINDER_SCHEDULE, T)).toBeNull()
    expect(dueSessionReminder(session(T), DEFAULT_REMINDER_SCHEDULE, T)).toBeNull()
    expect(dueSessionReminder(session(T - MIN), DEFAULT_REMINDER_SCHEDULE, T)).toBeNull()
  })

  it('gives each offset its own window, up to the next one', () => {
    const start = T + DAY
    expect(dueSessionReminder(session(start), DEFAULT_REMINDER_SCHEDULE, T)).toEqual({
      key: `session:s1:${start}:1440`,
      offsetMinutes: 1440,
      template: 'session_tomorrow',
      urgent: false
    })
    expect(dueSessionReminder(session(start), DEFAULT_REMINDER_SCHEDULE, start - HOUR - 1)!.offsetMinutes).toBe(1440)
    const hour = dueSessionReminder(session(start), DEFAULT_REMINDER_SCHEDULE, start - HOUR)!
    expect(hour).toMatchObject({ offsetMinutes: 60, template: 'session_soon', urgent: true })
    expect(dueSessionReminder(session(start), DEFAULT_REMINDER_SCHEDULE, start - 1)!.offsetMinutes).toBe(60)
  })

  it('the start time is in the key, so a moved session is announced again', () => {
    const a = dueSessionReminder(session(T + 10 * HOUR), DEFAULT_REMINDER_SCHEDULE, T)!
    const b = dueSessionReminder(session(T + 12 * HOUR), DEFAULT_REMINDER_SCHEDULE, T)!
    expect(a.key).not.toBe(b.key)
  })

  it('uses the type’s own offsets, none for an empty list, and never a cancelled session', () => {
    const schedule: ReminderSchedule = { ...DEFAULT_REMINDER_SCHEDULE, sessionOffsets: { theme_day: [], committee_meeting: [180, 180] } }
    expect(dueSessionReminder(session(T + 2 * HOUR), schedule, T)).toBeNull()
    expect(sessionOffsetsFor(schedule, 'committee_meeting')).toEqual([180])
    expect(dueSessionReminder(session(T + 2 * HOUR, { type: 'committee_meeting' }), schedule, T)).toMatchObject({ offsetMinutes: 180, template: 'session_soon', urgent: false })
    expect(dueSessionReminder(session(T + 2 * HOUR, { status: 'cancelled' }), DEFAULT_REMINDER_SCHEDULE, T)).toBeNull()
  })
})

describe('duePaceReminder', () => {
  it('from the pace day at 09:00 Shanghai to the end of the month, daytime only', () => {
    const at = (iso: string) => duePaceReminder(DEFAULT_REMINDER_SCHEDULE, Date.parse(iso))
    expect(at('2026-11-19T14:00:00Z')).toBeNull() // 19th 22:00
    expect(at('2026-11-20T00:59:00Z')).toBeNull() // 20th 08:59
    expect(at('2026-11-20T01:00:00Z')).toEqual({ key: 'pace:2026-11', month: '2026-11' })
    expect(at('2026-11-30T15:59:00Z')).toEqual({ key: 'pace:2026-11', month: '2026-11' }) // 30th 23:59
    expect(at('2026-11-25T18:00:00Z')).toBeNull() // 26th 02:00
    // 1 Dec: a new month, before its pace day.
    expect(at('2026-12-01T02:00:00Z')).toBeNull()
    expect(duePaceReminder({ ...DEFAULT_REMINDER_SCHEDULE, paceDay: null }, T)).toBeNull()
  })
})

describe('dueMakeupReminder', () => {
  const mk = (deadline: number, status = 'assigned') => ({ _id: 'mk1', deadline, status })
  it('in the last days before the deadline, for work still to do', () => {
    expect(dueMakeupReminder(mk(T + 2 * DAY + 1), DEFAULT_REMINDER_SCHEDULE, T)).toBeNull()
    expect(dueMakeupReminder(mk(T + 2 * DAY), DEFAULT_REMINDER_SCHEDULE, T)).toEqual({ key: `makeup:mk1:${T + 2 * DAY}` })
    expect(dueMakeupReminder(mk(T + HOUR, 'returned'), DEFAULT_REMINDER_SCHEDULE, T)).not.toBeNull()
    expect(dueMakeupReminder(mk(T + HOUR, 'submitted'), DEFAULT_REMINDER_SCHEDULE, T)).toBeNull()
    expect(dueMakeupReminder(mk(T), DEFAULT_REMINDER_SCHEDULE, T)).toBeNull()
    expect(dueMakeupReminder(mk(T + HOUR), { ...DEFAULT_REMINDER_SCHEDULE, makeupDaysBefore: null }, T)).toBeNull()
  })
})

describe('wording', () => {
  it('says 今天 / 明天 / 后天 by Shanghai calendar days', () => {
    expect(dayWord(Date.parse('2026-11-20T15:59:00Z'), T)).toBe('今天') // 23:59
    expect(dayWord(Date.parse('2026-11-20T16:00:00Z'), T)).toBe('明天') // 21st 00:00
    expect(dayWord(Date.parse('2026-11-22T01:00:00Z'), T)).toBe('后天')
    expect(dayWord(Date.parse('2026-11-25T01:00:00Z'), T)).toBe('11月25日')
  })

  it('never calls a session later today "明天"', () => {
    const startAt = Date.parse('2026-11-20T11:00:00Z') // 19:00 today
    const text = sessionReminderText({ template: 'session_tomorrow' }, { sessionTitle: '支部党员大会', startAt, venue: '三楼会议室', branchName: '第二党支部' }, T)
    expect(text.title).toBe('今天：支部党员大会')
    expect(text.body).toBe('第二党支部定于今天 19:00在三楼会议室开展「支部党员大会」，欢迎按时参加。如有事不能到场，可以在小程序里请假。')
  })
})

describe('settings', () => {
  it('a stored document from before reminders reads the default schedule', () => {
    const { reminders: _r, ...old } = DEFAULT_SETTINGS
    expect(OrgSettingsValuesSchema.parse(old).reminders).toEqual(DEFAULT_REMINDER_SCHEDULE)
  })
  it('refuses offsets under 10 minutes or over a week, and more than three', () => {
    const parse = (r: Partial<ReminderSchedule>) => OrgSettingsValuesSchema.safeParse({ ...DEFAULT_SETTINGS, reminders: { ...DEFAULT_REMINDER_SCHEDULE, ...r } }).success
    expect(parse({ defaultSessionOffsets: [5] })).toBe(false)
    expect(parse({ defaultSessionOffsets: [8 * 24 * 60] })).toBe(false)
    expect(parse({ defaultSessionOffsets: [60, 120, 180, 240] })).toBe(false)
    expect(parse({ sessionOffsets: { party_lecture: [2880, 60] } })).toBe(true)
  })
})
