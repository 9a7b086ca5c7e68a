/**
 * send: the secretary's targeted reminder. Who may send and to whom is
 * decided here; recording and delivering it is the shared step the schedule
 * uses too (cloudfunctions/_shared/deliver.ts).
 */
import { AppError } from '../../../src/core/errors'
import type { RemindSendInput, TemplateKey } from '../../../src/core/functions/remind'
import { selectRecipients } from '../../../src/core/remind/audience'
import { reminderIdFromKey, type ReminderKind } from '../../../src/core/schemas/reminder'
import type { Session } from '../../../src/core/schemas/session'
import type { z } from '../../../src/core/zod'
import { loadOfficerBranch, requireMember } from '../../_shared/caller'
import { deliverReminder, previousSend } from '../../_shared/deliver'
import { gatherFacts, loadBranchSession } from '../../_shared/remind-facts'
import type { Runtime } from '../../_shared/runtime'
import { settingsFor } from '../../_shared/settings'

export { tally, type SendSummary } from '../../_shared/deliver'

type SendInput = z.infer<typeof RemindSendInput>

export const NOT_OFFICER = '只有本支部的书记、支委可以发送提醒'

export function kindOf(template: TemplateKey | undefined): ReminderKind {
  if (template === 'session_tomorrow' || template === 'session_soon') return 'session_upcoming'
  if (template === 'notes_behind') return 'note_pace'
  if (template === 'makeup_due') return 'makeup'
  return 'custom'
}

/** The session the reminder is about: the one the audience names, or the one it links to (never two different ones). */
async function sessionOf(rt: Runtime, input: SendInput): Promise<Session | undefined> {
  const a = input.audience.sessionId
  const b = input.sessionId
  if (a && b && a !== b) throw new AppError('INVALID_INPUT', '提醒对象和提醒内容指向了不同的活动，请重新选择')
  const id = a ?? b
  return id ? loadBranchSession(rt, input.branchId, id) : undefined
}

export async function sendAction(rt: Runtime, input: SendInput) {
  const officer = await requireMember(rt)
  const branch = await loadOfficerBranch(rt, officer, input.branchId, NOT_OFFICER)
  const now = rt.clock.now()
  const session = await sessionOf(rt, input)
  const settings = await settingsFor(rt, branch.path)
  const { facts, members } = await gatherFacts(rt, { branchId: branch._id, audience: input.audience, session, settings, now })
  const recipients = selectRecipients(input.audience, facts)
  if (input.preview) return { count: recipients.length, recipients: recipients.map((m) => ({ memberId: m._id, name: m.name })) }

  const reminderId = reminderIdFromKey(branch._id, input.clientId)
  const before = await previousSend(rt, reminderId)
  if (before) return before
  if (recipients.length === 0) throw new AppError('INVALID_INPUT', '按这个范围，目前没有需要提醒的党员')

  return deliverReminder(rt, {
    reminder: {
      _id: reminderId,
      branchId: branch._id,
      audience: input.audience,
      title: input.title,
      body: input.body,
      kind: kindOf(input.template),
      ...(input.template ? { template: input.template } : {}),
      source: 'secretary',
      ...(input.sessionId ?? input.audience.sessionId ? { sessionId: input.sessionId ?? input.audience.sessionId } : {}),
      ...(input.noteId ? { noteId: input.noteId } : {}),
      createdBy: officer._id,
      createdAt: now
    },
    recipients,
    members,
    session,
    auditBy: { actor: officer._id, orgId: branch._id, audience: input.audience.kind },
    now
  })
}
