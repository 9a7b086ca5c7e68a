/**
 * tally: once a session's check-in window has closed, count it: 应到, 实到,
 * 迟到, 请假, 无故缺席 for each member of its audience, and the absence
 * points. One transaction per session, with the session's `talliedAt`, so a
 * second run (or two overlapping ones) counts nothing twice.
 */
import type { CronTallyInput } from '../../../src/core/functions/cron'
import { SessionSchema } from '../../../src/core/schemas/session'
import type { z } from '../../../src/core/zod'
import type { Runtime } from '../../_shared/runtime'
import { prepareSessionTransition } from '../../_shared/session-tally'
import { budget } from './state'

const PAGE = 20

export async function tallyJob(rt: Runtime, input: z.infer<typeof CronTallyInput>) {
  const _ = rt.db.command
  const now = input.now ?? rt.clock.now()
  const outOfTime = budget()
  let processed = 0
  let entries = 0
  for (;;) {
    const { data } = await rt.db
      .collection('sessions')
      .where({ status: 'scheduled', talliedAt: _.exists(false), 'checkin.closesAt': _.lte(now) })
      .orderBy('checkin.closesAt', 'asc')
      .limit(PAGE)
      .get()
    if (data.length === 0) return { job: 'tally' as const, processed, entries }
    for (const doc of data) {
      const session = SessionSchema.parse(doc)
      const next = SessionSchema.parse({ ...session, talliedAt: now })
      const step = await prepareSessionTransition(rt, session, next)
      await rt.db.runTransaction(async (t) => {
        const { data: fresh } = await t.collection('sessions').doc(session._id).get()
        const stored = fresh ? SessionSchema.parse(fresh) : null
        // Counted by an overlapping run, or cancelled meanwhile: nothing to do.
        if (!stored || stored.talliedAt !== undefined || stored.status !== 'scheduled') return
        entries += (await step(t, stored)).entries
        await t.collection('sessions').doc(session._id).update({ data: { talliedAt: now } })
      })
      processed++
      if (outOfTime()) return { job: 'tally' as const, processed, entries, nextCursor: 'more' }
    }
  }
}
