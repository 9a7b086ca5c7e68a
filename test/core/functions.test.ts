import { MATERIAL_MAX_CHARS } from '../../src/core/vocab/material'
import { SessionInputs } from '../../src/core/functions/session'
import { CheckinInputs } from '../../src/core/functions/checkin'
import { NoteInputs } from '../../src/core/functions/note'
import { StatsInputs } from '../../src/core/functions/stats'
import { RemindInputs } from '../../src/core/functions/remind'
import { ReviewInputs } from '../../src/core/functions/review'
import { CronInputs, TimerEventSchema } from '../../src/core/functions/cron'
import { OrgSettingsInputs } from '../../src/core/functions/settings'
import { OrgImportRosterInput, OrgRosterTemplateInput } from '../../src/core/functions/org-import'
import { NOTE_MAX_CHARS } from '../../src/core/words'
import type { z } from '../../src/core/zod'
import { T0 } from './support/fixtures'
import { expectAccepts, expectRejects } from './support/expect-schema'

const H = 60 * 60 * 1000
const sessionBody = {
  branchId: 'branch1',
  title: '三月支部党员大会',
  type: 'branch_general_meeting',
  startAt: T0,
  endAt: T0 + 2 * H,
  venue: { name: '三楼会议室' },
  audience: { kind: 'branch' }
}

/** One valid input per action of every function; a new action without an example fails below. */
const EXAMPLES: Record<string, [Record<string, z.ZodType>, Record<string, Record<string, unknown>>]> = {
  session: [
    SessionInputs,
    {
      create: { ...sessionBody, recurrence: { every: 'month', count: 12 } },
      update: { sessionId: 's1', title: '改期：三月支部党员大会', startAt: T0 + H, endAt: T0 + 3 * H },
      cancel: { sessionId: 's1', reason: '与上级会议冲突' },
      record: {
        clientId: 'rec_1',
        branchId: 'branch1',
        title: '三月主题党日',
        type: 'theme_day',
        startAt: T0,
        endAt: T0 + 2 * H,
        venue: { name: '三楼会议室' },
        attendance: [{ memberId: 'm1', state: 'attended' }, { memberId: 'm2', state: 'leave', reason: '住院' }]
      },
      list: { branchId: 'branch1', from: T0, to: T0 + 30 * 24 * H },
      get: { sessionId: 's1' },
      roster: { sessionId: 's1' },
      cadence: { branchId: 'branch1', period: '2026-03' },
      dualLife: { branchId: 'branch1', month: '2026-03' },
      minutes: { sessionId: 's1' },
      minutesSave: {
        sessionId: 's1',
        patch: { agenda: '学习党章第一章', chairId: 'm1', topic: '以学铸魂', speakerIds: ['m2', 'm3'], materialIds: ['mat_1'] },
        baseUpdatedAt: null
      },
      minutesLock: { sessionId: 's1', baseUpdatedAt: T0 },
      minutesPhotoAdd: { sessionId: 's1', photo: { content: '/9j/4AAQ' } },
      minutesPhotoRemove: { sessionId: 's1', photoId: 'p1_0123456789ab', reason: '照片拍到了无关人员' }
    }
  ],
  checkin: [
    CheckinInputs,
    {
      token: { sessionId: 's1' },
      checkIn: { sessionId: 's1', token: 's1.98765.abcdef12', location: { lat: 30.6, lng: 104.1, accuracyM: 30 } },
      proxyCheckIn: { sessionId: 's1', memberId: 'm9', reason: '行动不便' },
      pendingCheckins: { sessionId: 's1' },
      confirmCheckins: { sessionId: 's1', memberIds: ['m2'], accept: true },
      requestLeave: { sessionId: 's1', reason: '出差' },
      decideLeave: { sessionId: 's1', memberId: 'm2', approve: true },
      recordLeave: { sessionId: 's1', memberId: 'm2', reason: '没有智能手机，电话请假' },
      assignMakeUp: { sessionId: 's1', memberIds: ['m2', 'm3'], deadline: T0 + 14 * 24 * H },
      makeUp: { sessionId: 's1', content: '学习了会议精神，'.repeat(10) },
      reviewMakeUp: { sessionId: 's1', memberId: 'm2', accept: true },
      makeUps: {},
      branchMakeUps: { branchId: 'branch1', status: 'submitted' },
      leaves: { branchId: 'branch1', status: 'pending' },
      mine: { year: 2026, memberId: 'm2' }
    }
  ],
  note: [
    NoteInputs,
    {
      save: { kind: 'essay', title: '学习心得', content: '通过学习，我深刻认识到……', sessionId: 's1' },
      list: { year: 2026, limit: 20 },
      get: { noteId: 'n1' },
      remove: { noteId: 'n1', version: 2 },
      review: { noteId: 'n1', status: 'returned', comment: '请补充个人体会' },
      progress: { year: 2026 },
      branchProgress: { branchId: 'branch1', year: 2026 },
      yearEnd: { branchId: 'branch1', year: 2025 },
      materials: { orgId: 'branch1' },
      addMaterial: { orgId: 'party1', title: '在支部学习交流会上的讲话', origin: '机关党委书记', content: '同志们，今天召开支部学习交流会……\n\n学习贵在持之以恒。', clientId: 'mc_1' },
      continueMaterial: { materialId: 'mat:party1:mc_1' },
      removeMaterial: { materialId: 'mat:party1:mc_1' }
    }
  ],
  stats: [
    StatsInputs,
    {
      memberRanking: { branchId: 'branch1', period: '2026-Q1' },
      branchRanking: { orgId: 'party1', period: '2026' },
      warnings: { branchId: 'branch1' },
      report: { orgId: 'party1', period: '2026-Q1' },
      reconcile: {},
      points: { period: '2026-Q1' },
      adjustPoints: { memberId: 'm1', delta: -2, reason: '补录：三月党课实际未参加', clientId: 'adj_1' },
      recordTalk: { memberId: 'm1', at: T0, note: '了解到家中老人生病，已安排补学', clientId: 'talk_form_1' }
    }
  ],
  remind: [
    RemindInputs,
    {
      send: { branchId: 'branch1', audience: { kind: 'behind_pace' }, title: '学习进度提醒', body: '本季度笔记进度偏慢，请合理安排。', clientId: 'c1' },
      inbox: { unreadOnly: true },
      markRead: { all: true },
      subscribe: { results: { session_soon: 'accept', notes_behind: 'reject' } },
      budget: { branchId: 'branch1' },
      sent: { branchId: 'branch1' },
      log: { reminderId: 'rm_1' },
      feedback: { text: '希望签到页的字再大一些。', anonymous: true, clientId: 'fb_c1' },
      feedbackMine: {},
      feedbackList: { limit: 20 },
      feedbackReply: { feedbackId: 'fb_1', text: '已经调大了，谢谢您的建议。' }
    }
  ],
  review: [
    ReviewInputs,
    {
      open: { branchId: 'branch1', year: 2026 },
      current: {},
      get: { reviewId: 'rv:branch1:2026' },
      saveSelf: { reviewId: 'rv:branch1:2026', text: '一年来坚持学习，按时参加组织生活。\n不足：联系群众还不够。' },
      grade: { reviewId: 'rv:branch1:2026', sheet: { m2: 'excellent', m3: 'qualified', m4: 'basic' } },
      closeGrading: { reviewId: 'rv:branch1:2026' },
      tally: { reviewId: 'rv:branch1:2026' },
      decide: { reviewId: 'rv:branch1:2026', outcomes: { m2: { grade: 'qualified' }, m4: { grade: 'basic', reason: '全年三次无故缺席组织生活' } } },
      mine: {}
    }
  ],
  cron: [CronInputs, { reminders: {}, reconcile: { year: 2026 }, tally: { now: T0 }, setup: {}, tick: { jobs: ['tally'] } }],
  orgSettings: [
    OrgSettingsInputs,
    {
      settings: { orgId: 'party1' },
      updateSettings: { orgId: 'party1', visibility: { memberRanking: 'admins', branchRanking: 'members' } }
    }
  ],
  orgImport: [
    { importRoster: OrgImportRosterInput, rosterTemplate: OrgRosterTemplateInput },
    {
      importRoster: { orgId: 'party1', fileName: '名册.csv', content: '5aeT5ZCNLOaJi+acuuWPtw==', commit: false },
      rosterTemplate: { orgId: 'party1' }
    }
  ]
}

describe.each(Object.keys(EXAMPLES))('%s inputs', (fn) => {
  const [inputs, examples] = EXAMPLES[fn]

  test('every action has an example', () => {
    expect(Object.keys(examples).sort()).toEqual(Object.keys(inputs).sort())
  })

  test.each(Object.keys(inputs))('%s accepts its example and refuses unknown keys', (action) => {
    expectAccepts(inputs[action], examples[action])
    expectRejects(inputs[action], { ...examples[action], action: 'x', isAdmin: true })
  })
})

describe('input limits', () => {
  test('a study material holds up to MATERIAL_MAX_CHARS characters of text, a title of 60', () => {
    const body = { orgId: 'party1', title: '讲话', content: '学'.repeat(MATERIAL_MAX_CHARS), clientId: 'mc_2' }
    expectAccepts(NoteInputs.addMaterial, body)
    expectRejects(NoteInputs.addMaterial, { ...body, content: '学'.repeat(MATERIAL_MAX_CHARS + 1) }, 'content')
    expectRejects(NoteInputs.addMaterial, { ...body, title: '讲'.repeat(61) }, 'title')
  })

  test('titles are capped at 60 characters', () => {
    expectAccepts(SessionInputs.create, { ...sessionBody, title: '会'.repeat(60) })
    expectRejects(SessionInputs.create, { ...sessionBody, title: '会'.repeat(61) }, 'title')
    expectRejects(NoteInputs.save, { kind: 'note', title: '笔'.repeat(61), content: '正文' }, 'title')
  })

  test('reasons are capped at 200 characters', () => {
    expectRejects(CheckinInputs.requestLeave, { sessionId: 's1', reason: '事'.repeat(201) }, 'reason')
    expectRejects(SessionInputs.cancel, { sessionId: 's1', reason: '事'.repeat(201) }, 'reason')
  })

  test('note content is capped at NOTE_MAX_CHARS', () => {
    const base = { kind: 'note', title: '笔记' }
    expectAccepts(NoteInputs.save, { ...base, content: '学'.repeat(NOTE_MAX_CHARS) })
    expectRejects(NoteInputs.save, { ...base, content: '学'.repeat(NOTE_MAX_CHARS + 1) }, 'content')
  })

  test('a session must end after it starts', () => {
    expectRejects(SessionInputs.create, { ...sessionBody, endAt: T0 }, 'endAt')
    expectRejects(SessionInputs.update, { sessionId: 's1', startAt: T0, endAt: T0 - 1 }, 'endAt')
  })

  test('ids and periods are validated', () => {
    expectRejects(SessionInputs.get, { sessionId: '../etc/passwd' }, 'sessionId')
    expectRejects(SessionInputs.get, { sessionId: { $ne: null } }, 'sessionId')
    expectRejects(StatsInputs.memberRanking, { branchId: 'b1', period: '2026-Q5' }, 'period')
    expectRejects(StatsInputs.memberRanking, { branchId: 'b1', period: '2026-3' }, 'period')
  })

  test('list ranges are forward and bounded', () => {
    expectRejects(SessionInputs.list, { branchId: 'b1', from: T0, to: T0 }, 'to')
    expectRejects(SessionInputs.list, { branchId: 'b1', from: T0, to: T0 + 500 * 24 * H }, 'to')
  })

  test('a note update names its version; returning a note needs a comment', () => {
    expectRejects(NoteInputs.save, { id: 'n1', kind: 'note', title: '笔记', content: '正文' }, 'version')
    expectAccepts(NoteInputs.save, { id: 'n1', version: 4, kind: 'note', title: '笔记', content: '正文' })
    expectRejects(NoteInputs.review, { noteId: 'n1', status: 'returned' }, 'comment')
    expectRejects(SessionInputs.minutesSave, { sessionId: 's1', patch: { speakerIds: ['m1', 'm1'] }, baseUpdatedAt: null }, 'patch.speakerIds')
    expectRejects(SessionInputs.minutesSave, { sessionId: 's1', patch: { materialIds: ['a', 'a'] }, baseUpdatedAt: null }, 'patch.materialIds')
    expectAccepts(NoteInputs.review, { noteId: 'n1', status: 'passed' })
  })

  test('markRead takes ids or all, not both; subscribe takes 1 to 3 templates', () => {
    expectRejects(RemindInputs.markRead, {}, 'deliveryIds')
    expectRejects(RemindInputs.markRead, { deliveryIds: ['d1'], all: true }, 'deliveryIds')
    expectAccepts(RemindInputs.markRead, { deliveryIds: ['d1', 'd2'] })
    expectRejects(RemindInputs.subscribe, { results: {} }, 'results')
    expectRejects(RemindInputs.subscribe, { results: { session_tomorrow: 'accept', session_soon: 'accept', notes_behind: 'accept', makeup_due: 'accept' } }, 'results')
    expectRejects(RemindInputs.subscribe, { results: { tmplUnknown: 'accept' } }, 'results')
  })

  test('a timer event names a known job', () => {
    expectAccepts(TimerEventSchema, { Type: 'Timer', TriggerName: 'tick', Time: '2026-03-05T18:00:00Z' })
    expectAccepts(TimerEventSchema, { Type: 'Timer', TriggerName: 'reconcile', Time: '2026-03-05T18:00:00Z' })
    expectRejects(TimerEventSchema, { Type: 'Timer', TriggerName: 'dropTables' }, 'TriggerName')
  })
})
