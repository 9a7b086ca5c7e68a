/**
 * 会议记录 workbook: each branch's meetings held in the period with their
 * records. The attendance is judged from the same facts as the ledger's other
 * sheets, by the roster judge the 会议记录 page uses (core/checkin/roster.ts),
 * so the file and the page show the same names and counts. Records are read
 * by id, a hundred at a time.
 */
import { sessionOver } from '../../../src/core/checkin/attendance'
import { judgeRoster } from '../../../src/core/checkin/roster'
import { MinutesDocSchema, type MinutesDoc } from '../../../src/core/functions/minutes'
import { minutesSheet, type MinutesLedgerEntry } from '../../../src/core/ledgers/minutes'
import { sheetName, type Sheet } from '../../../src/core/ledgers/model'
import { minutesAttendance } from '../../../src/core/minutes/attendance'
import type { Org } from '../../../src/core/schemas/org'
import type { Runtime } from '../../_shared/runtime'
import { branchFacts } from './facts'

const BY_ID = 100

async function recordsOf(rt: Runtime, sessionIds: string[]): Promise<Map<string, MinutesDoc>> {
  const _ = rt.db.command
  const out = new Map<string, MinutesDoc>()
  for (let i = 0; i < sessionIds.length; i += BY_ID) {
    const { data } = await rt.db
      .collection('minutes')
      .where({ _id: _.in(sessionIds.slice(i, i + BY_ID)) })
      .limit(BY_ID)
      .get()
    for (const d of data) {
      const m = MinutesDocSchema.parse(d)
      out.set(m._id, m)
    }
  }
  return out
}

export async function minutesSheets(rt: Runtime, branches: Org[], period: string, label: string): Promise<Sheet[]> {
  const now = rt.clock.now()
  const taken = new Set<string>()
  const sheets: Sheet[] = []
  for (const b of branches) {
    const f = await branchFacts(rt, b, period, { attendance: true, leaveReasons: true })
    const held = f.sessions.filter((s) => s.status !== 'cancelled' && s.startAt <= now)
    const records = await recordsOf(rt, held.map((s) => s._id))
    const names = new Map(f.members.map((m) => [m._id, m.name]))
    const name = (id: string | null | undefined) => (id ? names.get(id) ?? '' : '')
    const entries: MinutesLedgerEntry[] = held.map((s) => {
      const judged = judgeRoster(s, f.members, f.checkins, f.leaves)
      const r = records.get(s._id)
      return {
        session: s,
        chairName: name(r?.content.chairId),
        recorderName: name(r?.content.recorderId),
        agenda: r?.content.agenda ?? '',
        discussion: r?.content.discussion ?? '',
        decisions: r?.content.decisions ?? '',
        lockedAt: r?.lockedAt ?? null,
        attendance: minutesAttendance(
          judged.rows,
          f.makeups.filter((m) => m.sessionId === s._id),
          { officer: true, over: sessionOver(s, now) }
        )
      }
    })
    sheets.push(minutesSheet(entries, { title: `${b.name} 会议记录（${label}）`, name: sheetName(branches.length > 1 ? b.name : '会议记录', taken) }))
  }
  return sheets
}
