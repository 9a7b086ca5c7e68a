import { selectRecipients, type AudienceFacts, type AudienceMember } from '../../../src/core/remind'
import type { ReminderAudience } from '../../../src/core/schemas/reminder'

const B = 'branchA'
const OTHER = 'branchB'

function member(_id: string, name: string, over: Partial<AudienceMember> = {}): AudienceMember {
  return { _id, name, branchId: B, groupId: null, roles: [], active: true, joinStatus: 'confirmed', exempt: null, ...over }
}

const EXEMPT = { reason: 'age' as const, since: 0 }

// Names chosen so pinyin order (张 > 王 > 李 > 陈 reversed) differs from input order.
const zhang = member('m1', '张伟')
const wang = member('m2', '王芳')
const li = member('m3', '李强', { exempt: EXEMPT })
const chen = member('m4', '陈静', { groupId: 'g1' })
const inactive = member('m5', '赵敏', { active: false })
const pending = member('m6', '孙丽', { joinStatus: 'pending' })
const outsider = member('x1', '周杰', { branchId: OTHER })

const ALL = [zhang, wang, li, chen, inactive, pending, outsider]

function facts(over: Partial<AudienceFacts> = {}): AudienceFacts {
  return {
    branchId: B,
    members: ALL,
    checkedIn: new Set(),
    approvedLeave: new Set(),
    makeupPending: new Map(),
    paceStatus: new Map(),
    warningLevel: new Map(),
    ...over
  }
}

const ids = (a: ReminderAudience, f: AudienceFacts): string[] => selectRecipients(a, f).map((m) => m._id)

const session = (over: Partial<NonNullable<AudienceFacts['session']>> = {}): NonNullable<AudienceFacts['session']> => ({
  _id: 's1',
  branchId: B,
  audience: { kind: 'branch' },
  status: 'scheduled',
  ...over
})

describe('selectRecipients', () => {
  test('branch: every active confirmed member of the branch, sorted by name in Chinese order', () => {
    // 陈 chen < 李 li < 王 wang < 张 zhang
    expect(ids({ kind: 'branch' }, facts())).toEqual(['m4', 'm3', 'm2', 'm1'])
  })

  test('the order is stable whatever the input order, ties broken by id', () => {
    const twinA = member('t2', '王芳')
    const twinB = member('t1', '王芳')
    const shuffled = facts({ members: [twinA, zhang, twinB, chen] })
    expect(ids({ kind: 'branch' }, shuffled)).toEqual(['m4', 't1', 't2', 'm1'])
    expect(ids({ kind: 'branch' }, facts({ members: [...shuffled.members].reverse() }))).toEqual(['m4', 't1', 't2', 'm1'])
  })

  test('does not mutate the facts members array', () => {
    const members = [zhang, wang, chen]
    selectRecipients({ kind: 'branch' }, facts({ members }))
    expect(members).toEqual([zhang, wang, chen])
  })

  test('members: only listed ids of this branch; another branch, inactive or pending ids are ignored', () => {
    const a: ReminderAudience = { kind: 'members', memberIds: ['m2', 'x1', 'm5', 'm6', 'nobody', 'm2'] }
    expect(ids(a, facts())).toEqual(['m2'])
  })

  test('members: a list made only of another branch reaches nobody', () => {
    expect(ids({ kind: 'members', memberIds: ['x1'] }, facts())).toEqual([])
  })

  test('members: exempt members may still be informed', () => {
    expect(ids({ kind: 'members', memberIds: ['m3'] }, facts())).toEqual(['m3'])
  })

  test('a member whose branchId differs is never reached even with facts for another branch', () => {
    expect(ids({ kind: 'branch' }, facts({ branchId: OTHER }))).toEqual(['x1'])
  })

  describe('not_checked_in', () => {
    const a: ReminderAudience = { kind: 'not_checked_in', sessionId: 's1' }

    test('expected, not checked in, no approved leave; exempt stay included', () => {
      const f = facts({ session: session(), checkedIn: new Set(['m1']), approvedLeave: new Set(['m2']) })
      expect(ids(a, f)).toEqual(['m4', 'm3'])
    })

    test('only those the session expects (group audience)', () => {
      const f = facts({ session: session({ audience: { kind: 'group', groupId: 'g1' } }) })
      expect(ids(a, f)).toEqual(['m4'])
    })

    test('a list session naming an outsider still never reaches them', () => {
      const f = facts({ session: session({ audience: { kind: 'list', memberIds: ['x1', 'm1'] } }) })
      expect(ids(a, f)).toEqual(['m1'])
    })

    test('leave for someone who checked in anyway does not matter: neither is reminded', () => {
      const f = facts({ session: session(), checkedIn: new Set(['m1', 'm2', 'm3']), approvedLeave: new Set(['m4']) })
      expect(ids(a, f)).toEqual([])
    })

    test('nobody without a session', () => {
      expect(ids(a, facts())).toEqual([])
    })

    test('nobody when the session is cancelled', () => {
      expect(ids(a, facts({ session: session({ status: 'cancelled' }) }))).toEqual([])
    })

    test('nobody when the session is another one than the audience names', () => {
      expect(ids(a, facts({ session: session({ _id: 's2' }) }))).toEqual([])
    })

    test('nobody when the session belongs to another branch', () => {
      expect(ids(a, facts({ session: session({ branchId: OTHER }) }))).toEqual([])
    })

    test('nobody when the audience has no sessionId (an unparsed audience)', () => {
      expect(ids({ kind: 'not_checked_in' } as ReminderAudience, facts({ session: session() }))).toEqual([])
    })
  })

  describe('makeup_pending', () => {
    const pendingMap = new Map<string, readonly string[]>([
      ['m1', ['s1', 's2']],
      ['m2', ['s2']],
      ['m3', []],
      ['x1', ['s1']],
      ['m5', ['s1']]
    ])

    test('any pending make-up when no session is named', () => {
      expect(ids({ kind: 'makeup_pending' }, facts({ makeupPending: pendingMap }))).toEqual(['m2', 'm1'])
    })

    test('only for the named session', () => {
      expect(ids({ kind: 'makeup_pending', sessionId: 's1' }, facts({ makeupPending: pendingMap }))).toEqual(['m1'])
      expect(ids({ kind: 'makeup_pending', sessionId: 's3' }, facts({ makeupPending: pendingMap }))).toEqual([])
    })
  })

  describe('behind_pace', () => {
    test('behind or far behind, never exempt, never on pace / done', () => {
      const paceStatus = new Map([
        ['m1', 'behind'],
        ['m2', 'far_behind'],
        ['m3', 'far_behind'], // exempt member with a stale figure
        ['m4', 'on_pace'],
        ['x1', 'far_behind'],
        ['m5', 'behind']
      ] as const)
      expect(ids({ kind: 'behind_pace' }, facts({ paceStatus: new Map(paceStatus) }))).toEqual(['m2', 'm1'])
    })

    test('done and exempt statuses are not reminded', () => {
      const paceStatus = new Map([
        ['m1', 'done'],
        ['m2', 'exempt'],
        ['m4', 'on_pace']
      ] as const)
      expect(ids({ kind: 'behind_pace' }, facts({ paceStatus: new Map(paceStatus) }))).toEqual([])
    })
  })

  describe('warned', () => {
    const warningLevel = new Map<string, 'yellow' | 'red'>([
      ['m1', 'yellow'],
      ['m2', 'red'],
      ['m3', 'red'], // exempt
      ['x1', 'red']
    ])

    test('yellow or red, never exempt', () => {
      expect(ids({ kind: 'warned' }, facts({ warningLevel }))).toEqual(['m2', 'm1'])
    })

    test('level red takes only red', () => {
      expect(ids({ kind: 'warned', level: 'red' }, facts({ warningLevel }))).toEqual(['m2'])
    })

    test('level yellow takes yellow and red alike', () => {
      expect(ids({ kind: 'warned', level: 'yellow' }, facts({ warningLevel }))).toEqual(['m2', 'm1'])
    })
  })
})
