/**
 * tally: once a session is over (sessionOver: ended and its check-in window
 * closed, whichever is later), count it: 应到, 实到, 迟到, 请假, 无故缺席 for
 * each member of its audience, and the absence points. The session is
 * declared tallied first (`talliedAt`), then each member is counted in a
 * transaction of their own (_shared/session-tally.ts),
 * so a second run, two overlapping ones or the next tick after a timeout
 * count nothing twice and finish what was left. Changes left unfinished by
 * anyone (a cancellation whose call ran out of time) are finished here too,
 * and so are notes whose originality postings a crash left pending and org
 * moves cut short.
 */
import type { CronTallyInput } from '../../../src/core/functions/cron'
import { SessionSchema } from '../../../src/core/schemas/session'
import type { z } from '../../../src/core/zod'
import { finishOrgMoves } from '../../_shared/org-move'
import type { Runtime } from '../../_shared/runtime'
import { pendingFromFor, pendingSessions, settleSession } from '../../_shared/session-tally'
import { finishPendingIndexes, rescopeIndex } from '../../_shared/originality'
import { finishPendingMaterials } from '../../_shared/materials'
import { budget } from './state'

const PAGE = 20

export async function tallyJob(rt: Runtime, input: z.infer<typeof CronTallyInput>) {
  const _ = rt.db.command
  const now = input.now ?? rt.clock.now()
  const outOfTime = budget()
  let processed = 0
  let entries = 0
  const more = () => ({ job: 'tally' as const, processed, entries, nextCursor: 'more' })
  // Unfinished changes first: they are older than anything closing now.
  for (const s of await pendingSessions(rt, {}, PAGE)) {
    const r = await settleSession(rt, s._id, outOfTime)
    entries += r.entries
    if (!r.done || outOfTime()) return more()
  }
  // Notes whose save committed but whose originality postings were never finished (a crash in between).
  const indexed = await finishPendingIndexes(rt, outOfTime)
  if (indexed > 0) rt.log('warn', 'finished originality indexing left pending', { notes: indexed })
  // Notes and materials indexed before the index was scoped per 党委 (issue 15); once done, one read.
  const rescoped = await rescopeIndex(rt, outOfTime)
  if (rescoped > 0) rt.log('info', 'moved originality index entries into their 党委 scope', { documents: rescoped })
  if (outOfTime()) return more()
  // Study materials a closed page left half indexed or half removed.
  const materials = await finishPendingMaterials(rt, outOfTime)
  if (materials > 0) rt.log('info', 'moved study materials on', { materials })
  // Org moves an admin's call left half done (the org moved, what is under it not yet).
  const moves = await finishOrgMoves(rt)
  if (moves > 0) rt.log('warn', 'finished org moves left pending', { orgs: moves })
  if (outOfTime()) return more()
  for (;;) {
    const { data } = await rt.db
      .collection('sessions')
      // sessionOver(s, now), as a query: nobody is absent while the meeting still runs.
      .where({ status: 'scheduled', talliedAt: _.exists(false), 'checkin.closesAt': _.lte(now), endAt: _.lte(now) })
      .orderBy('checkin.closesAt', 'asc')
      .limit(PAGE)
      .get()
    if (data.length === 0) return { job: 'tally' as const, processed, entries }
    for (const doc of data) {
      const session = SessionSchema.parse(doc)
      await rt.db.runTransaction(async (t) => {
        const { data: fresh } = await t.collection('sessions').doc(session._id).get()
        const stored = fresh ? SessionSchema.parse(fresh) : null
        // Declared by an overlapping run, or cancelled meanwhile: nothing to declare.
        if (!stored || stored.talliedAt !== undefined || stored.status !== 'scheduled') return
        await t.collection('sessions').doc(session._id).update({ data: { talliedAt: now, pendingFrom: pendingFromFor(stored) } })
      })
      const r = await settleSession(rt, session._id, outOfTime)
      entries += r.entries
      processed++
      if (!r.done || outOfTime()) return more()
    }
  }
}
