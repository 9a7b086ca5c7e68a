/**
 * The normal home's two cards, rendered with plain DOM: 下次活动 says where I
 * stand and offers 去签到 only while the window is open and I have not checked
 * in; 我的一年 is kind to a new member (what to do, not a row of zeros), hides
 * points the organisation keeps from members, and drops a row whose answer has
 * the wrong shape instead of breaking the first screen.
 */
import type { ReactNode } from 'react'

const mockSwitchTab = jest.fn()
const mockNavigateTo = jest.fn()
jest.mock('@tarojs/taro', () => ({
  __esModule: true,
  default: { switchTab: (o: unknown) => mockSwitchTab(o), navigateTo: (o: unknown) => mockNavigateTo(o) }
}))
jest.mock('@tarojs/components', () => {
  const React = jest.requireActual('react') as typeof import('react')
  type P = { className?: string; children?: ReactNode; onClick?: (e: { stopPropagation: () => void }) => void; [k: string]: unknown }
  const pass = (p: P) => {
    const out: Record<string, unknown> = { className: p.className, onClick: p.onClick }
    for (const [k, v] of Object.entries(p)) if (k.startsWith('data-')) out[k] = v
    return out
  }
  return {
    __esModule: true,
    View: (p: P) => React.createElement('div', pass(p), p.children),
    Text: (p: P) => React.createElement('span', pass(p), p.children),
    Button: (p: P) => React.createElement('button', pass(p), p.children)
  }
})
jest.mock('../../src/components/SessionCard/index.scss', () => ({}))

import { act } from 'react'
import type { MineRow, MyRecord } from '../../src/api/checkin'
import type { NoteProgress } from '../../src/api/notes'
import type { Session } from '../../src/api/sessions'
import type { MemberRankingResult } from '../../src/api/stats'
import MyYear from '../../src/pages/index/MyYear'
import NextCard from '../../src/pages/index/NextCard'
import { TEST_START } from '../helpers/clock'

interface Root {
  render(node: ReactNode): void
  unmount(): void
}
const { createRoot } = require('react-dom/client') as { createRoot: (el: Element) => Root }
;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true

const MIN = 60_000
let host: HTMLElement
let root: Root

beforeEach(() => {
  jest.useFakeTimers({ now: TEST_START })
  mockSwitchTab.mockClear()
  host = document.createElement('div')
  document.body.appendChild(host)
  root = createRoot(host)
})

afterEach(() => {
  act(() => root.unmount())
  host.remove()
  jest.useRealTimers()
})

function show(node: ReactNode): void {
  act(() => root.render(node))
}

function session(startIn: number): Session {
  const startAt = TEST_START + startIn
  return {
    _id: 's_1',
    title: '主题党日',
    type: 'theme_day',
    branchId: 'br_2',
    startAt,
    endAt: startAt + 90 * MIN,
    venue: { name: '三楼会议室' },
    checkin: { opensAt: startAt - 30 * MIN, closesAt: startAt + 90 * MIN, lateAfter: startAt + 10 * MIN },
    audience: { kind: 'branch' },
    status: 'scheduled'
  } as unknown as Session
}

function row(s: Session, state: MineRow['state'], extra: Partial<MineRow> = {}): MineRow {
  return { sessionId: s._id, title: s.title, type: s.type, startAt: s.startAt, endAt: s.endAt, state, ...extra } as MineRow
}

const text = () => host.textContent ?? ''

describe('下次活动', () => {
  it('says kindly that nothing is scheduled', () => {
    show(<NextCard session={null} row={undefined} />)
    expect(text()).toContain('未来 30 天还没有安排需要您参加的活动')
    expect(host.querySelector('.session-card')).toBeNull()
  })

  it('offers 去签到 while the window is open, and not once I have checked in', () => {
    const s = session(10 * MIN)
    show(<NextCard session={s} row={row(s, 'upcoming')} />)
    expect(host.querySelector('.home-next-section')?.getAttribute('data-state')).toBe('open')
    const go = host.querySelector('.home-next-checkin') as HTMLElement
    expect(go.textContent).toBe('去签到')
    act(() => go.click())
    expect(mockSwitchTab).toHaveBeenCalledWith({ url: '/pages/checkin/index' })

    show(<NextCard session={s} row={row(s, 'attended', { at: TEST_START })} />)
    expect(host.querySelector('.session-state')?.textContent).toBe('出席')
    expect(host.querySelector('.home-next-checkin')).toBeNull()
  })

  it('before the window: 未开始 with the window, and the way to ask for leave; a pending leave says so', () => {
    const s = session(5 * 60 * MIN)
    show(<NextCard session={s} row={undefined} />)
    expect(host.querySelector('.session-state')?.textContent).toBe('未开始')
    expect(text()).toMatch(/签到时间 \d{2}:\d{2}–\d{2}:\d{2}/)
    expect(text()).toContain('点开这场活动就能请假')
    expect(host.querySelector('.home-next-checkin')).toBeNull()

    show(<NextCard session={s} row={row(s, 'upcoming', { leaveStatus: 'pending' })} />)
    expect(host.querySelector('.session-state')?.textContent).toBe('请假待审批')
    expect(text()).not.toContain('点开这场活动就能请假')
  })
})

const counts = { held: 0, attended: 0, late: 0, leave: 0, madeUp: 0, absent: 0, upcoming: 0, due: 0 }
const newRecord = { memberId: 'm_1', year: 2026, rows: [], counts, rate: null } as MyRecord
const newNotes = {
  year: 2026, memberId: 'm_1', creditedWords: 0, wordQuota: 10000, essays: 0, essayQuota: 4, paceWords: 8900, exempt: false,
  byMonth: [], rank: 'staff', paceStatus: 'far_behind', paceSentence: '按全年均匀进度……', notes: 0, lastNoteAt: null
} as unknown as NoteProgress
const figures = (points: number, showPoints: boolean) => ({ showPoints, me: { points } }) as unknown as MemberRankingResult

describe('我的一年', () => {
  it('tells a new member what to do instead of showing zeros to worry about', () => {
    show(<MyYear year={2026} record={newRecord} progress={newNotes} figures={figures(0, true)} />)
    expect(host.querySelector('.home-year-notes .home-year-sub')?.textContent).toBe('今年还没有写笔记，点这里写第一篇。')
    expect(host.querySelector('.home-year-notes .home-year-pace')).toBeNull()
    expect(host.querySelector('.home-year-attendance .home-year-sub')?.textContent).toContain('今年还没有需要您参加、已经举行的活动')
    act(() => (host.querySelector('.home-year-notes') as HTMLElement).click())
    expect(mockSwitchTab).toHaveBeenLastCalledWith({ url: '/pages/notes/index' })
  })

  it('keeps each figure with its unit in one .num, shows pace, and no points where the organisation keeps them from members', () => {
    const rec = { ...newRecord, counts: { ...counts, held: 12, attended: 10, late: 1, due: 12 }, rate: 11 / 12 } as MyRecord
    const notes = { ...newNotes, creditedWords: 6391, notes: 9, paceStatus: 'behind', paceSentence: '还差约 1,900 字。' } as NoteProgress
    show(<MyYear year={2026} record={rec} progress={notes} figures={figures(45, false)} />)
    const nums = Array.from(host.querySelectorAll('.num')).map((e) => e.textContent)
    expect(nums).toEqual(expect.arrayContaining(['6,391', ' / 10,000 字', '92%', '12 场', '11 场']))
    expect(host.querySelector('.home-year-pace')?.textContent).toBe('进度偏慢')
    expect(host.querySelector('.home-year-points')).toBeNull()

    show(<MyYear year={2026} record={rec} progress={notes} figures={figures(45, true)} />)
    expect(host.querySelector('.home-year-points .num')?.textContent).toBe('45 分')
  })

  it('leaves out a row whose answer has the wrong shape', () => {
    show(<MyYear year={2026} record={{ year: 2026 } as unknown as MyRecord} progress={{ year: 2026 } as unknown as NoteProgress} figures={figures(3, true)} />)
    expect(host.querySelector('.home-year-notes')).toBeNull()
    expect(host.querySelector('.home-year-attendance')).toBeNull()
    expect(host.querySelector('.home-year-points')).not.toBeNull()
  })
})
