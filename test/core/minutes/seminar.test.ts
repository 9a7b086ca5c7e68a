import { checkPlanFields, editMinutes, emptyMinutesContent, lockMinutes, type Minutes } from '../../../src/core/minutes/record'
import { MinutesDocSchema } from '../../../src/core/functions/minutes'

const T0 = Date.UTC(2026, 10, 20, 6)

function record(over: Partial<Minutes> = {}): Minutes {
  return { sessionId: 's1', branchId: 'br_1', content: emptyMinutesContent(), lockedAt: null, lockedBy: null, corrections: [], updatedAt: T0, updatedBy: 'm_sec', ...over }
}

const filled = () => ({ ...emptyMinutesContent(), chairId: 'm_sec', recorderId: 'm_2', agenda: '学习《关于加强党的作风建设的论述》' })

describe('专题学习研讨: the plan inside the record', () => {
  it('a topic or speakers belong to a seminar only; clearing them is fine anywhere', () => {
    expect(checkPlanFields('seminar', { topic: '以学铸魂', speakerIds: ['m_1'] }).ok).toBe(true)
    const r = checkPlanFields('branch_general_meeting', { topic: '以学铸魂' })
    expect(r.ok ? null : r.error.message).toBe('研讨主题和发言人只用于专题学习研讨，这场活动不需要填写')
    expect(checkPlanFields('party_class', { speakerIds: ['m_1'] }).ok).toBe(false)
    expect(checkPlanFields('party_class', { topic: '  ', speakerIds: [], agenda: '学习党章' }).ok).toBe(true)
  })

  it('a seminar is not locked without its 研讨主题; other sessions need none', () => {
    const r = lockMinutes(record({ content: filled() }), { memberId: 'm_sec', now: T0, seminar: true })
    expect(r.ok ? null : r.error.message).toBe('锁定前请填写：研讨主题')
    expect(lockMinutes(record({ content: { ...filled(), topic: '以学铸魂' } }), { memberId: 'm_sec', now: T0, seminar: true }).ok).toBe(true)
    expect(lockMinutes(record({ content: filled() }), { memberId: 'm_sec', now: T0 }).ok).toBe(true)
  })

  it('after locking, a changed topic or speaker list is an appended correction like any field', () => {
    const locked = { ...record({ content: { ...filled(), topic: '以学铸魂', speakerIds: ['m_1'] } }), lockedAt: T0, lockedBy: 'm_sec' }
    const r = editMinutes(locked, { topic: '以学增智', speakerIds: ['m_1', 'm_2'] }, { memberId: 'm_sec', now: T0 + 1, reason: '主题写错' })
    if (!r.ok) throw new Error(r.error.message)
    expect(r.data.corrections.map((c) => [c.field, c.before, c.after])).toEqual([
      ['topic', '以学铸魂', '以学增智'],
      ['speakerIds', ['m_1'], ['m_1', 'm_2']]
    ])
  })

  it('a record stored before seminars had a plan still reads, with an empty plan', () => {
    const { topic: _t, speakerIds: _s, ...old } = filled()
    const doc = MinutesDocSchema.parse({ _id: 's1', sessionId: 's1', branchId: 'br_1', orgPath: ['org_1', 'br_1'], content: old, lockedAt: null, lockedBy: null, corrections: [], updatedAt: T0, updatedBy: 'm_sec' })
    expect(doc.content.topic).toBe('')
    expect(doc.content.speakerIds).toEqual([])
  })
})
