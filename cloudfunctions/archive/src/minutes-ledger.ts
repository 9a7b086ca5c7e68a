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
import { materialTitles } from '../../_shared/materials'
import { fetchAll } from '../../_shared/paging'
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

/**
 * Per seminar, the members who handed in 交流材料 (a live note linked to it),
 * of those the record expects; read by session, a hundred at a time.
 */
async function exchangeHandedOf(rt: Runtime, seminars: Array<{ _id: string; expected: Set<string> }>): Promise<Map<string, number>> {
  const _ = rt.db.command
  const handed = new Map<string, Set<string>>()
  for (let i = 0; i < seminars.length; i += BY_ID) {
    const docs = await fetchAll(
      rt.db
        .collection('notes')
        .where({ sessionId: _.in(seminars.slice(i, i + BY_ID).map((s) => s._id)) })
        .field({ sessionId: true, memberId: true, deleted: true }),
      { cap: 20_000 }
    )
    for (const d of docs) {
      if (d.deleted === true) continue
      const id = String(d.sessionId)
      handed.set(id, (handed.get(id) ?? new Set()).add(String(d.memberId)))
    }
  }
  return new Map(seminars.map((s) => [s._id, [...(handed.get(s._id) ?? [])].filter((m) => s.expected.has(m)).length]))
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
    const judgedOf = new Map(held.map((s) => [s._id, judgeRoster(s, f.members, f.checkins, f.leaves)]))
    const seminars = held.filter((s) => s.type === 'seminar').map((s) => ({ _id: s._id, expected: new Set(judgedOf.get(s._id)!.rows.map((r) => r.member._id)) }))
    const handed = seminars.length ? await exchangeHandedOf(rt, seminars) : new Map<string, number>()
    const titles = new Map((await materialTitles(rt, [...records.values()].flatMap((r) => r.content.materialIds))).map((m) => [m._id, m.title]))
    const entries: MinutesLedgerEntry[] = held.map((s) => {
      const judged = judgedOf.get(s._id)!
      const r = records.get(s._id)
      return {
        ...(handed.has(s._id) ? { exchangeHanded: handed.get(s._id)! } : {}),
        ...(s.type === 'seminar' ? { plan: { topic: r?.content.topic ?? '', speakerNames: (r?.content.speakerIds ?? []).map(name).filter(Boolean) } } : {}),
        materialTitles: (r?.content.materialIds ?? []).flatMap((id) => (titles.has(id) ? [titles.get(id)!] : [])),
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
