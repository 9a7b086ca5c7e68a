/**
 * Realistic documents, one per schema. Each call returns a fresh copy so a
 * test may break one field without touching the others.
 */
import { checkinId, leaveId, makeupId } from '../../../src/core/schemas/checkin'
import { aggregateId } from '../../../src/core/schemas/aggregate'
import { pointsEntryId, pointsKey } from '../../../src/core/schemas/points'
import { deliveryId, subscriptionBudgetId } from '../../../src/core/schemas/reminder'
import { DEFAULT_SETTINGS, settingsId } from '../../../src/core/schemas/settings'

/** 2026-03-05 19:00 Shanghai. */
export const T0 = Date.parse('2026-03-05T11:00:00Z')
const MIN = 60 * 1000
const keys = { year: '2026', quarter: '2026-Q1', month: '2026-03' }

export function session() {
  return {
    _id: 'sess_0305',
    title: '三月主题党日：学习贯彻全国两会精神',
    type: 'theme_day',
    branchId: 'branch1',
    orgPath: ['party1', 'branch1'],
    startAt: T0,
    endAt: T0 + 120 * MIN,
    venue: { name: '机关办公楼三楼会议室', geofence: { lat: 30.657, lng: 104.066, radiusM: 150 } },
    checkin: { opensAt: T0 - 30 * MIN, closesAt: T0 + 120 * MIN, lateAfter: T0 + 5 * MIN },
    audience: { kind: 'branch' },
    allowOnlineWithoutQr: false,
    status: 'scheduled',
    createdBy: 'm_secretary',
    createdAt: T0 - 7 * 24 * 60 * MIN,
    updatedAt: T0 - 7 * 24 * 60 * MIN
  }
}

export function checkin() {
  return {
    _id: checkinId('sess_0305', 'm1'),
    sessionId: 'sess_0305',
    memberId: 'm1',
    branchId: 'branch1',
    at: T0 - 10 * MIN,
    recordedAt: T0 - 10 * MIN + 800,
    status: 'attended',
    method: 'qr',
    location: { lat: 30.6571, lng: 104.0662, accuracyM: 25 },
    distanceM: 21,
    qrSlot: 98_765,
    periodKeys: { ...keys }
  }
}

export function leave() {
  return {
    _id: leaveId('sess_0305', 'm2'),
    sessionId: 'sess_0305',
    memberId: 'm2',
    branchId: 'branch1',
    reason: '当天在外地出差，已向支部书记报告。',
    status: 'approved',
    decidedBy: 'm_secretary',
    decidedAt: T0 - 24 * 60 * MIN,
    periodKeys: { ...keys },
    createdAt: T0 - 2 * 24 * 60 * MIN,
    updatedAt: T0 - 24 * 60 * MIN
  }
}

export function makeup() {
  return {
    _id: makeupId('sess_0305', 'm2'),
    sessionId: 'sess_0305',
    memberId: 'm2',
    branchId: 'branch1',
    assignedBy: 'm_secretary',
    deadline: T0 + 14 * 24 * 60 * MIN,
    status: 'submitted',
    noteId: 'note_m2_1',
    submittedAt: T0 + 3 * 24 * 60 * MIN,
    periodKeys: { ...keys },
    createdAt: T0 + 24 * 60 * MIN,
    updatedAt: T0 + 3 * 24 * 60 * MIN
  }
}

export function note() {
  return {
    _id: 'note_m1_1',
    kind: 'note',
    title: '学习《中国共产党章程》第一章笔记',
    source: '中国共产党章程',
    content: '党员必须履行下列义务：\n（一）认真学习马克思列宁主义……\n体会：要把学习成果转化为推动工作的实际成效。',
    words: 48,
    creditedWords: 48,
    version: 3,
    year: 2026,
    memberId: 'm1',
    branchId: 'branch1',
    review: { status: 'passed', comment: '笔记认真，体会具体。', by: 'm_secretary', at: T0 },
    matches: [{ noteId: 'note_m7_4', memberIdHash: '85944171f73967e8', at: T0 - 5 * 24 * 60 * MIN, chars: 24 }],
    createdAt: T0 - 24 * 60 * MIN,
    updatedAt: T0
  }
}

export function pointsEntry() {
  return {
    _id: pointsEntryId(pointsKey('attend', 'sess_0305', 'm1'), 0),
    memberId: 'm1',
    branchId: 'branch1',
    delta: 2,
    rule: 'attend',
    key: pointsKey('attend', 'sess_0305', 'm1'),
    seq: 0,
    reason: '3月5日 支部党员大会 按时参加',
    sourceType: 'checkin',
    sourceId: checkinId('sess_0305', 'm1'),
    periodKeys: { ...keys },
    at: T0 - 10 * MIN,
    createdAt: T0 - 10 * MIN
  }
}

export function aggregate() {
  return {
    _id: aggregateId('member', 'm1', '2026-Q1'),
    scope: 'member',
    scopeId: 'm1',
    branchId: 'branch1',
    orgPath: ['party1', 'branch1'],
    period: '2026-Q1',
    members: 1,
    attended: 5,
    expected: 6,
    leave: 1,
    late: 1,
    absent: 0,
    makeups: 1,
    creditedWords: 3200,
    essays: 1,
    points: 14,
    quotaWords: 10000,
    updatedAt: T0
  }
}

export function reminder() {
  return {
    _id: 'rm_1',
    branchId: 'branch1',
    audience: { kind: 'not_checked_in', sessionId: 'sess_0305' },
    title: '主题党日即将开始',
    body: '请于19:00前到三楼会议室签到。因事不能参加请在小程序内请假。',
    kind: 'checkin_missing',
    sessionId: 'sess_0305',
    createdBy: 'm_secretary',
    createdAt: T0 - 20 * MIN,
    key: 'checkin-missing:sess_0305',
    recipientCount: 4
  }
}

export function delivery() {
  return {
    _id: deliveryId('rm_1', 'm3'),
    reminderId: 'rm_1',
    memberId: 'm3',
    branchId: 'branch1',
    title: '主题党日即将开始',
    kind: 'checkin_missing',
    inApp: { delivered: true },
    wechat: { status: 'no_budget' },
    deliverAt: T0 - 20 * MIN,
    sessionId: 'sess_0305',
    createdAt: T0 - 20 * MIN
  }
}

export function budget() {
  return {
    _id: subscriptionBudgetId('m3', 'tmplSessionStart'),
    memberId: 'm3',
    templateId: 'tmplSessionStart',
    remaining: 2,
    lastAcceptedAt: T0 - 60 * MIN,
    updatedAt: T0 - 60 * MIN
  }
}

export function audit() {
  return {
    _id: 'audit_1',
    actor: 'm_secretary',
    action: 'leave.decide',
    target: { type: 'leave', id: leaveId('sess_0305', 'm2') },
    orgId: 'branch1',
    at: T0 - 24 * 60 * MIN,
    detail: { approve: true }
  }
}

export function settings() {
  return {
    ...(JSON.parse(JSON.stringify(DEFAULT_SETTINGS)) as typeof DEFAULT_SETTINGS),
    _id: settingsId('party1'),
    orgId: 'party1',
    updatedBy: 'm_admin',
    updatedAt: T0
  }
}
