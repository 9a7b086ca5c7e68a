import { NoteSchema, NoteSummarySchema } from '../../src/core/schemas/note'
import { PointsEntrySchema } from '../../src/core/schemas/points'
import { AggregateSchema, emptyAggregate, aggregateId } from '../../src/core/schemas/aggregate'
import {
  DeliverySchema,
  ReminderSchema,
  SubscriptionBudgetSchema
} from '../../src/core/schemas/reminder'
import { AuditEntrySchema } from '../../src/core/schemas/audit'
import {
  DEFAULT_SETTINGS,
  OrgSettingsSchema,
  OrgSettingsValuesSchema,
  pointsFor
} from '../../src/core/schemas/settings'
import { NOTE_MAX_CHARS } from '../../src/core/words'
import * as fx from './support/fixtures'
import { expectAccepts, expectRejects, withField } from './support/expect-schema'

describe('NoteSchema', () => {
  test('accepts a reviewed note with a match', () => expectAccepts(NoteSchema, fx.note()))

  test('content is bounded by NOTE_MAX_CHARS and may not be blank', () => {
    expectAccepts(NoteSchema, { ...fx.note(), content: '学'.repeat(NOTE_MAX_CHARS) })
    expectRejects(NoteSchema, { ...fx.note(), content: '学'.repeat(NOTE_MAX_CHARS + 1) }, 'content')
    expectRejects(NoteSchema, { ...fx.note(), content: '\n\n  ' }, 'content')
    expectRejects(NoteSchema, { ...fx.note(), content: '正文\u0000' }, 'content')
  })

  test('keeps the layout of the body (not trimmed)', () => {
    const content = '  第一段\n\n\t第二段\r\n'
    expect(NoteSchema.parse({ ...fx.note(), content }).content).toBe(content)
  })

  test('credited words cannot exceed counted words', () => {
    expectRejects(NoteSchema, { ...fx.note(), creditedWords: 49 }, 'creditedWords')
  })

  test.each(['kind', 'title', 'content', 'words', 'version', 'year', 'memberId', 'review', 'matches'])(
    'rejects a note without %s',
    (key) => expectRejects(NoteSchema, withField(fx.note(), key, undefined), key)
  )

  test('rejects bad values', () => {
    expectRejects(NoteSchema, { ...fx.note(), kind: 'diary' }, 'kind')
    expectRejects(NoteSchema, { ...fx.note(), version: 0 }, 'version')
    expectRejects(NoteSchema, { ...fx.note(), words: -1 }, 'words')
    expectRejects(NoteSchema, { ...fx.note(), title: '笔'.repeat(61) }, 'title')
    expectRejects(NoteSchema, { ...fx.note(), review: { status: 'passed' } }, 'review.by')
    expectRejects(NoteSchema, { ...fx.note(), matches: [{ noteId: 'n2', at: 1, chars: 0 }] }, 'matches.0.chars')
    expectRejects(NoteSchema, { ...fx.note(), matches: [{ noteId: 'n2', memberIdHash: 'm7', at: 1, chars: 3 }] }, 'matches.0.memberIdHash')
  })

  test('the summary drops the body and carries a match count', () => {
    const { content: _c, matches: _m, ...rest } = fx.note()
    expectAccepts(NoteSummarySchema, { ...rest, matchCount: 1 })
    expect(NoteSummarySchema.parse({ ...rest, matchCount: 1, content: 'x' })).not.toHaveProperty('content')
  })
})

describe('PointsEntrySchema', () => {
  test('accepts an award for attendance', () => expectAccepts(PointsEntrySchema, fx.pointsEntry()))

  test('every entry says why; a manual adjustment also names its author', () => {
    const manual = { ...fx.pointsEntry(), sourceType: 'manual', delta: -2, sourceId: 'adj_1' }
    expectRejects(PointsEntrySchema, withField(fx.pointsEntry(), 'reason', undefined), 'reason')
    expectRejects(PointsEntrySchema, manual, 'createdBy')
    expectAccepts(PointsEntrySchema, { ...manual, reason: '补录：三月党课实际未参加', createdBy: 'm_secretary' })
  })

  test('rejects bad values', () => {
    expectRejects(PointsEntrySchema, { ...fx.pointsEntry(), delta: 1.5 }, 'delta')
    expectRejects(PointsEntrySchema, { ...fx.pointsEntry(), rule: 'Attend Rule' }, 'rule')
    expectRejects(PointsEntrySchema, { ...fx.pointsEntry(), sourceType: 'bonus' }, 'sourceType')
    expectRejects(PointsEntrySchema, withField(fx.pointsEntry(), 'periodKeys', undefined), 'periodKeys')
  })
})

describe('AggregateSchema', () => {
  test('accepts a member quarter', () => expectAccepts(AggregateSchema, fx.aggregate()))

  test('emptyAggregate is a valid zeroed document at the deterministic id', () => {
    const a = emptyAggregate('branch', 'branch1', 'branch1', ['party1', 'branch1'], '2026-03', 5)
    expectAccepts(AggregateSchema, a)
    expect(a._id).toBe(aggregateId('branch', 'branch1', '2026-03'))
    expect(a.members).toBe(0)
    expect(emptyAggregate('member', 'm1', 'branch1', ['party1', 'branch1'], '2026', 5).members).toBe(1)
  })

  test('rejects bad values', () => {
    expectRejects(AggregateSchema, { ...fx.aggregate(), scope: 'org' }, 'scope')
    expectRejects(AggregateSchema, { ...fx.aggregate(), period: '2026-13' }, 'period')
    expectRejects(AggregateSchema, { ...fx.aggregate(), attended: -1 }, 'attended')
    expectAccepts(AggregateSchema, { ...fx.aggregate(), points: -3 })
  })
})

describe('reminders', () => {
  test('accept a reminder, a delivery and a budget', () => {
    expectAccepts(ReminderSchema, fx.reminder())
    expectAccepts(DeliverySchema, fx.delivery())
    expectAccepts(SubscriptionBudgetSchema, fx.budget())
  })

  test('audiences carry what they need', () => {
    expectRejects(ReminderSchema, { ...fx.reminder(), audience: { kind: 'not_checked_in' } }, 'audience.sessionId')
    expectRejects(ReminderSchema, { ...fx.reminder(), audience: { kind: 'members' } }, 'audience.memberIds')
    expectRejects(ReminderSchema, { ...fx.reminder(), audience: { kind: 'group' } }, 'audience.kind')
    expectAccepts(ReminderSchema, { ...fx.reminder(), audience: { kind: 'behind_pace' } })
  })

  test('rejects bad values', () => {
    expectRejects(ReminderSchema, { ...fx.reminder(), body: '提'.repeat(501) }, 'body')
    expectRejects(ReminderSchema, { ...fx.reminder(), key: 'has space' }, 'key')
    expectRejects(DeliverySchema, { ...fx.delivery(), wechat: { status: 'queued' } }, 'wechat.status')
    expectRejects(SubscriptionBudgetSchema, { ...fx.budget(), remaining: -1 }, 'remaining')
  })
})

describe('AuditEntrySchema', () => {
  test('accepts a leave decision', () => expectAccepts(AuditEntrySchema, fx.audit()))

  test('rejects bad actions and oversized detail', () => {
    expectRejects(AuditEntrySchema, { ...fx.audit(), action: 'decide' }, 'action')
    expectRejects(AuditEntrySchema, { ...fx.audit(), detail: { text: 'x'.repeat(3000) } }, 'detail')
    expectRejects(AuditEntrySchema, withField(fx.audit(), 'actor', undefined), 'actor')
  })
})

describe('settings', () => {
  test('defaults are valid and modest', () => {
    expectAccepts(OrgSettingsValuesSchema, DEFAULT_SETTINGS)
    expectAccepts(OrgSettingsSchema, fx.settings())
    expect(DEFAULT_SETTINGS.quotas).toEqual({ staffWords: 10000, deputyWords: 15000, essays: 4, retired: { words: 5000, essays: 2 } })
    expect(DEFAULT_SETTINGS.visibility).toEqual({ memberRanking: 'secretaries', branchRanking: 'secretaries' })
  })

  test('rejects bad values', () => {
    expectRejects(OrgSettingsSchema, { ...fx.settings(), visibility: { memberRanking: 'everyone', branchRanking: 'admins' } }, 'visibility.memberRanking')
    expectRejects(OrgSettingsSchema, { ...fx.settings(), quotas: { staffWords: -1, deputyWords: 15000, essays: 4 } }, 'quotas.staffWords')
    const w = DEFAULT_SETTINGS.warnings
    expectRejects(OrgSettingsSchema, { ...fx.settings(), warnings: { ...w, redAbsences: w.yellowAbsences } }, 'warnings.redAbsences')
    const rule = { rule: 'attend', label: '参加', points: 2, from: 10, to: 10 }
    expectRejects(OrgSettingsSchema, { ...fx.settings(), pointsRules: [rule] }, 'pointsRules.0.to')
  })

  test('pointsFor picks the rule in force at the fact date', () => {
    const rules = [
      { rule: 'attend', label: '参加', points: 2, from: 0, to: 1000 },
      { rule: 'attend', label: '参加', points: 3, from: 1000 },
      { rule: 'essay', label: '心得', points: 5, from: 0 }
    ]
    expect(pointsFor(rules, 'attend', 999)).toBe(2)
    expect(pointsFor(rules, 'attend', 1000)).toBe(3)
    expect(pointsFor(rules, 'essay', 5)).toBe(5)
    expect(pointsFor(rules, 'lecture', 5)).toBe(0)
    expect(pointsFor(DEFAULT_SETTINGS.pointsRules, 'attend', fx.T0)).toBe(2)
  })
})
