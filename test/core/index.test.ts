import * as core from '../../src/core'

test('the public API is reachable from the index', () => {
  for (const name of [
    'parsePeriod', 'periodBounds', 'periodKeysOf', 'previousPeriod', 'nextPeriod', 'monthsOfPeriod',
    'isValidPeriodKey', 'shanghaiDayStart', 'formatShanghai', 'yearFraction',
    'countNoteWords', 'NOTE_MAX_CHARS', 'WORD_COUNT_RULE_ZH',
    'SessionSchema', 'CheckinSchema', 'LeaveRequestSchema', 'MakeupSchema', 'NoteSchema', 'PointsEntrySchema',
    'AggregateSchema', 'ReminderSchema', 'DeliverySchema', 'SubscriptionBudgetSchema', 'AuditEntrySchema',
    'OrgSettingsSchema', 'DEFAULT_SETTINGS', 'checkinId', 'aggregateId',
    'AuthInputs', 'OrgInputs', 'OrgSettingsInputs', 'SessionInputs', 'CheckinInputs', 'NoteInputs',
    'StatsInputs', 'RemindInputs', 'CronInputs', 'AppError', 'MemberSchema'
  ]) {
    expect([name, (core as Record<string, unknown>)[name] !== undefined]).toEqual([name, true])
  }
})

test('zod runs jitless, as mini-programs require', () => {
  expect(core.z.config().jitless).toBe(true)
})
