import { SESSION_TYPES, SESSION_TYPE_LABELS, SessionSchema } from '../../src/core/schemas/session'
import { CheckinSchema, LeaveRequestSchema, MakeupSchema } from '../../src/core/schemas/checkin'
import * as fx from './support/fixtures'
import { expectAccepts, expectRejects, withField } from './support/expect-schema'

describe('SessionSchema', () => {
  test('accepts a realistic 主题党日 and fills defaults', () => {
    expectAccepts(SessionSchema, fx.session())
    const noRadius = fx.session()
    noRadius.venue.geofence = { lat: 30.657, lng: 104.066 } as typeof noRadius.venue.geofence
    const parsed = SessionSchema.parse(withField(noRadius, 'allowOnlineWithoutQr', undefined))
    expect(parsed.venue.geofence?.radiusM).toBe(200)
    expect(parsed.allowOnlineWithoutQr).toBe(false)
  })

  test('every type has a Chinese label', () => {
    expect(Object.keys(SESSION_TYPE_LABELS).sort()).toEqual([...SESSION_TYPES].sort())
    expect(SESSION_TYPE_LABELS.branch_general_meeting).toBe('支部党员大会')
    expect(SESSION_TYPE_LABELS.committee_meeting).toBe('支委会')
    expect(SESSION_TYPE_LABELS.group_meeting).toBe('党小组会')
    expect(SESSION_TYPE_LABELS.party_lecture).toBe('党课')
  })

  test.each(['title', 'branchId', 'startAt', 'venue', 'checkin', 'audience', 'status', 'createdBy'])(
    'rejects a session without %s',
    (key) => expectRejects(SessionSchema, withField(fx.session(), key, undefined), key)
  )

  test('rejects an end at or before the start', () => {
    const s = fx.session()
    expectRejects(SessionSchema, { ...s, endAt: s.startAt }, 'endAt')
    expectRejects(SessionSchema, { ...s, endAt: s.startAt - 1 }, 'endAt')
  })

  test('rejects a check-in window that is backwards or late-marked outside it', () => {
    const s = fx.session()
    expectRejects(SessionSchema, { ...s, checkin: { ...s.checkin, closesAt: s.checkin.opensAt } }, 'checkin.closesAt')
    expectRejects(SessionSchema, { ...s, checkin: { ...s.checkin, lateAfter: s.checkin.closesAt + 1 } }, 'checkin.lateAfter')
    expectRejects(SessionSchema, { ...s, checkin: { ...s.checkin, opensAt: s.endAt } }, 'checkin.opensAt')
  })

  test('rejects oversized, blank or control-character titles', () => {
    expectRejects(SessionSchema, { ...fx.session(), title: '学'.repeat(61) }, 'title')
    expectRejects(SessionSchema, { ...fx.session(), title: '   ' }, 'title')
    expectRejects(SessionSchema, { ...fx.session(), title: '党日\u0000活动' }, 'title')
    expectRejects(SessionSchema, { ...fx.session(), venue: { name: '会议室\n三楼' } }, 'venue.name')
    expectAccepts(SessionSchema, { ...fx.session(), title: '学'.repeat(60) })
  })

  test('rejects wrong types and unknown enum values', () => {
    expectRejects(SessionSchema, { ...fx.session(), startAt: '2026-03-05' }, 'startAt')
    expectRejects(SessionSchema, { ...fx.session(), startAt: 1.5 }, 'startAt')
    expectRejects(SessionSchema, { ...fx.session(), type: 'party_meeting' }, 'type')
    expectRejects(SessionSchema, { ...fx.session(), status: 'done' }, 'status')
    expectRejects(SessionSchema, { ...fx.session(), branchId: 'branch 1' }, 'branchId')
  })

  test('audience kinds carry what they need', () => {
    expectAccepts(SessionSchema, { ...fx.session(), audience: { kind: 'group', groupId: 'g1' } })
    expectAccepts(SessionSchema, { ...fx.session(), audience: { kind: 'list', memberIds: ['m1', 'm2'] } })
    expectRejects(SessionSchema, { ...fx.session(), audience: { kind: 'group' } }, 'audience.groupId')
    expectRejects(SessionSchema, { ...fx.session(), audience: { kind: 'list' } }, 'audience.memberIds')
    expectRejects(SessionSchema, { ...fx.session(), audience: { kind: 'list', memberIds: [] } }, 'audience.memberIds')
  })

  test('geofence coordinates and radius are bounded', () => {
    const venue = (g: object) => ({ ...fx.session(), venue: { name: '会议室', geofence: g } })
    expectRejects(SessionSchema, venue({ lat: 91, lng: 104 }), 'venue.geofence.lat')
    expectRejects(SessionSchema, venue({ lat: 30, lng: 181 }), 'venue.geofence.lng')
    expectRejects(SessionSchema, venue({ lat: 30, lng: 104, radiusM: 10 }), 'venue.geofence.radiusM')
  })
})

describe('CheckinSchema', () => {
  test('accepts a QR check-in', () => expectAccepts(CheckinSchema, fx.checkin()))

  test('accepts a proxy check-in with who and why', () => {
    const c = { ...fx.checkin(), method: 'proxy', proxyBy: 'm_secretary', proxyReason: '行动不便，由书记代为登记' }
    delete (c as Record<string, unknown>).qrSlot
    expectAccepts(CheckinSchema, c)
  })

  test('rejects a proxy check-in without a reason or author', () => {
    expectRejects(CheckinSchema, { ...fx.checkin(), method: 'proxy', proxyBy: 'm_secretary' }, 'proxyBy')
    expectRejects(CheckinSchema, { ...fx.checkin(), method: 'proxy', proxyReason: '代签' }, 'proxyBy')
  })

  test('rejects a QR check-in without its slot', () => {
    expectRejects(CheckinSchema, withField(fx.checkin(), 'qrSlot', undefined), 'qrSlot')
  })

  test.each(['sessionId', 'memberId', 'branchId', 'at', 'status', 'method', 'periodKeys'])('rejects without %s', (key) =>
    expectRejects(CheckinSchema, withField(fx.checkin(), key, undefined), key)
  )

  test('rejects bad values', () => {
    expectRejects(CheckinSchema, { ...fx.checkin(), status: 'absent' }, 'status')
    expectRejects(CheckinSchema, { ...fx.checkin(), distanceM: -1 }, 'distanceM')
    expectRejects(CheckinSchema, { ...fx.checkin(), periodKeys: { year: '2026', quarter: '2026-Q5', month: '2026-03' } }, 'periodKeys.quarter')
    expectRejects(CheckinSchema, { ...fx.checkin(), periodKeys: { year: '2026', quarter: '2026-Q1', month: '2026-3' } }, 'periodKeys.month')
  })
})

describe('LeaveRequestSchema', () => {
  test('accepts an approved leave and a pending one', () => {
    expectAccepts(LeaveRequestSchema, fx.leave())
    const pending = { ...fx.leave(), status: 'pending' }
    delete (pending as Record<string, unknown>).decidedBy
    delete (pending as Record<string, unknown>).decidedAt
    expectAccepts(LeaveRequestSchema, pending)
  })

  test('a decision records who and when', () => {
    expectRejects(LeaveRequestSchema, withField(fx.leave(), 'decidedBy', undefined), 'decidedBy')
    expectRejects(LeaveRequestSchema, withField(fx.leave(), 'decidedAt', undefined), 'decidedBy')
  })

  test('the reason is required, bounded and free of control characters; line breaks are fine', () => {
    expectRejects(LeaveRequestSchema, { ...fx.leave(), reason: '   ' }, 'reason')
    expectRejects(LeaveRequestSchema, { ...fx.leave(), reason: '病'.repeat(201) }, 'reason')
    expectRejects(LeaveRequestSchema, { ...fx.leave(), reason: '生病\u0007' }, 'reason')
    expectAccepts(LeaveRequestSchema, { ...fx.leave(), reason: '第一行\n第二行' })
  })
})

describe('MakeupSchema', () => {
  test('accepts a submitted make-up', () => expectAccepts(MakeupSchema, fx.makeup()))

  test('an assigned make-up needs no note, a submitted one does', () => {
    const assigned = { ...fx.makeup(), status: 'assigned' }
    delete (assigned as Record<string, unknown>).noteId
    expectAccepts(MakeupSchema, assigned)
    expectRejects(MakeupSchema, withField(fx.makeup(), 'noteId', undefined), 'noteId')
  })

  test('rejects an unknown status', () => {
    expectRejects(MakeupSchema, { ...fx.makeup(), status: 'overdue' }, 'status')
  })
})
