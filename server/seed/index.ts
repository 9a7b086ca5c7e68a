import type { Database, DocData } from '../../cloudfunctions/_shared/db'
import { CheckinSchema, LeaveRequestSchema } from '../../src/core/schemas/checkin'
import { MemberSchema } from '../../src/core/schemas/member'
import { NoteSchema } from '../../src/core/schemas/note'
import { OrgSchema } from '../../src/core/schemas/org'
import { SessionSchema } from '../../src/core/schemas/session'
import { demoActivity } from './activity'
import { demoMembers, demoOrgs } from './people'

export interface SeedSummary {
  seeded: boolean
  counts: Record<string, number>
}

/**
 * Writes the demo organisation on first start, all in one transaction: a
 * killed first start leaves nothing behind and the next start seeds again.
 */
export async function seedDemoData(db: Database, now: number): Promise<SeedSummary> {
  const { total } = await db.collection('orgs').count()
  if (total > 0) return { seeded: false, counts: {} }
  const members = demoMembers(now).map((m) => MemberSchema.parse(m))
  const activity = demoActivity(members, now)
  // Every demo document passes the same schema the functions enforce.
  const docs: Record<string, DocData[]> = {
    orgs: demoOrgs(now).map((o) => OrgSchema.parse(o)),
    members,
    sessions: activity.sessions.map((s) => SessionSchema.parse(s)),
    checkins: activity.checkins.map((c) => CheckinSchema.parse(c)),
    leaves: activity.leaves.map((l) => LeaveRequestSchema.parse(l)),
    notes: activity.notes.map((n) => NoteSchema.parse(n))
  }
  await db.runTransaction(async (t) => {
    for (const [collection, list] of Object.entries(docs)) {
      for (const data of list) await t.collection(collection).add({ data })
    }
  })
  return { seeded: true, counts: Object.fromEntries(Object.entries(docs).map(([k, v]) => [k, v.length])) }
}
