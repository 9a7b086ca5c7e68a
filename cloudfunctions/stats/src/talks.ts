/**
 * 谈心谈话 records (src/core/functions/talks.ts): an officer of the member's
 * branch records that a talk took place; the warnings read the latest of the
 * quarter back. Nobody records a talk with themselves.
 */
import { AppError } from '../../../src/core/errors'
import { TALK_MAX_AGE_DAYS, TalkSchema, type RecordTalkInput, type Talk } from '../../../src/core/functions/talks'
import { stableHash } from '../../../src/core/ids'
import { periodKeysOf } from '../../../src/core/period'
import { MemberSchema } from '../../../src/core/schemas/member'
import type { z } from '../../../src/core/zod'
import { addAudit } from '../../_shared/audit'
import { isBranchOfficer, requireMember } from '../../_shared/caller'
import { withoutId } from '../../_shared/db'
import { fetchAll } from '../../_shared/paging'
import type { Runtime } from '../../_shared/runtime'

const NOT_YOURS = '只有本支部书记、支委可以记录谈心谈话'
const DAY = 86_400_000

export async function recordTalkAction(rt: Runtime, input: z.infer<typeof RecordTalkInput>) {
  const officer = await requireMember(rt)
  const { data } = await rt.db.collection('members').doc(input.memberId).get()
  const member = data ? MemberSchema.parse(data) : null
  if (!member || !isBranchOfficer(officer, { _id: member.branchId, path: member.orgPath })) throw new AppError('FORBIDDEN', NOT_YOURS)
  if (member._id === officer._id) throw new AppError('FORBIDDEN', '谈心谈话要由其他支委记录')
  const now = rt.clock.now()
  if (input.at > now) throw new AppError('INVALID_INPUT', '谈话日期不能晚于今天', { field: 'at' })
  if (input.at < now - TALK_MAX_AGE_DAYS * DAY) throw new AppError('INVALID_INPUT', `只能记录 ${TALK_MAX_AGE_DAYS} 天以内的谈话`, { field: 'at' })
  const talk: Talk = {
    _id: `talk_${stableHash(`${officer._id}|${input.clientId}`)}`,
    branchId: member.branchId,
    memberId: member._id,
    at: input.at,
    by: officer._id,
    byName: officer.name,
    ...(input.note ? { note: input.note } : {}),
    quarter: periodKeysOf(input.at).quarter,
    createdAt: now
  }
  const created = await rt.db.runTransaction(async (t) => {
    const { data: existing } = await t.collection('talks').doc(talk._id).get()
    if (existing) return false
    await t.collection('talks').doc(talk._id).set({ data: withoutId(talk) })
    await addAudit(t, { actor: officer._id, action: 'talk.record', target: { type: 'member', id: member._id }, orgId: member.branchId, at: now })
    return true
  })
  return { talk: { at: talk.at, byName: talk.byName, ...(talk.note ? { note: talk.note } : {}) }, duplicate: !created }
}

/** The latest talk of each member of a branch in a quarter. */
export async function latestTalks(rt: Runtime, branchId: string, quarter: string): Promise<Map<string, Talk>> {
  const docs = await fetchAll(rt.db.collection('talks').where({ branchId, quarter }), { cap: 5000 })
  const out = new Map<string, Talk>()
  for (const t of docs.map((d) => TalkSchema.parse(d))) {
    const seen = out.get(t.memberId)
    if (!seen || t.at > seen.at || (t.at === seen.at && t.createdAt > seen.createdAt)) out.set(t.memberId, t)
  }
  return out
}
