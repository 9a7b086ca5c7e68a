/**
 * A reminder to a whole branch on CloudBase's terms: no transaction that
 * grows with the audience (each delivery is its own add under a
 * deterministic id; the reminder and its audit, written last, mark the send
 * complete), and a send cut short is finished by the same send again, with
 * nobody reminded twice.
 */
import type { Database } from '../../cloudfunctions/_shared/db'
import { CallCounter, countingDb } from '../helpers/counting-db'
import { expectOk, makeTestEnv, type TestEnv } from '../helpers/env'
import { failingAfterWrites } from '../helpers/faulty-db'

const SECRETARY3 = 'm_br_3_01'
type Summary = { reminderId: string; recipients: number; delivered: number; duplicate: boolean }

const branchSend = (env: TestEnv, clientId: string) =>
  env.call<Summary>('remind', 'send', { branchId: 'br_3', audience: { kind: 'branch' }, title: '学习提醒', body: '本周五下午集中学习，请按时参加。', clientId }, SECRETARY3)

describe('remind.send to a whole branch', () => {
  it('keeps its one transaction to the reminder and its audit, whatever the audience', async () => {
    const counter = new CallCounter()
    const env = await makeTestEnv({ wrapDb: (db: Database) => countingDb(db, counter) })
    try {
      const out = expectOk(await counter.run('send', () => branchSend(env, 'steps-1')))
      expect(out.recipients).toBeGreaterThanOrEqual(25)
      const figures = counter.get('send')
      expect(figures.transactions).toHaveLength(1)
      expect(figures.maxTxOps).toBeLessThanOrEqual(2)
      expect((await env.db.collection('deliveries').where({ reminderId: out.reminderId }).count()).total).toBe(out.recipients)
    } finally {
      env.close()
    }
  })

  it('cut short after a few deliveries, the same send again completes it: every member once, one reminder', async () => {
    const state: { left: number | null } = { left: null }
    const env = await makeTestEnv({ wrapDb: (db: Database) => failingAfterWrites(db, state) })
    try {
      state.left = 7
      const cut = await branchSend(env, 'steps-2')
      expect(cut.ok).toBe(false)
      const reminderId = String((await env.db.collection('deliveries').where({ branchId: 'br_3' }).limit(1).get()).data[0]?.reminderId ?? '')
      expect(reminderId).not.toBe('')
      expect((await env.db.collection('reminders').doc(reminderId).get()).data).toBeNull()
      expect((await env.db.collection('deliveries').where({ reminderId }).count()).total).toBe(7)

      state.left = null
      const done = expectOk(await branchSend(env, 'steps-2'))
      expect(done.reminderId).toBe(reminderId)
      const deliveries = (await env.db.collection('deliveries').where({ reminderId }).limit(1000).get()).data
      expect(deliveries).toHaveLength(done.recipients)
      expect(new Set(deliveries.map((d) => d.memberId)).size).toBe(done.recipients)
      expect((await env.db.collection('reminders').doc(reminderId).get()).data).toMatchObject({ recipientCount: done.recipients })
      // And once more: recorded, nothing added.
      const again = expectOk(await branchSend(env, 'steps-2'))
      expect(again.duplicate).toBe(true)
      expect((await env.db.collection('deliveries').where({ reminderId }).count()).total).toBe(done.recipients)
    } finally {
      env.close()
    }
  })
})
