/**
 * reminders: what the schedule sends — sessions 1 day / 1 hour ahead (per
 * session type, from settings), make-ups close to their deadline, the
 * month's note-pace reminder — and the WeChat messages quiet hours held
 * overnight. Every reminder has a key (src/core/remind/schedule.ts) from
 * which its id is derived, so a second or overlapping run finds it recorded
 * and sends nothing; a late run sends only what is still useful.
 */
import type { CronRemindersInput } from '../../../src/core/functions/cron'
import { selectRecipients } from '../../../src/core/remind/audience'
import { draftFor } from '../../../src/core/remind/templates'
import {
  MAX_SESSION_OFFSET_MS,
  dueMakeupReminder,
  duePaceReminder,
  dueSessionReminder,
  paceHours,
  sessionReminderText
} from '../../../src/core/remind/schedule'
import { formatShanghai } from '../../../src/core/period'
import { MakeupSchema } from '../../../src/core/schemas/checkin'
import { OrgSchema, type Org } from '../../../src/core/schemas/org'
import { reminderIdFromKey, type Reminder, type ReminderAudience } from '../../../src/core/schemas/reminder'
import { SessionSchema, type Session } from '../../../src/core/schemas/session'
import type { OrgSettingsValues } from '../../../src/core/schemas/settings'
import type { z } from '../../../src/core/zod'
import { deliverReminder } from '../../_shared/deliver'
import { fetchAll } from '../../_shared/paging'
import { branchesAfter } from '../../_shared/reconcile'
import { gatherFacts } from '../../_shared/remind-facts'
import type { Runtime } from '../../_shared/runtime'
import { settingsFor } from '../../_shared/settings'
import { sendHeld } from './held'
import { budget, readState, writeState } from './state'

const DAY_MS = 24 * 60 * 60 * 1000
/** Schedule keys live apart from secretaries' clientIds (an IdSchema has no '/'), so neither can shadow the other. */
export const scheduleReminderId = (branchId: string, key: string) => reminderIdFromKey(branchId, `schedule/${key}`)

interface BranchInfo {
  org: Org
  settings: OrgSettingsValues
}

/** Branch docs and their settings, read once per run. */
function branchCache(rt: Runtime) {
  const cache = new Map<string, Promise<BranchInfo | null>>()
  return (branchId: string): Promise<BranchInfo | null> => {
    let hit = cache.get(branchId)
    if (!hit) {
      hit = (async () => {
        const { data } = await rt.db.collection('orgs').doc(branchId).get()
        const parsed = data ? OrgSchema.safeParse(data) : null
        if (!parsed?.success || parsed.data.closed) return null
        return { org: parsed.data, settings: await settingsFor(rt, parsed.data.path) }
      })()
      cache.set(branchId, hit)
    }
    return hit
  }
}

/** One malformed document must not stop every other branch's reminders: it is logged and skipped. */
function parsedOrSkipped<T>(rt: Runtime, schema: z.ZodType<T>, doc: Record<string, unknown>): T | null {
  const parsed = schema.safeParse(doc)
  if (parsed.success) return parsed.data
  rt.log('warn', 'reminders: skipped a document that does not parse', { id: String(doc._id) })
  return null
}

async function recorded(rt: Runtime, reminderId: string): Promise<boolean> {
  const { data } = await rt.db.collection('reminders').doc(reminderId).get()
  return data !== null
}

/** Resolves the audience and delivers under the schedule's key; false when it was already recorded. */
async function sendScheduled(
  rt: Runtime,
  input: {
    branch: BranchInfo
    key: string
    audience: ReminderAudience
    session?: Session
    text: { title: string; body: string }
    kind: Reminder['kind']
    template: NonNullable<Reminder['template']>
    now: number
  }
): Promise<boolean> {
  const { branch, key, audience, session, now } = input
  const id = scheduleReminderId(branch.org._id, key)
  if (await recorded(rt, id)) return false
  const { facts, members } = await gatherFacts(rt, { branchId: branch.org._id, audience, session, settings: branch.settings, now })
  await deliverReminder(rt, {
    reminder: {
      _id: id,
      branchId: branch.org._id,
      audience,
      title: input.text.title,
      body: input.text.body,
      kind: input.kind,
      template: input.template,
      source: 'schedule',
      key,
      ...(session ? { sessionId: session._id } : {}),
      createdBy: 'system',
      createdAt: now
    },
    recipients: selectRecipients(audience, facts),
    members,
    session,
    now
  })
  return true
}

async function sessionReminders(rt: Runtime, now: number, branchOf: ReturnType<typeof branchCache>, outOfTime: () => boolean) {
  const _ = rt.db.command
  const docs = await fetchAll(
    rt.db
      .collection('sessions')
      .where({ status: 'scheduled', startAt: _.gt(now).and(_.lte(now + MAX_SESSION_OFFSET_MS)) })
      .orderBy('startAt', 'asc'),
    { cap: 20000 }
  )
  let sent = 0
  for (const doc of docs) {
    if (outOfTime()) return { sent, done: false }
    const session = parsedOrSkipped(rt, SessionSchema, doc)
    if (!session) continue
    const branch = await branchOf(session.branchId)
    if (!branch) continue
    const due = dueSessionReminder(session, branch.settings.reminders, now)
    if (!due) continue
    const text = sessionReminderText(
      due,
      { sessionTitle: session.title, startAt: session.startAt, venue: session.venue.name, branchName: branch.org.name },
      now
    )
    const audience: ReminderAudience = { kind: 'not_checked_in', sessionId: session._id }
    if (await sendScheduled(rt, { branch, key: due.key, audience, session, text, kind: 'session_upcoming', template: due.template, now })) sent++
  }
  return { sent, done: true }
}

async function makeupReminders(rt: Runtime, now: number, branchOf: ReturnType<typeof branchCache>, outOfTime: () => boolean) {
  const _ = rt.db.command
  const docs = await fetchAll(
    rt.db
      .collection('makeups')
      .where({ status: _.in(['assigned', 'returned']), deadline: _.gt(now).and(_.lte(now + 14 * DAY_MS)) })
      .orderBy('deadline', 'asc'),
    { cap: 20000 }
  )
  let sent = 0
  for (const doc of docs) {
    if (outOfTime()) return { sent, done: false }
    const makeup = parsedOrSkipped(rt, MakeupSchema, doc)
    if (!makeup) continue
    const branch = await branchOf(makeup.branchId)
    if (!branch) continue
    const due = dueMakeupReminder(makeup, branch.settings.reminders, now)
    if (!due) continue
    const { data } = await rt.db.collection('sessions').doc(makeup.sessionId).get()
    const session = data ? SessionSchema.parse(data) : undefined
    const text = draftFor('makeup_due', { sessionTitle: session?.title, deadline: makeup.deadline, branchName: branch.org.name })
    const audience: ReminderAudience = { kind: 'members', memberIds: [makeup.memberId] }
    if (await sendScheduled(rt, { branch, key: due.key, audience, session, text, kind: 'makeup', template: 'makeup_due', now })) sent++
  }
  return { sent, done: true }
}

/**
 * One pass over the branches per Shanghai day, its cursor kept between
 * ticks: each branch's own pace day decides, and a branch already reminded
 * this month is skipped by its key.
 */
async function paceReminders(rt: Runtime, now: number, branchOf: ReturnType<typeof branchCache>, outOfTime: () => boolean) {
  // Before 09:00 nothing is due anywhere; the day's pass starts at nine.
  if (!paceHours(now)) return { sent: 0, done: true }
  const run = formatShanghai(now, 'YYYY-MM-DD')
  const state = await readState(rt, 'reminders_pace')
  if (state.run === run && state.finishedAt) return { sent: 0, done: true }
  let cursor = state.run === run ? state.cursor : undefined
  let sent = 0
  for (;;) {
    const branches = await branchesAfter(rt, undefined, cursor, 20)
    for (const b of branches) {
      if (outOfTime()) {
        await writeState(rt, 'reminders_pace', { run, cursor, startedAt: state.startedAt ?? now })
        return { sent, done: false }
      }
      cursor = b._id
      const branch = await branchOf(b._id)
      const due = branch && duePaceReminder(branch.settings.reminders, now)
      if (!branch || !due) continue
      const text = draftFor('notes_behind', { branchName: branch.org.name })
      if (await sendScheduled(rt, { branch, key: due.key, audience: { kind: 'behind_pace' }, text, kind: 'note_pace', template: 'notes_behind', now })) sent++
    }
    if (branches.length < 20) break
  }
  await writeState(rt, 'reminders_pace', { run, startedAt: state.run === run ? state.startedAt ?? now : now, finishedAt: now })
  return { sent, done: true }
}

export async function remindersJob(rt: Runtime, input: z.infer<typeof CronRemindersInput>) {
  const now = input.now ?? rt.clock.now()
  const outOfTime = budget()
  const branchOf = branchCache(rt)
  // The most time-bound first: a session within the hour cannot wait for the next tick.
  const sessions = await sessionReminders(rt, now, branchOf, outOfTime)
  const held = sessions.done ? await sendHeld(rt, now, outOfTime) : { sent: 0, done: false }
  const makeups = held.done ? await makeupReminders(rt, now, branchOf, outOfTime) : { sent: 0, done: false }
  const pace = makeups.done ? await paceReminders(rt, now, branchOf, outOfTime) : { sent: 0, done: false }
  const done = pace.done
  return {
    job: 'reminders' as const,
    processed: sessions.sent + makeups.sent + pace.sent + held.sent,
    sessions: sessions.sent,
    makeups: makeups.sent,
    pace: pace.sent,
    held: held.sent,
    ...(done ? {} : { nextCursor: 'more' })
  }
}
