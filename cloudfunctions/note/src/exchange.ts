/**
 * 交流材料: a member's written remarks for a 专题学习研讨, handed in as an
 * ordinary note that names the session. It is counted like any note (words,
 * quota, copy check); the link only lets the record list who handed in.
 */
import { expectedAt } from '../../../src/core/audience'
import { AppError } from '../../../src/core/errors'
import type { Member } from '../../../src/core/schemas/member'
import { SessionSchema } from '../../../src/core/schemas/session'
import type { Runtime } from '../../_shared/runtime'
import { findNote } from './context'

const NOT_FOUND = '没有找到这场专题学习研讨，或它不是您所在支部的活动'

/**
 * The session must be a 专题学习研讨 of the author's branch, not cancelled,
 * that expected the author. A note keeping the link it already has is not
 * checked again, so a later cancellation does not lock its author out of
 * editing the text.
 */
export async function checkExchangeLink(rt: Runtime, member: Member, input: { id?: string; sessionId?: string }): Promise<void> {
  if (!input.sessionId) return
  if (input.id) {
    const stored = await findNote(rt, input.id)
    if (stored && stored.memberId === member._id && stored.sessionId === input.sessionId) return
  }
  const { data } = await rt.db.collection('sessions').doc(input.sessionId).get()
  const session = data ? SessionSchema.parse(data) : null
  if (!session || session.branchId !== member.branchId) throw new AppError('FORBIDDEN', NOT_FOUND, { field: 'sessionId' })
  if (session.type !== 'seminar') throw new AppError('INVALID_INPUT', '只有专题学习研讨可以提交交流材料', { field: 'sessionId' })
  if (session.status === 'cancelled') throw new AppError('INVALID_INPUT', '这场专题学习研讨已取消，不用再提交交流材料', { field: 'sessionId' })
  if (!expectedAt(session, member)) throw new AppError('FORBIDDEN', '这场专题学习研讨不需要您参加，交流材料请按支部安排提交', { field: 'sessionId' })
}

/** The title a note page shows beside a 交流材料; null when the session is gone. */
export async function exchangeSession(rt: Runtime, sessionId: string): Promise<{ sessionId: string; title: string } | null> {
  const { data } = await rt.db.collection('sessions').doc(sessionId).get()
  return data ? { sessionId, title: String(data.title ?? '') } : null
}
