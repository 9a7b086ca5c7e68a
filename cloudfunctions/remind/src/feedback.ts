/**
 * 意见建议 (the 投诉建议 channel government apps are expected to have): a
 * member writes to the 党委's admins; an admin answers, and the answer
 * reaches the member's 消息. Anonymity is toward the branch only: its
 * officers see the text without the name or any id that leads to it; the
 * admins always see who wrote (the form says so).
 */
import { AppError } from '../../../src/core/errors'
import {
  FeedbackSchema,
  type Feedback,
  type RemindFeedbackInput,
  type RemindFeedbackListInput,
  type RemindFeedbackReplyInput
} from '../../../src/core/functions/remind'
import { stableHash } from '../../../src/core/ids'
import { OrgSchema } from '../../../src/core/schemas/org'
import type { z } from '../../../src/core/zod'
import { isAdminOver, isBranchOfficer, loadBranchIf, requireMember } from '../../_shared/caller'
import { addIfAbsent } from '../../_shared/db'
import { notifyOutcome } from '../../_shared/notify-outcome'
import type { Runtime } from '../../_shared/runtime'

const NOT_ALLOWED = '只有党委管理员和本支部的书记、支委可以查看意见建议'
const NOT_FOUND = '没有找到这条意见建议，或您不是它所属党委的管理员'

export async function feedbackAction(rt: Runtime, input: z.infer<typeof RemindFeedbackInput>) {
  const me = await requireMember(rt)
  const { data } = await rt.db.collection('orgs').doc(me.branchId).get()
  const branch = data ? OrgSchema.parse(data) : null
  const doc: Feedback = {
    // Hashed, not `fb:<memberId>:…`: the id is shown to branch officers and must not name an anonymous writer.
    _id: `fb:h${stableHash(JSON.stringify([me._id, input.clientId]))}`,
    memberId: me._id,
    name: me.name,
    branchId: me.branchId,
    branchName: branch?.name ?? '',
    orgPath: branch?.path ?? me.orgPath,
    text: input.text,
    anonymous: input.anonymous === true,
    createdAt: rt.clock.now()
  }
  // A resend of the same form is the first one, not a second message.
  if (!(await addIfAbsent(rt.db.collection('feedback'), doc))) {
    const { data: first } = await rt.db.collection('feedback').doc(doc._id).get()
    return { feedback: FeedbackSchema.parse(first), duplicate: true }
  }
  return { feedback: doc, duplicate: false }
}

export async function feedbackMineAction(rt: Runtime) {
  const me = await requireMember(rt)
  const { data } = await rt.db.collection('feedback').where({ memberId: me._id }).orderBy('createdAt', 'desc').limit(50).get()
  return { items: data.map((d) => FeedbackSchema.parse(d)) }
}

function adminOrgs(me: { roles: { role: string; orgId: string }[] }): string[] {
  return me.roles.filter((r) => r.role === 'admin').map((r) => r.orgId)
}

/** What a branch officer sees of an anonymous message: the words, not the writer. */
function asSeenBy(f: Feedback, named: boolean) {
  const { memberId, name, orgPath: _path, ...rest } = f
  if (named || !f.anonymous) return { ...rest, memberId, name }
  return { ...rest, name: '匿名' }
}

export async function feedbackListAction(rt: Runtime, input: z.infer<typeof RemindFeedbackListInput>) {
  const me = await requireMember(rt)
  const _ = rt.db.command
  const limit = input.limit ?? 50
  if (input.branchId) {
    const branch = await loadBranchIf(rt, input.branchId, (b) => isBranchOfficer(me, b), NOT_ALLOWED)
    const named = isAdminOver(me, branch)
    const { data } = await rt.db.collection('feedback').where({ branchId: branch._id }).orderBy('createdAt', 'desc').limit(limit).get()
    return { items: data.map((d) => asSeenBy(FeedbackSchema.parse(d), named)), canReply: named }
  }
  const orgs = adminOrgs(me)
  if (orgs.length === 0) throw new AppError('FORBIDDEN', NOT_ALLOWED)
  // orgPath holds every org above the branch: an admin of any of them reads it.
  const { data } = await rt.db.collection('feedback').where({ orgPath: _.in(orgs) }).orderBy('createdAt', 'desc').limit(limit).get()
  return { items: data.map((d) => asSeenBy(FeedbackSchema.parse(d), true)), canReply: true }
}

export async function feedbackReplyAction(rt: Runtime, input: z.infer<typeof RemindFeedbackReplyInput>) {
  const me = await requireMember(rt)
  const { data } = await rt.db.collection('feedback').doc(input.feedbackId).get()
  const parsed = data ? FeedbackSchema.safeParse(data) : null
  // Same refusal for a missing message and another 党委's, so ids cannot be probed.
  if (!parsed?.success || !isAdminOver(me, { path: parsed.data.orgPath })) throw new AppError('FORBIDDEN', NOT_FOUND)
  const before = parsed.data
  const now = rt.clock.now()
  if (before.reply?.text === input.text) return { feedback: before }
  const reply = { text: input.text, by: me._id, byName: me.name, at: now }
  await rt.db.collection('feedback').doc(before._id).update({ data: { reply: rt.db.command.set(reply) } })
  await notifyOutcome(rt, before.memberId, { kind: 'feedback_reply', feedbackId: before._id, question: before.text, reply: input.text, at: now })
  return { feedback: { ...before, reply } }
}
