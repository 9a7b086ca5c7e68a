import { changedFields, editMinutes, emptyMinutesContent, lockMinutes, MINUTES_LIMITS, missingForLock, type Minutes } from '../../../src/core/minutes/record'

const T0 = Date.UTC(2026, 10, 20, 6)

function record(over: Partial<Minutes> = {}): Minutes {
  return { sessionId: 's1', branchId: 'br_1', content: emptyMinutesContent(), lockedAt: null, lockedBy: null, corrections: [], updatedAt: T0, updatedBy: 'm_sec', ...over }
}

function unwrap<T>(r: { ok: true; data: T } | { ok: false; error: { message: string } }): T {
  if (!r.ok) throw new Error(r.error.message)
  return r.data
}

const filled = () => ({ ...emptyMinutesContent(), chairId: 'm_sec', recorderId: 'm_2', agenda: '学习《关于加强党的作风建设的论述》' })

describe('会议纪实: edits before and after locking', () => {
  it('an unlocked record changes in place, with no trail', () => {
    const m = unwrap(editMinutes(record(), { agenda: '学习党章', chairId: 'm_sec' }, { memberId: 'm_sec', now: T0 + 1 }))
    expect(m.content.agenda).toBe('学习党章')
    expect(m.content.chairId).toBe('m_sec')
    expect(m.corrections).toEqual([])
    expect(m.updatedAt).toBe(T0 + 1)
  })

  it('cannot be locked without 主持人, 记录人 and 议程, and says which are missing', () => {
    const r = lockMinutes(record(), { memberId: 'm_sec', now: T0 })
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error.message).toBe('锁定前请填写：主持人、记录人、议程与学习内容')
    expect(missingForLock(filled())).toEqual([])
  })

  it('locks once; a second lock is a conflict', () => {
    const locked = unwrap(lockMinutes(record({ content: filled() }), { memberId: 'm_sec', now: T0 + 5 }))
    expect(locked.lockedAt).toBe(T0 + 5)
    expect(locked.lockedBy).toBe('m_sec')
    const again = lockMinutes(locked, { memberId: 'm_2', now: T0 + 6 })
    expect(again.ok ? null : again.error.code).toBe('CONFLICT')
  })

  it('a locked record changes only by appended corrections with who, when, before, after and why', () => {
    const locked = unwrap(lockMinutes(record({ content: filled() }), { memberId: 'm_sec', now: T0 }))
    const noReason = editMinutes(locked, { decisions: '下月开展主题党日' }, { memberId: 'm_2', now: T0 + 10 })
    expect(noReason.ok ? null : noReason.error.message).toBe('记录已经锁定，修改要写明更正原因')

    const once = unwrap(editMinutes(locked, { decisions: '下月开展主题党日', recorderId: 'm_3' }, { memberId: 'm_2', now: T0 + 10, reason: '补记决议' }))
    expect(once.content.decisions).toBe('下月开展主题党日')
    expect(once.corrections).toEqual([
      { at: T0 + 10, by: 'm_2', field: 'recorderId', before: 'm_2', after: 'm_3', reason: '补记决议' },
      { at: T0 + 10, by: 'm_2', field: 'decisions', before: '', after: '下月开展主题党日', reason: '补记决议' }
    ])
    // Later corrections append; the earlier ones are kept as they were.
    const twice = unwrap(editMinutes(once, { decisions: '12月开展主题党日' }, { memberId: 'm_sec', now: T0 + 20, reason: '改正月份' }))
    expect(twice.corrections.slice(0, 2)).toEqual(once.corrections)
    expect(twice.corrections[2]).toMatchObject({ by: 'm_sec', before: '下月开展主题党日', after: '12月开展主题党日' })
    expect(twice.lockedAt).toBe(T0)
  })

  it('a patch that changes nothing leaves no correction, also for the same list of materials', () => {
    const locked = unwrap(lockMinutes(record({ content: { ...filled(), materialIds: ['mat_1'] } }), { memberId: 'm_sec', now: T0 }))
    expect(changedFields(locked.content, { materialIds: ['mat_1'], agenda: locked.content.agenda })).toEqual([])
    const same = unwrap(editMinutes(locked, { materialIds: ['mat_1'] }, { memberId: 'm_2', now: T0 + 1, reason: '无' }))
    expect(same).toBe(locked)
    expect(changedFields(locked.content, { materialIds: ['mat_1', 'mat_2'] })).toEqual(['materialIds'])
  })

  it('the trail has a ceiling, so the record stays one writable document', () => {
    let m = unwrap(lockMinutes(record({ content: filled() }), { memberId: 'm_sec', now: T0 }))
    for (let i = 0; i < MINUTES_LIMITS.corrections; i++) {
      m = unwrap(editMinutes(m, { discussion: `第 ${i} 次` }, { memberId: 'm_sec', now: T0 + i + 1, reason: '更正' }))
    }
    const over = editMinutes(m, { discussion: '再改' }, { memberId: 'm_sec', now: T0 + 999, reason: '更正' })
    expect(over.ok ? null : over.error.code).toBe('CONFLICT')
  })
})
