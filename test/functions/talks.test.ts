/**
 * 谈心谈话 through the stats function on a real SQLite file: an officer of the
 * member's branch records a talk, once per form; the warnings of the quarter
 * show the latest; nobody else records one, nobody records their own, and
 * bad input is refused. Fixed clock.
 */
import { DEMO_PEOPLE } from '../../server/seed/people'
import { expectFail, expectOk, makeTestEnv, type TestEnv } from '../helpers/env'
import { BR2 } from './checkin.fixtures'

const T0 = Date.parse('2026-11-20T02:00:00Z')
const DAY = 86_400_000

type Warnings = { warnings: Array<{ memberId: string; actions: string[]; talk?: { at: number; byName: string; note?: string } }> }

let env: TestEnv
beforeEach(async () => {
  env = await makeTestEnv()
  env.clock.set(T0)
})
afterEach(() => env.close())

// The demo's 第三党支部 has a member warned this quarter.
const SECRETARY3 = DEMO_PEOPLE.secretary3
const warnings = async () => expectOk(await env.call<Warnings>('stats', 'warnings', { branchId: 'br_3' }, SECRETARY3)).warnings
const talk = (input: Record<string, unknown>, as: string = BR2.secretary) =>
  env.call<{ talk: { at: number; byName: string; note?: string }; duplicate: boolean }>('stats', 'recordTalk', { at: T0 - DAY, clientId: 'talk-form-1', ...input }, as)

describe('谈心谈话', () => {
  it('an officer records it once per form; the quarter’s warnings show the latest', async () => {
    const warned = (await warnings()).find((w) => w.memberId !== SECRETARY3)
    expect(warned).toBeDefined()
    const who = warned!.memberId
    expect(warned!.talk).toBeUndefined()

    const first = expectOk(await talk({ memberId: who, note: '家中老人住院，近期难以参加，已商定补学时间' }, SECRETARY3))
    expect(first.duplicate).toBe(false)
    expect(expectOk(await talk({ memberId: who, note: '家中老人住院，近期难以参加，已商定补学时间' }, SECRETARY3)).duplicate).toBe(true)
    expect((await warnings()).find((w) => w.memberId === who)!.talk).toMatchObject({ at: T0 - DAY, note: '家中老人住院，近期难以参加，已商定补学时间' })
    expect((await env.db.collection('talks').where({ memberId: who }).get()).data).toHaveLength(1)

    // A later one, by the 党委's admin, is the one shown.
    expectOk(await talk({ memberId: who, at: T0 - 3600_000, clientId: 'talk-form-2' }, DEMO_PEOPLE.admin))
    const shown = (await warnings()).find((w) => w.memberId === who)!.talk
    expect(shown).toMatchObject({ at: T0 - 3600_000 })
    expect(shown!.byName).not.toBe('')
    expect(shown!.note).toBeUndefined()
    const { data: audit } = await env.db.collection('audit').where({ action: 'talk.record' }).get()
    expect(audit).toHaveLength(2)
  })

  it('nobody else records one, nobody records their own, and bad input is refused', async () => {
    expectFail(await talk({ memberId: BR2.others[0] }, BR2.member), 'FORBIDDEN')
    expectFail(await talk({ memberId: BR2.others[0] }, DEMO_PEOPLE.secretary3), 'FORBIDDEN')
    expect(expectFail(await talk({ memberId: BR2.secretary }), 'FORBIDDEN').message).toBe('谈心谈话要由其他支委记录')
    expectFail(await talk({ memberId: 'm_nobody' }), 'FORBIDDEN')
    expect(expectFail(await talk({ memberId: BR2.others[0], at: T0 + DAY }), 'INVALID_INPUT').message).toBe('谈话日期不能晚于今天')
    expectFail(await talk({ memberId: BR2.others[0], at: T0 - 91 * DAY }), 'INVALID_INPUT')
    for (const bad of [
      { memberId: BR2.others[0], note: '谈'.repeat(201) },
      { memberId: BR2.others[0], note: '' },
      { memberId: BR2.others[0], at: 'yesterday' },
      { memberId: { $ne: null } },
      { memberId: BR2.others[0], clientId: '../x' },
      { memberId: BR2.others[0], branchId: 'br_2' }
    ]) {
      expectFail(await talk(bad), 'INVALID_INPUT')
    }
    expect((await env.db.collection('talks').get()).data).toHaveLength(0)
    // The warnings (where a talk shows) are for officers only.
    expectFail(await env.call('stats', 'warnings', { branchId: 'br_2' }, BR2.member), 'FORBIDDEN')
  })
})
