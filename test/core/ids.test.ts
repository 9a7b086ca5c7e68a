import { MAX_ID_LENGTH, deriveId, stableHash } from '../../src/core/ids'
import { IdSchema } from '../../src/core/schemas/common'
import { checkinId, leaveId, makeupId } from '../../src/core/schemas/checkin'
import { aggregateId } from '../../src/core/schemas/aggregate'
import { pointsEntryId, pointsKey } from '../../src/core/schemas/points'
import { deliveryId, reminderIdFromKey, subscriptionBudgetId } from '../../src/core/schemas/reminder'
import { settingsId } from '../../src/core/schemas/settings'

/** FNV-1a 64 written with BigInt, to check the limb arithmetic of stableHash. */
function fnv1a64(text: string): string {
  const mask = BigInt('0xffffffffffffffff')
  const prime = BigInt('0x100000001b3')
  let h = BigInt('0xcbf29ce484222325')
  for (let i = 0; i < text.length; i++) h = ((h ^ BigInt(text.charCodeAt(i))) * prime) & mask
  return h.toString(16).padStart(16, '0')
}

describe('stableHash', () => {
  test.each(['', 'a', 'foobar', '第一党支部', '\u{20000}', 'x'.repeat(5000)])('matches FNV-1a 64 for %#', (text) => {
    expect(stableHash(text)).toBe(fnv1a64(text))
  })

  test('known vectors never change (stored ids depend on them)', () => {
    expect(stableHash('')).toBe('cbf29ce484222325')
    expect(stableHash('a')).toBe('af63dc4c8601ec8c')
    expect(stableHash('foobar')).toBe('85944171f73967e8')
  })
})

describe('deterministic ids', () => {
  test('helpers are stable and readable for plain ids', () => {
    expect(checkinId('s1', 'm1')).toBe('ci:s1:m1')
    expect(checkinId('s1', 'm1')).toBe(checkinId('s1', 'm1'))
    expect(leaveId('s1', 'm1')).toBe('lv:s1:m1')
    expect(makeupId('s1', 'm1')).toBe('mu:s1:m1')
    expect(aggregateId('member', 'm1', '2026-Q1')).toBe('agg:member:m1:2026-Q1')
    expect(aggregateId('branch', 'b1', '2026')).toBe('agg:branch:b1:2026')
    expect(pointsKey('attend', 'ci:s1:m1', 'm1')).toMatch(/^pk:h[0-9a-f]{16}$/)
    expect(pointsKey('attend', 's1', 'm1')).toBe('pk:attend:s1:m1')
    expect(pointsEntryId(pointsKey('attend', 's1', 'm1'), 2)).toBe('pt:attend:s1:m1:2')
    expect(reminderIdFromKey('b1', 'session-start.s1')).toBe('rm:b1:session-start.s1')
    expect(deliveryId('rm1', 'm1')).toBe('dl:rm1:m1')
    expect(subscriptionBudgetId('m1', 'tmpl_A-1')).toBe('sb:m1:tmpl_A-1')
    expect(settingsId('party1')).toBe('st:party1')
  })

  test('different inputs give different ids, in each argument position', () => {
    const ids = new Set([
      checkinId('s1', 'm1'),
      checkinId('s1', 'm2'),
      checkinId('s2', 'm1'),
      checkinId('m1', 's1'),
      leaveId('s1', 'm1'),
      makeupId('s1', 'm1')
    ])
    expect(ids.size).toBe(6)
  })

  test('parts containing the joiner are hashed, so the joiner cannot make two inputs collide', () => {
    const a = checkinId('a:b', 'c')
    const b = checkinId('a', 'b:c')
    expect(a).not.toBe(b)
    expect(a).toMatch(/^ci:h[0-9a-f]{16}$/)
    expect(checkinId('a:b', 'c')).toBe(a)
  })

  test('long parts fall back to a hash that still passes IdSchema', () => {
    const long = 'x'.repeat(120)
    const id = checkinId(long, 'm1')
    expect(id.length).toBeLessThanOrEqual(MAX_ID_LENGTH)
    expect(IdSchema.safeParse(id).success).toBe(true)
    expect(id).not.toBe(checkinId(long, 'm2'))
    expect(checkinId('x'.repeat(61), 'y'.repeat(61))).toBe('ci:' + 'x'.repeat(61) + ':' + 'y'.repeat(61))
  })

  test('any part, even prose, yields a valid id', () => {
    const id = deriveId('rm', 'b1', '三月 主题党日/提醒')
    expect(IdSchema.safeParse(id).success).toBe(true)
    expect(() => deriveId('bad prefix', 'x')).toThrow()
  })
})
