/**
 * Note drafts on the phone: written as the member types (debounced), read back
 * on open, removed only after a successful save; a new note's clientId stays
 * the same across restores so a retried first save cannot make two notes.
 */
const mockStorage = new Map<string, unknown>()
let mockWrites = 0

jest.mock('@tarojs/taro', () => ({
  __esModule: true,
  default: {
    getStorageSync: (key: string) => (mockStorage.has(key) ? mockStorage.get(key) : ''),
    setStorageSync: (key: string, value: unknown) => {
      mockWrites++
      mockStorage.set(key, JSON.parse(JSON.stringify(value)))
    },
    removeStorageSync: (key: string) => void mockStorage.delete(key)
  }
}))

import {
  DRAFT_DEBOUNCE_MS,
  clearDraft,
  clientIdFor,
  createDraftSaver,
  draftKey,
  newClientId,
  readDraft,
  writeDraft,
  type NoteDraft
} from '../../src/api/drafts'

const TEXT = '学习讲话，做好笔记。GDP 增长 2.5%。'

function draft(extra: Partial<NoteDraft> = {}): Omit<NoteDraft, 'savedAt'> {
  return { kind: 'note', title: '学习体会', source: '', content: TEXT, ...extra }
}

beforeEach(() => {
  mockStorage.clear()
  mockWrites = 0
  jest.useRealTimers()
})

describe('note drafts', () => {
  it('saves, restores and clears a new draft under note.draft.new', () => {
    expect(readDraft()).toBeNull()
    expect(writeDraft(draft({ clientId: 'c.abc' }))).toBe(true)
    expect(mockStorage.has('note.draft.new')).toBe(true)
    const d = readDraft()
    expect(d).toMatchObject({ kind: 'note', title: '学习体会', content: TEXT, clientId: 'c.abc' })
    expect(typeof d?.savedAt).toBe('number')
    clearDraft()
    expect(readDraft()).toBeNull()
  })

  it('keeps one draft per note id, apart from the new one', () => {
    writeDraft(draft({ noteId: 'n1', version: 3, content: '改过的' }))
    writeDraft(draft({ clientId: 'c.x' }))
    expect(draftKey('n1')).toBe('note.draft.n1')
    expect(readDraft('n1')).toMatchObject({ noteId: 'n1', version: 3, content: '改过的' })
    expect(readDraft()?.content).toBe(TEXT)
    clearDraft('n1')
    expect(readDraft('n1')).toBeNull()
    expect(readDraft()).not.toBeNull()
  })

  it('keeps the clientId stable across restores', () => {
    const first = clientIdFor(readDraft())
    expect(first).toMatch(/^[A-Za-z0-9_:.-]{1,128}$/)
    writeDraft(draft({ clientId: first }))
    for (let i = 0; i < 3; i++) {
      const restored = readDraft()
      const id = clientIdFor(restored)
      expect(id).toBe(first)
      writeDraft(draft({ clientId: id, content: TEXT + i }))
    }
    expect(readDraft()?.clientId).toBe(first)
    expect(newClientId()).not.toBe(first)
  })

  it('removes an empty draft instead of storing it, and ignores junk in storage', () => {
    writeDraft(draft())
    writeDraft(draft({ title: '', content: '  ', source: '' }))
    expect(mockStorage.has('note.draft.new')).toBe(false)
    mockStorage.set('note.draft.new', '{not json')
    expect(readDraft()).toBeNull()
    mockStorage.set('note.draft.new', { kind: 'poem', title: 'x', content: 'y' })
    expect(readDraft()).toBeNull()
    // A string-encoded draft (older storage) still reads.
    mockStorage.set('note.draft.new', JSON.stringify({ kind: 'essay', title: 't', content: 'c' }))
    expect(readDraft()).toMatchObject({ kind: 'essay', source: '', savedAt: 0 })
  })

  it('debounces: one write after typing pauses, flush writes at once, cancel drops', () => {
    jest.useFakeTimers()
    const saver = createDraftSaver()
    saver.schedule(draft({ content: '学' }))
    jest.advanceTimersByTime(DRAFT_DEBOUNCE_MS - 100)
    saver.schedule(draft({ content: '学习' }))
    jest.advanceTimersByTime(DRAFT_DEBOUNCE_MS - 100)
    saver.schedule(draft({ content: '学习讲话' }))
    expect(mockWrites).toBe(0)
    jest.advanceTimersByTime(DRAFT_DEBOUNCE_MS)
    expect(mockWrites).toBe(1)
    expect(readDraft()?.content).toBe('学习讲话')

    saver.schedule(draft({ content: '学习讲话，' }))
    saver.flush()
    expect(mockWrites).toBe(2)
    expect(readDraft()?.content).toBe('学习讲话，')
    jest.advanceTimersByTime(DRAFT_DEBOUNCE_MS * 2)
    expect(mockWrites).toBe(2)

    saver.schedule(draft({ content: '不会写入' }))
    saver.cancel()
    jest.advanceTimersByTime(DRAFT_DEBOUNCE_MS * 2)
    expect(readDraft()?.content).toBe('学习讲话，')
  })

  it('reports a storage failure and never throws', () => {
    jest.useFakeTimers()
    const results: boolean[] = []
    const saver = createDraftSaver(100, (ok) => results.push(ok))
    const realSet = jest.requireMock('@tarojs/taro').default.setStorageSync
    jest.requireMock('@tarojs/taro').default.setStorageSync = () => {
      throw new Error('quota')
    }
    try {
      saver.schedule(draft())
      expect(() => jest.advanceTimersByTime(200)).not.toThrow()
      expect(results).toEqual([false])
    } finally {
      jest.requireMock('@tarojs/taro').default.setStorageSync = realSet
    }
  })
})
