import { mine, type MineRow, type MyRecord } from '../../api/checkin'
import type { Me } from '../../api/auth'
import { listSessions, type Session } from '../../api/sessions'
import { isExpected } from '../../core/audience'
import { periodKeysOf } from '../../core/period'

const DAY = 24 * 60 * 60 * 1000

/** The next session this member is expected at, within 30 days (still running counts). */
export async function nextSession(me: Me): Promise<Session | null> {
  const now = Date.now()
  const sessions = await listSessions(me.member.branchId, now - DAY, now + 30 * DAY)
  const mine = sessions
    .filter((s) => s.status !== 'cancelled' && s.endAt > now && isExpected(s, me.member))
    .sort((a, b) => a.startAt - b.startAt)
  return mine[0] ?? null
}

export interface HomeSession {
  session: Session | null
  /** My record row for it: checked in, leave asked … (none yet for a fresh session). */
  row: MineRow | undefined
  /** This year's record: the attendance figures of the year-at-a-glance card. */
  record: MyRecord
}

/**
 * The next session with where I stand for it, and my year's record, in one
 * round trip: the record of this year holds the session's row too, except
 * across New Year, when the session's own year is asked for.
 */
export async function nextSessionAndRecord(me: Me): Promise<HomeSession> {
  const year = Number(periodKeysOf(Date.now()).year)
  const [session, record] = await Promise.all([nextSession(me), mine(year)])
  const rowOf = (rec: MyRecord) => (session ? (rec.rows ?? []).find((r) => r.sessionId === session._id) : undefined)
  let row = rowOf(record)
  if (session && !row) {
    const y = Number(periodKeysOf(session.startAt).year)
    if (y !== year) row = rowOf(await mine(y))
  }
  return { session, row, record }
}
