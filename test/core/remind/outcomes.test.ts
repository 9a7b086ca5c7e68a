/**
 * The outcome messages: the words a member reads, the key that keeps a
 * retried decision from telling twice, and WeChat's 20-character fields.
 */
import { outcomeMessage, outcomeWechatData, OUTCOME_BODY_MAX, type OutcomeEvent } from '../../../src/core/remind/outcomes'
import { THING_MAX } from '../../../src/core/remind/templates'
import { GRADE_LABELS, GRADES } from '../../../src/core/vocab/review'

const AT = Date.parse('2026-11-20T02:00:00Z') // 10:00 Shanghai
const EVENTS: OutcomeEvent[] = [
  { kind: 'leave', leaveId: 'lv1', status: 'approved', sessionTitle: '十二月主题党日', startAt: AT, decidedAt: AT },
  { kind: 'leave', leaveId: 'lv1', status: 'refused', sessionTitle: '十二月主题党日', note: '这次是换届选举，请尽量参加', decidedAt: AT },
  { kind: 'note', noteId: 'n1', status: 'returned', noteTitle: '学习党章体会', comment: '请结合本职工作谈谈体会', at: AT },
  { kind: 'note', noteId: 'n1', status: 'passed', noteTitle: '学习党章体会', at: AT },
  { kind: 'makeup_assigned', makeupId: 'mu1', sessionTitle: '十一月主题党日', deadline: AT },
  { kind: 'makeup_reviewed', makeupId: 'mu1', status: 'returned', sessionTitle: '十一月主题党日', note: '请再谈谈打算', at: AT },
  { kind: 'makeup_reviewed', makeupId: 'mu1', status: 'accepted', sessionTitle: '十一月主题党日', at: AT },
  { kind: 'joined', memberId: 'm1', branchName: '第二党支部' },
  { kind: 'feedback_reply', feedbackId: 'fb1', question: '签到码太小看不清', reply: '已经放大了，谢谢您', at: AT },
  { kind: 'review_opened', reviewId: 'rv:br_1:2026', year: 2026, branchName: '第一党支部' },
  { kind: 'review_decided', reviewId: 'rv:br_1:2026', memberId: 'm1', year: 2026, at: AT },
  { kind: 'review_decided', reviewId: 'rv:br_1:2026', memberId: 'm2', year: 2026, at: AT, changed: true }
]

describe('outcomeMessage', () => {
  test('each outcome reads plainly, with the officer’s words where there are any', () => {
    const [approved, refused, returned, passed, assigned, mReturned, accepted, joined, reply] = EVENTS.map(outcomeMessage)
    expect(approved).toMatchObject({ title: '请假已批准', kind: 'leave_decided' })
    expect(approved.body).toBe('您「十二月主题党日」（11月20日 10:00）的请假已批准，这次不计缺席。')
    expect(refused.body).toBe('您「十二月主题党日」的请假没有批准，原因：这次是换届选举，请尽量参加。如能到场，欢迎参加；有困难可以直接和书记说。')
    expect(returned).toMatchObject({ title: '笔记退回修改', kind: 'review', short: '请结合本职工作谈谈体会' })
    expect(returned.body).toContain('书记的意见：请结合本职工作谈谈体会')
    expect(passed.title).toBe('笔记已审阅通过')
    expect(assigned.body).toContain('请在11月20日 10:00前提交学习心得')
    expect(mReturned.body).toContain('书记的意见：请再谈谈打算')
    expect(accepted.title).toBe('补学已通过')
    expect(joined.body).toContain('第二党支部已确认您的加入申请')
    expect(reply).toMatchObject({ kind: 'feedback', title: '您的意见建议有回复了' })
    expect(reply.body).toBe('您提的意见建议：「签到码太小看不清」\n回复：已经放大了，谢谢您')
  })

  test('never speaks of 您 in a way that scolds, never shows a code', () => {
    for (const m of EVENTS.map(outcomeMessage)) {
      expect(m.body).not.toMatch(/[A-Z_]{4,}|违规|批评/)
      expect(m.body.length).toBeLessThanOrEqual(OUTCOME_BODY_MAX)
    }
  })

  test('the key is the same for a retried decision, different for another outcome or another moment', () => {
    const a = outcomeMessage(EVENTS[0]).key
    expect(outcomeMessage({ ...EVENTS[0] } as OutcomeEvent).key).toBe(a)
    expect(outcomeMessage(EVENTS[1]).key).not.toBe(a)
    expect(outcomeMessage({ ...(EVENTS[0] as Extract<OutcomeEvent, { kind: 'leave' }>), decidedAt: AT + 1 }).key).not.toBe(a)
    const keys = EVENTS.map((e) => outcomeMessage(e).key)
    expect(new Set(keys).size).toBe(keys.length)
  })

  test('a very long reply is cut to the body limit', () => {
    const m = outcomeMessage({ kind: 'feedback_reply', feedbackId: 'f', question: '问'.repeat(500), reply: '答'.repeat(2000), at: AT })
    expect(Array.from(m.body).length).toBe(OUTCOME_BODY_MAX)
    expect(m.body.endsWith('…')).toBe(true)
    expect(m.body).toContain('「' + '问'.repeat(39) + '…」')
  })
})

describe('民主评议 messages', () => {
  const opened = { kind: 'review_opened', reviewId: 'rv:br_1:2026', year: 2026, branchName: '第一党支部' } as const
  const decided = { kind: 'review_decided', reviewId: 'rv:br_1:2026', memberId: 'm1', year: 2026, at: AT } as const

  test('opened: what to do and where, and that grading is anonymous to everyone, the secretary included', () => {
    const m = outcomeMessage(opened)
    expect(m).toMatchObject({ kind: 'democratic_review', title: '民主评议开始了', short: '2026年度民主评议开始了' })
    expect(m.body).toContain('第一党支部开始了2026年度民主评议党员')
    expect(m.body).toContain('自我评价')
    expect(m.body).toContain('“我的 › 民主评议”')
    expect(m.body).toContain('书记、支委也看不到')
  })

  test('opened: the key is the review\'s alone, so opening again never tells twice', () => {
    expect(outcomeMessage({ ...opened }).key).toBe(outcomeMessage(opened).key)
    expect(outcomeMessage({ ...opened, branchName: '改名后的支部' }).key).toBe(outcomeMessage(opened).key)
    expect(outcomeMessage({ ...opened, reviewId: 'rv:br_1:2025', year: 2025 }).key).not.toBe(outcomeMessage(opened).key)
  })

  test('decided: recorded, where to read it, into the 个人档案; a correction says so', () => {
    const m = outcomeMessage(decided)
    expect(m).toMatchObject({ kind: 'democratic_review', title: '民主评议结果已记录', at: AT })
    expect(m.body).toBe('支委会已记录您2026年度民主评议的结果，请在“我的 › 民主评议”里查看。评议结果记入您的党员个人档案。')
    const changed = outcomeMessage({ ...decided, changed: true })
    expect(changed.title).toBe('民主评议结果有更新')
    expect(changed.body).toContain('支委会更新了您2026年度民主评议的结果')
  })

  test('decided: the key follows review, member and decision time', () => {
    const k = outcomeMessage(decided).key
    expect(outcomeMessage({ ...decided }).key).toBe(k)
    expect(outcomeMessage({ ...decided, memberId: 'm2' }).key).not.toBe(k)
    expect(outcomeMessage({ ...decided, at: AT + 1 }).key).not.toBe(k)
    expect(outcomeMessage({ ...decided, reviewId: 'rv:br_2:2026' }).key).not.toBe(k)
  })

  test('decided never says the grade, in any text or WeChat field, whatever the grade', () => {
    // The event carries no grade at all; this guards the words against a later edit adding one.
    const words = GRADES.map((g) => GRADE_LABELS[g])
    for (const changed of [false, true]) {
      const m = outcomeMessage({ ...decided, changed })
      const data = outcomeWechatData(m, AT)
      const texts = [m.title, m.body, m.short, ...Object.values(data).map((v) => v.value)]
      for (const w of [...words, '优秀', '合格', '不合格', '基本合格']) for (const t of texts) expect(t).not.toContain(w)
    }
  })
})

describe('outcomeWechatData', () => {
  test('thing fields at most 20 characters and never empty; the time in Shanghai', () => {
    for (const e of EVENTS) {
      const data = outcomeWechatData(outcomeMessage(e), AT)
      expect(Object.keys(data).sort()).toEqual(['thing1', 'thing2', 'time3'])
      for (const k of ['thing1', 'thing2']) {
        expect(Array.from(data[k].value).length).toBeLessThanOrEqual(THING_MAX)
        expect(data[k].value.length).toBeGreaterThan(0)
      }
      expect(data.time3.value).toBe('2026年11月20日 10:00')
    }
    const long = outcomeWechatData(outcomeMessage({ ...EVENTS[2], comment: '请'.repeat(60) } as OutcomeEvent), AT)
    expect(long.thing2.value).toBe('请'.repeat(19) + '…')
  })
})
