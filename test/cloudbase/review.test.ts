/**
 * 民主评议党员 through the real review bundle on the CloudBase emulator (the
 * real wx-server-sdk, collections that must exist, doc-only transactions,
 * 10 ms a call): a vote is one transaction (marker set + ballot add) that
 * CloudBase accepts, a second vote is refused, the tally waits for the
 * close, and the stored ballots carry no grader. Opening and deciding put
 * their notices in the members' 消息.
 */
import { DEMO_PEOPLE } from '../../server/seed/people'
import { cbFail, cbOk, makeCloudbaseEnv, type CloudbaseEnv } from '../helpers/cloudbase-env'

jest.setTimeout(120_000)

const B1 = ['m_br_1_01', 'm_br_1_02', 'm_br_1_03', 'm_br_1_04', 'm_br_1_05']
const SEC = DEMO_PEOPLE.secretary1
let env: CloudbaseEnv

beforeAll(async () => {
  env = await makeCloudbaseEnv({ latencyMs: 10 })
})
afterAll(async () => {
  await env?.close()
})

describe('民主评议 on CloudBase', () => {
  it('opens, takes one sheet per member in a transaction, closes, tallies and decides', async () => {
    const year = Number(new Date(env.now() + 8 * 3_600_000).getUTCFullYear())
    const { reviewId } = cbOk(await env.call<{ reviewId: string }>('review', 'open', { branchId: 'br_1', year }, SEC))
    // The members hear of it in 消息 (written after the open's transaction, outside it); the opener does not.
    type Box = { items: Array<{ reviewId?: string; title: string }> }
    const told = (who: string) => env.call<Box>('remind', 'inbox', {}, who).then((r) => cbOk(r).items.filter((d) => d.reviewId === reviewId))
    expect((await told('m_br_1_04')).map((d) => d.title)).toEqual(['民主评议开始了'])
    expect(await told(SEC)).toEqual([])
    const graders = ['m_br_1_01', 'm_br_1_03', 'm_br_1_04']
    for (const [i, who] of graders.entries()) {
      const sheet = Object.fromEntries(B1.filter((m) => m !== who).map((m, j) => [m, j === i ? 'excellent' : 'qualified']))
      cbOk(await env.call('review', 'saveSelf', { reviewId, text: `${who} 的自我评价` }, who))
      expect(cbOk(await env.call('review', 'grade', { reviewId, sheet }, who))).toEqual({ voted: true })
      cbFail(await env.call('review', 'grade', { reviewId, sheet }, who), 'CONFLICT')
    }
    const progress = cbOk(await env.call<{ review: { voted: number; officer: { notYet: Array<{ id: string }> } } }>('review', 'get', { reviewId }, SEC)).review
    expect(progress.voted).toBe(3)
    expect(progress.officer.notYet.map((m) => m.id).sort()).toEqual(['m_br_1_02', 'm_br_1_05'])
    cbFail(await env.call('review', 'tally', { reviewId }, SEC), 'CONFLICT')
    cbFail(await env.call('review', 'get', { reviewId }, DEMO_PEOPLE.secretary2), 'FORBIDDEN')

    cbOk(await env.call('review', 'closeGrading', { reviewId }, SEC))
    const tally = cbOk(await env.call<{ ballots: number; shown: boolean; rows: Array<{ memberId: string; counts: Record<string, number> }> }>('review', 'tally', { reviewId }, SEC))
    expect(tally).toMatchObject({ ballots: 3, shown: true })
    expect(tally.rows.reduce((n, r) => n + r.counts.excellent, 0)).toBe(3)

    cbOk(await env.call('review', 'decide', { reviewId, outcomes: { m_br_1_04: { grade: 'basic', reason: '学习笔记未完成定额' }, m_br_1_03: { grade: 'qualified' } } }, SEC))
    expect((await told('m_br_1_04')).map((d) => d.title)).toEqual(['民主评议结果已记录', '民主评议开始了'])
    const mine = cbOk(await env.call<{ years: Array<{ outcome: unknown; selfText: string }> }>('review', 'mine', {}, 'm_br_1_04'))
    expect(mine.years[0]).toMatchObject({ outcome: { grade: 'basic', reason: '学习笔记未完成定额' }, selfText: 'm_br_1_04 的自我评价' })
    const archive = cbOk(await env.call<{ archive: { review: unknown } }>('archive', 'member', { year }, 'm_br_1_04'))
    expect(archive.archive.review).toEqual({ grade: '基本合格', reason: '学习笔记未完成定额' })

    const reader = env.openReader()
    try {
      const { data: ballots } = await reader.collection('review_ballots').where({ reviewId }).get()
      expect(ballots).toHaveLength(3)
      for (const b of ballots) expect(Object.keys(b).sort()).toEqual(['_id', 'reviewId', 'sheet'])
    } finally {
      reader.close()
    }
  })
})
